"""Good standing, decided in one place (governance.models.standing): who
carries a vote, and why not, as the quorum and the delegate form see it."""

import datetime

import pytest

from governance.models import full_members, in_arrears, vote_of, voting_members
from governance.services import dues
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


# --- Arrears: a full member unpaid past its grace period loses its vote -------
@pytest.fixture
def arrears(overdue_invoice):
    """A full member whose invoice is unpaid past its grace period."""
    return overdue_invoice.organisation


@pytest.mark.django_db
def test_a_member_in_arrears_carries_no_vote_and_is_told_why(arrears, overdue_invoice, today):
    assert arrears not in set(voting_members(Organisation.objects.all(), today))
    vote = vote_of(arrears, today)
    assert not vote
    assert "in arrears" in vote.reason and overdue_invoice.reference in vote.reason
    assert set(in_arrears(Organisation.objects.all(), today)) == {arrears}


@pytest.mark.django_db
def test_arrears_begin_the_day_after_the_grace_period(arrears, overdue_invoice):
    last_day_of_grace = overdue_invoice.arrears_on - datetime.timedelta(days=1)
    assert vote_of(arrears, last_day_of_grace)
    assert arrears in set(voting_members(Organisation.objects.all(), last_day_of_grace))
    assert not vote_of(arrears, overdue_invoice.arrears_on)


@pytest.mark.django_db
def test_an_unpaid_invoice_within_its_grace_period_keeps_the_vote(make_member, issue, today):
    city = make_member("Late City")
    invoice = issue(city, on=today - datetime.timedelta(days=40))  # due 10 days ago, 60 days' grace
    assert invoice.due_on < today < invoice.arrears_on
    assert vote_of(city, today)


@pytest.mark.django_db
def test_paying_in_part_is_not_enough_paying_in_full_restores_the_vote(arrears, overdue_invoice, today):
    dues.record_payment(overdue_invoice.pk, "999.99", today)
    assert not vote_of(arrears, today)
    dues.record_payment(overdue_invoice.pk, "0.01", today)
    assert vote_of(arrears, today)
    assert arrears in set(voting_members(Organisation.objects.all(), today))


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["void", "credit"])
def test_a_voided_or_credited_invoice_no_longer_counts(arrears, overdue_invoice, today, action):
    {"void": dues.void_invoice, "credit": dues.credit_invoice}[action](overdue_invoice.pk, "Waived")
    assert vote_of(arrears, today)


@pytest.mark.django_db
def test_arrears_and_the_other_rules_agree_row_by_row_and_as_a_query(members, arrears, today):
    voting = set(voting_members(Organisation.objects.all(), today))
    for organisation in [*members.values(), arrears]:
        assert bool(vote_of(organisation, today)) == (organisation in voting)


@pytest.mark.django_db
def test_a_member_in_arrears_does_not_count_in_the_quorum(ga, term, arrears, make_member, today):
    from tests.meetings.conftest import make_meeting

    make_member("Paying City")
    meeting = make_meeting(ga, term, days_ahead=0)
    assert set(meeting.voting_organisations().values_list("name", flat=True)) == {"Paying City"}
    assert meeting.quorum().voters == 1
    # It keeps its seat and its meetings: it is still invited.
    assert meeting.invited_organisations().filter(pk=arrears.pk).exists()


@pytest.mark.django_db
def test_a_member_in_arrears_cannot_name_a_voting_delegate(ga, term, arrears, make_user, make_contact):
    from governance.services.meetings import MeetingError, register_delegate
    from tests.meetings.conftest import make_meeting

    user = make_user("focal@arrears.example")
    make_contact(arrears, user=user, email=user.email)
    meeting = make_meeting(ga, term)
    with pytest.raises(MeetingError, match="in arrears"):
        register_delegate(meeting.pk, arrears.pk, user.pk, "Ana", "ana@arrears.example", is_voting_delegate=True)
    # An observer it may still send.
    register_delegate(meeting.pk, arrears.pk, user.pk, "Ana", "ana@arrears.example", is_voting_delegate=False)


@pytest.mark.django_db
def test_the_meeting_page_tells_the_member_why_it_has_no_voting_delegate(
    client, ga, term, arrears, overdue_invoice, make_user, make_contact
):
    from django.urls import reverse

    from tests.meetings.conftest import make_meeting

    user = make_user("focal@arrears.example")
    make_contact(arrears, user=user, email=user.email)
    meeting = make_meeting(ga, term)
    client.force_login(user)
    page = client.get(reverse("meetings:detail", args=[meeting.slug])).content.decode()
    assert "is in arrears" in page and overdue_invoice.reference in page
    assert 'name="is_voting_delegate"' not in page
