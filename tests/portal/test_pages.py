import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_home_page_says_what_wego_is_and_counts_the_members(client, make_member):
    make_member("Seoul", country="KR")
    make_member("Paris", country="FR")
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "World Smart Sustainable Cities Organization" in html
    assert "Smart Sustainable Cities for All" in html
    assert "founded by 50 member cities in 2010" in html
    assert "2 members in 2 countries" in html


def test_every_page_sends_a_strict_content_security_policy(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_pages_carry_no_inline_script(client, make_member):
    make_member("Seoul", country="KR")
    for url in [reverse("home"), reverse("members:directory"), "/members/seoul/"]:
        html = client.get(url).content.decode()
        for chunk in html.split("<script")[1:]:
            opening = chunk.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening, opening


def test_the_language_switcher_changes_the_language(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Membres" in html  # the navigation, translated


def test_the_browser_language_is_honoured(client):
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert '<html lang="ko"' in html


def test_there_is_no_open_sign_up(client):
    from members.models import User

    response = client.get(reverse("account_signup"))
    assert b"Sign Up Closed" in response.content
    client.post(
        reverse("account_signup"),
        {"email": "x@example.org", "password1": "a-long-passphrase-1", "password2": "a-long-passphrase-1"},
    )
    assert not User.objects.exists()
