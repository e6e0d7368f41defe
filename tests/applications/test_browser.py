"""A new visitor applies in a real browser, with the letter uploaded; the
secretariat reviews, records the recommendation and admits the application
in the admin; the new member's contact follows the invitation, sets a
password and logs in."""

import re

import pytest
from django.core import mail

from governance.management.commands.seed_demo import make_pdf
from governance.models import Application, ApplicationState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long new password 2026"


def _new_page(browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    page.set_default_timeout(10_000)
    return page


def _act_in_admin(page, live_server, application, action_label, choose=None):
    page.goto(live_server.url + "/admin/governance/application/")
    page.locator(f'input[name="_selected_action"][value="{application.pk}"]').check()
    page.locator('select[name="action"]').select_option(label=action_label)
    page.get_by_role("button", name="Go").click()
    page.wait_for_selector("text=The applications chosen")
    if choose:
        choose(page)
    page.get_by_label("Reason").fill("As decided.")
    page.get_by_role("button", name="Yes, go ahead").click()
    page.wait_for_selector(".messagelist")


def test_a_visitor_applies_and_the_admitted_members_contact_logs_in(
    eager, browser, live_server, log_in_browser, staff_user, settings, tmp_path, full_category, ga_item, excom_item
):
    settings.SITE_URL = live_server.url
    letter = tmp_path / "letter-of-intent.pdf"
    letter.write_bytes(make_pdf("Lyon applies to WeGO"))

    visitor = _new_page(browser)
    visitor.goto(live_server.url + "/members/apply/")
    visitor.get_by_label("Name of the organisation").fill("Lyon")
    visitor.get_by_label("Country").select_option("FR")
    visitor.get_by_label("Kind").select_option("local_government")
    visitor.get_by_label("Category applied for").select_option(label="Full Member")
    visitor.get_by_label("Website").fill("www.lyon.fr")
    visitor.get_by_label("Population").fill("522000")
    visitor.get_by_label("Political contact: name").fill("Grégory Doucet")
    visitor.get_by_label("Political contact: e-mail address").fill("mayor@lyon.example")
    visitor.get_by_label("Staff liaison: name").fill("Anne Liaison")
    visitor.get_by_label("Staff liaison: e-mail address").fill("anne@lyon.example")
    visitor.get_by_label("Letter of intent").set_input_files(str(letter))
    # Forgetting the consent: the message is on the field, what was typed is kept.
    visitor.get_by_role("button", name="Send the application").click()
    assert visitor.get_by_text("Without your consent, WeGO cannot handle the application.").first.is_visible()
    assert visitor.get_by_text("Choose the letter of intent again").is_visible()
    assert visitor.get_by_label("Staff liaison: e-mail address").input_value() == "anne@lyon.example"
    assert visitor.get_by_label("Country").input_value() == "FR"
    visitor.get_by_label("Letter of intent").set_input_files(str(letter))
    visitor.get_by_label("I agree that WeGO keeps").check()
    visitor.get_by_role("button", name="Send the application").click()
    visitor.wait_for_selector("text=Your reference number")
    application = Application.objects.get()
    assert application.reference in visitor.locator(".reference").inner_text()
    assert application.letter.open("rb").read(5) == b"%PDF-"
    visitor.context.close()

    secretariat = _new_page(browser)
    log_in_browser(secretariat, staff_user)
    _act_in_admin(secretariat, live_server, application, "Start the review…")
    _act_in_admin(
        secretariat,
        live_server,
        application,
        "Record the Executive Committee's recommendation…",
        lambda page: page.get_by_label("Agenda item of the meeting that decided").select_option(str(excom_item.pk)),
    )

    def admit(page):
        page.get_by_label("Agenda item of the meeting that decided").select_option(str(ga_item.pk))

    mail.outbox.clear()
    _act_in_admin(secretariat, live_server, application, "Admit (approve)…", admit)
    assert "is admitted" in secretariat.locator(".messagelist").inner_text()
    application.refresh_from_db()
    assert application.state == ApplicationState.ADMITTED
    secretariat.context.close()

    invitation = next(m for m in mail.outbox if "anne@lyon.example" in m.to[0] and "login" in m.subject.lower())
    link = re.search(r"(http\S+/accounts/password/reset/key/\S+)", invitation.body).group(1)

    contact = _new_page(browser)
    contact.goto(link)
    contact.locator('input[name="password1"]').fill(PASSWORD)
    contact.locator('input[name="password2"]').fill(PASSWORD)
    contact.get_by_role("button", name="Set the password").click()
    contact.goto(live_server.url + "/accounts/login/")
    contact.get_by_label("Email").fill("anne@lyon.example")
    contact.get_by_label("Password").fill(PASSWORD)
    contact.get_by_role("button", name="Log in").click()
    contact.goto(live_server.url + "/my/")
    body = contact.locator("main").inner_text()
    assert "Lyon" in body and "Current" in body and application.reference in body
    contact.context.close()
