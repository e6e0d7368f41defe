"""Login rate limits behind the TLS proxy: each visitor has their own bucket.

Every request reaches gunicorn from the proxy's address; the proxy appends
the client's address to X-Forwarded-For. With TRUSTED_PROXY_HOPS (1 in
production, tests/portal/test_settings.py) allauth counts failures per client,
taking the entry our proxy wrote, never one a client made up."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
MALLORY = "203.0.113.7"
ANNE = "198.51.100.9"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


def log_in(client, forwarded_for, email, password):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def locked_out(response):
    return response.status_code == 429 or "Too many failed login attempts" in response.content.decode()


def fail_ten_times(client, forwarded_for):
    # Ten addresses, so that the per-address limit (5 in 5 minutes) is not
    # what stops them: the per-client limit is 10 a minute.
    for attempt in range(10):
        response = log_in(client, forwarded_for, f"guess{attempt}@example.org", "wrong")
        assert not locked_out(response)


def test_one_clients_failed_logins_do_not_lock_out_another(client, make_user):
    fail_ten_times(client, MALLORY)
    assert locked_out(log_in(client, MALLORY, "guess@example.org", "wrong"))

    anne = make_user("anne@paris.fr")
    EmailAddress.objects.create(user=anne, email=anne.email, verified=True, primary=True)
    client.cookies.clear()
    response = log_in(client, ANNE, anne.email, "correct horse battery staple")
    assert not locked_out(response)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(anne.pk)


def test_a_forged_x_forwarded_for_entry_does_not_buy_a_fresh_bucket(client):
    fail_ten_times(client, MALLORY)
    # The client sends its own header; the proxy appends the real address.
    for forged in ("192.0.2.1", "192.0.2.2", ANNE):
        assert locked_out(log_in(client, f"{forged}, {MALLORY}", "guess@example.org", "wrong"))


def test_a_request_that_passed_fewer_proxies_than_configured_is_counted_by_its_own_address(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = log_in(client, ANNE, "guess@example.org", "wrong")
    assert response.status_code == 200  # not a 500 for a short header
    assert "allauth:rl:allauth.account:login_failed" in " ".join(
        key.decode() for key in cache._cache.get_client().scan_iter(f"*{PROXY}*")
    )
