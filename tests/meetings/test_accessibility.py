"""axe-core on the pages a member representative uses, as changed this
round: a meeting's page (description, venue map, online, places, cards on a
phone, a refused registration), /my/ and the profile form."""

import pytest

from governance.models import AttendanceMode
from governance.services import meetings as meeting_services
from tests.portal.test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_members_pages_have_no_accessibility_violations(
    page, live_server, log_in_browser, paris_user, paris, ga_meeting, width, settings
):
    settings.TILE_URL = live_server.url + "/static/none/{z}/{x}/{y}.png"
    ga_meeting.description = "The **ninth** General Assembly.\n\n- Reports\n- [Programme](https://we-gov.org/)"
    ga_meeting.address = "4 Republic Square, Almaty"
    ga_meeting.latitude, ga_meeting.longitude = 43.238, 76.945
    ga_meeting.attendance_mode = AttendanceMode.HYBRID
    ga_meeting.online_url = "https://meet.example.org/ga"
    ga_meeting.capacity = 10
    ga_meeting.save()
    meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "Anne", "anne@paris.fr", True)
    page.set_viewport_size({"width": width, "height": 900})
    log_in_browser(page, paris_user)
    for path in ["/my/", f"/my/organisations/{paris.slug}/profile/", ga_meeting.get_absolute_url()]:
        page.goto(live_server.url + path)
        assert violations(page) == [], path
    # The same page with a refused registration.
    page.get_by_label("Delegate's name").fill("Bea")
    page.get_by_label("Delegate's e-mail address").fill("bea@paris.fr")
    page.get_by_label("Voting delegate").check()
    page.get_by_role("button", name="Register the delegate").click()
    page.wait_for_load_state()
    assert page.get_by_text("The delegate is not registered:").is_visible()
    assert violations(page) == []
