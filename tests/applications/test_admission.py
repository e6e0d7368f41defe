"""Admitting an application: the organisation, its membership, its contacts
and their invitations, all in one transaction, by the body the category's
rules name; and the notices to the applicant and the secretariat."""

import pytest
from django.core import mail
from django.utils import timezone

from governance.application_notices import ApplicationNotice
from governance.figures import application_figures
from governance.models import ApplicationState
from governance.notifications.models import Notification
from governance.services import applications as services
from governance.services.applications import ApplicationError
from governance.services.invitations import InvitationNotice
from members.models import ContactRoleType, Membership, Organisation, Standing

S = ApplicationState


def test_admitting_makes_the_member_its_contacts_and_invites_them(make_application, staff_user, ga_item):
    application = make_application(S.RECOMMENDED)
    admission = services.admit(application.pk, staff_user.pk, agenda_item_id=ga_item.pk)
    organisation = Organisation.objects.get(pk=admission.organisation.pk)
    assert (organisation.name, organisation.country.code, organisation.kind) == ("Lyon", "FR", "local_government")
    membership = organisation.membership
    assert membership.category == application.category
    assert membership.start_date == timezone.localdate() and membership.is_current()
    roles = {(contact.email, role.role) for contact in organisation.contacts.all() for role in contact.roles.all()}
    assert roles == {
        ("anne@lyon.example", ContactRoleType.FOCAL_POINT),
        ("mayor@lyon.example", ContactRoleType.GA_DELEGATE),
    }
    invitations = Notification.objects.filter(kind=InvitationNotice.PORTAL_INVITATION)
    assert sorted(invitations.values_list("deliveries__email", flat=True)) == [
        "anne@lyon.example",
        "mayor@lyon.example",
    ]
    application.refresh_from_db()
    assert application.organisation == organisation
    decided = Notification.objects.get(kind=ApplicationNotice.DECIDED)
    assert decided.payload["state"] == S.ADMITTED
    last = application.last_transition()
    assert last.agenda_item == ga_item and last.by == staff_user


def test_a_full_member_is_admitted_by_the_general_assembly_only(make_application, staff_user, excom_item):
    application = make_application(S.RECOMMENDED)
    with pytest.raises(ApplicationError, match="General Assembly"):
        services.admit(application.pk, staff_user.pk, agenda_item_id=excom_item.pk)
    application.refresh_from_db()
    assert application.state == S.RECOMMENDED
    assert not Organisation.objects.filter(name="Lyon").exists()


def test_a_non_voting_category_is_admitted_by_the_executive_committee(
    make_application, staff_user, excom_item, ga_item, associate_category
):
    application = make_application(S.RECOMMENDED, category=associate_category)
    with pytest.raises(ApplicationError, match="Executive Committee"):
        services.admit(application.pk, staff_user.pk, agenda_item_id=ga_item.pk)
    admission = services.admit(application.pk, staff_user.pk, agenda_item_id=excom_item.pk)
    assert admission.membership.category == associate_category
    # Without the vote, the political contact is a focal point, not a voting delegate.
    assert not admission.organisation.contacts.filter(roles__role=ContactRoleType.GA_DELEGATE).exists()


def test_a_failure_half_way_undoes_the_whole_admission(make_application, make_user, staff_user, ga_item):
    """A contact whose address is a deactivated login cannot be invited: the
    organisation, membership and contacts made before are rolled back."""
    make_user("mayor@lyon.example", is_active=False)
    application = make_application(S.RECOMMENDED)
    with pytest.raises(ApplicationError, match="deactivated"):
        services.admit(application.pk, staff_user.pk, agenda_item_id=ga_item.pk)
    application.refresh_from_db()
    assert application.state == S.RECOMMENDED
    assert not Organisation.objects.filter(name="Lyon").exists()
    assert not Notification.objects.filter(kind=InvitationNotice.PORTAL_INVITATION).exists()


def test_a_former_member_is_linked_and_its_membership_starts_again(make_member, make_application, staff_user, ga_item):
    former = make_member("Lyon", country="FR", standing=Standing.WITHDRAWN)
    application = make_application(S.RECOMMENDED)
    assert application.organisation == former and not application.possible_duplicate
    admission = services.admit(application.pk, staff_user.pk, agenda_item_id=ga_item.pk)
    assert admission.organisation == former
    membership = Membership.objects.get(organisation=former)
    assert membership.is_current() and membership.standing == Standing.NORMAL
    assert Organisation.objects.filter(name="Lyon").count() == 1
    assert membership.history.count() >= 2  # the change is kept


def test_a_current_member_is_flagged_and_cannot_be_admitted_twice(make_member, make_application, staff_user, ga_item):
    make_member("Lyon", country="FR")
    application = make_application(S.RECOMMENDED, name="LYON")
    assert application.possible_duplicate and "already a member" in application.duplicate_note
    with pytest.raises(ApplicationError, match="already a current member"):
        services.admit(application.pk, staff_user.pk, agenda_item_id=ga_item.pk)
    application.refresh_from_db()
    assert application.state == S.RECOMMENDED


def test_a_later_start_admits_without_inviting_yet(make_application, staff_user, ga_item, today):
    application = make_application(S.RECOMMENDED)
    start = today.replace(year=today.year + 1, month=1, day=1)
    admission = services.admit(application.pk, staff_user.pk, agenda_item_id=ga_item.pk, start_date=start)
    assert admission.membership.start_date == start and not admission.membership.is_current()
    assert not admission.invited and len(admission.not_invited) == 2
    assert not Notification.objects.filter(kind=InvitationNotice.PORTAL_INVITATION).exists()


def test_the_rejection_reason_reaches_the_applicant(
    eager, make_application, staff_user, django_capture_on_commit_callbacks
):
    application = make_application(S.UNDER_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(application.pk, staff_user.pk, "WeGO admits local governments only.")
    assert sorted(message.to[0].split("<")[-1] for message in mail.outbox) == [
        "anne@lyon.example>",
        "mayor@lyon.example>",
    ]
    for message in mail.outbox:
        assert "declined" in message.subject
        assert "WeGO admits local governments only." in message.body
        assert application.private_url() in message.body


def test_figures_per_state_with_the_age_of_open_applications(make_application, today):
    import datetime

    from governance.models import Application

    ages = {"A": 3, "B": 10, "C": 40}
    for name, days in ages.items():
        application = make_application(name=name)
        Application.objects.filter(pk=application.pk).update(
            submitted_at=timezone.now() - datetime.timedelta(days=days)
        )
    make_application(S.REJECTED, name="D")
    figures = application_figures(today)
    assert figures[S.SUBMITTED]["count"] == 3
    assert figures[S.SUBMITTED]["oldest_days"] == 40
    assert figures[S.SUBMITTED]["median_days"] == 10
    assert figures[S.REJECTED] == {
        "label": S.REJECTED.label,
        "count": 1,
        "oldest_days": None,
        "median_days": None,
    }
    assert figures[S.ADMITTED]["count"] == 0
    # Two weeks on, everything open is two weeks older.
    later = application_figures(today + datetime.timedelta(days=14))
    assert later[S.SUBMITTED]["oldest_days"] == 54 and later[S.SUBMITTED]["median_days"] == 24


def test_figures_cost_two_queries_whatever_the_number(make_application, django_assert_num_queries):
    make_application(name="One")
    with django_assert_num_queries(2):
        application_figures()
    for number in range(5):
        make_application(name=f"City {number}")
    with django_assert_num_queries(2):
        application_figures()


def test_the_staff_dashboard_shows_the_applications_by_state_and_age(make_application, staff_client):
    import json

    from django.urls import reverse

    make_application(name="Waiting City")
    make_application(S.REJECTED, name="Refused City")
    page = staff_client.get(reverse("dashboard:index")).content.decode()
    section = page.split('id="section-applications"')[1].split("</section>")[0]
    assert '<th scope="row">Submitted</th><td>1</td><td>0</td><td>0</td>' in section
    assert '<th scope="row">Rejected</th><td>1</td><td>—</td><td>—</td>' in section
    charts = json.loads(page.split('id="dashboard-charts" type="application/json">')[1].split("</script>")[0])
    counts = dict(zip(charts["applications"]["labels"], charts["applications"]["datasets"][0]["data"], strict=True))
    assert counts[str(S.SUBMITTED.label)] == 1 and counts[str(S.REJECTED.label)] == 1
    assert counts[str(S.ADMITTED.label)] == 0


def test_the_new_members_contact_sees_the_membership_on_my_page(client, make_application, staff_user, ga_item):
    from members.models import User

    application = make_application(S.RECOMMENDED)
    services.admit(application.pk, staff_user.pk, agenda_item_id=ga_item.pk)
    client.force_login(User.objects.get(email="anne@lyon.example"))
    html = client.get("/my/").content.decode()
    assert "Lyon" in html and "Current" in html and application.reference in html
