"""Voting rights, quorum and whether a decision carried."""

import pytest
from django.core.exceptions import ValidationError

from governance.models import AgendaItem, Attendance, Quorum, Registration, Resolution
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_members(make_member):
    return [make_member(f"Voting City {number}") for number in range(4)]


def test_every_current_full_member_has_one_vote_in_the_ga_and_no_one_else_has(
    ga, term, full_members, partner, suspended_city, make_member, today
):
    make_member("Former City", end_date=today.replace(year=today.year - 1))
    meeting = make_meeting(ga, term)
    assert meeting.quorum().voters == 4


def test_in_excom_only_the_seat_holders_vote(excom, term, seoul, almaty, full_members):
    meeting = make_meeting(excom, term)
    assert meeting.quorum().voters == 2


def test_quorum_is_more_than_half_of_the_voters():
    assert Quorum(voters=4, registered=2, present=3).required == 3
    assert Quorum(voters=5, registered=0, present=0).required == 3
    assert not Quorum(voters=4, registered=2, present=2).quorate_by_attendance
    assert Quorum(voters=4, registered=3, present=3).quorate_by_registrations
    assert not Quorum(voters=0, registered=0, present=0).quorate_by_attendance


def test_quorum_counts_voting_registrations_and_attendance_of_voters_once_each(ga, term, full_members, partner):
    meeting = make_meeting(ga, term)
    a, b, c, _d = full_members
    Registration.objects.create(meeting=meeting, organisation=a, name="A", email="a@x.org", is_voting_delegate=True)
    Registration.objects.create(meeting=meeting, organisation=a, name="A2", email="a2@x.org")
    Registration.objects.create(meeting=meeting, organisation=b, name="B", email="b@x.org")  # observer only
    Registration.objects.create(meeting=meeting, organisation=partner, name="P", email="p@x.org")
    for organisation in (a, b, c, partner):
        Attendance.objects.create(meeting=meeting, organisation=organisation)
    quorum = meeting.quorum()
    assert (quorum.voters, quorum.registered, quorum.present) == (4, 1, 3)
    assert not quorum.quorate_by_registrations
    assert quorum.quorate_by_attendance


@pytest.fixture
def voted(ga, term, full_members):
    """A GA with three of four voters present, and a resolution to record."""
    meeting = make_meeting(ga, term)
    for organisation in full_members[:3]:
        Attendance.objects.create(meeting=meeting, organisation=organisation)
    item = AgendaItem.objects.create(meeting=meeting, title="Budget", position=1)
    return Resolution(meeting=meeting, agenda_item=item, text="The budget is adopted.")


@pytest.mark.parametrize(
    ("votes", "outcome", "valid"),
    [
        ((2, 1, 0), "adopted", True),
        ((1, 1, 1), "adopted", False),  # a tie does not carry
        ((1, 1, 1), "rejected", True),
        ((2, 1, 0), "rejected", False),  # the votes carried it
        ((1, 0, 2), "adopted", True),  # abstentions are not votes cast
        ((3, 1, 0), "adopted", False),  # more votes than voters present
        ((None, None, None), "adopted", True),  # by consensus
        ((2, None, None), "adopted", False),  # all counts or none
    ],
)
def test_an_outcome_must_agree_with_the_votes(voted, votes, outcome, valid):
    voted.votes_for, voted.votes_against, voted.abstaining = votes
    voted.outcome = outcome
    if valid:
        voted.full_clean()
    else:
        with pytest.raises(ValidationError):
            voted.full_clean()


def test_a_decision_of_a_meeting_without_quorum_does_not_carry(voted):
    voted.meeting.attendances.all()[0].delete()  # 2 of 4 present
    voted.votes_for, voted.votes_against, voted.abstaining = 2, 0, 0
    assert voted.carries(voted.meeting.quorum()) is False
    voted.outcome = "adopted"
    with pytest.raises(ValidationError, match="quorate"):
        voted.full_clean()


def test_an_election_names_its_candidate(voted, seoul):
    voted.kind = "election"
    voted.outcome = "elected"
    with pytest.raises(ValidationError):
        voted.full_clean()
    voted.candidate = seoul
    voted.full_clean()
