"""Invoice numbers without gaps when invoices are issued at the same time,
each from its own thread and database connection (real PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, transaction

from governance.models import Invoice
from governance.services import dues

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_threads(functions):
    """Run each function in its own thread (so its own connection); return
    their results or raise the first error."""
    results, errors = [None] * len(functions), []

    def run(index, function):
        try:
            results[index] = function()
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    if errors:
        raise errors[0]
    return results


def test_two_invoices_issued_at_once_take_consecutive_numbers(make_member, schedule, today):
    first, second = make_member("First City"), make_member("Second City")
    holding = threading.Event()

    def slow_issue():
        # Takes a number and holds its transaction open while the other
        # thread asks for one: the other must wait for the counter's lock.
        with transaction.atomic():
            invoice = dues.issue_invoice(first.pk)
            holding.set()
            time.sleep(0.5)
        return invoice.number

    def second_issue():
        assert holding.wait(10)
        started = time.monotonic()
        invoice = dues.issue_invoice(second.pk)
        return invoice.number, time.monotonic() - started

    slow, (quick, waited) = run_in_threads([slow_issue, second_issue])
    assert (slow, quick) == (1, 2)
    assert waited >= 0.3, "the second issue waited for the first's lock"


def test_a_rolled_back_issue_gives_its_number_back(make_member, schedule):
    first, second = make_member("First City"), make_member("Second City")
    holding = threading.Event()

    def failed_issue():
        try:
            with transaction.atomic():
                dues.issue_invoice(first.pk)
                holding.set()
                time.sleep(0.3)
                raise RuntimeError("the transaction fails after taking a number")
        except RuntimeError:
            return None

    def second_issue():
        assert holding.wait(10)
        return dues.issue_invoice(second.pk).number

    _none, number = run_in_threads([failed_issue, second_issue])
    assert number == 1
    assert list(Invoice.objects.values_list("number", flat=True)) == [1]


def test_many_invoices_issued_together_have_no_gap_and_no_repeat(make_member, schedule):
    members = [make_member(f"City {n}") for n in range(8)]
    barrier = threading.Barrier(len(members))

    def issuer(member):
        def issue():
            barrier.wait(10)
            return dues.issue_invoice(member.pk).number

        return issue

    numbers = run_in_threads([issuer(member) for member in members])
    assert sorted(numbers) == list(range(1, 9))


def test_two_renewal_runs_at_once_issue_each_invoice_once_without_gaps(make_member, schedule, settings):
    for n in range(6):
        make_member(f"City {n}")
    settings.DUES_RENEWAL_DAYS_AHEAD = 400  # next year is within reach, whatever today is
    barrier = threading.Barrier(2)

    def renew():
        barrier.wait(10)
        return dues.issue_renewals()

    first, second = run_in_threads([renew, renew])
    assert len(first) + len(second) == 6
    assert sorted(Invoice.objects.values_list("number", flat=True)) == list(range(1, 7))
    assert Invoice.objects.values("organisation").distinct().count() == 6
