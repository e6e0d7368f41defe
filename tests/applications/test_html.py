"""The application pages pass the Nu HTML Checker and name no missing id:
the form, the form with errors, the confirmation, the applicant's page and
the admin's confirmation of a move."""

from django.urls import reverse

from tests.meetings.test_html import dangling_references, vnu


def test_the_application_pages_are_valid_html(client, staff_client, make_application, full_category, tmp_path):
    application = make_application()
    pages = {
        "form": client.get("/members/apply/"),
        "form-errors": client.post("/members/apply/", {"name": "", "consent": ""}),
        "status": client.get(reverse("applications:status", args=[application.private_token()])),
    }
    session = client.session
    session["application_submitted"] = application.reference
    session.save()
    pages["submitted"] = client.get(reverse("applications:submitted"))
    pages["admin-confirm"] = staff_client.post(
        reverse("admin:governance_application_changelist"),
        {"action": "reject", "_selected_action": [application.pk]},
    )
    pages["admin-change"] = staff_client.get(reverse("admin:governance_application_change", args=[application.pk]))
    paths = []
    for name, response in pages.items():
        assert response.status_code == (400 if name == "form-errors" else 200), name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        paths.append(path)
        if not name.startswith("admin"):
            assert dangling_references(response.content) == [], name
    messages = vnu(paths)
    assert messages == [], messages
