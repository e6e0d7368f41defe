"""The acts of a vote through its services: the roll frozen and changed,
polls opened and closed against quorum, ballots cast once, outcomes written
into the resolutions, run-offs, and the office an election fills."""

import pytest

from governance.models import (
    Ballot,
    Candidate,
    Majority,
    Office,
    PollMethod,
    PollResult,
    PollStatus,
    ResolutionOutcome,
    RollChange,
    RollEntry,
    VotingRoll,
)
from governance.services import voting
from governance.services.voting import VotingError
from members.models import Membership, Standing
from tests.voting.conftest import present

pytestmark = pytest.mark.django_db


@pytest.fixture
def voters(seoul, almaty, paris, partner, suspended_city, associate_category, make_member):
    return {
        "seoul": seoul,
        "almaty": almaty,
        "paris": paris,
        "partner": partner,
        "suspended": suspended_city,
        "associate": make_member("Associate Town", category=associate_category),
    }


def test_freezing_the_roll_records_every_member_and_why_those_left_off_have_no_vote(assembly, voters, staff_user):
    roll = voting.freeze_roll(assembly.pk, staff_user.pk)

    entries = {entry.organisation.name: entry for entry in roll.entries.select_related("organisation")}
    assert {name for name, entry in entries.items() if entry.entitled} == {"Seoul", "Almaty", "Paris"}
    assert "not a full member" in entries["Smart Partner Ltd"].reason
    assert "not a full member" in entries["Associate Town"].reason
    assert "Suspended City" not in entries  # a suspended member does not sit in the meeting at all
    assert roll.frozen_by == staff_user


def test_the_frozen_roll_does_not_follow_later_changes_of_standing(assembly, voters, staff_user):
    voting.freeze_roll(assembly.pk, staff_user.pk)
    Membership.objects.filter(organisation=voters["paris"]).update(
        standing=Standing.SUSPENDED, standing_reason="Decided."
    )
    assert set(voting.roll_of(assembly).values_list("name", flat=True)) == {"Seoul", "Almaty", "Paris"}


def test_the_roll_is_frozen_once(assembly, voters, staff_user):
    voting.freeze_roll(assembly.pk, staff_user.pk)
    with pytest.raises(VotingError, match="already frozen"):
        voting.freeze_roll(assembly.pk, staff_user.pk)
    assert VotingRoll.objects.count() == 1


def test_a_change_to_the_frozen_roll_is_an_act_with_a_reason(assembly, voters, staff_user):
    voting.freeze_roll(assembly.pk, staff_user.pk)
    with pytest.raises(VotingError, match="Say why"):
        voting.change_roll(assembly.pk, voters["paris"].pk, False, "  ", staff_user.pk)
    assert RollEntry.objects.get(organisation=voters["paris"]).entitled

    voting.change_roll(assembly.pk, voters["paris"].pk, False, "Delegate left the hall.", staff_user.pk)

    assert not RollEntry.objects.get(organisation=voters["paris"]).entitled
    change = RollChange.objects.get()
    assert (change.organisation, change.entitled, change.reason, change.changed_by) == (
        voters["paris"],
        False,
        "Delegate left the hall.",
        staff_user,
    )


def test_a_poll_does_not_open_without_quorum_and_opens_with_it(assembly, voters, make_poll, staff_user):
    poll = make_poll()
    present(assembly, voters["seoul"])
    with pytest.raises(VotingError, match="No quorum: 1 of the 3"):
        voting.open_poll(poll.pk, staff_user.pk)
    poll.refresh_from_db()
    assert poll.status == PollStatus.DRAFT

    present(assembly, voters["paris"])
    voting.open_poll(poll.pk, staff_user.pk)
    poll.refresh_from_db()
    assert poll.status == PollStatus.OPEN
    assert poll.quorum_at_opening["represented"] == 2 and poll.quorum_at_opening["required"] == 2
    assert VotingRoll.objects.filter(meeting=assembly).exists()  # opening the first poll froze the roll


def test_a_proxy_held_by_a_member_present_counts_towards_quorum(assembly, voters, make_poll, staff_user, city_user):
    from tests.voting.conftest import accepted_proxy

    present(assembly, voters["seoul"])
    accepted_proxy(assembly, voters["paris"], voters["seoul"], city_user(voters["paris"]), staff_user)
    poll = make_poll()
    voting.open_poll(poll.pk, staff_user.pk)
    assert poll.__class__.objects.get(pk=poll.pk).quorum_at_opening["represented"] == 2


def _open(assembly, voters, make_poll, staff_user, **fields):
    present(assembly, voters["seoul"], voters["almaty"], voters["paris"])
    poll = make_poll(**fields)
    voting.open_poll(poll.pk, staff_user.pk)
    return poll


def test_a_member_casts_one_ballot_and_a_second_is_refused(assembly, voters, make_poll, staff_user, city_user):
    poll = _open(assembly, voters, make_poll, staff_user)
    seoul_user = city_user(voters["seoul"])
    voting.cast_ballot(poll.pk, voters["seoul"].pk, seoul_user.pk, ["yes"])
    with pytest.raises(VotingError, match="already voted"):
        voting.cast_ballot(poll.pk, voters["seoul"].pk, seoul_user.pk, ["no"])
    ballot = Ballot.objects.get()
    assert (ballot.organisation, ballot.choices, ballot.cast_by) == (voters["seoul"], ["yes"], seoul_user)


@pytest.mark.parametrize("who", ["partner", "associate", "outsider"])
def test_a_member_without_a_vote_cannot_cast(assembly, voters, make_poll, staff_user, city_user, make_user, who):
    poll = _open(assembly, voters, make_poll, staff_user)
    user = make_user() if who == "outsider" else city_user(voters[who])
    target = voters["seoul"] if who == "outsider" else voters[who]
    with pytest.raises(VotingError, match="cannot vote"):
        voting.cast_ballot(poll.pk, target.pk, user.pk, ["yes"])
    assert not Ballot.objects.exists()


def test_a_bad_choice_is_refused_and_nothing_is_stored(assembly, voters, make_poll, staff_user, city_user):
    poll = _open(assembly, voters, make_poll, staff_user)
    with pytest.raises(VotingError, match="yes, no or abstain"):
        voting.cast_ballot(poll.pk, voters["seoul"].pk, city_user(voters["seoul"]).pk, ["maybe"])
    assert not Ballot.objects.exists()


def test_closing_counts_writes_the_resolution_and_keeps_the_snapshot(
    assembly, voters, make_poll, staff_user, city_user
):
    poll = _open(assembly, voters, make_poll, staff_user, majority=Majority.TWO_THIRDS_OF_CAST)
    for name, choice in [("seoul", "yes"), ("almaty", "yes"), ("paris", "no")]:
        voting.cast_ballot(poll.pk, voters[name].pk, city_user(voters[name]).pk, [choice])

    voting.close_poll(poll.pk, staff_user.pk)

    poll.refresh_from_db()
    assert poll.result == PollResult.CARRIED  # 2 of 3 is two thirds
    resolution = poll.outcome
    assert (resolution.outcome, resolution.votes_for, resolution.votes_against, resolution.abstaining) == (
        ResolutionOutcome.ADOPTED,
        2,
        1,
        0,
    )
    assert resolution.agenda_item == poll.agenda_item
    assert sorted(poll.snapshot["roll"]) == sorted([voters[n].pk for n in ("seoul", "almaty", "paris")])
    assert poll.snapshot["quorate"] and poll.snapshot["voted"] == 3
    with pytest.raises(VotingError):
        voting.cast_ballot(poll.pk, voters["seoul"].pk, city_user(voters["seoul"]).pk, ["no"])


def test_a_poll_that_loses_its_quorum_closes_without_a_result(assembly, voters, make_poll, staff_user, city_user):
    poll = _open(assembly, voters, make_poll, staff_user)
    voting.cast_ballot(poll.pk, voters["seoul"].pk, city_user(voters["seoul"]).pk, ["yes"])
    assembly.attendances.exclude(organisation=voters["seoul"]).delete()  # two left the hall

    voting.close_poll(poll.pk, staff_user.pk)
    poll.refresh_from_db()
    assert poll.result == PollResult.NO_QUORUM
    assert poll.outcome.outcome == ResolutionOutcome.DEFERRED


@pytest.fixture
def election(assembly, voters, make_poll, staff_user, posts):
    def make(candidates, **fields):
        poll = make_poll(title="President City", method=PollMethod.CANDIDATES, post=posts["president"], **fields)
        for index, name in enumerate(candidates):
            Candidate.objects.create(poll=poll, organisation=voters[name], position=index)
        present(assembly, voters["seoul"], voters["almaty"], voters["paris"])
        voting.open_poll(poll.pk, staff_user.pk)
        return poll

    return make


def test_an_election_without_a_majority_starts_a_run_off_of_the_two_leading(
    election, voters, staff_user, city_user, make_member
):
    poll = election(["seoul", "almaty", "paris"])
    for name, choice in [("seoul", "seoul"), ("almaty", "almaty"), ("paris", "none")]:
        voting.cast_ballot(
            poll.pk, voters[name].pk, city_user(voters[name]).pk, [voters[choice].pk if choice != "none" else "none"]
        )
    voting.close_poll(poll.pk, staff_user.pk)
    poll.refresh_from_db()
    assert poll.result == PollResult.RUNOFF
    runoff = poll.runoffs.get()
    assert set(runoff.candidates.values_list("organisation__name", flat=True)) == {"Seoul", "Almaty"}
    assert runoff.status == PollStatus.DRAFT and runoff.max_choices == 1


def test_an_elected_candidate_is_offered_its_office_in_the_right_term(election, voters, staff_user, city_user, term):
    Office.objects.filter(organisation=voters["seoul"]).delete()  # the post is free
    poll = election(["seoul", "paris"])
    for name in ("seoul", "almaty", "paris"):
        voting.cast_ballot(poll.pk, voters[name].pk, city_user(voters[name]).pk, [str(voters["paris"].pk)])
    voting.close_poll(poll.pk, staff_user.pk)
    poll.refresh_from_db()
    assert poll.result == PollResult.CARRIED and poll.outcome.candidate == voters["paris"]
    assert poll.outcome.outcome == ResolutionOutcome.ELECTED

    (office,) = voting.create_office(poll.pk, staff_user.pk)
    assert (office.organisation, office.post, office.term) == (voters["paris"], poll.post, term)
    with pytest.raises(VotingError, match="already created"):
        voting.create_office(poll.pk, staff_user.pk)


def test_an_office_the_statutes_refuse_is_not_created(election, voters, staff_user, city_user):
    poll = election(["almaty", "paris"])  # Seoul still holds the one President City office
    for name in ("seoul", "almaty", "paris"):
        voting.cast_ballot(poll.pk, voters[name].pk, city_user(voters[name]).pk, [str(voters["paris"].pk)])
    voting.close_poll(poll.pk, staff_user.pk)
    with pytest.raises(VotingError, match="at most 1 holder"):
        voting.create_office(poll.pk, staff_user.pk)
    assert not Office.objects.filter(organisation=voters["paris"]).exists()


def test_a_remote_poll_takes_ballots_only_in_its_window_and_beat_closes_it(
    assembly, voters, make_poll, staff_user, city_user
):
    import datetime

    from django.utils import timezone

    from governance.tasks import close_due_polls

    now = timezone.now()
    poll = make_poll(opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(hours=1))
    voting.open_poll(poll.pk, staff_user.pk)  # remote: nobody present yet, opened all the same
    for name in ("seoul", "almaty"):
        voting.cast_ballot(poll.pk, voters[name].pk, city_user(voters[name]).pk, ["yes"])
    close_due_polls()
    poll.refresh_from_db()
    assert poll.status == PollStatus.OPEN  # the window is still open

    Poll = type(poll)
    Poll.objects.filter(pk=poll.pk).update(closes_at=now - datetime.timedelta(minutes=1))
    with pytest.raises(VotingError, match="not open for votes"):
        voting.cast_ballot(poll.pk, voters["paris"].pk, city_user(voters["paris"]).pk, ["no"])
    close_due_polls()
    poll.refresh_from_db()
    # Those who voted remotely count as present: 2 of 3 make the quorum.
    assert (poll.status, poll.result, poll.snapshot["represented"]) == (PollStatus.CLOSED, PollResult.CARRIED, 2)


def test_a_member_in_arrears_is_left_off_the_roll_with_the_reason(assembly, voters, overdue_invoice, staff_user):
    roll = voting.freeze_roll(assembly.pk, staff_user.pk)
    entry = roll.entries.get(organisation=overdue_invoice.organisation)
    assert not entry.entitled and "in arrears" in entry.reason
