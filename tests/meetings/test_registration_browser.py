"""A refused registration, in a real browser: the refusal is in view beside
the form, what was typed is still there and the focus is on the field to
correct (no script: the form's action carries its anchor)."""

import pytest

from governance.models import Registration
from governance.services import meetings as meeting_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1366])
def test_a_refused_delegate_is_explained_beside_the_form_with_the_focus_on_it(
    page, live_server, log_in_browser, paris_user, paris, ga_meeting, width
):
    meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "First", "first@paris.fr", True)
    page.set_viewport_size({"width": width, "height": 800})
    log_in_browser(page, paris_user)
    page.goto(live_server.url + ga_meeting.get_absolute_url())
    page.get_by_label("Delegate's name").fill("Bea Second")
    page.get_by_label("Delegate's e-mail address").fill("bea@paris.fr")
    page.get_by_label("Voting delegate").check()
    page.get_by_role("button", name="Register the delegate").click()
    page.wait_for_load_state()

    message = "Paris already has a voting delegate; remove that one first."
    summary = f"delegates-{paris.pk}-errors"
    assert in_viewport(page, page.locator(f"#{summary}").get_by_text(message))
    field = f"id_delegate_{paris.pk}_is_voting_delegate"
    assert in_viewport(page, page.locator(f"#{field}_error").get_by_text(message))
    assert page.get_by_label("Delegate's name").input_value() == "Bea Second"
    assert page.get_by_label("Delegate's e-mail address").input_value() == "bea@paris.fr"
    assert page.evaluate("document.activeElement.id") == summary
    described = page.locator(f"#{field}").get_attribute("aria-describedby").split()
    assert f"{field}_error" in described
    assert in_viewport(page, page.locator(f"#{field}"))
    # The summary's link takes the keyboard to the field to correct.
    page.locator(f"#{summary} a").click()
    assert page.evaluate("document.activeElement.id") == field
    assert Registration.objects.count() == 1


def in_viewport(page, locator):
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height
