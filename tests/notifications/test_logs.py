"""A failed delivery is one JSON log line, for the log collector."""

import io
import json
import logging
from unittest import mock

import pytest

from governance.notifications import services
from governance.notifications.models import NotificationKind
from governance.notifications.services import notify, send_batch
from wego_portal.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def test_a_refused_delivery_is_one_json_line(smtp_backend, make_recipients):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    try:
        (contact,) = make_recipients(1)
        smtp_backend.refuse[contact.email.lower()] = "550 5.1.1 No such user"
        notification = notify(
            NotificationKind.ANNOUNCEMENT, contact.organisation, [contact], payload={"title": "T", "text": "x"}
        )
        with mock.patch.object(services, "dispatch"):
            send_batch(list(notification.deliveries.values_list("pk", flat=True)))
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(text) for text in stream.getvalue().splitlines()]
    (failed,) = [line for line in lines if "failed" in line["message"]]
    delivery = notification.deliveries.get()
    assert failed["level"] == "WARNING" and failed["logger"] == "governance.notifications.sending"
    assert failed["message"].startswith(f"Delivery {delivery.pk} failed") and "550" in failed["message"]
