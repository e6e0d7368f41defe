"""load_wego_data: the bodies, posts, current term and its offices from the
reference text, loaded once however often it runs."""

import datetime
import io

import pytest
from django.core.management import call_command

from governance.models import Body, HowChosen, Office, Post, Term, excom_member_ids
from governance.services.offices import load_reference_data
from members.models import Organisation

pytestmark = pytest.mark.django_db

EXCOM_CITIES = {
    "Abu Dhabi",
    "Abuja",
    "Almaty",
    "Chengdu",
    "Cuenca",
    "Hebron",
    "Kampala",
    "Makati",
    "Maputo",
    "Ramgram",
    "São Paulo",
    "Seberang Perai",
    "Seoul",
    "Wellington",
}


@pytest.fixture
def loaded():
    output = io.StringIO()
    call_command("load_wego_data", stdout=output)
    return output.getvalue()


def _holders(post_slug):
    return set(Office.objects.filter(post__slug=post_slug).values_list("organisation__name", flat=True))


def test_the_command_reports_what_it_created_for_members_and_governance(loaded):
    assert "(members) loaded; created 4 categories, 60 organisations, 60 memberships" in loaded
    assert "(governance) loaded; created 2 bodies, 4 posts, 1 terms, 14 offices" in loaded


def test_the_loader_creates_the_two_bodies_with_their_cadence_and_seats(loaded):
    bodies = {body.slug: body for body in Body.objects.all()}
    assert (bodies["general-assembly"].cadence_months, bodies["general-assembly"].max_seats) == (36, None)
    assert (bodies["executive-committee"].cadence_months, bodies["executive-committee"].max_seats) == (12, 21)


def test_the_loader_creates_the_four_posts_on_the_executive_committee(loaded):
    posts = {post.slug: post for post in Post.objects.select_related("body")}
    assert {slug: (post.max_holders, post.is_officer) for slug, post in posts.items()} == {
        "president-city": (1, True),
        "executive-vice-president-city": (1, True),
        "vice-president-city": (None, True),
        "excom-member-city": (None, False),
    }
    assert {post.body.slug for post in posts.values()} == {"executive-committee"}


def test_the_current_term_is_2025_to_2027(loaded):
    term = Term.objects.get()
    assert (term.name, term.start_date, term.end_date) == (
        "2025–2027",
        datetime.date(2025, 1, 1),
        datetime.date(2027, 12, 31),
    )


def test_seoul_is_president_city_almaty_executive_vice_president_and_kampala_and_sao_paulo_vice_presidents(loaded):
    assert _holders("president-city") == {"Seoul"}
    assert _holders("executive-vice-president-city") == {"Almaty"}
    assert _holders("vice-president-city") == {"Kampala", "São Paulo"}
    chosen = dict(Office.objects.values_list("organisation__name", "how_chosen"))
    assert chosen["Seoul"] == HowChosen.ELECTED_BY_GA
    assert chosen["Almaty"] == HowChosen.HOST_OF_NEXT_GA
    assert chosen["Kampala"] == chosen["São Paulo"] == HowChosen.NOMINATED_AND_APPOINTED


def test_the_fourteen_excom_cities_hold_fourteen_seats_officers_without_a_second_one(loaded):
    assert Office.objects.count() == 14
    assert _holders("excom-member-city") == EXCOM_CITIES - {"Seoul", "Almaty", "Kampala", "São Paulo"}
    assert set(Organisation.objects.filter(pk__in=excom_member_ids()).values_list("name", flat=True)) == EXCOM_CITIES


def test_running_the_loader_twice_creates_nothing_and_no_history(loaded):
    before = list(Office.objects.order_by("pk").values()), Organisation.history.count()
    assert load_reference_data() == {"bodies": 0, "posts": 0, "terms": 0, "offices": 0}
    output = io.StringIO()
    call_command("load_wego_data", stdout=output)
    assert "created 0 bodies, 0 posts, 0 terms, 0 offices" in output.getvalue()
    assert (list(Office.objects.order_by("pk").values()), Organisation.history.count()) == before


def test_the_loader_leaves_offices_the_secretariat_ended_alone(loaded):
    office = Office.objects.get(organisation__name="Kampala")
    office.end_date, office.end_reason = datetime.date(2026, 6, 30), "resigned"
    office.save()
    Office.objects.filter(organisation__name="Wellington").delete()
    assert load_reference_data()["offices"] == 0
    assert Office.objects.get(organisation__name="Kampala").end_reason == "resigned"
    assert not Office.objects.filter(organisation__name="Wellington").exists()


def test_the_loader_without_the_members_fails_clearly_and_leaves_nothing(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Load the members first"):
        load_reference_data()
    assert not Body.objects.exists() and not Term.objects.exists()
