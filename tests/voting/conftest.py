"""The cast of the voting tests: the meeting tests' members and logins
(Seoul on EXCOM as President City, Almaty as Executive Vice President City,
Paris a GA-only full member, a non-voting partner, a suspended city), a
convened General Assembly with an agenda item, and small helpers to open
and cast."""

import pytest

from governance.models import AgendaItem, Attendance, MeetingStatus, Poll, ProxyStatus
from governance.services import voting
from tests.meetings.conftest import (  # noqa: F401  (fixtures shared with the meeting tests)
    _media_and_cache,
    almaty,
    cast,
    excom_meeting,
    make_meeting,
    outsider,
    paris,
    paris_user,
    partner,
    partner_user,
    seoul,
    seoul_user,
    suspended_city,
    suspended_user,
    tiny_pdf,
)


def convene(meeting):
    meeting.status = MeetingStatus.CONVENED
    meeting.save()
    return meeting


@pytest.fixture
def assembly(ga, term):
    """A convened General Assembly with one agenda item."""
    meeting = convene(make_meeting(ga, term, title="General Assembly 2026"))
    AgendaItem.objects.create(meeting=meeting, title="Strategic plan", position=1)
    return meeting


@pytest.fixture
def item(assembly):
    return assembly.agenda_items.get()


@pytest.fixture
def make_poll(item):
    def make(meeting=None, agenda_item=None, **fields):
        agenda_item = agenda_item or (meeting.agenda_items.first() if meeting else item)
        fields.setdefault("title", "Adopt the strategic plan")
        return Poll.objects.create(meeting=agenda_item.meeting, agenda_item=agenda_item, **fields)

    return make


@pytest.fixture
def city_user(make_user, make_contact):
    """A login acting for ``organisation``."""

    def make(organisation, email=None):
        user = make_user(email)
        make_contact(organisation, user=user, email=user.email)
        return user

    return make


def present(meeting, *organisations):
    for organisation in organisations:
        Attendance.objects.get_or_create(meeting=meeting, organisation=organisation)


def accepted_proxy(meeting, grantor, holder, by_user, staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = SimpleUploadedFile("proxy.pdf", tiny_pdf("proxy"), content_type="application/pdf")
    proxy = voting.give_proxy(meeting.pk, grantor.pk, holder.pk, form, by_user.pk)
    voting.decide_proxy(proxy.pk, True, "", staff_user.pk)
    proxy.refresh_from_db()
    assert proxy.status == ProxyStatus.ACCEPTED
    return proxy
