"""Governance fixtures, chained like the domain: bodies → posts → a term →
its offices, held by members made with ``make_member``."""

import datetime

import pytest

from governance.models import Office, Post, PostRole, Term


def _post(body, slug, label, role, is_officer, max_holders, position):
    return Post.objects.create(body=body, slug=slug, label=label, role=role, is_officer=is_officer,
                               max_holders=max_holders, position=position)


@pytest.fixture
def president(excom):
    return _post(excom, "president-city", "President City", PostRole.PRESIDENT, True, 1, 0)


@pytest.fixture
def executive_vice_president(excom):
    return _post(excom, "executive-vice-president-city", "Executive Vice President City",
                 PostRole.EXECUTIVE_VICE_PRESIDENT, True, 1, 1)


@pytest.fixture
def vice_president(excom):
    return _post(excom, "vice-president-city", "Vice President City", PostRole.VICE_PRESIDENT, True, None, 2)


@pytest.fixture
def excom_member(excom):
    return _post(excom, "excom-member-city", "EXCOM member city", PostRole.MEMBER, False, None, 3)


@pytest.fixture
def posts(president, executive_vice_president, vice_president, excom_member):
    return {"president": president, "evp": executive_vice_president, "vp": vice_president, "member": excom_member}


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
