"""Every page type, logged in or not, checked by the Nu HTML Checker (the
W3C's validator, npm package vnu-jar, run on Java) in one run: no error."""

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from wego_portal import operations

pytestmark = pytest.mark.django_db

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu(paths):
    """The checker's messages about ``paths`` (errors only)."""
    assert shutil.which("java"), "java is needed for the Nu HTML Checker (.ci/run installs it)"
    assert VNU.exists(), "run `npm ci` (make test and .ci/run do) to install vnu-jar"
    result = subprocess.run(
        ["java", "-Xss2m", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(result.stderr or '{"messages": []}')["messages"]


class _References(HTMLParser):
    """The ids a page defines, and those its ARIA attributes and labels name."""

    ATTRIBUTES = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-errormessage", "for", "list")

    def __init__(self):
        super().__init__()
        self.ids, self.references = set(), []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in self.ATTRIBUTES and value and not (tag == "script" and name == "for"):
                self.references += [(tag, name, ref) for ref in value.split()]


def dangling_references(html):
    """What the checker does not report: an ARIA reference to a missing id
    (assistive technology then reads nothing)."""
    parser = _References()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return [f"<{tag} {name}={ref!r}>" for tag, name, ref in parser.references if ref not in parser.ids]


BROKEN = (
    '<!DOCTYPE html><html lang="en"><title>x</title>'
    '<input type="url" value="not a web address" aria-describedby="nowhere" aria-label="x"></html>'
)


def test_the_reference_check_reports_a_missing_id():
    assert dangling_references(BROKEN) == ["<input aria-describedby='nowhere'>"]


def _get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content


def test_every_page_type_is_valid_html(tmp_path, seoul_user, seoul, ga_meeting, staff_user, issue, today):
    from governance.services import dues

    anonymous, member = Client(), Client()
    member.force_login(seoul_user)
    # /my/ with its dues: an invoice and a payment.
    dues.record_payment(issue(seoul).pk, "100", today, "TRF-1")
    profile_form = reverse("member_home:edit_profile", args=[seoul.slug])
    type(ga_meeting).objects.filter(pk=ga_meeting.pk).update(host=seoul)  # the profile lists it
    pages = {
        "home": _get(anonymous, reverse("home")),
        "home-member": _get(member, reverse("home")),
        "directory": _get(anonymous, reverse("members:directory")),
        "directory-empty": _get(anonymous, reverse("members:directory") + "?q=nothing-at-all"),
        "directory-refused": _get(anonymous, reverse("members:directory") + "?region=antarctica&country=KR"),
        "profile": _get(anonymous, seoul.get_absolute_url()),
        "governance": _get(anonymous, reverse("governance:index")),
        "meetings": _get(anonymous, reverse("meetings:list")),
        "meetings-member": _get(member, reverse("meetings:list")),
        "meeting-member": _get(member, ga_meeting.get_absolute_url()),
        "my": _get(member, reverse("member_home:index")),
        "profile-form": _get(member, profile_form),
        "login": _get(anonymous, reverse("account_login")),
        "password-reset": _get(anonymous, reverse("account_reset_password")),
        "404": _get(anonymous, "/no-such-page/", 404),
        "404-member": _get(member, "/no-such-page/", 404),
        "500": operations.server_error(RequestFactory().get("/")).content,
        "csrf": Client(enforce_csrf_checks=True)
        .post(reverse("account_login"), {"login": "a@b.org", "password": "x"})
        .content,
    }
    invalid = member.post(
        profile_form,
        {
            "description": "x" * 1001,
            "website": "not a web address",
            "logo": SimpleUploadedFile("logo.png", b"nope", "image/png"),
        },
    )
    assert invalid.status_code == 400
    pages["profile-form-errors"] = invalid.content
    failed_login = anonymous.post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong"})
    pages["login-errors"] = failed_login.content
    # A page known to be invalid goes into the same run (one JVM start): the
    # checker must report it, or its silence about the others means nothing.
    pages["known-invalid"] = BROKEN.encode()
    paths = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(html)
        paths.append(path)
    dangling = {name: dangling_references(html) for name, html in pages.items() if name != "known-invalid"}
    assert {name: refs for name, refs in dangling.items() if refs} == {}
    messages = vnu(paths)
    known = [m for m in messages if m.get("url", "").endswith("/known-invalid.html")]
    assert any("not an absolute URL" in m["message"] for m in known), messages
    messages = [m for m in messages if m not in known]
    assert messages == [], "\n".join(
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']} — {m.get('extract', '')!r}"
        for m in messages
    )


def test_the_directory_with_a_refused_filter_has_no_dangling_reference(client):
    html = _get(client, reverse("members:directory") + "?country=ZZ")
    assert dangling_references(html) == []
