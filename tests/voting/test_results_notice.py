"""A poll's result reaches each member sitting in the meeting once, through
the outbox, a real Celery worker, Redis and an SMTP server."""

import time

import pytest

from governance import voting_notices
from governance.notifications.models import Delivery, DeliveryStatus, Notification
from governance.services import voting
from governance.services.voting import VotingError
from tests.notifications.conftest import broker, celery_env, smtp, start_worker, wait_for  # noqa: F401
from tests.notifications.test_worker import WORKER_SETTINGS
from tests.voting.conftest import present

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def short_delays(settings):
    for name, value in WORKER_SETTINGS.items():
        setattr(settings, name, value)


def nothing_left():
    return not Delivery.objects.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]).exists()


def test_the_result_of_a_poll_is_sent_once_to_each_member_of_the_meeting(
    broker,  # noqa: F811
    smtp,  # noqa: F811
    start_worker,  # noqa: F811
    assembly,
    seoul,
    almaty,
    paris,
    partner,
    make_poll,
    staff_user,
    city_user,
):
    users = {member.pk: city_user(member, f"focal@{member.slug}.example") for member in (seoul, almaty, paris, partner)}
    present(assembly, seoul, almaty, paris)
    poll = make_poll()
    voting.open_poll(poll.pk, staff_user.pk)
    for member in (seoul, almaty, paris):
        voting.cast_ballot(poll.pk, member.pk, users[member.pk].pk, ["yes"])
    start_worker(broker)

    voting.close_poll(poll.pk, staff_user.pk)
    with pytest.raises(VotingError):
        voting.close_poll(poll.pk, staff_user.pk)  # closing again records nothing
    poll.refresh_from_db()
    assert voting_notices.results(poll) is None  # the outbox's key: once per poll

    wait_for(nothing_left, timeout=30, message="the results to go out")
    time.sleep(1)  # anything sent twice would have arrived by now
    expected = sorted(user.email for user in users.values())  # the partner sits in the GA too
    assert sorted(smtp.recipients()) == expected
    assert Notification.objects.filter(kind="poll_results").count() == 1
    message = smtp.messages_to(f"focal@{seoul.slug}.example")[0]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Adopt the strategic plan" in body and "Carried" in body and "Yes: 3" in body
