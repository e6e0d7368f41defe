"""Governance fixtures, chained like the domain: bodies → posts (tests/conftest.py)
→ a term → its offices, held by members made with ``make_member``."""

import datetime

import pytest

from governance.models import Office, Term


@pytest.fixture
def past_term(db, term):
    """The three years before ``term``."""
    end = term.start_date - datetime.timedelta(days=1)
    return Term.objects.create(name="Past term", start_date=end - datetime.timedelta(days=3 * 365), end_date=end)


@pytest.fixture
def appoint(term):
    """Validate and save an office (in ``term`` from its start unless told)."""

    def appoint(organisation, post, **fields):
        fields.setdefault("term", term)
        fields.setdefault("start_date", fields["term"].start_date)
        office = Office(organisation=organisation, post=post, **fields)
        office.full_clean()
        office.save()
        return office

    return appoint
