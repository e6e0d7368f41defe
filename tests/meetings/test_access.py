"""The access-control matrix: every meeting page, document and .ics for each
kind of visitor, with the answer each must get.

200 = shown; 302 = sent to the login page; 404 = not there for them.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "outsider", "suspended", "partner", "paris", "seoul", "staff"]


def row(target, *answers):
    return [(target, who, answer) for who, answer in zip(WHO, answers, strict=True)]


MATRIX = [
    # target                       anon outsider susp partner paris seoul staff
    *row("list", 200, 200, 200, 200, 200, 200, 200),
    *row("ga", 302, 404, 404, 200, 200, 200, 200),
    *row("excom", 302, 404, 404, 404, 404, 200, 200),
    *row("ga.ics", 200, 200, 200, 200, 200, 200, 200),
    *row("excom.ics", 200, 200, 200, 200, 200, 200, 200),
    *row("ga/public", 200, 200, 200, 200, 200, 200, 200),
    *row("ga/members", 302, 404, 404, 200, 200, 200, 200),
    *row("ga/body", 302, 404, 404, 404, 200, 200, 200),
    *row("ga/draft", 302, 404, 404, 404, 404, 404, 200),
    *row("excom/public", 200, 200, 200, 200, 200, 200, 200),
    *row("excom/members", 302, 404, 404, 404, 404, 200, 200),
    *row("excom/body", 302, 404, 404, 404, 404, 200, 200),
    *row("excom/draft", 302, 404, 404, 404, 404, 404, 200),
    *row("my", 302, 200, 200, 200, 200, 200, 200),
]


@pytest.fixture
def url_of(ga_meeting, excom_meeting):
    meetings = {"ga": ga_meeting, "excom": excom_meeting}

    def url(target):
        if target == "list":
            return reverse("meetings:list")
        if target == "my":
            return reverse("member_home:index")
        if target.endswith(".ics"):
            return meetings[target[:-4]].get_ics_url()
        if "/" in target:
            meeting, visibility = target.split("/")
            return meetings[meeting].test_documents[visibility].get_absolute_url()
        return meetings[target].get_absolute_url()

    return url


@pytest.mark.parametrize(("target", "who", "answer"), MATRIX, ids=[f"{t}-{w}" for t, w, _a in MATRIX])
def test_each_visitor_gets_the_answer_the_rules_give(client, cast, url_of, target, who, answer):
    if who != "anonymous":
        client.force_login(cast[who])
    response = client.get(url_of(target))
    assert response.status_code == answer
    if answer == 302:
        assert response["Location"].startswith(reverse("account_login"))


def test_a_page_someone_may_not_see_gives_nothing_of_it_away(client, paris_user, excom_meeting):
    client.force_login(paris_user)
    response = client.get(excom_meeting.get_absolute_url())
    assert response.status_code == 404
    assert b"members paper" not in response.content


def test_the_public_list_shows_date_place_body_and_status_but_links_no_meeting_page(client, ga_meeting, excom_meeting):
    response = client.get(reverse("meetings:list"))
    content = response.content.decode()
    for meeting in (ga_meeting, excom_meeting):
        assert meeting.venue in content
        assert meeting.body.name in content
        assert meeting.get_status_display() in content
        assert f'href="{meeting.get_absolute_url()}"' not in content
    assert "public paper" in content
    assert "members paper" not in content and "draft minutes" not in content


def test_a_member_sees_links_to_the_meetings_it_may_open_only(client, paris_user, ga_meeting, excom_meeting):
    client.force_login(paris_user)
    content = client.get(reverse("meetings:list")).content.decode()
    assert f'href="{ga_meeting.get_absolute_url()}"' in content
    assert f'href="{excom_meeting.get_absolute_url()}"' not in content


def test_the_partner_sees_the_members_documents_of_the_ga_but_not_the_body_members_ones(
    client, partner_user, ga_meeting
):
    client.force_login(partner_user)
    content = client.get(ga_meeting.get_absolute_url()).content.decode()
    assert "members paper" in content and "public paper" in content
    assert "body paper" not in content and "draft minutes" not in content


def test_a_contact_whose_role_has_ended_sees_only_public_pages(client, paris_user, ga_meeting, today):
    paris_user.contacts.get().roles.update(end_date=today.replace(year=today.year - 1))
    client.force_login(paris_user)
    assert client.get(ga_meeting.get_absolute_url()).status_code == 404


def test_a_withdrawn_member_loses_access_at_once(client, paris_user, paris, ga_meeting):
    paris.membership.standing = "withdrawn"
    paris.membership.standing_reason = "Left."
    paris.membership.save()
    client.force_login(paris_user)
    assert client.get(ga_meeting.get_absolute_url()).status_code == 404


def test_an_excom_seat_that_ended_before_the_meeting_gives_no_access(client, seoul_user, seoul, excom_meeting, today):
    seoul.offices.update(end_date=today, end_reason="resigned")
    client.force_login(seoul_user)
    assert client.get(excom_meeting.get_absolute_url()).status_code == 404


def test_a_document_of_another_meeting_is_not_found_under_this_one(client, seoul_user, ga_meeting, excom_meeting):
    client.force_login(seoul_user)
    document = excom_meeting.test_documents["members"]
    url = reverse("meetings:document", args=[ga_meeting.slug, document.pk])
    assert client.get(url).status_code == 404


def test_a_document_is_sent_as_an_attachment_with_a_safe_name(client, ga_meeting):
    document = ga_meeting.test_documents["public"]
    document.title = 'Invitation "final"/../../etc\r\nX-Evil: 1'
    document.save()
    response = client.get(document.get_absolute_url())
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert '"' not in disposition.split("filename=", 1)[1].strip('"')
    assert "/" not in disposition and "\r" not in disposition and "\n" not in disposition
    assert disposition.endswith('.pdf"')
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_unknown_addresses_are_not_found(client, paris_user, ga_meeting):
    client.force_login(paris_user)
    assert client.get(reverse("meetings:detail", args=["no-such-meeting"])).status_code == 404
    assert client.get(reverse("meetings:ics", args=["no-such-meeting"])).status_code == 404
    assert client.get(reverse("meetings:document", args=[ga_meeting.slug, 999999])).status_code == 404
    assert client.get("/calendar/" + "x" * 43 + ".ics").status_code == 404
