"""notify(): the notice and its deliveries are written in the caller's
transaction, and handed to Celery only after it commits."""

import time
from unittest import mock

import pytest
from django.db import transaction

from governance.notifications import services
from governance.notifications.models import Delivery, DeliveryStatus, Notification, NotificationKind
from governance.notifications.services import notify

pytestmark = pytest.mark.django_db


def announce(subject, recipients, **options):
    return notify(
        NotificationKind.ANNOUNCEMENT, subject, recipients, payload={"title": "Hello", "text": "Body"}, **options
    )


def test_it_records_one_delivery_per_recipient(make_member, make_contact):
    city = make_member("Seoul")
    first = make_contact(city, email="Focal@Seoul.example", language="ko")
    second = make_contact(city, email="delegate@seoul.example")
    first.notice_role = "focal_point"

    notification = announce(city, [first, second])

    deliveries = {d.email: d for d in notification.deliveries.all()}
    assert set(deliveries) == {"focal@seoul.example", "delegate@seoul.example"}
    assert deliveries["focal@seoul.example"].language == "ko"
    assert deliveries["focal@seoul.example"].role == "focal_point"
    assert all(d.status == DeliveryStatus.QUEUED and d.attempts == 0 for d in deliveries.values())
    assert notification.subject == city and notification.subject_label == "Seoul"


def test_two_contacts_sharing_an_address_get_one_delivery(make_member, make_contact):
    one, other = make_member(), make_member()
    contacts = [make_contact(one, email="shared@example.org"), make_contact(other, email="SHARED@example.org")]

    notification = announce(one, contacts)

    assert notification.deliveries.count() == 1


def test_the_database_holds_one_delivery_per_notification_and_address(make_member, make_contact):
    from django.db import IntegrityError

    contact = make_contact(make_member())
    notification = announce(contact.organisation, [contact])
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(notification=notification, email=contact.email.lower())


def test_it_dispatches_only_after_commit(make_member, make_contact, django_capture_on_commit_callbacks):
    contact = make_contact(make_member())
    with mock.patch.object(services, "enqueue") as enqueue:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            notification = announce(contact.organisation, [contact])
            assert enqueue.call_count == 0
    assert len(callbacks) == 1
    enqueue.assert_called_once_with(services.dispatch_notification_task, notification.pk)


def test_a_rolled_back_change_records_nothing_and_dispatches_nothing(
    make_member, make_contact, django_capture_on_commit_callbacks
):
    contact = make_contact(make_member())
    with mock.patch.object(services, "enqueue") as enqueue:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                announce(contact.organisation, [contact])
                raise RuntimeError("the change failed")
    assert callbacks == []
    assert enqueue.call_count == 0
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_a_keyed_notice_is_recorded_once(make_member, make_contact):
    contact = make_contact(make_member())
    with transaction.atomic():
        first = announce(contact.organisation, [contact], key="reminder:1:7")
        second = announce(contact.organisation, [contact], key="reminder:1:7")
        # The caller's transaction is still usable after the duplicate.
        assert Notification.objects.count() == 1
    assert first is not None and second is None


def test_with_the_broker_down_the_enqueue_logs_and_returns(settings, make_member, make_contact, use_broker, caplog):
    from tests.notifications.conftest import free_port

    use_broker(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    contact = make_contact(make_member())
    notification = announce(contact.organisation, [contact])

    started = time.monotonic()
    assert services.enqueue(services.dispatch_notification_task, notification.pk) is False
    assert time.monotonic() - started < 5
    assert "stays queued for the sweep" in caplog.text
    assert notification.deliveries.get().status == DeliveryStatus.QUEUED
