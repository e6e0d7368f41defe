"""The statutes' rules on offices, each with the breach it prevents, checked
twice: by full_clean() (a clear message) and by PostgreSQL (the trigger
refuses the row even when clean() is skipped)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from governance.models import Body, EndReason, Office, Post, PostRole, Term
from members.models import Standing

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def refused_by_clean(**fields):
    """full_clean()'s message for an office that breaks a rule; nothing is saved."""
    before = Office.objects.count()
    with pytest.raises(ValidationError) as caught:
        Office(**fields).full_clean()
    assert Office.objects.count() == before
    return " ".join(caught.value.messages)


def refused_by_database(**fields):
    """Save an office bypassing clean(): the trigger must refuse it, and no row stays."""
    before = Office.objects.count()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Office.objects.create(**fields)
    assert Office.objects.count() == before
    return str(caught.value)


def office_fields(organisation, post, term, **fields):
    return {"organisation": organisation, "post": post, "term": term, "start_date": term.start_date, **fields}


# --- One President City and one Executive Vice President City at a time ------


@pytest.mark.parametrize("post_name", ["president", "evp"])
def test_a_second_holder_of_a_single_holder_post_is_refused_with_a_clear_message(
    posts, term, make_member, appoint, post_name
):
    appoint(make_member("Seoul"), posts[post_name])
    message = refused_by_clean(**office_fields(make_member("Almaty"), posts[post_name], term))
    assert f"“{posts[post_name].label}” may have at most 1 holder at a time" in message
    assert "held by Seoul" in message


@pytest.mark.parametrize("post_name", ["president", "evp"])
def test_a_second_holder_of_a_single_holder_post_is_refused_by_the_database(
    posts, term, make_member, appoint, post_name
):
    appoint(make_member("Seoul"), posts[post_name])
    error = refused_by_database(**office_fields(make_member("Almaty"), posts[post_name], term))
    assert "at most 1 holder" in error


def test_a_second_president_city_later_in_the_term_is_refused_while_the_first_still_holds_it(
    posts, term, make_member, appoint
):
    appoint(make_member("Seoul"), posts["president"])
    later = office_fields(make_member("Almaty"), posts["president"], term, start_date=term.end_date - 10 * DAY)
    assert "at most 1 holder" in refused_by_clean(**later)
    refused_by_database(**later)


def test_a_new_president_city_may_follow_one_whose_office_ended_early(posts, term, make_member, appoint):
    ended_on = term.start_date + 100 * DAY
    appoint(make_member("Seoul"), posts["president"], end_date=ended_on, end_reason=EndReason.RESIGNED)
    successor = appoint(make_member("Almaty"), posts["president"], start_date=ended_on + DAY)
    assert successor.pk


def test_a_past_terms_president_without_an_end_date_does_not_block_the_next_one(
    posts, term, past_term, make_member, appoint
):
    appoint(make_member("Seoul"), posts["president"], term=past_term)  # no end date: ran to its term's end
    assert appoint(make_member("Almaty"), posts["president"]).pk
    assert Office.objects.filter(post=posts["president"]).count() == 2


def test_two_president_cities_cannot_share_even_one_day(posts, term, make_member, appoint):
    ended_on = term.start_date + 100 * DAY
    appoint(make_member("Seoul"), posts["president"], end_date=ended_on, end_reason=EndReason.RESIGNED)
    overlapping = office_fields(make_member("Almaty"), posts["president"], term, start_date=ended_on)
    assert "at most 1 holder" in refused_by_clean(**overlapping)
    refused_by_database(**overlapping)


# --- At most 21 seats on the Executive Committee, officers among them --------


def _fill_excom(posts, make_member, appoint, ordinary_seats=17):
    """President, EVP, two VPs and ``ordinary_seats`` member cities."""
    appoint(make_member("Seoul"), posts["president"])
    appoint(make_member("Almaty"), posts["evp"])
    appoint(make_member("Kampala"), posts["vp"])
    appoint(make_member("São Paulo"), posts["vp"])
    for number in range(ordinary_seats):
        appoint(make_member(f"Member City {number}"), posts["member"])


def test_a_22nd_seat_on_the_executive_committee_is_refused_with_a_clear_message(posts, term, make_member, appoint):
    _fill_excom(posts, make_member, appoint)
    assert Office.objects.count() == 21
    message = refused_by_clean(**office_fields(make_member("Wellington"), posts["member"], term))
    assert "at most 21 member seats at a time in a term, officers included" in message


def test_a_22nd_seat_on_the_executive_committee_is_refused_by_the_database(posts, term, make_member, appoint):
    _fill_excom(posts, make_member, appoint)
    error = refused_by_database(**office_fields(make_member("Wellington"), posts["member"], term))
    assert "at most 21 seats" in error


def test_officers_count_among_the_21_seats_so_a_22nd_officer_is_refused_too(posts, term, make_member, appoint):
    _fill_excom(posts, make_member, appoint)
    third_vice_president = office_fields(make_member("Maputo"), posts["vp"], term)
    assert "at most 21 member seats" in refused_by_clean(**third_vice_president)
    refused_by_database(**third_vice_president)


def test_an_officer_sits_on_the_committee_without_a_second_ordinary_seat(posts, term, make_member, appoint):
    seoul = make_member("Seoul")
    appoint(seoul, posts["president"])
    second_seat = office_fields(seoul, posts["member"], term)
    message = refused_by_clean(**second_seat)
    assert "Seoul already holds the post “President City” on the Executive Committee" in message
    refused_by_database(**second_seat)


def test_a_seat_that_changed_hands_mid_term_counts_once(posts, term, make_member, appoint):
    _fill_excom(posts, make_member, appoint, ordinary_seats=15)  # 19 seats for the whole term
    handover = term.start_date + 200 * DAY
    appoint(make_member("Abuja"), posts["member"], end_date=handover, end_reason=EndReason.RESIGNED)
    appoint(make_member("Cuenca"), posts["member"], start_date=handover + DAY)  # 20 at a time, 21 members in all
    assert appoint(make_member("Hebron"), posts["member"]).pk  # the 21st seat at a time
    last = office_fields(make_member("Makati"), posts["member"], term, start_date=term.end_date - DAY)
    assert "at most 21 member seats" in refused_by_clean(**last)
    refused_by_database(**last)


# --- Only current full members hold an office ---------------------------------


@pytest.mark.parametrize("standing", [Standing.SUSPENDED, Standing.WITHDRAWN])
def test_a_suspended_or_withdrawn_member_cannot_become_an_officer(posts, term, make_member, standing):
    member = make_member("Harare", standing=standing)
    fields = office_fields(member, posts["president"], term)
    message = refused_by_clean(**fields)
    assert "Only current full members may hold an office: Harare is not one" in message
    assert "not a current full member" in refused_by_database(**fields)


def test_an_associate_member_without_a_vote_cannot_become_an_officer(posts, term, make_member, associate_category):
    member = make_member("Mosman", category=associate_category)
    fields = office_fields(member, posts["vp"], term)
    assert "Only current full members may hold an office: Mosman is not one" in refused_by_clean(**fields)
    assert "not a current full member" in refused_by_database(**fields)


def test_a_member_whose_membership_has_ended_or_not_begun_cannot_take_a_seat(posts, term, make_member):
    ended = make_member("Ended City", end_date=term.start_date - DAY)
    pending = make_member("Pending City", start_date=term.start_date + DAY)
    for member in (ended, pending):
        fields = office_fields(member, posts["member"], term)
        assert "Only current full members may hold an office" in refused_by_clean(**fields)
        refused_by_database(**fields)


def test_handing_an_office_to_a_suspended_member_is_refused_by_the_database(posts, term, make_member, appoint):
    office = appoint(make_member("Seoul"), posts["president"])
    suspended = make_member("Harare", standing=Standing.SUSPENDED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Office.objects.filter(pk=office.pk).update(organisation=suspended)
    assert Office.objects.get(pk=office.pk).organisation.name == "Seoul"


def test_an_office_of_a_member_suspended_while_in_office_can_still_be_ended(posts, term, make_member, appoint):
    harare = make_member("Harare")
    office = appoint(harare, posts["member"])
    harare.membership.standing = Standing.SUSPENDED
    harare.membership.standing_reason = "Dues unpaid."
    harare.membership.save()
    office.end_date = term.start_date + 30 * DAY
    office.end_reason = EndReason.MEMBERSHIP_ENDED
    office.full_clean()
    office.save()
    assert Office.objects.get(pk=office.pk).end_reason == EndReason.MEMBERSHIP_ENDED


# --- No member holds the same post twice over overlapping dates --------------


def test_the_same_member_cannot_hold_the_same_post_twice_over_overlapping_dates(posts, term, make_member, appoint):
    abuja = make_member("Abuja")
    appoint(abuja, posts["member"], end_date=term.start_date + 100 * DAY, end_reason=EndReason.OTHER)
    overlapping = office_fields(abuja, posts["member"], term, start_date=term.start_date + 50 * DAY)
    message = refused_by_clean(**overlapping)
    assert "Abuja already holds the post “EXCOM member city”" in message
    assert "already holds a post" in refused_by_database(**overlapping)


def test_the_same_member_may_hold_a_post_again_after_its_office_ended(posts, term, make_member, appoint):
    abuja = make_member("Abuja")
    appoint(abuja, posts["member"], end_date=term.start_date + 100 * DAY, end_reason=EndReason.OTHER)
    assert appoint(abuja, posts["member"], start_date=term.start_date + 101 * DAY).pk


def test_the_same_member_may_hold_the_post_again_in_the_next_term(posts, term, past_term, make_member, appoint):
    seoul = make_member("Seoul")
    appoint(seoul, posts["president"], term=past_term)
    assert appoint(seoul, posts["president"]).pk


# --- Offices lie within their term; terms do not overlap --------------------


def test_an_office_must_lie_within_its_term(posts, term, make_member):
    seoul = make_member("Seoul")
    early = office_fields(seoul, posts["president"], term, start_date=term.start_date - DAY)
    assert "must start within its term" in refused_by_clean(**early)
    refused_by_database(**early)
    late = office_fields(seoul, posts["president"], term, end_date=term.end_date + DAY, end_reason="other")
    assert "cannot end after its term ends" in refused_by_clean(**late)
    refused_by_database(**late)


def test_an_office_that_ends_needs_a_reason(posts, term, make_member):
    fields = office_fields(make_member("Seoul"), posts["president"], term, end_date=term.start_date + DAY)
    with pytest.raises(ValidationError) as caught:
        Office(**fields).full_clean()
    assert caught.value.message_dict["end_reason"] == ["Say why the office ended."]
    refused_by_database(**fields)


def test_terms_cannot_overlap(term):
    overlapping = Term(name="Overlapping", start_date=term.end_date - DAY, end_date=term.end_date + 400 * DAY)
    with pytest.raises(ValidationError, match="overlaps the term Current term"):
        overlapping.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        overlapping.save()


def test_a_terms_dates_cannot_leave_its_offices_outside_it(posts, term, make_member, appoint):
    appoint(make_member("Abuja"), posts["member"], start_date=term.start_date + 100 * DAY)
    term.start_date += 200 * DAY
    with pytest.raises(ValidationError, match="1 office of this term lies outside these dates"):
        term.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        term.save()


def test_nothing_is_half_saved_when_one_office_of_several_breaks_a_rule(posts, term, make_member):
    seoul, almaty = make_member("Seoul"), make_member("Almaty")
    with pytest.raises(IntegrityError), transaction.atomic():
        Office.objects.create(**office_fields(seoul, posts["president"], term))
        Office.objects.create(**office_fields(almaty, posts["president"], term))
    assert not Office.objects.exists()


# --- Officers sit on the Executive Committee ---------------------------------------

OFFICER_OFF_EXCOM = (
    "Officers sit on the Executive Committee: an officer's post belongs to it, not to the General Assembly."
)


def _ga_chair(ga, **fields):
    fields = {"body": ga, "slug": "ga-chair", "label": "GA Chair", "role": PostRole.PRESIDENT, **fields}
    return Post(**{"is_officer": True, **fields})


def test_an_officers_post_on_another_body_is_refused_with_a_clear_message(ga, excom):
    with pytest.raises(ValidationError) as caught:
        _ga_chair(ga).full_clean()
    assert caught.value.message_dict == {"is_officer": [OFFICER_OFF_EXCOM]}
    _ga_chair(ga, is_officer=False).full_clean()
    _ga_chair(excom).full_clean()


def test_an_officers_post_on_another_body_is_refused_by_the_database(ga, posts):
    with pytest.raises(IntegrityError, match="officers sit on the Executive Committee"), transaction.atomic():
        Post.objects.create(body=ga, slug="ga-chair", label="GA Chair", role=PostRole.PRESIDENT, is_officer=True)
    assert not Post.objects.filter(slug="ga-chair").exists()
    with pytest.raises(IntegrityError, match="officers sit on the Executive Committee"), transaction.atomic():
        Post.objects.filter(pk=posts["president"].pk).update(body=ga)
    assert Post.objects.get(pk=posts["president"].pk).body.slug == "executive-committee"
    ordinary = Post.objects.create(body=ga, slug="ga-seat", label="GA seat", role=PostRole.MEMBER)
    with pytest.raises(IntegrityError, match="officers sit on the Executive Committee"), transaction.atomic():
        Post.objects.filter(pk=ordinary.pk).update(is_officer=True)
    assert not Post.objects.get(pk=ordinary.pk).is_officer


def test_the_executive_committee_keeps_its_slug_while_officers_posts_belong_to_it(excom, posts):
    excom.slug = "excom"
    with pytest.raises(ValidationError) as caught:
        excom.full_clean()
    assert "Officers sit on the Executive Committee" in caught.value.message_dict["slug"][0]
    with pytest.raises(IntegrityError, match="officers sit on the Executive Committee"), transaction.atomic():
        Body.objects.filter(pk=excom.pk).update(slug="excom")
    assert Body.objects.get(pk=excom.pk).slug == "executive-committee"


def test_a_body_without_officers_posts_may_change_its_slug(excom, excom_member):
    Body.objects.filter(pk=excom.pk).update(slug="excom", name="EXCOM")  # no officer's post holds it
    excom.refresh_from_db()
    excom.full_clean()
    assert excom.slug == "excom"
