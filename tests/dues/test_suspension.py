"""Suspension and termination: the secretariat's decisions, with a reason,
ending the member's offices the same day (governance.services.offices)."""

import datetime

import pytest

from governance.models import EndReason, Office
from governance.services import dues
from governance.services.dues import DuesError
from members.models import Membership, MembershipStatus, Standing

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def past_term(term):
    from governance.models import Term

    end = term.start_date - DAY
    return Term.objects.create(name="Past term", start_date=end - datetime.timedelta(days=3 * 365), end_date=end)


@pytest.fixture
def seated(make_member, posts, term, past_term):
    """A full member on EXCOM now, which held a seat in the past term too."""
    city = make_member("Seat City")
    past = Office.objects.create(
        post=posts["member"],
        term=past_term,
        organisation=city,
        start_date=past_term.start_date,
        end_date=past_term.end_date,
        end_reason=EndReason.TERM_ENDED,
    )
    running = Office.objects.create(post=posts["member"], term=term, organisation=city, start_date=term.start_date)
    return city, past, running


def past_term_end(office):
    return office.term.end_date


def test_suspension_ends_the_running_offices_today_and_keeps_the_past(seated, today):
    city, past, running = seated
    ended = dues.suspend_member(city.pk, "Dues unpaid for two years")
    assert [office.pk for office in ended] == [running.pk]
    running.refresh_from_db()
    assert (running.end_date, running.end_reason) == (today, EndReason.MEMBERSHIP_ENDED)
    assert "Dues unpaid for two years" in running.end_note
    past.refresh_from_db()
    assert (past.end_date, past.end_reason) == (past_term_end(past), EndReason.TERM_ENDED)
    membership = Membership.objects.get(organisation=city)
    assert membership.status == MembershipStatus.SUSPENDED and membership.standing_reason == "Dues unpaid for two years"
    # The history keeps who decided why.
    assert membership.history.first().history_change_reason == "Dues unpaid for two years"


def test_termination_makes_today_the_last_day_of_membership_and_offices(seated, today):
    city, _past, running = seated
    dues.terminate_member(city.pk, "Withdrew by letter")
    membership = Membership.objects.get(organisation=city)
    assert membership.end_date == today and membership.is_current(today)
    assert membership.status_on(today + DAY) == MembershipStatus.ENDED
    running.refresh_from_db()
    assert running.end_date == today


@pytest.mark.parametrize("action", [dues.suspend_member, dues.terminate_member])
def test_a_decision_without_a_reason_changes_nothing(seated, action):
    city, _past, running = seated
    with pytest.raises(DuesError, match="Say why"):
        action(city.pk, "")
    running.refresh_from_db()
    assert running.end_date is None
    assert Membership.objects.get(organisation=city).standing == Standing.NORMAL


def test_a_member_already_suspended_or_ended_is_refused(make_member, today):
    suspended = make_member(standing="suspended")
    ended = make_member(end_date=today - DAY)
    with pytest.raises(DuesError, match="not a current member"):
        dues.suspend_member(suspended.pk, "Again")
    with pytest.raises(DuesError, match="already ended"):
        dues.terminate_member(ended.pk, "Again")


def test_an_unknown_member_is_a_clear_error(db):
    with pytest.raises(DuesError, match="no such membership"):
        dues.suspend_member(987654, "Who?")
