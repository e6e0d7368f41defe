"""seed_demo: the demo logins and meetings, only with DEBUG on, idempotent."""

import pytest
from django.core.management import CommandError, call_command

from governance.models import Document, Meeting
from members.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


def test_seed_demo_adds_the_logins_and_meetings_once(settings, ga, excom, term, seoul, paris, industry_category):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    emails = set(User.objects.values_list("email", flat=True))
    assert {"secretariat@example.org", "seoul@example.org", "paris@example.org", "partner@example.org"} <= emails
    staff = User.objects.get(email="secretariat@example.org")
    assert staff.is_staff and staff.groups.filter(name="Secretariat").exists()
    assert staff.has_perm("governance.change_meeting")
    assert User.objects.get(email="paris@example.org").check_password("wego-demo-2026")
    assert Meeting.objects.count() == 2
    assert Document.objects.count() == 8
    assert Document.objects.first().file.open("rb").read(5) == b"%PDF-"
