"""A new secretariat member sets up two factors in a real browser: from the
login to the admin, by way of the recovery codes page."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_staff_member_sets_up_two_factors_and_continues_to_the_admin(page, live_server, make_user, tmp_path):
    staff = make_user("new-clerk@example.org", is_staff=True, name="New Clerk")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/reauthenticate/**")  # admin → set-up → the password again (allauth)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()  # "Confirm it is you"
    page.wait_for_url("**/totp/activate/")

    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/recovery-codes/")
    page.screenshot(path=str(tmp_path / "recovery-codes.png"), full_page=True)

    download = page.get_by_role("link", name="Download codes").bounding_box()
    generate = page.get_by_role("link", name="Generate new codes").bounding_box()
    # Laid out apart: a gap between the two buttons, on one line or two.
    assert download["x"] + download["width"] < generate["x"] or download["y"] + download["height"] < generate["y"]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}})
    assert results.response["violations"] == []

    page.get_by_role("link", name="Continue to the secretariat's pages").click()
    page.wait_for_url(live_server.url + "/admin/")
    assert not [error for error in errors if "Content Security Policy" in error]
