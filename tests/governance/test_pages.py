"""The public governance page, member profiles' offices, the directory's
Executive Committee filter and the governance open-data export."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import EndReason
from members.models import Standing

pytestmark = pytest.mark.django_db

URL = reverse("governance:index")
EXPORT = reverse("governance:export_json")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def cities(make_member):
    return {
        name: make_member(name, country=country)
        for name, country in [
            ("Seoul", "KR"),
            ("Almaty", "KZ"),
            ("Kampala", "UG"),
            ("Abuja", "NG"),
            ("Harare", "ZW"),
            ("Paris", "FR"),
            ("Nairobi", "KE"),
        ]
    }


@pytest.fixture
def record(posts, term, past_term, cities, appoint, ga):
    """A current term with officers, a seat, an office ended early; a past term."""
    return {
        "president": appoint(cities["Seoul"], posts["president"], how_chosen="elected_by_ga"),
        "evp": appoint(cities["Almaty"], posts["evp"], how_chosen="host_next_ga"),
        "vp": appoint(cities["Kampala"], posts["vp"], how_chosen="nominated_appointed"),
        "seat": appoint(cities["Abuja"], posts["member"]),
        "ended": appoint(
            cities["Harare"], posts["member"], end_date=term.start_date + 30 * DAY, end_reason=EndReason.RESIGNED
        ),
        "past_president": appoint(cities["Paris"], posts["president"], term=past_term, how_chosen="elected_by_ga"),
    }


def _html(client, url=URL, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _section(html, heading):
    """The page from a heading to the next h2."""
    start = html.index(heading)
    end = html.find("<h2", start)
    return html[start : end if end != -1 else None]


def test_the_governance_page_says_how_wego_is_governed(client, record):
    html = _html(client)
    assert "<h1>How WeGO is governed</h1>" in html
    assert "General Assembly (GA)" in html and "Executive Committee (EXCOM)" in html
    assert "every 36 months" in html and "up to 21 member cities" in html
    for slug in ["president-city", "executive-vice-president-city", "vice-president-city", "excom-member-city"]:
        assert f'<dt id="{slug}">' in html


def test_the_governance_page_shows_each_officer_role_and_how_it_is_chosen(client, db):
    from django.core.management import call_command

    call_command("load_wego_data", stdout=io.StringIO())
    html = _html(client)
    assert "Elected by the General Assembly. Its mayor serves as President" in html
    assert "Hosts the next regular General Assembly" in html
    assert "Nominated by the Executive Committee and appointed by the President City" in html


def test_the_governance_page_shows_the_current_officers_linked_to_their_profiles(client, record):
    html = _html(client)
    officers = html[html.index('id="officers-title"') : html.index('id="excom-title"')]
    assert '<th scope="row" data-label="Post">President City</th>' in officers
    assert f'<a href="{record["president"].organisation.get_absolute_url()}">Seoul</a>' in officers
    assert "Almaty" in officers and "Kampala" in officers
    assert "Elected by the General Assembly" in officers
    assert "Paris" not in officers  # president of the past term
    assert "Abuja" not in officers  # a seat, not an office


def test_the_governance_page_lists_the_executive_committee_officers_included(client, record):
    html = _html(client)
    committee = html[html.index('id="excom-title"') : html.index('id="ended-title"')]
    for name in ["Seoul", "Almaty", "Kampala", "Abuja"]:
        assert name in committee
    assert "Harare" not in committee and "Nairobi" not in committee
    assert "4 of 21 seats held, officers included." in committee
    assert "?excom=1" in committee


def test_an_office_ended_early_is_shown_apart_with_its_reason(client, record):
    ended = _section(_html(client), 'id="ended-title"')
    assert "Harare" in ended and "Resigned" in ended


def test_past_terms_remain_visible_with_their_offices(client, record, past_term):
    past = _section(_html(client), 'id="past-title"')
    assert past_term.name in past
    assert "Paris" in past and "President City" in past


def test_a_holder_that_is_no_longer_a_member_is_named_without_a_link(client, record, cities):
    membership = cities["Paris"].membership
    membership.standing, membership.standing_reason = Standing.WITHDRAWN, "Left WeGO."
    membership.save()
    past = _section(_html(client), 'id="past-title"')
    assert "Paris" in past
    assert cities["Paris"].get_absolute_url() not in past


def test_the_governance_page_says_so_when_nothing_is_recorded(client, db):
    html = _html(client)
    assert "No term is under way today." in html
    assert "No past term is recorded yet." in html


def test_the_governance_page_query_count_does_not_grow_with_the_offices(
    client, record, posts, term, make_member, appoint
):
    def count():
        with CaptureQueriesContext(connection) as captured:
            _html(client)
        return len(captured)

    small = count()
    for number in range(15):
        appoint(make_member(f"Seat City {number}"), posts["member"])
    assert count() == small


# --- Member profiles ------------------------------------------------------------


def test_a_members_profile_shows_the_offices_it_holds_and_held(client, record, posts, term, past_term, appoint):
    seoul = record["president"].organisation
    appoint(seoul, posts["member"], term=past_term)
    html = _html(client, seoul.get_absolute_url())
    offices = html[html.index('id="offices-title"') :]
    assert "Offices in WeGO" in offices
    assert "President City" in offices and "Holds now" in offices
    assert "EXCOM member city" in offices and past_term.name in offices


def test_a_profile_without_offices_has_no_offices_section(client, record, cities):
    assert "offices-title" not in _html(client, cities["Nairobi"].get_absolute_url())


def test_a_profiles_offices_cost_one_query_however_many(client, record, cities, posts, past_term, appoint):
    def count(organisation):
        with CaptureQueriesContext(connection) as captured:
            _html(client, organisation.get_absolute_url())
        return len(captured)

    none = count(cities["Nairobi"])
    appoint(cities["Seoul"], posts["member"], term=past_term)
    assert count(cities["Seoul"]) == none


# --- The directory's Executive Committee filter -------------------------------------


def test_the_directory_lists_only_the_current_executive_committee_with_excom_1(client, record):
    response = client.get(reverse("members:directory"), {"excom": "1"})
    assert {o.name for o in response.context["page"].object_list} == {"Seoul", "Almaty", "Kampala", "Abuja"}


def test_the_excom_filter_combines_with_the_others(client, record):
    response = client.get(reverse("members:directory"), {"excom": "1", "q": "seoul"})
    assert [o.name for o in response.context["page"].object_list] == ["Seoul"]


def test_without_the_filter_the_directory_lists_every_member(client, record):
    response = client.get(reverse("members:directory"), {"excom": "0"})
    assert response.context["page"].paginator.count == 7


def test_the_excom_filter_applies_to_the_csv_export(client, record):
    response = client.get(reverse("members:export_csv"), {"excom": "1"})
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert {row["name"] for row in rows} == {"Seoul", "Almaty", "Kampala", "Abuja"}


def test_the_excom_filter_applies_to_the_json_export(client, record):
    response = client.get(reverse("members:export_json"), {"excom": "1"})
    organizations = json.loads(response.getvalue())["organizations"]
    assert {o["name"] for o in organizations} == {"Seoul", "Almaty", "Kampala", "Abuja"}


# --- The governance export --------------------------------------------------------


def test_the_governance_export_is_popolo_organizations_posts_and_memberships(client, record, term):
    data = client.get(EXPORT).json()
    assert set(data) == {"organizations", "posts", "memberships"}
    assert {o["id"] for o in data["organizations"]} == {"general-assembly", "executive-committee"}
    assert {p["id"]: p["organization_id"] for p in data["posts"]}["president-city"] == "executive-committee"
    president = next(m for m in data["memberships"] if m["post_id"] == "president-city")
    assert president | {"member_url": None} == {
        "id": f"office-{record['president'].pk}",
        "post_id": "president-city",
        "label": "President City",
        "role": "president",
        "member": {"@type": "Organization", "id": "seoul", "name": "Seoul"},
        "member_id": "seoul",
        "member_name": "Seoul",
        "member_url": None,
        "organization_id": "executive-committee",
        "term": term.name,
        "start_date": term.start_date.isoformat(),
        "end_date": term.end_date.isoformat(),
        "how_chosen": "elected_by_ga",
        "end_reason": None,
    }
    assert president["member_url"].endswith("/members/seoul/")


def test_the_governance_export_lists_current_offices_by_default(client, record):
    members = {m["member_name"] for m in client.get(EXPORT).json()["memberships"]}
    assert members == {"Seoul", "Almaty", "Kampala", "Abuja"}


def test_the_governance_export_lists_the_whole_history_with_all_1(client, record, term):
    memberships = client.get(EXPORT, {"all": "1"}).json()["memberships"]
    assert {m["member_name"] for m in memberships} == {"Seoul", "Almaty", "Kampala", "Abuja", "Harare", "Paris"}
    harare = next(m for m in memberships if m["member_name"] == "Harare")
    assert (harare["end_date"], harare["end_reason"]) == ((term.start_date + 30 * DAY).isoformat(), "resigned")


def test_the_governance_export_keeps_sao_paulo_readable_and_is_open_data(client, posts, term, make_member, appoint):
    appoint(make_member("São Paulo", country="BR"), posts["vp"])
    response = client.get(EXPORT)
    assert "São Paulo" in response.content.decode()
    assert response["Access-Control-Allow-Origin"] == "*"
