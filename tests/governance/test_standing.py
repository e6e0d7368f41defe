"""Good standing, decided in one place (governance.models.standing): who
carries a vote, and why not, as the quorum and the delegate form see it."""

import datetime

import pytest

from governance.models import full_members, vote_of, voting_members
from members.models import Organisation


@pytest.fixture
def members(make_member, associate_category, today):
    return {
        "full": make_member("Full City"),
        "associate": make_member("Associate City", category=associate_category),
        "suspended": make_member("Suspended City", standing="suspended"),
        "future": make_member("Future City", start_date=today + datetime.timedelta(days=10)),
    }


@pytest.mark.django_db
def test_only_current_full_members_carry_a_vote(members, today):
    names = set(voting_members(Organisation.objects.all(), today).values_list("name", flat=True))
    assert names == {"Full City"}
    later = today + datetime.timedelta(days=20)
    assert set(voting_members(Organisation.objects.all(), later).values_list("name", flat=True)) == {
        "Full City",
        "Future City",
    }


@pytest.mark.django_db
def test_full_members_are_full_whatever_their_standing(members):
    names = set(full_members(Organisation.objects.all()).values_list("name", flat=True))
    assert names == {"Full City", "Suspended City", "Future City"}


@pytest.mark.django_db
def test_vote_of_says_why_not(members, today):
    assert vote_of(members["full"], today)
    associate = vote_of(members["associate"], today)
    assert not associate and "not a full member" in associate.reason
    suspended = vote_of(members["suspended"], today)
    assert not suspended and "not a current member" in suspended.reason
    assert not vote_of(members["future"], today)
    assert vote_of(members["future"], today + datetime.timedelta(days=20))


@pytest.mark.django_db
def test_vote_of_and_voting_members_agree(members, today):
    """The one rule read two ways: row by row and as a query."""
    voting = set(voting_members(Organisation.objects.all(), today))
    for organisation in members.values():
        assert bool(vote_of(organisation, today)) == (organisation in voting)
