"""The embedded default (no CELERY_BROKER_URL): the same tasks run eagerly
in the process that commits, and mail goes to Django's backend."""

import pytest
from django.core import mail
from django.db import transaction

from governance.notifications.models import DeliveryStatus, NotificationKind
from governance.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_a_notice_is_sent_on_commit_in_process(eager, make_recipients, django_capture_on_commit_callbacks):
    contacts = make_recipients(3)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notification = notify(
                NotificationKind.ANNOUNCEMENT,
                contacts[0].organisation,
                contacts,
                payload={"title": "Welcome", "text": "Hello"},
            )
            assert mail.outbox == []  # not before commit

    assert sorted(m.to[0].split("<")[-1].rstrip(">") for m in mail.outbox) == sorted(c.email for c in contacts)
    assert set(notification.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    message = mail.outbox[0]
    assert message.subject == "[WeGO] Welcome"
    assert message.alternatives[0].mimetype == "text/html"
