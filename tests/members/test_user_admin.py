"""The user admin: only a superuser grants rights or sets another's password.

A secretariat user who may change users (change_user, as the Secretariat
group has) edits names and addresses; a forged form cannot make them, or
anyone, staff or superuser."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from members.models import User
from tests.admin_forms import change_page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_user(make_user):
    """Staff, not superuser, with the rights on users the Secretariat group has."""
    user = make_user("clerk@example.org", is_staff=True, name="Clerk")
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="members", codename__in=["view_user", "change_user"])
    )
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


@pytest.fixture
def rights():
    group = Group.objects.create(name="Secretariat")
    return {
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [group.pk],
        "user_permissions": [Permission.objects.get(codename="delete_user").pk],
    }


def change_url(user):
    return reverse("admin:members_user_change", args=[user.pk])


def assert_no_rights(user):
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
    assert not user.groups.exists() and not user.user_permissions.exists()


def test_the_secretariat_sees_no_rights_and_no_password_on_a_users_page(secretariat_client, make_user):
    member = make_user("anne@paris.fr")
    page = secretariat_client.get(change_url(member)).content.decode()
    assert 'name="name"' in page and 'name="is_active"' in page
    for field in ("is_staff", "is_superuser", "groups", "user_permissions"):
        assert f'name="{field}"' not in page
    assert reverse("admin:auth_user_password_change", args=[member.pk]) not in page


def test_a_forged_form_from_the_secretariat_grants_nothing(secretariat_client, make_user, rights):
    member = make_user("anne@paris.fr")
    data = change_page_data(secretariat_client.get(change_url(member)))
    response = secretariat_client.post(change_url(member), {**data, "name": "Anne Martin", **rights})
    assert response.status_code == 302  # saved: the name, nothing else
    member.refresh_from_db()
    assert member.name == "Anne Martin"
    assert_no_rights(member)


def test_a_secretariat_user_cannot_make_themselves_superuser(secretariat_client, secretariat_user, rights):
    data = change_page_data(secretariat_client.get(change_url(secretariat_user)))
    secretariat_client.post(change_url(secretariat_user), {**data, **rights})
    secretariat_user.refresh_from_db()
    assert not secretariat_user.is_superuser
    assert not secretariat_user.groups.exists()
    assert set(secretariat_user.user_permissions.values_list("codename", flat=True)) == {"view_user", "change_user"}


def test_a_secretariat_user_cannot_set_another_users_password(secretariat_client, make_user):
    member = make_user("anne@paris.fr")
    url = reverse("admin:auth_user_password_change", args=[member.pk])
    assert secretariat_client.get(url).status_code == 403
    response = secretariat_client.post(
        url, {"usable_password": "true", "password1": "taken over 2026!", "password2": "taken over 2026!"}
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert not member.check_password("taken over 2026!")


def test_a_colleagues_or_a_superusers_account_is_out_of_the_secretariats_reach(
    secretariat_client, secretariat_user, staff_user, make_user
):
    # Changing their address and then resetting the password would hand the
    # account over.
    for account in (staff_user, make_user("colleague@example.org", is_staff=True)):
        data = change_page_data(secretariat_client.get(change_url(account)))
        response = secretariat_client.post(change_url(account), {**data, "email": "clerk-owned@example.org"})
        assert response.status_code == 403
        account.refresh_from_db()
        assert account.email != "clerk-owned@example.org"
    # The bulk delete checks the model's permission only, not each row.
    secretariat_user.user_permissions.add(Permission.objects.get(codename="delete_user"))
    secretariat_client.post(
        reverse("admin:members_user_changelist"),
        {"action": "delete_selected", "_selected_action": [staff_user.pk], "post": "yes"},
    )
    assert User.objects.filter(pk=staff_user.pk).exists()


def test_a_superuser_grants_rights_and_sets_passwords(staff_client, make_user, rights):
    member = make_user("anne@paris.fr")
    data = change_page_data(staff_client.get(change_url(member)))
    response = staff_client.post(change_url(member), {**data, **rights})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_staff and member.is_superuser and member.groups.exists()
    url = reverse("admin:auth_user_password_change", args=[member.pk])
    assert staff_client.get(url).status_code == 200
