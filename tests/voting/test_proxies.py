"""Proxies: given with a signed PDF, accepted or refused by the secretariat
within the body's cap per holder, revocable until the first poll opens;
the grantor does not vote while its proxy stands, the holder carries it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.access import voting_rights
from governance.models import Ballot, Proxy, ProxyStatus
from governance.services import voting
from governance.services.voting import VotingError
from tests.voting.conftest import accepted_proxy, present, tiny_pdf

pytestmark = pytest.mark.django_db


def pdf(name="proxy.pdf", content=None):
    return SimpleUploadedFile(name, content if content is not None else tiny_pdf("signed"), "application/pdf")


@pytest.fixture
def people(seoul, almaty, paris, city_user):
    return {"seoul": city_user(seoul), "almaty": city_user(almaty), "paris": city_user(paris)}


def test_a_proxy_is_given_with_a_signed_pdf_and_awaits_the_secretariat(assembly, seoul, paris, people):
    proxy = voting.give_proxy(assembly.pk, paris.pk, seoul.pk, pdf(), people["paris"].pk)
    assert (proxy.status, proxy.grantor, proxy.holder, proxy.submitted_by) == (
        ProxyStatus.SUBMITTED,
        paris,
        seoul,
        people["paris"],
    )
    assert proxy.form.read(5) == b"%PDF-"


@pytest.mark.parametrize(
    "upload, message",
    [
        (pdf("proxy.docx"), "as a PDF"),
        (pdf("proxy.pdf", b"<html>not a pdf</html>"), "not a PDF"),
    ],
    ids=["not a pdf name", "not pdf content"],
)
def test_a_form_that_is_not_a_pdf_is_refused_and_nothing_saved(assembly, seoul, paris, people, upload, message):
    with pytest.raises(VotingError, match=message):
        voting.give_proxy(assembly.pk, paris.pk, seoul.pk, upload, people["paris"].pk)
    assert not Proxy.objects.exists()


def test_only_a_member_with_a_vote_gives_or_holds_a_proxy_and_only_its_own(
    assembly, seoul, paris, partner, people, city_user
):
    with pytest.raises(VotingError, match="only for your own"):
        voting.give_proxy(assembly.pk, paris.pk, seoul.pk, pdf(), people["seoul"].pk)
    with pytest.raises(VotingError, match="another member with a vote"):
        voting.give_proxy(assembly.pk, paris.pk, partner.pk, pdf(), people["paris"].pk)
    with pytest.raises(VotingError, match="no vote in this meeting"):
        voting.give_proxy(assembly.pk, partner.pk, seoul.pk, pdf(), city_user(partner).pk)
    with pytest.raises(VotingError, match="to itself"):
        voting.give_proxy(assembly.pk, paris.pk, paris.pk, pdf(), people["paris"].pk)
    assert not Proxy.objects.exists()


def test_the_secretariat_refuses_with_a_reason_and_accepts_within_the_cap(
    assembly, seoul, almaty, paris, people, staff_user, make_member, city_user
):
    proxy = voting.give_proxy(assembly.pk, paris.pk, seoul.pk, pdf(), people["paris"].pk)
    with pytest.raises(VotingError, match="Say why"):
        voting.decide_proxy(proxy.pk, False, "", staff_user.pk)
    voting.decide_proxy(proxy.pk, False, "The form is not signed.", staff_user.pk)
    proxy.refresh_from_db()
    assert (proxy.status, proxy.note, proxy.decided_by) == (ProxyStatus.REFUSED, "The form is not signed.", staff_user)

    accepted_proxy(assembly, paris, seoul, people["paris"], staff_user)  # given again, accepted
    assert assembly.body.proxies_per_holder == 1
    second = voting.give_proxy(assembly.pk, almaty.pk, seoul.pk, pdf(), people["almaty"].pk)
    with pytest.raises(VotingError, match="already holds 1 proxy, the most"):
        voting.decide_proxy(second.pk, True, "", staff_user.pk)

    assembly.body.proxies_per_holder = 2
    assembly.body.save()
    voting.decide_proxy(second.pk, True, "", staff_user.pk)
    assert Proxy.objects.filter(holder=seoul, status=ProxyStatus.ACCEPTED).count() == 2


def test_a_member_gives_one_proxy_at_a_time_and_no_chains(assembly, seoul, almaty, paris, people, staff_user):
    voting.give_proxy(assembly.pk, paris.pk, seoul.pk, pdf(), people["paris"].pk)
    with pytest.raises(VotingError, match="already given a proxy"):
        voting.give_proxy(assembly.pk, paris.pk, almaty.pk, pdf(), people["paris"].pk)
    with pytest.raises(VotingError, match="given its own vote away"):
        voting.give_proxy(assembly.pk, almaty.pk, paris.pk, pdf(), people["almaty"].pk)
    with pytest.raises(VotingError, match="holds a proxy"):
        voting.give_proxy(assembly.pk, seoul.pk, almaty.pk, pdf(), people["seoul"].pk)


def test_the_holder_sees_the_votes_it_carries_before_a_poll_opens_and_the_grantor_votes_no_more(
    assembly, seoul, almaty, paris, people, staff_user, make_poll
):
    assert [r.organisation for r in voting_rights(people["paris"], assembly)] == [paris]
    proxy = voting.give_proxy(assembly.pk, paris.pk, seoul.pk, pdf(), people["paris"].pk)
    assert voting_rights(people["paris"], assembly) == []  # submitted: it stands
    assert [r.organisation for r in voting_rights(people["seoul"], assembly)] == [seoul]  # not yet accepted
    voting.decide_proxy(proxy.pk, True, "", staff_user.pk)
    rights = voting_rights(people["seoul"], assembly)
    assert [(r.organisation, r.proxy) for r in rights] == [(seoul, None), (paris, proxy)]

    present(assembly, seoul, almaty)
    poll = make_poll()
    voting.open_poll(poll.pk, staff_user.pk)
    with pytest.raises(VotingError, match="cannot vote"):
        voting.cast_ballot(poll.pk, paris.pk, people["paris"].pk, ["no"])
    voting.cast_ballot(poll.pk, paris.pk, people["seoul"].pk, ["yes"])
    ballot = Ballot.objects.get(organisation=paris)
    assert (ballot.proxy, ballot.cast_by, ballot.choices) == (proxy, people["seoul"], ["yes"])


def test_a_proxy_is_revocable_by_its_grantor_until_the_first_poll_opens(
    assembly, seoul, almaty, paris, people, staff_user, make_poll
):
    proxy = accepted_proxy(assembly, paris, seoul, people["paris"], staff_user)
    with pytest.raises(VotingError, match="Only the member that gave"):
        voting.revoke_proxy(proxy.pk, people["seoul"].pk)
    voting.revoke_proxy(proxy.pk, people["paris"].pk)
    proxy.refresh_from_db()
    assert proxy.status == ProxyStatus.REVOKED and proxy.revoked_at
    assert [r.organisation for r in voting_rights(people["paris"], assembly)] == [paris]

    again = accepted_proxy(assembly, paris, seoul, people["paris"], staff_user)
    present(assembly, seoul, almaty)
    voting.open_poll(make_poll().pk, staff_user.pk)
    with pytest.raises(VotingError, match="can no longer be revoked"):
        voting.revoke_proxy(again.pk, people["paris"].pk)
    with pytest.raises(VotingError, match="can no longer be given"):
        voting.give_proxy(assembly.pk, almaty.pk, seoul.pk, pdf(), people["almaty"].pk)
    again.refresh_from_db()
    assert again.status == ProxyStatus.ACCEPTED


def test_a_member_votes_through_its_registered_delegate_or_an_alternate_only(assembly, seoul, make_user, make_contact):
    from governance.models import Registration
    from members.models import ContactRoleType

    technical = make_user("tech@seoul.example")
    make_contact(seoul, role=ContactRoleType.TECHNICAL, user=technical, email=technical.email)
    delegate = make_user("delegate@seoul.example")
    make_contact(seoul, role=ContactRoleType.COMMUNICATIONS, user=delegate, email=delegate.email)
    alternate = make_user("alternate@seoul.example")
    make_contact(seoul, role=ContactRoleType.GA_DELEGATE, user=alternate, email=alternate.email)
    Registration.objects.create(
        meeting=assembly, organisation=seoul, name="D", email="Delegate@seoul.example", is_voting_delegate=True
    )

    assert voting_rights(technical, assembly) == []
    assert [r.organisation for r in voting_rights(delegate, assembly)] == [seoul]
    assert [r.organisation for r in voting_rights(alternate, assembly)] == [seoul]
