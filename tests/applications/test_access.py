"""Who sees an application's page and its letter: the private link is the
only key for the public side; the admin's letter is for staff. Anonymous,
the applicant, another applicant, a member and staff."""

import pytest
from django.urls import reverse

from governance.models import ApplicationState

S = ApplicationState


@pytest.fixture
def mine(make_application):
    return make_application(name="Lyon")


@pytest.fixture
def theirs(make_application):
    return make_application(name="Nantes", liaison_email="n@nantes.example", political_email="m@nantes.example")


@pytest.fixture
def member_client(client, make_member, make_contact, make_user):
    user = make_user("member@paris.example")
    make_contact(make_member("Paris"), user=user)
    client.force_login(user)
    return client


def status_url(application):
    return reverse("applications:status", args=[application.private_token()])


def letter_url(application):
    return reverse("applications:letter", args=[application.private_token()])


def tampered(application):
    """The application's token with its signature's last character changed."""
    token = application.private_token()
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def test_the_applicant_sees_their_page_and_letter_with_the_link(client, mine):
    response = client.get(status_url(mine))
    assert response.status_code == 200
    html = response.content.decode()
    assert mine.reference in html and "Lyon" in html and "Submitted" in html
    assert response["Cache-Control"] == "private, no-store" and response["Referrer-Policy"] == "no-referrer"
    letter = client.get(letter_url(mine))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF-")


def test_one_applicants_link_opens_nothing_of_anothers(client, mine, theirs):
    html = client.get(status_url(mine)).content.decode()
    assert theirs.reference not in html and "Nantes" not in html
    assert mine.private_token() != theirs.private_token()


@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
def test_without_the_right_link_everyone_gets_404(request, client, mine, who):
    if who == "member":
        request.getfixturevalue("member_client")
    elif who == "staff":
        client.force_login(request.getfixturevalue("staff_user"))
    for url in (
        reverse("applications:status", args=[tampered(mine)]),
        reverse("applications:letter", args=[tampered(mine)]),
        f"/members/apply/{mine.pk}/",
        f"/members/apply/{mine.pk}/letter.pdf",
        "/members/apply/not-a-token/",
    ):
        assert client.get(url).status_code == 404, url


def test_a_link_of_an_unsigned_id_opens_nothing(client, mine):
    assert client.get(f"/members/apply/{mine.pk}:forged/").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("member", 302), ("staff", 200)])
def test_the_admins_letter_is_for_staff(request, client, mine, who, status):
    if who == "member":
        request.getfixturevalue("member_client")
    elif who == "staff":
        client.force_login(request.getfixturevalue("staff_user"))
    response = client.get(reverse("admin:governance_application_letter", args=[mine.pk]))
    assert response.status_code == status
    if status == 302:
        assert "/login/" in response["Location"]
    else:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_applicant_withdraws_from_their_page(client, mine):
    url = reverse("applications:withdraw", args=[mine.private_token()])
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": "We joined another network."})
    assert response.status_code == 302 and response["Location"] == status_url(mine)
    mine.refresh_from_db()
    assert mine.state == S.WITHDRAWN
    assert mine.last_transition().reason == "We joined another network." and mine.last_transition().by_applicant
    page = client.get(status_url(mine)).content.decode()
    assert "Withdrawn" in page and 'action="' + url not in page  # no second withdrawal offered
    again = client.post(url, {"reason": ""}, follow=True)
    assert "cannot be withdrawn" in again.content.decode()
    mine.refresh_from_db()
    assert mine.state == S.WITHDRAWN


def test_a_withdrawal_through_a_tampered_link_changes_nothing(client, mine):
    url = reverse("applications:withdraw", args=[tampered(mine)])
    assert client.post(url, {"reason": ""}).status_code == 404
    mine.refresh_from_db()
    assert mine.state == S.SUBMITTED


def test_the_rejection_reason_is_shown_to_the_applicant(client, make_application, staff_user):
    from governance.services import applications as services

    application = make_application(S.UNDER_REVIEW)
    services.reject(application.pk, staff_user.pk, "Outside the statutes.")
    html = client.get(status_url(application)).content.decode()
    assert "Outside the statutes." in html and "Rejected" in html


@pytest.mark.parametrize("state", list(S))
def test_withdrawing_through_the_page_from_every_state(client, make_application, state):
    from governance.models.applications import transition_for

    application = make_application(state)
    page = client.get(status_url(application)).content.decode()
    allowed = transition_for("withdraw", state) is not None
    assert ("Withdraw the application" in page) == allowed
    response = client.post(reverse("applications:withdraw", args=[application.private_token()]), follow=True)
    application.refresh_from_db()
    if allowed:
        assert application.state == S.WITHDRAWN and "is withdrawn" in response.content.decode()
    else:
        assert application.state == state and "cannot be withdrawn" in response.content.decode()
