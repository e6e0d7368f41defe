"""The secretariat's queue: every allowed and forbidden move through the
admin's actions (which ask first), the letter one click away, the moves
read-only on the application's page, and a changelist whose cost does not
grow with the queue."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Application, ApplicationState, ApplicationTransition
from governance.models.applications import ACTIONS, TRANSITIONS, transition_for
from members.models import Organisation

S = ApplicationState
CHANGELIST = "admin:governance_application_changelist"
# The admin's actions: every move but the applicant's withdrawal.
ADMIN_ACTIONS = [action for action in ACTIONS if action != "withdraw"]
ALLOWED = {(t.action, t.source) for t in TRANSITIONS if t.actor == "secretariat"}


def _act(client, action, application, **data):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [application.pk], **data}, follow=True
    )


def _details(action, application, ga_item, excom_item):
    """What the confirmation page asks for ``action``."""
    data = {"confirmed": "yes", "reason": "Decided so."}
    if action == "recommend":
        data["agenda_item"] = excom_item.pk
    if action == "admit":
        data["agenda_item"] = (ga_item if application.category.has_vote else excom_item).pk
        data["start_date"] = timezone.localdate().isoformat()
    return data


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", ADMIN_ACTIONS)
def test_every_move_through_the_admin(staff_client, make_application, ga_item, excom_item, action, state):
    application = make_application(state)
    moves = application.transitions.count()
    asked = _act(staff_client, action, application)
    assert asked.status_code == 200
    assert asked.templates[0].name == "admin/governance/application/confirm_action.html"
    application.refresh_from_db()
    assert application.state == state  # nothing happens before the confirmation

    done = _act(staff_client, action, application, **_details(action, application, ga_item, excom_item))
    assert done.status_code == 200
    application.refresh_from_db()
    said = [str(message) for message in done.context["messages"]]
    if (action, state) in ALLOWED:
        assert application.state == transition_for(action, state).target, said
        assert application.transitions.count() == moves + 1
        assert application.last_transition().reason == "Decided so."
    else:
        assert application.state == state
        assert application.transitions.count() == moves
        assert any(application.reference in message and "cannot be" in message for message in said), said


def test_rejecting_in_the_admin_needs_the_reason(staff_client, make_application):
    application = make_application(S.UNDER_REVIEW)
    response = _act(staff_client, "reject", application, confirmed="yes", reason="  ")
    assert response.templates[0].name == "admin/governance/application/confirm_action.html"
    assert "This field is required." in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW


def test_recommending_in_the_admin_offers_only_excom_items(staff_client, make_application, ga_item, excom_item):
    application = make_application(S.UNDER_REVIEW)
    page = _act(staff_client, "recommend", application).content.decode()
    assert f'value="{excom_item.pk}"' in page and f'value="{ga_item.pk}"' not in page
    response = _act(staff_client, "recommend", application, confirmed="yes", agenda_item=ga_item.pk)
    assert "Select a valid choice" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW


def test_admitting_in_the_admin_at_the_wrong_body_is_refused(staff_client, make_application, excom_item):
    application = make_application(S.RECOMMENDED)
    response = _act(
        staff_client,
        "admit",
        application,
        confirmed="yes",
        agenda_item=excom_item.pk,
        start_date=timezone.localdate().isoformat(),
    )
    said = [str(message) for message in response.context["messages"]]
    assert any("General Assembly" in message for message in said)
    application.refresh_from_db()
    assert application.state == S.RECOMMENDED and not Organisation.objects.filter(name="Lyon").exists()


def test_the_application_page_shows_the_moves_and_the_letter(staff_client, make_application, staff_user):
    application = make_application(S.REJECTED)
    response = staff_client.get(reverse("admin:governance_application_change", args=[application.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("admin:governance_application_letter", args=[application.pk]) in html
    assert "Not a local government." in html  # the reason of the rejection
    assert 'name="state"' not in html  # the state moves by the actions only
    # Applications come from the public form only.
    assert staff_client.get(reverse("admin:governance_application_add")).status_code == 403


def test_the_queue_links_each_letter(staff_client, make_application):
    application = make_application()
    html = staff_client.get(reverse(CHANGELIST)).content.decode()
    assert reverse("admin:governance_application_letter", args=[application.pk]) in html


@pytest.mark.parametrize(
    "query",
    ["", "?state__exact=submitted", "?possible_duplicate__exact=1", "?age=month", "?country=FR", "?q=lyon"],
)
def test_the_filters_answer(staff_client, make_application, query):
    make_application()
    assert staff_client.get(reverse(CHANGELIST) + query).status_code == 200


def test_the_age_filter_sorts_by_age(staff_client, make_application):
    new, old = make_application(name="New"), make_application(name="Old")
    Application.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=45))
    page = staff_client.get(reverse(CHANGELIST) + "?age=quarter").content.decode()
    assert old.reference in page and new.reference not in page


def _bulk(count, category, start=0):
    applications = Application.objects.bulk_create(
        [
            Application(
                reference=f"WEGO-BULK-{start + number:05d}",
                name=f"Bulk City {start + number}",
                country=["FR", "KR", "BR", "KE"][number % 4],
                kind="local_government",
                category=category,
                political_name="P",
                political_email="p@example.org",
                liaison_name="L",
                liaison_email="l@example.org",
                letter="applications/x.pdf",
                consent=True,
                possible_duplicate=bool(number % 3),
            )
            for number in range(count)
        ]
    )
    ApplicationTransition.objects.bulk_create(
        [ApplicationTransition(application=a, from_state="", to_state=S.SUBMITTED) for a in applications]
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_queue_takes_as_many_queries_for_500_applications_as_for_5(staff_client, full_category):
    url = reverse(CHANGELIST)
    _bulk(5, full_category)
    small = _queries(staff_client, url)
    _bulk(495, full_category, start=5)
    large = _queries(staff_client, url)
    print(f"QUERIES application changelist: {small} for 5, {large} for 500")
    assert small == large
