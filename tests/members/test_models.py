import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Membership, MembershipStatus, Organisation, Standing
from members.text import fold

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_fold_strips_accents_and_case():
    assert fold("São Paulo") == "sao paulo"
    assert fold("  SEOUL ") == "seoul"
    assert fold("Thừa Thiên Huế") == "thua thien hue"


def test_an_organisation_gets_a_slug_and_a_search_text_from_its_name(make_member):
    organisation = make_member("São Paulo", country="BR")
    assert organisation.slug == "sao-paulo"
    assert organisation.search_text == "sao paulo"
    # Its country is found by name apart (members.countries), in any language.
    assert Organisation.objects.search("brazil").get() == organisation


def test_the_region_is_derived_from_the_country(make_member):
    assert make_member("Seoul", country="KR").region == "asia"
    assert make_member("Cuenca", country="EC").region == "americas"
    assert make_member("Kampala", country="UG").region_name == "Africa"


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({}, MembershipStatus.CURRENT),
        ({"start_date": "future"}, MembershipStatus.PENDING),
        ({"end_date": "past"}, MembershipStatus.ENDED),
        ({"end_date": "today"}, MembershipStatus.CURRENT),
        ({"standing": Standing.SUSPENDED}, MembershipStatus.SUSPENDED),
        ({"standing": Standing.WITHDRAWN}, MembershipStatus.WITHDRAWN),
        ({"standing": Standing.WITHDRAWN, "start_date": "future"}, MembershipStatus.WITHDRAWN),
    ],
)
def test_the_status_is_derived_from_dates_and_overrides_in_python_and_in_sql(make_member, today, fields, status):
    dates = {"future": today + DAY, "past": today - DAY, "today": today}
    fields = {key: dates.get(value, value) for key, value in fields.items()}
    if "end_date" in fields:
        fields.setdefault("start_date", today - 30 * DAY)
    organisation = make_member(**fields)
    membership = organisation.membership
    assert membership.status == status
    annotated = Membership.objects.with_status().get(pk=membership.pk)
    assert annotated.status_value == status
    assert Organisation.objects.current_members().filter(pk=organisation.pk).exists() == (
        status == MembershipStatus.CURRENT
    )


# Every combination of override, start and end (empty, the day before, the
# day itself, the day after) read on three days around them: the SQL forms
# (with_status, with_status_value, current) must give what Python gives.
ANCHOR = datetime.date(2030, 6, 15)
OFFSETS = [None, -1, 0, 1]


def _day(offset):
    return None if offset is None else ANCHOR + offset * DAY


@pytest.mark.parametrize("on", [-1, 0, 1], ids=lambda on: f"on{on:+d}")
@pytest.mark.parametrize(
    ("start", "end"),
    [(start, end) for start in OFFSETS for end in OFFSETS if start is None or end is None or end >= start],
    ids=lambda offset: "none" if offset is None else f"{offset:+d}",
)
@pytest.mark.parametrize("standing", list(Standing), ids=lambda standing: standing.value or "normal")
def test_the_status_is_the_same_in_python_and_in_every_sql_form(make_member, standing, start, end, on):
    membership = make_member(standing=standing, start_date=_day(start), end_date=_day(end)).membership
    on = _day(on)
    membership.refresh_from_db()
    status = membership.status_on(on)
    memberships = Membership.objects.filter(pk=membership.pk)
    assert memberships.with_status(on).get().status_value == status
    assert [value for value in MembershipStatus if memberships.with_status_value(value, on).exists()] == [status]
    assert memberships.current(on).exists() == (status == MembershipStatus.CURRENT) == membership.is_current(on)
    assert Organisation.objects.current_members(on).filter(pk=membership.organisation_id).exists() == (
        status == MembershipStatus.CURRENT
    )


def test_the_status_follows_the_calendar_without_any_job(make_member, today):
    membership = make_member(start_date=today - 10 * DAY, end_date=today + 10 * DAY).membership
    assert membership.status_on(today) == MembershipStatus.CURRENT
    assert membership.status_on(today + 11 * DAY) == MembershipStatus.ENDED
    assert membership.status_on(today - 11 * DAY) == MembershipStatus.PENDING


def test_every_change_of_membership_is_kept_in_its_history(make_member, associate_category):
    membership = make_member().membership
    membership.category = associate_category
    membership.save()
    membership.standing = Standing.SUSPENDED
    membership.standing_reason = "Dues unpaid"
    membership.save()
    history = list(membership.history.order_by("history_date"))
    assert [row.history_type for row in history] == ["+", "~", "~"]
    assert history[0].category.slug == "full-member"
    assert history[-1].standing == Standing.SUSPENDED


def test_an_override_needs_a_reason(make_member):
    membership = make_member().membership
    membership.standing = Standing.WITHDRAWN
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "standing_reason" in error.value.message_dict


def test_a_membership_cannot_end_before_it_starts_in_the_model_and_the_database(make_member, today):
    membership = make_member().membership
    membership.start_date, membership.end_date = today, today - DAY
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "end_date" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_a_category_for_another_kind_is_refused(make_member, industry_category):
    membership = make_member(kind="local_government").membership
    membership.category = industry_category
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "category" in error.value.message_dict


def test_coordinates_come_in_pairs_and_in_range(make_member):
    organisation = make_member()
    organisation.longitude = None
    with pytest.raises(ValidationError):
        organisation.full_clean()
    organisation.longitude, organisation.latitude = 10, 95
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "latitude" in error.value.message_dict


def test_user_emails_are_unique_whatever_their_case(make_user):
    make_user("Focal@Example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("focal@example.org")


def test_namesakes_get_distinct_slugs(make_member):
    assert make_member("Cuenca", country="EC").slug == "cuenca"
    assert make_member("Cuenca", country="ES").slug == "cuenca-es"
    assert make_member("Cuenca", country="ES").slug == "cuenca-2"
