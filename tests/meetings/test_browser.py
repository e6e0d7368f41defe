"""Paris, in a real browser: log in, open the GA, download a document,
register a delegate; the EXCOM meeting stays closed to it."""

import pytest
from allauth.account.models import EmailAddress

from governance.models import Registration
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_paris_logs_in_reads_the_ga_registers_a_delegate_and_is_kept_out_of_excom(
    page, live_server, paris_user, paris, ga_meeting, excom_meeting
):
    EmailAddress.objects.create(user=paris_user, email=paris_user.email, verified=True, primary=True)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(paris_user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/my/")
    assert page.get_by_role("heading", name="My WeGO").is_visible()

    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name=str(ga_meeting), exact=True).click()
    page.wait_for_url(f"**{ga_meeting.get_absolute_url()}")
    assert page.get_by_role("heading", name="Agenda").is_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="body paper").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    page.get_by_label("Delegate's name").fill("Anne Hidalgo")
    page.get_by_label("Delegate's e-mail address").fill("anne@paris.fr")
    page.get_by_label("Voting delegate").check()
    page.get_by_role("button", name="Register the delegate").click()
    assert page.get_by_text("Anne Hidalgo is registered.").is_visible()
    assert Registration.objects.get().name == "Anne Hidalgo"

    response = page.goto(live_server.url + excom_meeting.get_absolute_url())
    assert response.status == 404
    assert "members paper" not in page.content()
    assert not [error for error in errors if "Content Security Policy" in error]
