"""The secretariat's governance admin: opening a term and filling its
offices, appointing and ending offices with the rules shown on the form,
members' offices on their page, and changelists whose cost does not grow."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Body, EndReason, Office, Post, PostRole, Term
from members.models import Membership, Organisation, Standing
from tests.admin_forms import add_inline_row, change_page_data

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _office_rows(*rows, initial=0, total=None):
    """POST data for the offices inline of a term's page."""
    data = {
        "offices-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "offices-INITIAL_FORMS": str(initial),
        "offices-MIN_NUM_FORMS": "0",
        "offices-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for field, value in row.items():
            data[f"offices-{index}-{field}"] = "" if value is None else str(value)
    return data


def _row(organisation, post, start_date, **fields):
    return {"organisation": organisation.pk, "post": post.pk, "start_date": start_date, **fields}


def _errors(response):
    """The error messages an admin form shows, from its forms and inline forms."""
    messages = list(response.context["adminform"].form.non_field_errors())
    for errors in response.context["adminform"].form.errors.values():
        messages += errors
    for inline in response.context["inline_admin_formsets"]:
        for errors in inline.formset.errors:
            for field_errors in errors.values():
                messages += field_errors
        messages += inline.formset.non_form_errors()
    return " ".join(messages)


# --- Opening a term and filling its offices ---------------------------------------


def test_the_term_add_page_opens_with_an_offices_inline(staff_client, posts):
    response = staff_client.get(reverse("admin:governance_term_add"))
    assert response.status_code == 200
    assert "offices-TOTAL_FORMS" in response.content.decode()


def test_the_secretariat_opens_a_new_term_and_fills_its_offices_on_one_page(staff_client, posts, make_member):
    seoul, almaty, abuja = make_member("Seoul"), make_member("Almaty"), make_member("Abuja")
    start = datetime.date(2028, 1, 1)
    data = {
        "name": "2028–2030",
        "start_date": "2028-01-01",
        "end_date": "2030-12-31",
        **_office_rows(
            _row(seoul, posts["president"], start, how_chosen="elected_by_ga"),
            _row(almaty, posts["evp"], start, how_chosen="host_next_ga"),
            _row(abuja, posts["member"], start),
        ),
    }
    response = staff_client.post(reverse("admin:governance_term_add"), data)
    assert response.status_code == 302, _errors(response)
    term = Term.objects.get(name="2028–2030")
    assert set(term.offices.values_list("organisation__name", flat=True)) == {"Seoul", "Almaty", "Abuja"}


def test_two_president_cities_in_one_new_term_are_refused_on_the_form_and_nothing_is_saved(
    staff_client, posts, make_member
):
    start = datetime.date(2028, 1, 1)
    data = {
        "name": "2028–2030",
        "start_date": "2028-01-01",
        "end_date": "2030-12-31",
        **_office_rows(
            _row(make_member("Seoul"), posts["president"], start),
            _row(make_member("Almaty"), posts["president"], start),
        ),
    }
    response = staff_client.post(reverse("admin:governance_term_add"), data)
    assert response.status_code == 200
    assert "“President City” may have at most 1 holder at a time" in _errors(response)
    assert "may have at most 1 holder at a time" in response.content.decode()
    assert not Term.objects.filter(name="2028–2030").exists() and not Office.objects.exists()


def test_an_office_starting_before_its_new_term_is_refused_on_the_form(staff_client, posts, make_member):
    data = {
        "name": "2028–2030",
        "start_date": "2028-01-01",
        "end_date": "2030-12-31",
        **_office_rows(
            _row(make_member("Seoul"), posts["president"], datetime.date(2027, 12, 1)),
        ),
    }
    response = staff_client.post(reverse("admin:governance_term_add"), data)
    assert response.status_code == 200
    assert "The office must start within its term" in _errors(response)
    assert not Term.objects.filter(name="2028–2030").exists()


def test_a_new_term_without_an_end_date_is_reported_on_the_form_with_its_offices(staff_client, posts, make_member):
    data = {
        "name": "2028–2030",
        "start_date": "2028-01-01",
        "end_date": "",
        **_office_rows(
            _row(make_member("Seoul"), posts["president"], datetime.date(2028, 1, 1)),
            _row(make_member("Almaty"), posts["president"], datetime.date(2028, 1, 1)),
        ),
    }
    response = staff_client.post(reverse("admin:governance_term_add"), data)
    assert response.status_code == 200
    assert "This field is required." in _errors(response)
    assert not Term.objects.exists()


def test_on_a_terms_page_one_row_can_end_an_office_and_another_appoint_the_successor(
    staff_client, posts, term, make_member, appoint
):
    office = appoint(make_member("Seoul"), posts["president"])
    almaty = make_member("Almaty")
    handover = term.start_date + 100 * DAY
    data = {
        "name": term.name,
        "start_date": term.start_date,
        "end_date": term.end_date,
        **_office_rows(
            {
                "id": office.pk,
                "term": term.pk,
                **_row(
                    office.organisation,
                    posts["president"],
                    term.start_date,
                    end_date=handover,
                    end_reason=EndReason.RESIGNED,
                ),
            },
            _row(almaty, posts["president"], handover + DAY),
            initial=1,
        ),
    }
    response = staff_client.post(reverse("admin:governance_term_change", args=[term.pk]), data)
    assert response.status_code == 302, _errors(response)
    assert list(Office.objects.filter(post=posts["president"]).values_list("organisation__name", "end_date")) == [
        ("Seoul", handover),
        ("Almaty", None),
    ]


# --- Offices one by one -------------------------------------------------------------


def _office_form(organisation, post, term, **fields):
    return {
        "term": term.pk,
        "post": post.pk,
        "organisation": organisation.pk,
        "start_date": term.start_date,
        "how_chosen": "",
        "chosen_note": "",
        "end_date": "",
        "end_reason": "",
        "end_note": "",
        **fields,
    }


def test_a_second_president_city_is_refused_on_the_office_form(staff_client, posts, term, make_member, appoint):
    appoint(make_member("Seoul"), posts["president"])
    response = staff_client.post(
        reverse("admin:governance_office_add"), _office_form(make_member("Almaty"), posts["president"], term)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "errornote" in html
    assert (
        "The post “President City” may have at most 1 holder at a time; over these dates it is held by Seoul."
    ) in html
    assert Office.objects.count() == 1


def test_a_suspended_member_is_refused_on_the_office_form(staff_client, posts, term, make_member):
    harare = make_member("Harare", standing=Standing.SUSPENDED)
    response = staff_client.post(reverse("admin:governance_office_add"), _office_form(harare, posts["vp"], term))
    assert response.status_code == 200
    assert "Only current full members may hold an office: Harare is not one" in response.content.decode()
    assert not Office.objects.exists()


def test_the_secretariat_ends_an_office_early_with_a_reason(staff_client, posts, term, make_member, appoint, today):
    office = appoint(make_member("Kampala"), posts["vp"])
    url = reverse("admin:governance_office_change", args=[office.pk])
    response = staff_client.post(
        url,
        _office_form(
            office.organisation,
            posts["vp"],
            term,
            end_date=today,
            end_reason=EndReason.RESIGNED,
            end_note="Letter of the mayor",
        ),
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert (office.end_date, office.end_reason, office.end_note) == (today, "resigned", "Letter of the mayor")


def test_ending_an_office_without_saying_why_is_refused_on_the_form(
    staff_client, posts, term, make_member, appoint, today
):
    office = appoint(make_member("Kampala"), posts["vp"])
    response = staff_client.post(
        reverse("admin:governance_office_change", args=[office.pk]),
        _office_form(office.organisation, posts["vp"], term, end_date=today),
    )
    assert response.status_code == 200
    assert "Say why the office ended." in response.content.decode()
    office.refresh_from_db()
    assert office.end_date is None


def test_a_members_admin_page_shows_its_offices_read_only(staff_client, posts, term, past_term, make_member, appoint):
    seoul = make_member("Seoul")
    appoint(seoul, posts["president"])
    appoint(seoul, posts["member"], term=past_term)
    response = staff_client.get(reverse("admin:members_organisation_change", args=[seoul.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Offices held" in html
    assert "President City" in html and "EXCOM member city" in html and past_term.name in html
    assert 'name="offices-0-post"' not in html  # shown, not editable there


def test_a_members_admin_page_still_saves_without_any_office_data(staff_client, posts, term, make_member, appoint):
    seoul = make_member("Seoul", country="KR")
    office = appoint(seoul, posts["president"])
    membership = seoul.membership
    data = {
        "name": "Seoul",
        "slug": "seoul",
        "kind": "local_government",
        "country": "KR",
        "website": "",
        "description": "Edited",
        "latitude": "37.56",
        "longitude": "126.97",
        "membership-TOTAL_FORMS": "1",
        "membership-INITIAL_FORMS": "1",
        "membership-MIN_NUM_FORMS": "0",
        "membership-MAX_NUM_FORMS": "1",
        "membership-0-id": membership.pk,
        "membership-0-organisation": seoul.pk,
        "membership-0-category": membership.category_id,
        "membership-0-standing": "",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    response = staff_client.post(reverse("admin:members_organisation_change", args=[seoul.pk]), data)
    assert response.status_code == 302
    seoul.refresh_from_db()
    assert seoul.description == "Edited" and Office.objects.get(pk=office.pk).organisation == seoul


# --- Officers sit on the Executive Committee ----------------------------------------

OFFICER_OFF_EXCOM = (
    "Officers sit on the Executive Committee: an officer's post belongs to it, not to the General Assembly."
)


def _ga_chair(ga):
    return {
        "body": ga.pk,
        "label_en": "GA Chair",
        "slug": "ga-chair",
        "role": PostRole.PRESIDENT,
        "is_officer": "on",
        "max_holders": "1",
        "selection": "",
        "position": "0",
    }


def test_an_officers_post_on_the_general_assembly_is_refused_on_the_post_form(staff_client, ga, excom):
    response = staff_client.post(reverse("admin:governance_post_add"), _ga_chair(ga))
    assert response.status_code == 200
    assert OFFICER_OFF_EXCOM in html.unescape(response.content.decode())
    assert not Post.objects.filter(slug="ga-chair").exists()


def test_an_officers_post_added_on_the_general_assemblys_page_is_refused(staff_client, ga, excom):
    url = reverse("admin:governance_body_change", args=[ga.pk])
    data = change_page_data(staff_client.get(url))
    row = {field: value for field, value in _ga_chair(ga).items() if field not in ("body", "selection")}
    response = staff_client.post(url, add_inline_row(data, "posts", **row))
    assert response.status_code == 200
    assert OFFICER_OFF_EXCOM in html.unescape(response.content.decode())
    assert not Post.objects.filter(slug="ga-chair").exists()

    # The same row, not an officer's, is saved: only the rule refused it.
    del row["is_officer"]
    assert staff_client.post(url, add_inline_row(data, "posts", **row)).status_code == 302
    assert Post.objects.get(slug="ga-chair").body == ga


def test_renaming_the_executive_committee_that_holds_officers_posts_is_refused_on_its_page(staff_client, posts):
    excom = posts["president"].body
    url = reverse("admin:governance_body_change", args=[excom.pk])
    data = {**change_page_data(staff_client.get(url)), "slug": "excom"}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "this body holds officers" in html.unescape(response.content.decode())
    assert Body.objects.get(pk=excom.pk).slug == "executive-committee"


def test_a_breach_only_the_database_sees_is_a_message_on_the_post_and_body_pages_not_a_500(
    staff_client, ga, posts, monkeypatch
):
    # As if the forms had not seen it (say, a change that raced them): the
    # database's trigger refuses it and the admin says so.
    monkeypatch.setattr(Post, "clean", lambda self: None)
    monkeypatch.setattr(Body, "clean", lambda self: None)
    response = staff_client.post(reverse("admin:governance_post_add"), _ga_chair(ga), follow=True)
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert "Nothing was saved" in content and "officers sit on the Executive Committee" in content
    assert not Post.objects.filter(slug="ga-chair").exists()

    excom = posts["president"].body
    url = reverse("admin:governance_body_change", args=[excom.pk])
    response = staff_client.post(url, {**change_page_data(staff_client.get(url)), "slug": "excom"}, follow=True)
    assert response.status_code == 200
    assert "Nothing was saved" in html.unescape(response.content.decode())
    assert Body.objects.get(pk=excom.pk).slug == "executive-committee"


# --- Changelists: the same number of queries for 10 rows as for 1,000 -------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _bulk_offices(count, post, term, category, start=0):
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bulk City {i}",
                slug=f"bulk-city-{i}",
                country="DE",
                kind="local_government",
                search_text=f"bulk city {i}",
            )
            for i in range(start, start + count)
        ]
    )
    Membership.objects.bulk_create([Membership(organisation=o, category=category) for o in organisations])
    Office.objects.bulk_create(
        [Office(organisation=o, post=post, term=term, start_date=term.start_date) for o in organisations]
    )


def test_the_office_changelist_costs_the_same_for_10_and_1000_offices(staff_client, term, full_category):
    # A body without a seat limit, so a thousand offices break no rule.
    body = Body.objects.create(name="Working group", slug="working-group", abbreviation="WG", cadence_months=6)
    post = Post.objects.create(body=body, slug="working-group-member", label="Member", role=PostRole.MEMBER)
    url = reverse("admin:governance_office_changelist")
    _bulk_offices(10, post, term, full_category)
    small = _queries(staff_client, url)
    _bulk_offices(990, post, term, full_category, start=10)
    assert Office.objects.count() == 1000
    large = _queries(staff_client, url)
    assert large == small, f"{small} queries for 10 offices, {large} for 1,000"


def test_the_term_changelist_costs_the_same_for_10_and_1000_terms(staff_client):
    def add_terms(first, count):
        base = datetime.date(1000, 1, 1)
        Term.objects.bulk_create(
            [
                Term(name=f"Term {i}", start_date=base + 3 * i * DAY, end_date=base + (3 * i + 1) * DAY)
                for i in range(first, first + count)
            ]
        )

    url = reverse("admin:governance_term_changelist")
    add_terms(0, 10)
    small = _queries(staff_client, url)
    add_terms(10, 990)
    large = _queries(staff_client, url)
    assert large == small, f"{small} queries for 10 terms, {large} for 1,000"


@pytest.mark.parametrize("name", ["admin:governance_body_changelist", "admin:governance_post_changelist"])
def test_the_body_and_post_changelists_open(staff_client, posts, name):
    assert staff_client.get(reverse(name)).status_code == 200


def test_rows_that_pass_together_but_breach_a_rule_one_by_one_save_nothing_and_say_why(
    staff_client, posts, term, make_member, appoint
):
    # Two President City halves of the term, swapped in one submission: the
    # form sees a valid end state, the database sees the first row saved
    # beside the second's old dates. Nothing may be kept, and no 500.
    middle = term.start_date + 200 * DAY
    first = appoint(make_member("Seoul"), posts["president"], end_date=middle, end_reason=EndReason.REPLACED)
    second = appoint(make_member("Almaty"), posts["president"], start_date=middle + DAY)
    data = {
        "name": term.name,
        "start_date": term.start_date,
        "end_date": term.end_date,
        **_office_rows(
            {"id": first.pk, "term": term.pk, **_row(first.organisation, posts["president"], middle + DAY)},
            {
                "id": second.pk,
                "term": term.pk,
                **_row(
                    second.organisation,
                    posts["president"],
                    term.start_date,
                    end_date=middle,
                    end_reason=EndReason.REPLACED,
                ),
            },
            initial=2,
        ),
    }
    url = reverse("admin:governance_term_change", args=[term.pk])
    response = staff_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.start_date, first.end_date) == (term.start_date, middle)
    assert (second.start_date, second.end_date) == (middle + DAY, None)
