"""The sweep (beat, every minute): it takes back deliveries claimed by a
worker that died and hands over again what was left queued, and leaves
alone what is on its way or waiting for a retry."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from governance.notifications import services
from governance.notifications.models import Delivery, DeliveryStatus, NotificationKind
from governance.notifications.services import notify, sweep

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def delays(settings):
    settings.NOTIFICATIONS_REDISPATCH_AFTER = 120
    settings.NOTIFICATIONS_CLAIM_TIMEOUT = 900


@pytest.fixture
def handed_over():
    """The ids the sweep hands to the broker."""
    with mock.patch.object(services, "enqueue", return_value=True) as enqueue:
        yield lambda: sorted(pk for call in enqueue.call_args_list for pk in call.args[1])


@pytest.fixture
def deliveries(make_recipients):
    contacts = make_recipients(6)
    notification = notify(NotificationKind.ANNOUNCEMENT, contacts[0].organisation, contacts, payload={"title": "x"})
    return list(notification.deliveries.order_by("pk"))


def set_row(delivery, **fields):
    Delivery.objects.filter(pk=delivery.pk).update(**fields)


def test_it_takes_back_a_claim_of_a_lost_worker_and_hands_it_over(deliveries, handed_over):
    lost, working, *_ = deliveries
    now = timezone.now()
    set_row(lost, status=DeliveryStatus.SENDING, claimed_at=now - 16 * MINUTE, attempts=1, dispatched_at=now)
    set_row(working, status=DeliveryStatus.SENDING, claimed_at=now - MINUTE, attempts=1, dispatched_at=now)
    for other in deliveries[2:]:
        set_row(other, dispatched_at=now)

    assert sweep(now) == (1, 1)

    lost.refresh_from_db()
    assert lost.status == DeliveryStatus.QUEUED and lost.claim is None and lost.attempts == 1
    assert "lost" in lost.last_error
    assert Delivery.objects.get(pk=working.pk).status == DeliveryStatus.SENDING
    assert handed_over() == [lost.pk]


def test_it_hands_over_deliveries_never_handed_over_or_handed_over_long_ago(deliveries, handed_over):
    never, long_ago, just_now, backing_off, sent, failed = deliveries
    now = timezone.now()
    set_row(never, created_at=now - 3 * MINUTE)  # the broker was down at commit
    set_row(long_ago, dispatched_at=now - 5 * MINUTE)  # the task was lost
    set_row(just_now, dispatched_at=now - 30 * datetime.timedelta(seconds=1))
    set_row(backing_off, next_attempt_at=now + 5 * MINUTE, dispatched_at=now - 10 * MINUTE)
    set_row(sent, status=DeliveryStatus.SENT, dispatched_at=now - 10 * MINUTE)
    set_row(failed, status=DeliveryStatus.FAILED, dispatched_at=now - 10 * MINUTE)

    assert sweep(now) == (0, 2)
    assert handed_over() == sorted([never.pk, long_ago.pk])
    assert Delivery.objects.get(pk=never.pk).dispatched_at >= now


def test_it_does_nothing_when_all_is_well(deliveries, handed_over):
    Delivery.objects.update(dispatched_at=timezone.now())
    assert sweep() == (0, 0)
    assert handed_over() == []


def test_with_the_broker_still_down_it_leaves_everything_queued(deliveries, make_recipients):
    Delivery.objects.update(created_at=timezone.now() - 10 * MINUTE)
    with mock.patch.object(services, "enqueue", return_value=False):
        sweep()
    # Nothing marked as handed over: the next sweep tries again.
    assert set(Delivery.objects.values_list("status", "dispatched_at")) == {(DeliveryStatus.QUEUED, None)}
