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


def test_the_demo_meetings_look_like_real_ones(settings, ga, excom, term, seoul, paris, almaty, industry_category):
    settings.DEBUG = True
    call_command("seed_demo")
    assembly = Meeting.objects.get(slug="demo-general-assembly")
    # In working hours at the venue, over two days, at an address in the
    # host city, which is the Executive Vice President City.
    assert (assembly.local_start.hour, assembly.local_start.minute) == (9, 30)
    assert (assembly.local_end - assembly.local_start).days == 1 and assembly.local_end.hour == 13
    assert assembly.venue == "Almaty City Akimat" and "Republic Square" in assembly.address
    assert assembly.latitude is not None and assembly.attendance_mode == "hybrid" and assembly.online_url
    assert "**President City**" in assembly.description
    assert assembly.host == almaty
    titles = list(assembly.agenda_items.values_list("title", flat=True))
    assert len(titles) >= 8 and titles[0].startswith("Opening") and titles[-1] == "Closing"
    assert any("Elections" in title for title in titles)
    committee = Meeting.objects.get(slug="demo-executive-committee")
    assert 9 <= committee.local_start.hour and committee.local_end.hour <= 18
    assert "Sejong-daero" in committee.address
    for meeting in (assembly, committee):
        assert term.start_date <= meeting.local_start.date() and meeting.local_end.date() <= term.end_date


def test_seed_demo_adds_invoices_paid_unpaid_and_overdue_once(
    settings, ga, excom, term, seoul, paris, industry_category
):
    from governance.models import FeeSchedule, Invoice, InvoiceState, vote_of
    from members.models import Organisation

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert FeeSchedule.objects.count() == 2
    states = dict(Invoice.objects.values_list("organisation__name", "state"))
    assert states == {
        "Seoul": InvoiceState.PAID,
        "Paris": InvoiceState.ISSUED,
        "Demo Smart Solutions": InvoiceState.PARTLY_PAID,
        "Berlin": InvoiceState.ISSUED,
    }
    berlin = Organisation.objects.get(name="Berlin")
    assert not vote_of(berlin) and "in arrears" in vote_of(berlin).reason
    assert vote_of(Organisation.objects.get(name="Paris"))
    assert Invoice.objects.get(organisation__name="Seoul").amount == 4000  # its population's band
