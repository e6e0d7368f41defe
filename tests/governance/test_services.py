"""Ending an office early and ending a term: nothing is deleted."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.models import EndReason, Office
from governance.services.offices import end_office, end_term

pytestmark = pytest.mark.django_db


def test_an_office_ended_early_keeps_its_dates_and_reason(posts, term, make_member, appoint, today):
    office = appoint(make_member("Kampala"), posts["vp"])
    end_office(office.pk, today, EndReason.RESIGNED, note="Letter of 1 March")
    office.refresh_from_db()
    assert (office.end_date, office.end_reason, office.end_note) == (today, "resigned", "Letter of 1 March")
    assert office.ended_early and office.effective_end == today
    assert not Office.objects.current(today + datetime.timedelta(days=1)).filter(pk=office.pk).exists()


def test_an_office_cannot_be_ended_without_a_reason(posts, term, make_member, appoint, today):
    office = appoint(make_member("Kampala"), posts["vp"])
    with pytest.raises(ValidationError, match="Say why the office ended"):
        end_office(office.pk, today, "")
    office.refresh_from_db()
    assert office.end_date is None


def test_ending_a_term_keeps_its_offices_and_records_why_they_ended(posts, term, make_member, appoint, today):
    president = appoint(make_member("Seoul"), posts["president"])
    resigned_on = term.start_date + datetime.timedelta(days=10)
    early = appoint(make_member("Kampala"), posts["vp"], end_date=resigned_on, end_reason=EndReason.RESIGNED)
    yesterday = today - datetime.timedelta(days=1)
    end_term(term.pk, yesterday)
    term.refresh_from_db()
    assert term.end_date == yesterday and not term.is_current
    assert Office.objects.filter(term=term).count() == 2
    president.refresh_from_db()
    early.refresh_from_db()
    assert (president.end_date, president.end_reason) == (yesterday, EndReason.TERM_ENDED)
    assert (early.end_date, early.end_reason) == (resigned_on, EndReason.RESIGNED)


def test_a_term_cannot_be_ended_after_its_end_date(term):
    with pytest.raises(ValidationError, match="on or before its end date"):
        end_term(term.pk, term.end_date + datetime.timedelta(days=1))
