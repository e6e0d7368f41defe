"""The public governance and meeting pages are cached for anonymous visitors
(members/caching.py) and forgotten as soon as an office, a term or a meeting
is saved: through the admin, a service's bulk update or the loader; so is
the directory map's Executive Committee filter."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from governance.models import Meeting
from governance.services import meetings as meeting_services
from governance.services.offices import end_term
from tests.admin_forms import change_page_data
from tests.governance.test_admin import _office_form
from tests.meetings.conftest import make_meeting
from tests.meetings.test_admin import meeting_add_data

pytestmark = pytest.mark.django_db

GOVERNANCE = reverse("governance:index")
GOVERNANCE_EXPORT = reverse("governance:export_json")
MEETINGS = reverse("meetings:list")
# The directory map's points with the Executive Committee's filter.
EXCOM_MAP = reverse("members:map_points") + "?excom=1"


@pytest.fixture
def visitor():
    return Client()


def text(response):
    return response.content.decode()


def served_from_cache(response):
    return response.context is None


def test_the_governance_page_is_served_from_the_cache_the_second_time(visitor, term):
    assert not served_from_cache(visitor.get(GOVERNANCE))
    assert served_from_cache(visitor.get(GOVERNANCE))


def test_an_office_added_in_the_admin_is_on_the_public_pages_at_once(visitor, staff_client, posts, term, make_member):
    kampala = make_member("Kampala", country="UG")
    assert "Kampala" not in text(visitor.get(GOVERNANCE))
    assert json.loads(text(visitor.get(GOVERNANCE_EXPORT)))["memberships"] == []
    assert "Vice President City" not in text(visitor.get(kampala.get_absolute_url()))
    assert json.loads(text(visitor.get(EXCOM_MAP)))["points"] == []
    for url in (GOVERNANCE, GOVERNANCE_EXPORT, kampala.get_absolute_url(), EXCOM_MAP):
        assert served_from_cache(visitor.get(url))
    response = staff_client.post(reverse("admin:governance_office_add"), _office_form(kampala, posts["vp"], term))
    assert response.status_code == 302
    assert "Kampala" in text(visitor.get(GOVERNANCE))
    assert {m["member_name"] for m in json.loads(text(visitor.get(GOVERNANCE_EXPORT)))["memberships"]} == {"Kampala"}
    assert "Vice President City" in text(visitor.get(kampala.get_absolute_url()))
    assert [point[0] for point in json.loads(text(visitor.get(EXCOM_MAP)))["points"]] == ["Kampala"]


def test_an_office_ended_in_the_admin_leaves_the_current_officers_at_once(
    visitor, staff_client, posts, term, make_member, appoint, today
):
    office = appoint(make_member("Kampala", country="UG"), posts["vp"])
    directory_excom = reverse("members:directory") + "?excom=1"
    assert "Kampala" in text(visitor.get(directory_excom))
    assert "Kampala" in text(visitor.get(EXCOM_MAP))
    url = reverse("admin:governance_office_change", args=[office.pk])
    data = change_page_data(staff_client.get(url))
    data.update(end_date=(today - datetime.timedelta(days=1)).isoformat(), end_reason="resigned", end_note="Letter.")
    assert staff_client.post(url, data).status_code == 302
    assert "Kampala" not in text(visitor.get(directory_excom))
    assert "Kampala" not in text(visitor.get(EXCOM_MAP))
    assert json.loads(text(visitor.get(GOVERNANCE_EXPORT)))["memberships"] == []


def test_a_term_ended_by_the_service_bulk_update_is_seen_at_once(visitor, posts, term, make_member, appoint, today):
    appoint(make_member("Kampala", country="UG"), posts["vp"])
    assert len(json.loads(text(visitor.get(GOVERNANCE_EXPORT)))["memberships"]) == 1
    end_term(term.pk, today - datetime.timedelta(days=1))
    assert json.loads(text(visitor.get(GOVERNANCE_EXPORT)))["memberships"] == []


def test_the_governance_loaded_by_the_loader_is_public_at_once(visitor):
    assert "Seoul" not in text(visitor.get(GOVERNANCE))
    call_command("load_wego_data", stdout=io.StringIO())
    assert "Seoul" in text(visitor.get(GOVERNANCE))


def test_a_meeting_added_in_the_admin_is_on_the_calendar_at_once(visitor, staff_client, ga, term):
    assert "Hôtel de Ville" not in text(visitor.get(MEETINGS))
    day = term.start_date + datetime.timedelta(days=500)
    response = staff_client.post(reverse("admin:governance_meeting_add"), meeting_add_data(ga, term, day))
    assert response.status_code == 302
    assert "Hôtel de Ville" in text(visitor.get(MEETINGS))


def test_a_meeting_moved_or_cancelled_is_seen_at_once(visitor, ga, term, staff_user):
    meeting = make_meeting(ga, term, title="GA 2027", venue="City Hall, Seoul")
    assert "City Hall, Seoul" in text(visitor.get(MEETINGS))
    meeting_services.change_meeting(meeting.pk, staff_user.pk, venue="Expo Centre, Almaty")
    assert "Expo Centre, Almaty" in text(visitor.get(MEETINGS))
    meeting_services.cancel_meeting(meeting.pk, staff_user.pk, reason="Postponed")
    assert "meeting-cancelled" in text(visitor.get(MEETINGS))
    Meeting.objects.filter(pk=meeting.pk).delete()
    assert "Expo Centre" not in text(visitor.get(MEETINGS))


def test_a_logged_in_member_sees_the_meetings_they_may_open_not_the_anonymous_page(
    visitor, client, ga, term, make_member, make_user, make_contact
):
    meeting = make_meeting(ga, term, title="GA 2027")
    assert meeting.get_absolute_url() not in text(visitor.get(MEETINGS))
    user = make_user()
    make_contact(make_member("Paris"), user=user)
    client.force_login(user)
    assert meeting.get_absolute_url() in text(client.get(MEETINGS))
    assert meeting.get_absolute_url() not in text(visitor.get(MEETINGS))


def test_the_meetings_page_answers_304_while_nothing_changed(visitor, ga, term):
    make_meeting(ga, term, title="GA 2027")
    etag = visitor.get(MEETINGS)["ETag"]
    assert visitor.get(MEETINGS, headers={"If-None-Match": etag}).status_code == 304
