"""One ballot per poll and member under concurrent casts, and the secrecy
of a secret poll: nothing in the database or the logs ties what was voted
to who voted."""

import logging
import threading

import pytest
from django.db import connection, connections

from governance.models import Ballot, Poll, SecretBallot
from governance.services import voting
from governance.services.voting import VotingError
from tests.voting.conftest import present

THREADS = 8


def _cast_from_threads(poll, organisation, users, choices):
    """Each user casts ``organisation``'s ballot from its own thread, on its
    own database connection, released at the same moment."""
    barrier = threading.Barrier(len(users))
    outcomes = []

    def cast(user, choice):
        try:
            barrier.wait()
            voting.cast_ballot(poll.pk, organisation.pk, user.pk, [choice])
            outcomes.append("stored")
        except VotingError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(user, choice)) for user, choice in zip(users, choices, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("secret", [False, True], ids=["named", "secret"])
def test_concurrent_casts_for_one_member_store_exactly_one_ballot(
    assembly, seoul, almaty, paris, make_poll, staff_user, city_user, secret
):
    present(assembly, seoul, almaty, paris)
    poll = make_poll(secret=secret)
    voting.open_poll(poll.pk, staff_user.pk)
    users = [city_user(seoul) for _ in range(THREADS)]  # several logins of Seoul, at once

    outcomes = _cast_from_threads(poll, seoul, users, ["yes", "no"] * (THREADS // 2))

    assert outcomes.count("stored") == 1, outcomes
    assert all("already voted" in outcome for outcome in outcomes if outcome != "stored")
    assert Ballot.objects.filter(poll=poll, organisation=seoul).count() == 1
    assert SecretBallot.objects.filter(poll=poll).count() == (1 if secret else 0)


@pytest.mark.django_db(transaction=True)
def test_a_close_racing_with_casts_counts_every_ballot_stored_and_no_other(
    assembly, seoul, almaty, paris, make_poll, staff_user, city_user
):
    present(assembly, seoul, almaty, paris)
    poll = make_poll()
    voting.open_poll(poll.pk, staff_user.pk)
    members = [seoul, almaty, paris]
    users = {member.pk: city_user(member) for member in members}
    barrier = threading.Barrier(len(members) + 1)

    def cast(member):
        barrier.wait()
        try:
            voting.cast_ballot(poll.pk, member.pk, users[member.pk].pk, ["yes"])
        except VotingError:
            pass
        finally:
            connections.close_all()

    def close():
        barrier.wait()
        voting.close_poll(poll.pk, staff_user.pk)
        connections.close_all()

    threads = [threading.Thread(target=cast, args=(m,)) for m in members] + [threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    poll.refresh_from_db()
    assert poll.counts["counts"]["yes"] == Ballot.objects.filter(poll=poll).count()


@pytest.fixture
def secret_poll(assembly, seoul, almaty, paris, make_poll, staff_user):
    present(assembly, seoul, almaty, paris)
    poll = make_poll(secret=True)
    voting.open_poll(poll.pk, staff_user.pk)
    return poll


@pytest.mark.django_db
def test_a_secret_ballot_keeps_who_voted_apart_from_what_was_voted(
    secret_poll, seoul, almaty, paris, city_user, staff_user, caplog
):
    caplog.set_level(logging.DEBUG)
    receipts = {}
    for member, choice in [(seoul, "yes"), (almaty, "no"), (paris, "abstain")]:
        receipts[member.name] = voting.cast_ballot(secret_poll.pk, member.pk, city_user(member).pk, [choice]).receipt

    # Who voted: the members, and nothing of their choice or of who cast it.
    ballots = Ballot.objects.filter(poll=secret_poll)
    assert set(ballots.values_list("organisation__name", flat=True)) == {"Seoul", "Almaty", "Paris"}
    assert set(ballots.values_list("choices", flat=True)) == {None}
    assert set(ballots.values_list("cast_by", flat=True)) == {None}

    # What was voted: no column but its poll, its choice, its receipt and a random key.
    columns = {field.column for field in SecretBallot._meta.concrete_fields}
    assert columns == {"id", "poll_id", "choices", "receipt"}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
            [SecretBallot._meta.db_table],
        )
        assert {row[0] for row in cursor.fetchall()} == columns
    assert not [field for field in SecretBallot._meta.get_fields() if field.is_relation and field.name != "poll"]

    # Each voter's receipt is among the counted ballots (and is nowhere tied to the voter).
    assert set(SecretBallot.objects.filter(poll=secret_poll).values_list("receipt", flat=True)) == set(
        receipts.values()
    )
    # Nothing logged says what a member voted, or its receipt.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for receipt in receipts.values():
        assert receipt not in logged
    for record in caplog.records:
        message = record.getMessage()
        assert not ("yes" in message.split() or "no" in message.split() or "abstain" in message)


@pytest.mark.django_db(transaction=True)
def test_once_closed_the_order_of_the_secret_ballots_on_disk_says_nothing_of_who_voted_when(
    assembly, seoul, almaty, paris, make_poll, staff_user, city_user, make_member
):
    """Each row remembers the transaction that wrote it (``xmin``): while
    the poll is open, a secret ballot's is its voter's ballot's. Closing
    writes them all again in one transaction, in random order."""
    present(assembly, seoul, almaty, paris)
    poll = make_poll(secret=True)
    voting.open_poll(poll.pk, staff_user.pk)
    for member, choice in [(seoul, "yes"), (almaty, "no"), (paris, "yes")]:
        voting.cast_ballot(poll.pk, member.pk, city_user(member).pk, [choice])

    def writers(table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {table} WHERE poll_id = %s", [poll.pk])
            return {row[0] for row in cursor.fetchall()}

    ballot_writers = writers(Ballot._meta.db_table)
    assert writers(SecretBallot._meta.db_table) == ballot_writers  # the link closing removes

    voting.close_poll(poll.pk, staff_user.pk)

    secret_writers = writers(SecretBallot._meta.db_table)
    assert len(secret_writers) == 1 and not secret_writers & ballot_writers
    assert Poll.objects.get(pk=poll.pk).counts["counts"] == {"yes": 2, "no": 1, "abstain": 0}
