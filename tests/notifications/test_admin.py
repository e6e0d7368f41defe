"""The secretariat's view of the outbox: lists with their query budgets,
filters, the failed deliveries with their errors, and the retry action."""

from unittest import mock

import pytest
from django.urls import reverse

from governance.notifications import services
from governance.notifications.models import Delivery, DeliveryStatus, Notification, NotificationKind
from governance.notifications.services import notify

pytestmark = pytest.mark.django_db

NOTIFICATIONS = reverse("admin:notifications_notification_changelist")
DELIVERIES = reverse("admin:notifications_delivery_changelist")


@pytest.fixture(autouse=True)
def no_broker():
    with mock.patch.object(services, "enqueue") as enqueue:
        yield enqueue


@pytest.fixture
def outbox(make_recipients):
    """Notifications with deliveries in every state."""

    def make(notifications=3, recipients=4):
        contacts = make_recipients(recipients)
        made = []
        for number in range(notifications):
            notification = notify(
                NotificationKind.ANNOUNCEMENT, contacts[0].organisation, contacts, payload={"title": f"N{number}"}
            )
            first, second, *rest = notification.deliveries.order_by("pk")
            Delivery.objects.filter(pk=first.pk).update(status=DeliveryStatus.SENT, attempts=1)
            Delivery.objects.filter(pk=second.pk).update(
                status=DeliveryStatus.FAILED, attempts=1, last_error="550 5.1.1 No such user"
            )
            made.append(notification)
        return made

    return make


def test_the_notification_list_shows_counts_per_status(staff_client, outbox):
    outbox(notifications=1, recipients=4)

    page = staff_client.get(NOTIFICATIONS)

    assert page.status_code == 200
    row = page.context["cl"].result_list[0]
    assert (row.sent_count, row.queued_count, row.failed_count) == (1, 2, 1)


@pytest.mark.parametrize("url", [NOTIFICATIONS, DELIVERIES])
def test_the_lists_keep_to_a_query_budget_whatever_their_length(
    staff_client, outbox, url, django_assert_max_num_queries
):
    outbox(notifications=2, recipients=3)
    with django_assert_max_num_queries(10) as small:
        assert staff_client.get(url).status_code == 200
    outbox(notifications=20, recipients=10)
    with django_assert_max_num_queries(10) as large:
        assert staff_client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_notification_page_keeps_to_a_query_budget(staff_client, outbox, django_assert_max_num_queries):
    (notification,) = outbox(notifications=1, recipients=30)
    url = reverse("admin:notifications_notification_change", args=[notification.pk])
    with django_assert_max_num_queries(14):
        page = staff_client.get(url)
    assert page.status_code == 200
    assert "550 5.1.1 No such user" in page.text  # the failed delivery, inline


def test_deliveries_filter_by_status_and_notification(staff_client, outbox):
    first, second = outbox(notifications=2, recipients=3)

    page = staff_client.get(DELIVERIES, {"status__exact": "failed", "notification__id__exact": first.pk})

    shown = list(page.context["cl"].result_list)
    assert [d.notification_id for d in shown] == [first.pk]
    assert shown[0].status == DeliveryStatus.FAILED
    assert "550 5.1.1 No such user" in page.text


def test_notifications_filter_to_those_with_failures(staff_client, outbox, make_recipients):
    outbox(notifications=1)
    contacts = make_recipients(2)
    clean = notify(NotificationKind.ANNOUNCEMENT, contacts[0].organisation, contacts, payload={"title": "ok"})
    clean.deliveries.update(status=DeliveryStatus.SENT)

    page = staff_client.get(NOTIFICATIONS, {"deliveries": "failed"})

    assert clean not in list(page.context["cl"].result_list)
    assert len(page.context["cl"].result_list) == 1


def test_the_retry_action_queues_failed_deliveries_again(
    staff_client, outbox, no_broker, django_capture_on_commit_callbacks
):
    (notification,) = outbox(notifications=1, recipients=3)
    failed = notification.deliveries.get(status=DeliveryStatus.FAILED)
    sent = notification.deliveries.get(status=DeliveryStatus.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        page = staff_client.post(
            DELIVERIES, {"action": "retry_failed", "_selected_action": [failed.pk, sent.pk]}, follow=True
        )

    assert "1 failed delivery queued again." in page.text
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.QUEUED and failed.attempts == 0
    assert Delivery.objects.get(pk=sent.pk).status == DeliveryStatus.SENT
    no_broker.assert_called_once()
    assert no_broker.call_args.args[:2] == (services.send_deliveries_task, [failed.pk])


def test_the_retry_action_on_notifications_retries_all_their_failures(staff_client, outbox):
    first, second = outbox(notifications=2)

    staff_client.post(NOTIFICATIONS, {"action": "retry_failed", "_selected_action": [first.pk]})

    assert not first.deliveries.filter(status=DeliveryStatus.FAILED).exists()
    assert second.deliveries.filter(status=DeliveryStatus.FAILED).count() == 1


def test_records_cannot_be_added_edited_or_deleted(staff_client, outbox):
    (notification,) = outbox(notifications=1)
    delivery = notification.deliveries.first()
    assert staff_client.get(reverse("admin:notifications_notification_add")).status_code == 403
    assert staff_client.get(reverse("admin:notifications_delivery_delete", args=[delivery.pk])).status_code == 403
    staff_client.post(reverse("admin:notifications_delivery_change", args=[delivery.pk]), {"status": "sent"})
    assert Delivery.objects.get(pk=delivery.pk).status == delivery.status


def test_outsiders_cannot_see_the_outbox(client, make_user, outbox):
    outbox(notifications=1)
    client.force_login(make_user())
    assert client.get(NOTIFICATIONS).status_code == 302  # to the admin login
    assert Notification.objects.count() == 1
