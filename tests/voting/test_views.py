"""The voting pages as each kind of visitor meets them (the access matrix),
casting through the page, the secretariat's live view and its JSON, the
results on the meeting page and their exports, and query budgets."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import Ballot, Candidate, PollMethod, PollStatus, Proxy
from governance.services import voting
from tests.voting.conftest import accepted_proxy, convene, present, tiny_pdf

pytestmark = pytest.mark.django_db


def votes_url(meeting):
    return reverse("voting:page", args=[meeting.slug])


def cast_url(poll, organisation):
    return reverse("voting:cast", args=[poll.meeting.slug, poll.pk, organisation.pk])


@pytest.fixture
def open_poll(assembly, seoul, almaty, paris, make_poll, staff_user):
    present(assembly, seoul, almaty, paris)
    poll = make_poll()
    voting.open_poll(poll.pk, staff_user.pk)
    return poll


@pytest.fixture
def excom_poll(excom_meeting, seoul, almaty, staff_user):
    from governance.models import AgendaItem, Poll

    convene(excom_meeting)
    item = AgendaItem.objects.create(meeting=excom_meeting, title="Work plan", position=1)
    present(excom_meeting, seoul, almaty)
    poll = Poll.objects.create(meeting=excom_meeting, agenda_item=item, title="Approve the work plan")
    voting.open_poll(poll.pk, staff_user.pk)
    return poll


# who: (status of the voting page, may cast in the GA poll)
GA_MATRIX = {
    "anonymous": (302, False),
    "outsider": (404, False),
    "seoul": (200, True),
    "paris": (200, True),
    "partner": (200, False),
    "suspended": (404, False),
    "staff": (200, False),
}


@pytest.mark.parametrize("who", GA_MATRIX)
def test_who_sees_the_voting_page_and_who_casts_in_a_general_assembly(
    client, cast, open_poll, seoul, paris, partner, suspended_city, who
):
    page_status, may_cast = GA_MATRIX[who]
    if who != "anonymous":
        client.force_login(cast[who])
    assert client.get(votes_url(open_poll.meeting)).status_code == page_status

    organisation = {"partner": partner, "paris": paris, "suspended": suspended_city}.get(who, seoul)
    response = client.post(cast_url(open_poll, organisation), {"choice": "yes"})
    assert response.status_code in (302, 404)
    assert Ballot.objects.filter(poll=open_poll).exists() == may_cast


def test_the_partner_is_told_why_it_has_no_vote(client, partner_user, open_poll):
    client.force_login(partner_user)
    page = client.get(votes_url(open_poll.meeting)).content.decode()
    assert "You carry no vote in this meeting." in page
    assert "not a full member" in page


EXCOM_MATRIX = {"seoul": True, "almaty": True, "paris": False, "partner": False, "staff": False}


@pytest.mark.parametrize("who", EXCOM_MATRIX)
def test_only_excom_members_vote_in_an_excom_poll(client, cast, excom_poll, seoul, almaty, paris, city_user, who):
    user = city_user(almaty) if who == "almaty" else cast[who]
    client.force_login(user)
    member = {"seoul": seoul, "almaty": almaty}.get(who, paris)
    response = client.post(cast_url(excom_poll, member), {"choice": "yes"})
    assert Ballot.objects.filter(poll=excom_poll, organisation=member).exists() == EXCOM_MATRIX[who]
    if who == "paris":
        assert response.status_code == 404  # Paris, a GA-only member, does not even see the meeting
        assert client.get(votes_url(excom_poll.meeting)).status_code == 404


def test_a_ballot_cast_through_the_page_is_confirmed_and_a_second_refused(client, seoul_user, seoul, open_poll):
    client.force_login(seoul_user)
    response = client.post(cast_url(open_poll, seoul), {"choice": "no"}, follow=True)
    assert "The ballot of Seoul is cast" in response.content.decode()
    response = client.post(cast_url(open_poll, seoul), {"choice": "yes"}, follow=True)
    assert "Seoul has already voted in this poll." in response.content.decode()
    assert list(Ballot.objects.values_list("choices", flat=True)) == [["no"]]


def test_a_bad_ballot_is_refused_with_a_message(client, seoul_user, seoul, open_poll):
    client.force_login(seoul_user)
    response = client.post(cast_url(open_poll, seoul), {"choice": ["yes", "no"]}, follow=True)
    assert response.status_code == 200
    assert "Choose yes, no or abstain." in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_secret_ballots_receipt_is_shown_once_and_found_among_the_counted(
    client, seoul_user, seoul, assembly, almaty, paris, make_poll, staff_user
):
    present(assembly, seoul, almaty, paris)
    poll = make_poll(secret=True)
    voting.open_poll(poll.pk, staff_user.pk)
    client.force_login(seoul_user)
    response = client.post(cast_url(poll, seoul), {"choice": "yes"})
    code = voting.SecretBallot.objects.get().receipt
    assert response.status_code == 200 and code in response.content.decode()
    assert code not in str(dict(client.session))  # not kept beside the login
    assert code not in client.get(votes_url(assembly)).content.decode()  # shown once

    voting.close_poll(poll.pk, staff_user.pk)
    assert code in client.get(assembly.get_absolute_url()).content.decode()


def test_a_proxy_is_given_through_the_page_and_a_bad_file_refused(client, paris_user, paris, seoul, assembly):
    client.force_login(paris_user)
    url = reverse("voting:give_proxy", args=[assembly.slug, paris.pk])
    bad = SimpleUploadedFile("proxy.pdf", b"not a pdf", "application/pdf")
    response = client.post(url, {"holder": seoul.pk, "form": bad})
    assert response.status_code == 400
    assert "not a PDF file" in response.content.decode()
    assert not Proxy.objects.exists()

    good = SimpleUploadedFile("proxy.pdf", tiny_pdf("signed"), "application/pdf")
    response = client.post(url, {"holder": seoul.pk, "form": good}, follow=True)
    assert "is submitted" in response.content.decode()
    proxy = Proxy.objects.get()
    # Both sides see it, and the form downloads for them and the secretariat only.
    assert "Awaiting the secretariat" in client.get(votes_url(assembly)).content.decode()
    form_url = reverse("voting:proxy_form", args=[assembly.slug, proxy.pk])
    assert client.get(form_url).status_code == 200


def test_the_holder_sees_the_votes_it_carries_before_the_poll(
    client, seoul_user, seoul, paris, paris_user, assembly, staff_user
):
    accepted_proxy(assembly, paris, seoul, paris_user, staff_user)
    client.force_login(seoul_user)
    page = client.get(votes_url(assembly)).content.decode()
    assert "by proxy, held by Seoul" in page and "Paris" in page


LIVE_MATRIX = {"anonymous": 302, "outsider": 404, "seoul": 404, "partner": 404, "staff": 200}


@pytest.mark.parametrize("who", LIVE_MATRIX)
def test_only_the_secretariat_opens_the_live_view_and_its_feed(client, cast, open_poll, who):
    if who != "anonymous":
        client.force_login(cast[who])
    meeting = open_poll.meeting
    assert client.get(reverse("voting:live", args=[meeting.slug])).status_code == LIVE_MATRIX[who]
    assert client.get(reverse("voting:live_status", args=[meeting.slug])).status_code == LIVE_MATRIX[who]
    response = client.post(reverse("voting:poll_act", args=[meeting.slug, open_poll.pk, "close"]))
    open_poll.refresh_from_db()
    assert (open_poll.status == PollStatus.CLOSED) == (who == "staff")
    assert response.status_code in (302, 404)


def test_the_live_feed_counts_who_voted_and_names_who_has_not(client, staff_user, seoul_user, seoul, open_poll):
    voting.cast_ballot(open_poll.pk, seoul.pk, seoul_user.pk, ["yes"])
    client.force_login(staff_user)
    data = client.get(reverse("voting:live_status", args=[open_poll.meeting.slug])).json()
    assert data == {
        "polls": [
            {"id": open_poll.pk, "title": open_poll.title, "roll": 3, "voted": 1, "not_voted": ["Almaty", "Paris"]}
        ]
    }


def test_the_secretariat_refuses_a_proxy_only_with_a_reason(client, staff_user, paris_user, paris, seoul, assembly):
    proxy = voting.give_proxy(
        assembly.pk, paris.pk, seoul.pk, SimpleUploadedFile("p.pdf", tiny_pdf(), "application/pdf"), paris_user.pk
    )
    client.force_login(staff_user)
    url = reverse("voting:decide_proxy", args=[assembly.slug, proxy.pk, "refuse"])
    assert "Say why" in client.post(url, {"note": ""}, follow=True).content.decode()
    client.post(url, {"note": "Unsigned."})
    proxy.refresh_from_db()
    assert (proxy.status, proxy.note) == ("refused", "Unsigned.")


def _closed_election(assembly, seoul, almaty, paris, make_poll, staff_user, posts, city_user):
    poll = make_poll(title="President City", method=PollMethod.CANDIDATES, post=posts["president"])
    Candidate.objects.create(poll=poll, organisation=seoul)
    Candidate.objects.create(poll=poll, organisation=almaty)
    present(assembly, seoul, almaty, paris)
    voting.open_poll(poll.pk, staff_user.pk)
    for member in (seoul, almaty, paris):
        voting.cast_ballot(poll.pk, member.pk, city_user(member).pk, [str(seoul.pk)])
    voting.close_poll(poll.pk, staff_user.pk)
    return poll


def test_results_show_on_the_meeting_page_and_export_as_csv(
    client, seoul_user, assembly, seoul, almaty, paris, make_poll, staff_user, posts, city_user
):
    _closed_election(assembly, seoul, almaty, paris, make_poll, staff_user, posts, city_user)
    client.force_login(seoul_user)
    page = client.get(assembly.get_absolute_url()).content.decode()
    assert "President City" in page and "Carried" in page and "Who voted how" in page

    response = client.get(reverse("voting:results_csv", args=[assembly.slug]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    counts = {row["option"]: int(row["votes"]) for row in rows if not row["member"]}
    assert counts == {"Seoul": 3, "Almaty": 0, "None of these": 0, "Abstain": 0}
    assert {row["member"] for row in rows if row["member"]} == {"Seoul", "Almaty", "Paris"}


def test_the_results_are_valid_popolo_vote_events(
    client, seoul_user, assembly, seoul, almaty, paris, make_poll, staff_user, posts, city_user
):
    from tests.governance.test_popolo import errors

    _closed_election(assembly, seoul, almaty, paris, make_poll, staff_user, posts, city_user)
    client.force_login(seoul_user)
    (event,) = client.get(reverse("voting:results_popolo", args=[assembly.slug])).json()["vote_events"]
    assert errors("vote_event", event) == []
    assert {count["option"]: count["value"] for count in event["counts"]}[seoul.slug] == 3
    assert {vote["voter_id"] for vote in event["votes"]} == {seoul.slug, almaty.slug, paris.slug}
    assert event["result"] == "carried"


def test_the_meeting_page_costs_the_same_for_one_poll_or_many(
    client, seoul_user, assembly, seoul, almaty, paris, make_poll, staff_user, city_user, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    present(assembly, seoul, almaty, paris)
    users = {member.pk: city_user(member) for member in (seoul, almaty, paris)}

    def closed_polls(count):
        for _ in range(count):
            poll = make_poll()
            voting.open_poll(poll.pk, staff_user.pk)
            for member in (seoul, almaty, paris):
                voting.cast_ballot(poll.pk, member.pk, users[member.pk].pk, ["yes"])
            voting.close_poll(poll.pk, staff_user.pk)

    client.force_login(seoul_user)
    closed_polls(1)
    with CaptureQueriesContext(connection) as few:
        client.get(assembly.get_absolute_url())
    closed_polls(4)
    with CaptureQueriesContext(connection) as many:
        client.get(assembly.get_absolute_url())
    assert len(many) == len(few)


def test_the_voting_page_costs_the_same_for_one_poll_or_many(
    client, assembly, seoul, almaty, paris, paris_user, make_poll, staff_user, city_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    present(assembly, seoul, almaty, paris)
    seoul_user = city_user(seoul)
    accepted_proxy(assembly, paris, seoul, paris_user, staff_user)

    def polls(count):
        for _ in range(count):
            poll = make_poll()
            voting.open_poll(poll.pk, staff_user.pk)
            voting.cast_ballot(poll.pk, seoul.pk, seoul_user.pk, ["yes"])

    client.force_login(seoul_user)
    polls(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(votes_url(assembly)).status_code == 200
    polls(4)
    with CaptureQueriesContext(connection) as many:
        client.get(votes_url(assembly))
    assert len(many) == len(few)


def test_the_secretariat_creates_the_elected_members_office_from_the_live_view(
    client, assembly, seoul, almaty, paris, make_poll, staff_user, posts, city_user
):
    from governance.models import Office

    Office.objects.filter(organisation=seoul).delete()
    poll = _closed_election(assembly, seoul, almaty, paris, make_poll, staff_user, posts, city_user)
    client.force_login(staff_user)
    live = client.get(reverse("voting:live", args=[assembly.slug])).content.decode()
    assert "Create the office of President City" in live
    url = reverse("voting:poll_act", args=[assembly.slug, poll.pk, "office"])
    assert "is created" in client.post(url, follow=True).content.decode()
    assert Office.objects.filter(organisation=seoul, post=posts["president"]).count() == 1
    assert "already created" in client.post(url, follow=True).content.decode()


def test_a_members_own_page_lists_the_open_polls_of_its_meetings_only(client, cast, open_poll, excom_meeting):
    client.force_login(cast["paris"])
    page = client.get(reverse("member_home:index")).content.decode()
    assert "Open polls" in page and open_poll.title in page
    client.force_login(cast["outsider"])
    assert open_poll.title not in client.get(reverse("member_home:index")).content.decode()


def test_the_live_view_and_its_feed_cost_the_same_for_one_poll_or_many(
    client, assembly, seoul, almaty, paris, make_poll, staff_user, city_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    present(assembly, seoul, almaty, paris)
    seoul_user = city_user(seoul)

    def polls(count):
        for index in range(count):
            poll = make_poll(secret=bool(index % 2))
            voting.open_poll(poll.pk, staff_user.pk)
            voting.cast_ballot(poll.pk, seoul.pk, seoul_user.pk, ["yes"])

    def queries(name):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name, args=[assembly.slug])).status_code == 200
        return len(captured)

    client.force_login(staff_user)
    polls(2)
    few = queries("voting:live"), queries("voting:live_status")
    polls(6)
    assert (queries("voting:live"), queries("voting:live_status")) == few


def test_a_member_in_arrears_sees_its_meetings_polls_but_cannot_vote(client, overdue_invoice, open_poll, city_user):
    dortmund = overdue_invoice.organisation
    entry = open_poll.meeting.voting_roll.entries.get(organisation=dortmund)  # frozen as the poll opened
    assert not entry.entitled and "in arrears" in entry.reason
    client.force_login(city_user(dortmund))
    page = client.get(votes_url(open_poll.meeting))
    assert page.status_code == 200
    assert "You carry no vote in this meeting." in page.content.decode()
    assert "in arrears" in page.content.decode()
    client.post(cast_url(open_poll, dortmund), {"choice": "yes"})
    assert not Ballot.objects.filter(organisation=dortmund).exists()
