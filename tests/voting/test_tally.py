"""The count and the required majority, as a table: each row a poll's
ballots, its majority and quorum, and the result it must give."""

import pytest

from governance.models import Majority, PollMethod, PollResult, tally

Y, N, A = ["yes"], ["no"], ["abstain"]
SIMPLE, ABSOLUTE, TWO_THIRDS, TWO_THIRDS_ROLL = (
    Majority.SIMPLE_OF_CAST,
    Majority.ABSOLUTE_OF_ROLL,
    Majority.TWO_THIRDS_OF_CAST,
    Majority.TWO_THIRDS_OF_ROLL,
)

# (why, ballots, majority, abstentions count, roll, quorate, result)
YES_NO = [
    ("more yes than no carries", [Y] * 3 + [N] * 2, SIMPLE, False, 10, True, PollResult.CARRIED),
    ("a tie fails", [Y] * 2 + [N] * 2, SIMPLE, False, 10, True, PollResult.FAILED),
    (
        "abstentions not counted: 2 yes, 1 no, 5 abstain carries",
        [Y] * 2 + N + [A] * 5,
        SIMPLE,
        False,
        10,
        True,
        PollResult.CARRIED,
    ),
    ("abstentions counted: the same ballots fail", [Y] * 2 + [N] + [A] * 5, SIMPLE, True, 10, True, PollResult.FAILED),
    ("absolute majority of the roll: 5 of 10 is not enough", [Y] * 5, ABSOLUTE, False, 10, True, PollResult.FAILED),
    ("absolute majority of the roll: 6 of 10 is", [Y] * 6 + [N] * 4, ABSOLUTE, False, 10, True, PollResult.CARRIED),
    (
        "two thirds of the cast: 6 of 9 is exactly two thirds",
        [Y] * 6 + [N] * 3,
        TWO_THIRDS,
        False,
        20,
        True,
        PollResult.CARRIED,
    ),
    ("two thirds of the cast: 5 of 8 is short", [Y] * 5 + [N] * 3, TWO_THIRDS, False, 20, True, PollResult.FAILED),
    (
        "two thirds of the cast, abstentions counted: 6 yes of 10 is short",
        [Y] * 6 + [N] * 3 + [A],
        TWO_THIRDS,
        True,
        20,
        True,
        PollResult.FAILED,
    ),
    ("two thirds of the roll: 13 of 20 is short", [Y] * 13, TWO_THIRDS_ROLL, False, 20, True, PollResult.FAILED),
    ("two thirds of the roll: 14 of 20 carries", [Y] * 14, TWO_THIRDS_ROLL, False, 20, True, PollResult.CARRIED),
    ("no quorum, whatever the votes", [Y] * 9, SIMPLE, False, 20, False, PollResult.NO_QUORUM),
    ("nobody voted: failed, not carried", [], SIMPLE, False, 10, True, PollResult.FAILED),
    ("only abstentions: nothing cast, failed", [A] * 4, SIMPLE, False, 10, True, PollResult.FAILED),
]


@pytest.mark.parametrize(
    "ballots, majority, abstentions, roll, quorate, expected", [row[1:] for row in YES_NO], ids=[r[0] for r in YES_NO]
)
def test_a_yes_no_poll_is_counted_against_its_majority(ballots, majority, abstentions, roll, quorate, expected):
    result = tally(
        ballots,
        method=PollMethod.YES_NO_ABSTAIN,
        majority=majority,
        abstentions_count=abstentions,
        roll=roll,
        quorate=quorate,
    )
    assert result.result == expected
    assert result.counts == {"yes": ballots.count(Y), "no": ballots.count(N), "abstain": ballots.count(A)}


# Candidates 1, 2, 3 for one seat (or two).
C1, C2, C3, NONE = ["1"], ["2"], ["3"], ["none"]
ELECTIONS = [
    ("an absolute majority of the cast elects", [C1] * 4 + [C2] * 2 + [C3], 1, True, PollResult.CARRIED, ["1"], []),
    (
        "no absolute majority: run-off of the two leading",
        [C1] * 3 + [C2] * 2 + [C3] * 2 + NONE,
        1,
        True,
        PollResult.RUNOFF,
        [],
        ["1", "2", "3"],
    ),
    (
        "no absolute majority, clear second: run-off of two",
        [C1] * 4 + [C2] * 3 + [C3] * 2,
        1,
        True,
        PollResult.RUNOFF,
        [],
        ["1", "2"],
    ),
    (
        "a tie between the first two: run-off of those two",
        [C1] * 3 + [C2] * 3 + [C3],
        1,
        True,
        PollResult.RUNOFF,
        [],
        ["1", "2"],
    ),
    (
        "'none of these' counts against the candidates",
        [C1] * 3 + [NONE] * 3,
        1,
        True,
        PollResult.RUNOFF,
        [],
        ["1", "2"],
    ),
    ("in a run-off, no majority fails", [C1] * 2 + [C2] * 2, 1, False, PollResult.FAILED, [], []),
    (
        "two seats: each with a majority of the ballots is elected",
        [["1", "2"]] * 3 + [["1", "3"]] * 2,
        2,
        True,
        PollResult.CARRIED,
        ["1", "2"],
        [],
    ),
]


@pytest.mark.parametrize(
    "ballots, seats, runoff_allowed, expected, elected, runoff",
    [row[1:] for row in ELECTIONS],
    ids=[row[0] for row in ELECTIONS],
)
def test_an_election_elects_or_goes_to_a_run_off(ballots, seats, runoff_allowed, expected, elected, runoff):
    result = tally(
        ballots,
        method=PollMethod.CANDIDATES,
        majority=SIMPLE,
        abstentions_count=False,
        roll=30,
        quorate=True,
        max_choices=seats,
        candidates=[1, 2, 3],
        runoff_allowed=runoff_allowed,
    )
    assert (result.result, result.elected, result.runoff) == (expected, elected, runoff)
    assert result.voters == len(ballots)


def test_an_election_without_quorum_elects_nobody():
    result = tally(
        [C1] * 9,
        method=PollMethod.CANDIDATES,
        majority=SIMPLE,
        abstentions_count=False,
        roll=30,
        quorate=False,
        candidates=[1, 2],
    )
    assert (result.result, result.elected) == (PollResult.NO_QUORUM, [])
