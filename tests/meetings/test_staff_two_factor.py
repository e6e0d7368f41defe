"""Staff two-factor authentication: without it a staff login reaches nothing
but the set-up; with it staff land on the admin, and the recovery codes page
leads on."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def new_staff(make_user):
    """Secretariat staff who have not set up an authenticator app yet."""
    user = make_user("new-clerk@example.org", is_staff=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def code_for(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_staff_without_an_authenticator_app_reach_no_page_but_the_set_up(client, new_staff, ga_meeting, paris):
    client.force_login(new_staff)
    draft = ga_meeting.test_documents["draft"]
    for url in (
        draft.get_absolute_url(),
        ga_meeting.get_absolute_url(),
        reverse("meetings:list"),
        reverse("member_home:index"),
        reverse("members:directory"),
        paris.get_absolute_url(),
        reverse("governance:index"),
        reverse("home"),
        reverse("admin:index"),
        reverse("mfa_index"),
    ):
        response = client.get(url)
        assert (url, response.status_code, response.get("Location")) == (url, 302, reverse("mfa_activate_totp"))
    # The set-up asks for the password again (allauth), which stays open too.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(response["Location"]).status_code == 200
    client.post(response["Location"], {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_staff_without_an_authenticator_app_may_still_log_out_and_choose_a_language(client, new_staff):
    client.force_login(new_staff)
    response = client.post(reverse("set_language"), {"language": "fr", "next": reverse("mfa_activate_totp")})
    assert response["Location"] == reverse("mfa_activate_totp")
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_with_an_authenticator_app_open_a_draft_document(staff_client, ga_meeting):
    response = staff_client.get(ga_meeting.test_documents["draft"].get_absolute_url())
    assert response.status_code == 200


def test_members_are_not_asked_for_a_second_factor(client, paris_user, ga_meeting):
    client.force_login(paris_user)
    assert client.get(ga_meeting.get_absolute_url()).status_code == 200


def test_staff_land_on_the_admin_after_logging_in(client, new_staff):
    secret = generate_totp_secret()
    TOTP.activate(new_staff, secret)
    response = client.post(reverse("account_login"), {"login": new_staff.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": code_for(secret)})
    assert response["Location"] == reverse("admin:index")


def test_members_land_on_my_wego_after_logging_in(client, paris_user):
    EmailAddress.objects.create(user=paris_user, email=paris_user.email, verified=True, primary=True)
    response = client.post(reverse("account_login"), {"login": paris_user.email, "password": PASSWORD})
    assert response["Location"] == reverse("member_home:index")


def activate_totp(client):
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code == 302:  # allauth asks for the password again first
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    response = client.post(reverse("mfa_activate_totp"), {"code": code_for(page.context["form"].secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    return client.get(response["Location"])


def test_a_new_staff_member_sets_up_the_app_and_is_led_on_to_the_admin(client, new_staff):
    response = client.post(reverse("account_login"), {"login": new_staff.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[0][0] == reverse("admin:index")
    assert response.redirect_chain[1][0] == reverse("mfa_activate_totp")

    page = activate_totp(client).content.decode()
    assert (
        len(re.findall(r"^[a-z0-9]{8}$", re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1), re.M))
        == 10
    )
    # The two actions are items of their own, and a clear way on.
    items = re.findall(r"<li>(.*?)</li>", re.search(r'<ul class="action-list">(.*?)</ul>', page, re.S).group(1), re.S)
    assert [re.search(r'href="([^"]+)"', item).group(1) for item in items] == [
        reverse("mfa_download_recovery_codes"),
        reverse("mfa_generate_recovery_codes"),
    ]
    assert re.search(rf'<a class="button" href="{reverse("admin:index")}">Continue[^<]*</a>', page)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_member_who_turns_on_two_factors_is_led_on_to_my_wego(client, paris_user):
    EmailAddress.objects.create(user=paris_user, email=paris_user.email, verified=True, primary=True)
    client.post(reverse("account_login"), {"login": paris_user.email, "password": PASSWORD})
    page = activate_totp(client).content.decode()
    assert re.search(rf'<a class="button" href="{reverse("member_home:index")}">Continue[^<]*</a>', page)
    assert reverse("admin:index") not in page.split("<main", 1)[1]


def test_the_recovery_codes_page_speaks_the_members_language(client, paris_user):
    EmailAddress.objects.create(user=paris_user, email=paris_user.email, verified=True, primary=True)
    client.post(reverse("account_login"), {"login": paris_user.email, "password": PASSWORD})
    activate_totp(client)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert "Codes de récupération" in page  # allauth's catalogue
    assert "Continuer vers Mon WeGO" in page  # the portal's
