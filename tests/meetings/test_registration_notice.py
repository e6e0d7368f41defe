"""A delegate's registration is confirmed through the outbox: to the
representative who registered and to the delegate if they are a contact,
with the meeting's calendar entry; a waiting delegate hears it is waiting,
and is confirmed again when a place is freed."""

from email import message_from_bytes, policy
from unittest import mock

import pytest
from icalendar import Calendar

from governance.notifications import services
from governance.notifications.emails import build_message
from governance.notifications.models import Notification
from governance.registration_notices import RegistrationNotice
from governance.services import meetings as meeting_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker():
    with mock.patch.object(services, "enqueue") as enqueue:
        yield enqueue


def message_to(notification, email):
    delivery = notification.deliveries.select_related("notification", "contact__organisation").get(email=email)
    message = build_message(delivery, notification.subject)
    return message_from_bytes(message.message().as_bytes(), policy=policy.default)


def test_a_registration_is_confirmed_with_the_meetings_calendar_entry(ga_meeting, paris, paris_user, make_contact):
    make_contact(paris, name="Anne Delegate", email="anne@paris.fr")
    meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "Anne Delegate", "anne@paris.fr", True)
    notification = Notification.objects.get(kind=RegistrationNotice.CONFIRMED)
    assert set(notification.deliveries.values_list("email", flat=True)) == {"paris@example.org", "anne@paris.fr"}
    message = message_to(notification, "paris@example.org")
    assert message["Subject"] == f"[WeGO] Registered: Anne Delegate, {ga_meeting}"
    body = message.get_body(("plain",)).get_content()
    assert "Anne Delegate is registered for the following meeting as the voting delegate of Paris." in body
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    (event,) = Calendar.from_ical(part.get_content()).walk("VEVENT")
    assert str(event["UID"]).startswith(str(ga_meeting.uid))


def test_a_waiting_delegate_is_told_and_confirmed_when_a_place_is_freed(
    ga_meeting, paris, paris_user, seoul, seoul_user
):
    ga_meeting.capacity = 1
    ga_meeting.save()
    first = meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "Anne", "anne@paris.fr")
    meeting_services.register_delegate(ga_meeting.pk, seoul.pk, seoul_user.pk, "Min", "min@seoul.go.kr")
    waiting = Notification.objects.get(kind=RegistrationNotice.WAITING)
    assert set(waiting.deliveries.values_list("email", flat=True)) == {"seoul@example.org"}
    assert not waiting.attachment
    assert "is on its waiting list" in message_to(waiting, "seoul@example.org").get_body(("plain",)).get_content()

    meeting_services.remove_registration(first.pk, paris_user.pk)
    moved = Notification.objects.filter(kind=RegistrationNotice.CONFIRMED).latest("pk")
    assert moved.payload["delegate"] == "Min"
    assert set(moved.deliveries.values_list("email", flat=True)) == {"seoul@example.org"}


def test_a_refused_registration_records_no_notice(ga_meeting, paris, paris_user):
    meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "A", "a@paris.fr", True)
    with pytest.raises(meeting_services.MeetingError):
        meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "B", "b@paris.fr", True)
    assert Notification.objects.filter(kind=RegistrationNotice.CONFIRMED).count() == 1
