"""Logging in: invitations, allauth's rate limit on Redis, two factors for staff."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from governance.notifications.models import Delivery, DeliveryStatus
from governance.services.invitations import invite_contact
from members.models import Contact, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a fresh passphrase 2026"


def invite_from_the_admin(staff_client, contact):
    return staff_client.post(
        reverse("admin:members_contact_changelist"),
        {"action": "invite_to_portal", "_selected_action": [contact.pk]},
        follow=True,
    )


def test_the_secretariat_invites_a_contact_who_then_sets_a_password_and_logs_in(
    client, staff_client, make_contact, paris, ga_meeting, django_capture_on_commit_callbacks, eager
):
    contact = make_contact(paris, email="Anne.Martin@Paris.fr", name="Anne Martin")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite_from_the_admin(staff_client, contact)
    assert "Invitations sent to: Anne Martin" in response.content.decode()

    user = User.objects.get(email="anne.martin@paris.fr")
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert Contact.objects.get(pk=contact.pk).user == user
    # Through the outbox, like every notice: recorded, then sent once.
    delivery = Delivery.objects.get(notification__kind="portal_invitation")
    assert (delivery.email, delivery.status) == ("anne.martin@paris.fr", DeliveryStatus.SENT)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Anne Martin <anne.martin@paris.fr>"]
    assert "Paris" in message.subject
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", message.body).group(0)
    path = link.split(settings.SITE_URL, 1)[1]

    client.logout()
    response = client.get(path, follow=True)  # allauth moves the key into the session
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert "Your password is set" in response.content.decode()

    response = client.post(reverse("account_login"), {"login": "anne.martin@paris.fr", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("member_home:index")
    assert client.get(ga_meeting.get_absolute_url()).status_code == 200

    # The link worked once.
    client.logout()
    response = client.get(path, follow=True)
    assert "no longer works" in response.content.decode()


def test_a_contact_of_a_suspended_member_or_without_a_role_is_not_invited(make_contact, suspended_city, paris):
    from governance.services.invitations import InvitationError

    with pytest.raises(InvitationError):
        invite_contact(make_contact(suspended_city).pk, None)
    with pytest.raises(InvitationError):
        invite_contact(make_contact(paris, role=None).pk, None)
    assert not mail.outbox


def test_a_contact_whose_address_already_has_a_login_is_linked_to_it(paris_user, make_contact, seoul):
    contact = make_contact(seoul, email=paris_user.email.upper())
    assert invite_contact(contact.pk, None) is False
    contact.refresh_from_db()
    assert contact.user == paris_user
    assert User.objects.filter(email__iexact=paris_user.email).count() == 1


def test_the_invite_action_is_on_the_contact_list(staff_client, make_contact, paris):
    make_contact(paris)
    response = staff_client.get(reverse("admin:members_contact_changelist"))
    assert "invite_to_portal" in response.content.decode()


def test_there_is_no_sign_up(client):
    response = client.get(reverse("account_signup"))
    assert b"password1" not in response.content
    login_page = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in login_page
    assert '<label for="id_login"' in login_page and '<label for="id_password"' in login_page


def test_logins_are_rate_limited_in_the_redis_cache(client, paris_user):
    assert "Redis" in settings.CACHES["default"]["BACKEND"]
    for _attempt in range(5):
        response = client.post(reverse("account_login"), {"login": paris_user.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(
        reverse("account_login"), {"login": paris_user.email, "password": "correct horse battery staple"}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()
    # The counts live in Redis, where every worker process sees them.
    assert list(cache._cache.get_client().scan_iter("*allauth:rl:allauth.account:login_failed:*"))


def test_the_admin_login_is_the_rate_limited_allauth_login(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_without_an_authenticator_app_are_sent_to_set_one_up(client, make_user):
    staff = make_user("new-staff@example.org", is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    response = client.get(reverse("admin:members_contact_changelist"))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_an_authenticator_app_reach_the_admin(staff_client):
    assert staff_client.get(reverse("admin:index")).status_code == 200


def test_staff_with_an_authenticator_app_must_give_a_code_to_log_in(client, make_user):
    staff = make_user("totp-staff@example.org", is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == 302  # not logged in yet
    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_members_may_turn_on_two_factors_too(client, paris_user):
    client.force_login(paris_user)
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302
