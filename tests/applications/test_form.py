"""The public form at /members/apply/: a visitor applies, bad input gets
messages on the fields and loses nothing typed, spam meets a honeypot and
rate limits, a duplicate is flagged to the secretariat but accepted."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.application_notices import ApplicationNotice
from governance.management.commands.seed_demo import make_pdf
from governance.models import Application, ApplicationState
from governance.notifications.models import Notification

URL = "/members/apply/"


def pdf(name="letter.pdf", content=None):
    return SimpleUploadedFile(name, make_pdf("Letter") if content is None else content, "application/pdf")


@pytest.fixture
def fields(full_category):
    return {
        "name": "São Paulo",
        "country": "BR",
        "kind": "local_government",
        "category": str(full_category.pk),
        "website": "https://www.prefeitura.sp.gov.br",
        "population": "12300000",
        "head_of_government": "Ricardo Nunes",
        "head_term_ends": "2028-12-31",
        "political_name": "Ricardo Nunes",
        "political_title": "Mayor",
        "political_email": "mayor@sp.example",
        "liaison_name": "Ana Souza",
        "liaison_title": "International relations",
        "liaison_email": "ana@sp.example",
        "consent": "on",
    }


def post(client, fields, remote_addr="127.0.0.1", **overrides):
    data = {**fields, "letter": pdf(), **overrides}
    return client.post(URL, {k: v for k, v in data.items() if v is not None}, REMOTE_ADDR=remote_addr)


def test_the_form_is_at_members_apply_before_any_member_page(client, db):
    assert reverse("applications:apply") == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Letter of intent", "Political contact", "Staff liaison", "Leave this field empty"):
        assert label in html
    assert 'type="file"' in html and 'accept="application/pdf,.pdf"' in html


def test_a_visitor_applies_and_is_told_the_reference(
    eager, client, fields, django_capture_on_commit_callbacks, make_user
):
    from django.contrib.auth.models import Group

    secretary = make_user("desk@we-gov.example", name="Desk")
    secretary.groups.add(Group.objects.get_or_create(name="Secretariat")[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, fields)
    assert response.status_code == 302 and response["Location"] == reverse("applications:submitted")
    application = Application.objects.get()
    assert application.state == ApplicationState.SUBMITTED
    assert (application.name, application.country.code, application.population) == ("São Paulo", "BR", 12300000)
    assert application.letter.read().startswith(b"%PDF-")
    assert application.transitions.get().to_state == ApplicationState.SUBMITTED
    page = client.get(response["Location"])
    assert application.reference in page.content.decode()
    to = {message.to[0].split("<")[-1].rstrip(">"): message for message in mail.outbox}
    assert set(to) == {"ana@sp.example", "mayor@sp.example", "desk@we-gov.example"}
    assert application.reference in to["ana@sp.example"].subject
    assert application.private_url() in to["ana@sp.example"].body
    assert "São Paulo" in to["desk@we-gov.example"].subject
    assert "/admin/governance/application/" in to["desk@we-gov.example"].body


def test_without_a_secretariat_group_the_notice_goes_to_the_secretariats_address(client, fields, settings):
    settings.DEFAULT_FROM_EMAIL = "WeGO Secretariat <secretariat@we-gov.example>"
    post(client, fields)
    notice = Notification.objects.get(kind=ApplicationNotice.NEW)
    assert list(notice.deliveries.values_list("email", flat=True)) == ["secretariat@we-gov.example"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("liaison_email", "not-an-address", "Enter a valid email address."),
        ("political_email", "", "This field is required."),
        ("country", "XX", "Select a valid choice."),
        ("population", "-5", "Ensure this value is greater than or equal to 0."),
        ("head_term_ends", "31/12/2028", "Enter a valid date."),
        ("consent", None, "Without your consent, WeGO cannot handle the application."),
        ("kind", "provider", "is not for this kind of organisation"),
    ],
)
def test_bad_input_is_said_on_its_field_and_keeps_what_was_typed(client, fields, field, value, message):
    response = post(client, fields, **{field: value})
    assert response.status_code == 400
    form = response.context["form"]
    errors = form.errors["category" if field == "kind" else field]
    assert any(message in error for error in errors)
    html = response.content.decode()
    assert "Choose the letter of intent again" in html
    # What was typed comes back (the name, the addresses).
    for kept in ("Ricardo Nunes", "International relations"):
        assert kept in html
    if field != "liaison_email":
        assert 'value="ana@sp.example"' in html
    assert 'aria-invalid="true"' in html
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"), "not a PDF file"),
        (SimpleUploadedFile("letter.docx", make_pdf("x"), "application/pdf"), "as a PDF file"),
        (SimpleUploadedFile("letter.pdf", b"", "application/pdf"), "The submitted file is empty."),
        (None, "This field is required."),
    ],
)
def test_a_bad_letter_is_refused_on_its_field(client, fields, upload, message):
    response = post(client, fields, letter=upload)
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors["letter"])
    assert not Application.objects.exists()


def test_a_letter_over_the_limit_is_refused(client, fields, settings):
    settings.APPLICATION_LETTER_MAX_BYTES = 1000
    response = post(client, fields, letter=pdf(content=make_pdf("x") + b"%" * 2000))
    assert response.status_code == 400
    assert "the most allowed is" in response.context["form"].errors["letter"][0]
    assert not Application.objects.exists()


def test_the_honeypot_keeps_robots_out(client, fields):
    response = post(client, fields, fax_number="+1 555 0100")
    assert response.status_code == 400
    assert "could not be accepted" in response.content.decode()
    assert not Application.objects.exists()


def test_an_address_may_apply_only_so_often(client, fields, settings):
    settings.APPLICATION_RATE_LIMIT_PER_EMAIL = "2/d/key"
    for number in range(2):
        assert post(client, fields, name=f"City {number}").status_code == 302
    response = post(client, fields, name="City 3")
    assert response.status_code == 429
    assert "Too many applications come from this address" in response.context["form"].errors["liaison_email"][0]
    assert Application.objects.count() == 2
    # Another address from the same client is still welcome.
    assert post(client, fields, name="City 4", liaison_email="other@sp.example").status_code == 302


def test_a_client_may_post_only_so_often(client, fields, settings):
    settings.APPLICATION_RATE_LIMIT_PER_IP = "3/h/ip"
    for number in range(3):
        post(client, fields, name=f"City {number}", liaison_email=f"l{number}@sp.example")
    response = post(client, fields, name="City 9", liaison_email="l9@sp.example")
    assert response.status_code == 429
    assert "Too many applications come from your network" in response.content.decode()
    assert Application.objects.count() == 3
    # A different client is counted apart.
    other = post(client, fields, name="City 10", liaison_email="l10@sp.example", remote_addr="203.0.113.9")
    assert other.status_code == 302


def test_a_duplicate_is_accepted_and_flagged(client, fields, make_member):
    make_member("Sao Paulo", country="BR")
    assert post(client, fields).status_code == 302
    first = Application.objects.get()
    assert first.possible_duplicate and "already a member" in first.duplicate_note
    assert post(client, fields, name="SÃO PAULO", liaison_email="b@sp.example").status_code == 302
    second = Application.objects.exclude(pk=first.pk).get()
    assert second.possible_duplicate and first.reference in second.duplicate_note
    notice = Notification.objects.filter(kind=ApplicationNotice.NEW).order_by("pk").last()
    assert notice.payload["duplicate"] is True


def test_the_same_name_in_another_country_is_no_duplicate(client, fields, make_member):
    make_member("São Paulo", country="PT")
    post(client, fields)
    assert not Application.objects.get().possible_duplicate


def test_the_confirmation_page_needs_an_application_just_sent(client, db):
    response = client.get(reverse("applications:submitted"))
    assert response.status_code == 302 and response["Location"] == URL


def test_the_home_page_leads_to_the_form(client, db):
    assert f'href="{URL}"' in client.get("/").content.decode()
