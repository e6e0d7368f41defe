"""A member's profile lists the meetings it hosts and hosted: public facts only."""

import datetime

import pytest

from .conftest import make_meeting

pytestmark = pytest.mark.django_db


def hosted_section(client, organisation):
    html = client.get(organisation.get_absolute_url()).content.decode()
    if 'class="profile-meetings"' not in html:
        return ""
    return html.split('class="profile-meetings"')[1].split("</section>")[0]


def test_a_profile_lists_upcoming_and_past_meetings_the_member_hosts(client, seoul, almaty, ga, term):
    make_meeting(ga, term, days_ahead=40, host=seoul, venue="Seoul City Hall")
    make_meeting(ga, term, days_ahead=-200, host=seoul, venue="Sejong Center")
    make_meeting(ga, term, days_ahead=-100, host=almaty, venue="Almaty Akimat")
    section = hosted_section(client, seoul)
    upcoming, past = section.split("<h3>Past</h3>")
    assert "<h3>Upcoming</h3>" in upcoming and "Seoul City Hall" in upcoming and "General Assembly" in upcoming
    assert "Sejong Center" in past
    assert "Almaty Akimat" not in section


def test_a_profile_shows_only_the_public_facts_of_a_hosted_meeting(client, seoul, ga, term):
    make_meeting(
        ga,
        term,
        host=seoul,
        venue="Seoul City Hall",
        title="Secret-ish title",
        description="Briefing notes for the delegates only",
        status_note="Postponed for the mayor's agenda",
    )
    html = client.get(seoul.get_absolute_url()).content.decode()
    assert "Seoul City Hall" in hosted_section(client, seoul)
    assert "Briefing notes" not in html and "mayor's agenda" not in html


def test_a_profile_without_hosted_meetings_has_no_such_section(client, paris, ga, term):
    assert hosted_section(client, paris) == ""


def test_the_profile_shows_the_year_the_member_joined(client, seoul):
    membership = seoul.membership
    membership.joined_on = datetime.date(2012, 5, 1)
    membership.save()
    html = client.get(seoul.get_absolute_url()).content.decode()
    assert "<dt>Member since</dt><dd>2012</dd>" in html
