"""A membership application's notices, sent by a real Celery worker through
a real SMTP server: the applicant's acknowledgement (with the private link
that opens their application, and only theirs) and the secretariat's notice,
each exactly once; the decision with the reason."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction

from governance.management.commands.seed_demo import make_pdf
from governance.models import Application
from governance.notifications.models import DeliveryStatus, Notification
from governance.services import applications as services
from tests.notifications.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _all_sent():
    deliveries = [d for n in Notification.objects.all() for d in n.deliveries.all()]
    return deliveries and all(d.status == DeliveryStatus.SENT for d in deliveries)


def test_the_applicant_and_the_secretariat_each_get_their_notice_once(
    broker, smtp, start_worker, full_category, make_user, staff_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    desk = make_user("desk@we-gov.example")
    desk.groups.add(Group.objects.get_or_create(name="Secretariat")[0])
    start_worker(broker)

    with transaction.atomic():
        application = services.submit(
            Application(
                name="Lyon",
                country="FR",
                kind="local_government",
                category=full_category,
                political_name="Mayor of Lyon",
                political_email="mayor@lyon.example",
                liaison_name="Anne Liaison",
                liaison_email="anne@lyon.example",
                consent=True,
                letter=ContentFile(make_pdf("Letter"), name="letter.pdf"),
            )
        )
    wait_for(_all_sent, timeout=30, message="the application's notices to be sent")
    assert sorted(smtp.recipients()) == ["anne@lyon.example", "desk@we-gov.example", "mayor@lyon.example"]
    acknowledgement = smtp.messages_to("anne@lyon.example")[0]
    text = acknowledgement.get_body(("plain",)).get_content()
    assert application.reference in acknowledgement["Subject"]
    token = re.search(r"/members/apply/([^/\s]+)/", text).group(1)
    assert Application.objects.from_private_link(token) == application
    notice = smtp.messages_to("desk@we-gov.example")[0]
    assert "Lyon" in notice["Subject"] and f"/admin/governance/application/{application.pk}/" in (
        notice.get_body(("plain",)).get_content()
    )

    services.reject(application.pk, staff_user.pk, "WeGO is full this year.")
    wait_for(_all_sent, timeout=30, message="the decision to be sent")
    decisions = [m for m in smtp.messages_to("anne@lyon.example") if "declined" in m["Subject"]]
    assert len(decisions) == 1
    assert "WeGO is full this year." in decisions[0].get_body(("plain",)).get_content()
    assert sorted(smtp.recipients()).count("anne@lyon.example") == 2
