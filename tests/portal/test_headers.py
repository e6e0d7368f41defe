"""The production headers of a page, scored by the rules of Mozilla's HTTP
Observatory (developer.mozilla.org/en-US/observatory/docs/tests_and_scoring),
and Cross-Origin-Resource-Policy on every response."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse

from tests.portal.test_settings import PRODUCTION, run

pytestmark = pytest.mark.django_db

SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    *(
        f"{cookie}_COOKIE_{flag}"
        for cookie in ("SESSION", "CSRF", "LANGUAGE")
        for flag in ("SECURE", "HTTPONLY", "SAMESITE")
    ),
]
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "portal.we-gov.org"}


@pytest.fixture(scope="module")
def production_values(tmp_path_factory):
    """The security settings as settings.py computes them for production."""
    show = (
        "import json;from django.conf import settings as s;"
        f"print(json.dumps({{name: getattr(s, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = run(show, PRODUCTION, tmp_path_factory.mktemp("production"))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(settings, production_values):
    for name, value in production_values.items():
        setattr(settings, name, value)
    settings.ALLOWED_HOSTS = ["portal.we-gov.org"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # login rate limits of earlier tests


# --- The Observatory's tests, each giving (outcome, modifier) ---------------
def directives(policy):
    parsed = {}
    for part in filter(None, (item.strip() for item in policy.split(";"))):
        name, *sources = part.split()
        parsed[name.lower()] = [source.lower() for source in sources]
    return parsed


def csp_test(headers):
    if "Content-Security-Policy" not in headers:
        return "csp-not-implemented", -25
    policy = directives(headers["Content-Security-Policy"])
    script_src = policy.get("script-src", policy.get("default-src", ["*"]))
    if "'unsafe-inline'" in script_src or "data:" in script_src or "*" in script_src or "object-src" not in policy:
        return "csp-implemented-with-unsafe-inline", -20
    if "'unsafe-eval'" in script_src:
        return "csp-implemented-with-unsafe-eval", -10
    if any("http:" in source for sources in policy.values() for source in sources):
        return "csp-implemented-with-insecure-scheme", -20
    if policy.get("default-src") == ["'none'"] and policy.get("form-action") in (["'self'"], ["'none'"]):
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 5


def cookies_test(cookies):
    if not cookies:
        return "cookies-not-found", 0
    session = [morsel for name, morsel in cookies.items() if "session" in name.lower()]
    if any(not morsel["secure"] for morsel in session):
        return "cookies-session-without-secure-flag", -40
    if any(not morsel["httponly"] for morsel in session):
        return "cookies-session-without-httponly-flag", -30
    if any(not morsel["secure"] for morsel in cookies.values()):
        return "cookies-without-secure-flag", -20
    samesite = [morsel["samesite"].lower() for morsel in cookies.values()]
    if any(value and value not in ("lax", "strict") for value in samesite):
        return "cookies-samesite-flag-invalid", -20
    if any("csrf" in name.lower() and not morsel["samesite"] for name, morsel in cookies.items()):
        return "cookies-anticsrf-without-samesite-flag", -20
    if all(samesite):
        return "cookies-secure-with-httponly-sessions-and-samesite", 5
    return "cookies-secure-with-httponly-sessions", 0


def redirection_test(http_response):
    location = http_response.get("Location", "")
    if http_response.status_code not in (301, 302, 307, 308):
        return "redirection-missing", -20
    if not location.startswith("https://portal.we-gov.org/"):
        return "redirection-off-host-from-http", -5
    return "redirection-to-https", 0


def referrer_test(headers):
    value = headers.get("Referrer-Policy")
    if value is None:
        return "referrer-policy-not-implemented", 0
    last = value.split(",")[-1].strip().lower()
    if last in ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"):
        return "referrer-policy-private", 5
    return "referrer-policy-unsafe", -5


def hsts_test(headers):
    match = re.search(r"max-age=(\d+)", headers.get("Strict-Transport-Security", ""))
    if not match:
        return "hsts-not-implemented", -20
    if int(match.group(1)) < 15768000:
        return "hsts-implemented-max-age-less-than-six-months", -10
    return "hsts-implemented-max-age-at-least-six-months", 0  # +5 only once on the browsers' preload list


def sri_test(html):
    sources = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", html)
    if any(source.startswith(("http:", "//")) for source in sources):
        return "sri-not-implemented-and-external-scripts-not-loaded-securely", -50
    if any(source.startswith("https:") for source in sources):
        return "sri-not-implemented-but-external-scripts-loaded-securely", -5
    return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0


def nosniff_test(headers):
    if headers.get("X-Content-Type-Options", "").lower() == "nosniff":
        return "x-content-type-options-nosniff", 0
    return "x-content-type-options-not-implemented", -5


def frame_test(headers):
    if "frame-ancestors" in directives(headers.get("Content-Security-Policy", "")):
        return "x-frame-options-implemented-via-csp", 5
    if headers.get("X-Frame-Options", "").upper() in ("DENY", "SAMEORIGIN"):
        return "x-frame-options-sameorigin-or-deny", 0
    return "x-frame-options-not-implemented", -20


def corp_test(headers):
    value = headers.get("Cross-Origin-Resource-Policy")
    if value is None:
        return "corp-not-implemented", 0
    return {
        "same-origin": ("corp-implemented-with-same-origin", 10),
        "same-site": ("corp-implemented-with-same-site", 10),
        "cross-origin": ("corp-implemented-with-cross-origin", 0),
    }.get(value.strip().lower(), ("corp-header-invalid", -5))


def observatory_score(results):
    """Penalties first; bonuses only for a site at 90 (A) or more."""
    score = 100 + sum(modifier for _outcome, modifier in results if modifier < 0)
    if score >= 90:
        score += sum(modifier for _outcome, modifier in results if modifier > 0)
    return score


def test_a_page_in_production_scores_a_plus_by_the_http_observatorys_rules(client, production, make_user):
    user = make_user("anne@paris.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    http = client.get("/", HTTP_HOST="portal.we-gov.org")
    page = client.get("/", **HTTPS)
    assert page.status_code == 200
    # Every cookie the portal sets: the CSRF token, the session, the language.
    cookies = dict(client.get(reverse("account_login"), **HTTPS).cookies)
    login = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct horse battery staple"}, **HTTPS
    )
    assert login.status_code == 302
    cookies.update(login.cookies)
    cookies.update(client.post(reverse("set_language"), {"language": "fr", "next": "/"}, **HTTPS).cookies)
    assert {"csrftoken", "sessionid", "django_language"} <= set(cookies)

    results = [
        csp_test(page.headers),
        cookies_test(cookies),
        redirection_test(http),
        referrer_test(page.headers),
        hsts_test(page.headers),
        sri_test(page.content.decode()),
        nosniff_test(page.headers),
        frame_test(page.headers),
        corp_test(page.headers),
    ]
    assert [outcome for outcome, _modifier in results] == [
        "csp-implemented-with-no-unsafe",
        "cookies-secure-with-httponly-sessions-and-samesite",
        "redirection-to-https",
        "referrer-policy-private",
        "hsts-implemented-max-age-at-least-six-months",
        "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
        "x-content-type-options-nosniff",
        "x-frame-options-implemented-via-csp",
        "corp-implemented-with-same-origin",
    ]
    assert observatory_score(results) == 130  # A+ from 100 up


def test_the_language_cookie_is_secure_http_only_and_same_site_in_production(client, production):
    response = client.post(reverse("set_language"), {"language": "ko", "next": "/"}, **HTTPS)
    cookie = response.cookies["django_language"]
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/members/",
        "/governance/",
        "/accounts/login/",
        "/no-such-page/",
        "/my/",  # a redirect to the login
        "/members/no-such-member/logo",
    ],
)
def test_every_response_keeps_the_portals_resources_to_the_portal(client, url):
    assert client.get(url)["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/members/export.csv", "/members/export.json", "/governance/export.json"])
def test_the_open_data_exports_may_be_fetched_from_anywhere(client, make_member, url):
    make_member("Seoul", country="KR")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
