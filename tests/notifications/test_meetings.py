"""Meeting notices, recorded by governance's meeting services in their own
transaction: who receives them, what they say, and the .ics they carry."""

import datetime
from email import message_from_bytes, policy
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from icalendar import Calendar

from governance.models import AgendaItem, Document, DocumentKind, DocumentState, DocumentVisibility
from governance.notices import MeetingNotice, documents_published
from governance.notifications import services
from governance.notifications.emails import build_message
from governance.notifications.models import Delivery, Notification
from governance.notifications.services import send_batch
from governance.services import meetings as meeting_services
from tests.admin_forms import change_page_data
from tests.notifications.conftest import EXCOM_RECIPIENTS, GA_RECIPIENTS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker():
    """Recording is what is looked at here; the worker tests send."""
    with mock.patch.object(services, "enqueue") as enqueue:
        yield enqueue


def recipients_of(notification):
    return set(notification.deliveries.values_list("email", flat=True))


def last_notice(kind):
    return Notification.objects.filter(kind=kind).latest("pk")


def rendered(notification, email):
    """The message for one recipient, as bytes on the wire would parse."""
    delivery = notification.deliveries.select_related("notification", "contact__organisation").get(email=email)
    message = build_message(delivery, notification.subject)
    return message_from_bytes(message.message().as_bytes(), policy=policy.default)


def calendar_of(message):
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part, Calendar.from_ical(part.get_content())


def test_convening_a_general_assembly_notifies_every_current_member(cast, ga, make_meeting, staff_user):
    meeting = make_meeting(ga)

    meeting_services.convene_meeting(meeting.pk, staff_user.pk)

    notification = last_notice(MeetingNotice.CONVENED)
    assert recipients_of(notification) == GA_RECIPIENTS
    assert notification.subject == meeting and notification.created_by == staff_user
    roles = dict(notification.deliveries.values_list("email", "role"))
    assert roles["delegate@seoul.example"] == "ga_delegate" and roles["focal@seoul.example"] == "focal_point"


def test_an_excom_notice_goes_only_to_excom_members(cast, excom, make_meeting, staff_user):
    meeting = make_meeting(excom)

    meeting_services.convene_meeting(meeting.pk, staff_user.pk)

    assert recipients_of(last_notice(MeetingNotice.CONVENED)) == EXCOM_RECIPIENTS


def test_a_convening_rolled_back_records_nothing(
    cast, ga, make_meeting, staff_user, no_broker, django_capture_on_commit_callbacks
):
    meeting = make_meeting(ga)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            meeting_services.convene_meeting(meeting.pk, staff_user.pk)
            raise RuntimeError("something later in the same request failed")

    assert not Notification.objects.exists() and not Delivery.objects.exists()
    assert not no_broker.called
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_the_convening_notice_has_text_html_agenda_link_footer_and_an_ics_request(
    cast, ga, make_meeting, staff_user, settings, make_contact
):
    make_contact(cast["partner"], email="english@partner.example", language="en")
    meeting = make_meeting(ga, title="9th General Assembly")
    AgendaItem.objects.create(meeting=meeting, position=1, title="Opening & welcome")
    AgendaItem.objects.create(meeting=meeting, position=2, title="Election of the President City")
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)

    message = rendered(last_notice(MeetingNotice.CONVENED), "english@partner.example")

    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    url = settings.SITE_URL + meeting.get_absolute_url()
    for part in (text, html):
        assert "9th General Assembly" in part and url in part
        assert "Election of the President City" in part
        assert "Partner Institute" in part  # the footer says why
    assert "1. Opening & welcome" in text and "Opening &amp; welcome" in html
    assert "You receive this e-mail because you are the Focal point contact of Partner Institute" in text
    assert message["Auto-Submitted"] == "auto-generated"

    part, calendar = calendar_of(message)
    assert part.get_param("method") == "REQUEST" and calendar["METHOD"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@wego-portal"
    assert event["SEQUENCE"] == 1  # convening changed the status
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:secretariat@we-gov.org"
    assert str(event["URL"]) == url


def test_a_change_of_time_sends_the_updated_ics_with_a_higher_sequence(cast, ga, make_meeting, staff_user):
    meeting = make_meeting(ga)
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)

    meeting_services.change_meeting(
        meeting.pk,
        staff_user.pk,
        start=meeting.start + datetime.timedelta(hours=2),
        end=meeting.end + datetime.timedelta(hours=2),
    )

    notification = last_notice(MeetingNotice.CHANGED)
    assert recipients_of(notification) == GA_RECIPIENTS
    message = rendered(notification, "focal@partner.example")
    _, calendar = calendar_of(message)
    (event,) = calendar.walk("VEVENT")
    assert event["SEQUENCE"] == 2 and calendar["METHOD"] == "REQUEST"
    assert event.decoded("DTSTART") == (meeting.start + datetime.timedelta(hours=2))
    assert "Cambios: inicio, fin" in message.get_body(("plain",)).get_content()  # what changed, named in Spanish
    assert "Asamblea General" in message.get_body(("plain",)).get_content()  # the body named in Spanish too


def test_a_change_to_a_planned_meeting_tells_nobody(cast, ga, make_meeting, staff_user):
    meeting = make_meeting(ga)
    meeting_services.change_meeting(meeting.pk, staff_user.pk, venue="Elsewhere")
    assert not Notification.objects.exists()


def test_a_cancellation_sends_an_ics_cancel_with_status_cancelled(cast, excom, make_meeting, staff_user):
    meeting = make_meeting(excom)
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)

    meeting_services.cancel_meeting(meeting.pk, staff_user.pk, reason="Postponed to next year.")

    notification = last_notice(MeetingNotice.CANCELLED)
    assert recipients_of(notification) == EXCOM_RECIPIENTS
    message = rendered(notification, "focal@seoul.example")
    part, calendar = calendar_of(message)
    (event,) = calendar.walk("VEVENT")
    assert part.get_param("method") == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 2
    assert "Postponed to next year." in message.get_body(("plain",)).get_content()


def test_each_recipient_reads_the_notice_in_their_language(cast, ga, make_meeting, staff_user, make_contact):
    make_contact(cast["paris"], email="english@paris.example", language="en")
    meeting = make_meeting(ga, title="9th General Assembly")
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)
    notification = last_notice(MeetingNotice.CONVENED)

    def read(email):
        message = rendered(notification, email)
        # (Python's parser keeps the space that folds a long encoded header.)
        return message["Subject"].strip(), message.get_body(("plain",)).get_content()

    subject, text = read("focal@paris.example")
    assert subject.startswith("[WeGO] Convocation : 9th General Assembly")
    assert "Ordre du jour" not in text and "Le Secrétariat de WeGO convoque" in text
    assert "Pour changer l’adresse ou la langue de ces avis" in text
    subject, text = read("focal@partner.example")
    assert subject.startswith("[WeGO] Convocada: 9th General Assembly")
    assert "La Secretaría de WeGO convoca" in text
    subject, text = read("focal@seoul.example")
    assert subject.startswith("[WeGO] 소집: 9th General Assembly")
    subject, text = read("english@paris.example")
    assert subject.startswith("[WeGO] Convened: 9th General Assembly")
    assert "The WeGO Secretariat convenes" in text


def test_documents_published_go_to_those_who_may_read_them(cast, ga, make_meeting, staff_user):
    from django.core.files.base import ContentFile

    meeting = make_meeting(ga)
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)

    def document(title, kind, visibility):
        d = Document(meeting=meeting, title=title, kind=kind, visibility=visibility, state=DocumentState.FINAL)
        d.file.save("paper.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        d.save()
        return d

    paper = document("Strategy paper", DocumentKind.WORKING_PAPER, DocumentVisibility.MEMBERS)
    budget = document("Draft budget", DocumentKind.WORKING_PAPER, DocumentVisibility.BODY)

    with transaction.atomic():
        notifications = documents_published(meeting.pk, [paper.pk, budget.pk], staff_user.pk)
    assert {n.kind for n in notifications} == {MeetingNotice.DOCUMENTS_PUBLISHED}
    # Who may open which document is decided when the notices are recorded:
    # each recipient is in one notice, which lists only what they may open.
    assert sorted(r for n in notifications for r in recipients_of(n)) == sorted(GA_RECIPIENTS)

    def notice_to(address):
        (notification,) = [n for n in notifications if address in recipients_of(n)]
        return notification

    assert notice_to("focal@partner.example").payload["documents"] == [paper.pk]
    assert sorted(notice_to("focal@paris.example").payload["documents"]) == sorted([paper.pk, budget.pk])
    # The non-voting partner sees the paper, not the budget for voting members.
    partner_text = (
        rendered(notice_to("focal@partner.example"), "focal@partner.example").get_body(("plain",)).get_content()
    )
    paris_text = rendered(notice_to("focal@paris.example"), "focal@paris.example").get_body(("plain",)).get_content()
    assert "Strategy paper" in partner_text and "Draft budget" not in partner_text
    assert "Strategy paper" in paris_text and "Draft budget" in paris_text

    minutes = document("Minutes", DocumentKind.MINUTES, DocumentVisibility.BODY)
    with transaction.atomic():
        (notification,) = documents_published(meeting.pk, [minutes.pk], staff_user.pk)
    assert notification.kind == MeetingNotice.MINUTES_PUBLISHED
    assert "focal@partner.example" not in recipients_of(notification)


def test_a_convening_sent_over_smtp_arrives_whole(cast, ga, make_meeting, staff_user, smtp_backend):
    meeting = make_meeting(ga)
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)
    notification = last_notice(MeetingNotice.CONVENED)

    send_batch(list(notification.deliveries.values_list("pk", flat=True)), schedule_retries=False)

    assert sorted(smtp_backend.recipients()) == sorted(GA_RECIPIENTS)
    (message,) = smtp_backend.messages_to("focal@paris.example")
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    part, _ = calendar_of(message)
    assert part.get_param("method") == "REQUEST"
    assert mail.outbox == []


def _draft(meeting, title="Strategy paper", kind=DocumentKind.WORKING_PAPER):
    from django.core.files.base import ContentFile

    document = Document(meeting=meeting, title=title, kind=kind, visibility=DocumentVisibility.MEMBERS)
    document.file.save("paper.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    return document


def _publish_in_admin(client, document):
    from django.urls import reverse

    url = reverse("admin:governance_document_change", args=[document.pk])
    form = client.get(url).context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name != "file"}
    data.update(state=DocumentState.FINAL, meeting=document.meeting_id, agenda_item="")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_making_a_document_final_in_the_admin_tells_those_who_may_read_it(cast, ga, make_meeting, staff_user, client):
    client.force_login(staff_user)
    meeting = make_meeting(ga)
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)
    document = _draft(meeting)
    _publish_in_admin(client, document)
    notification = last_notice(MeetingNotice.DOCUMENTS_PUBLISHED)
    assert notification.payload["documents"] == [document.pk]
    assert recipients_of(notification) == GA_RECIPIENTS


def test_final_minutes_published_in_the_admin_make_a_minutes_notice_once(cast, ga, make_meeting, staff_user, client):
    client.force_login(staff_user)
    meeting = make_meeting(ga)
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)
    minutes = _draft(meeting, "Minutes", DocumentKind.MINUTES)
    _publish_in_admin(client, minutes)
    _publish_in_admin(client, minutes)  # saved again, already final: no second notice
    assert Notification.objects.filter(kind=MeetingNotice.MINUTES_PUBLISHED).count() == 1


def test_documents_of_a_meeting_not_yet_convened_wait_for_the_convening_notice(
    cast, ga, make_meeting, staff_user, client
):
    client.force_login(staff_user)
    _publish_in_admin(client, _draft(make_meeting(ga)))
    assert not Notification.objects.filter(kind=MeetingNotice.DOCUMENTS_PUBLISHED).exists()


def test_making_a_document_final_on_the_meeting_page_tells_the_members(cast, ga, make_meeting, staff_user, client):
    from django.urls import reverse

    client.force_login(staff_user)
    meeting = make_meeting(ga)
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)
    document = _draft(meeting)
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    data = change_page_data(client.get(url))
    prefix = next(
        key[: -len("-id")] for key, value in data.items() if key.endswith("-id") and value == str(document.pk)
    )
    data[f"{prefix}-state"] = DocumentState.FINAL
    response = client.post(url, data)
    assert response.status_code == 302, [response.context["adminform"].form.errors] + [
        inline.formset.errors for inline in response.context["inline_admin_formsets"]
    ]
    document.refresh_from_db()
    assert document.state == DocumentState.FINAL
    notification = last_notice(MeetingNotice.DOCUMENTS_PUBLISHED)
    assert notification.payload["documents"] == [document.pk]


def test_a_change_of_place_in_the_admin_goes_through_the_service_and_tells_the_members(
    cast, ga, make_meeting, staff_user, client
):
    from django.urls import reverse

    client.force_login(staff_user)
    meeting = make_meeting(ga)
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    data = change_page_data(client.get(url))
    data["venue"] = "Seoul City Hall"
    response = client.post(url, data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.venue, meeting.sequence) == ("Seoul City Hall", 2)  # convened, then moved
    notice = last_notice(MeetingNotice.CHANGED)
    assert notice.payload["changed"] == ["venue"] and recipients_of(notice) == GA_RECIPIENTS


def test_a_held_meeting_is_not_changed_in_the_admin_but_its_record_is_completed(
    cast, ga, make_meeting, staff_user, client
):
    from django.urls import reverse

    from governance.models import Attendance, Meeting, MeetingStatus

    client.force_login(staff_user)
    meeting = make_meeting(ga)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    data = change_page_data(client.get(url))

    changed = {**data, "venue": "Somewhere else"}
    response = client.post(url, changed)
    assert response.status_code == 200
    assert "A meeting that was held or cancelled cannot be changed." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.venue == "Hôtel de Ville, Paris"

    # Its attendance is still recorded: the meeting's own fields stay as they were.
    prefix = next(
        key[: -len("-TOTAL_FORMS")] for key in data if key.startswith("attendances") and key.endswith("-TOTAL_FORMS")
    )
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-organisation": str(cast["paris"].pk),
            f"{prefix}-0-representative": "Anne Hidalgo",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=meeting, organisation=cast["paris"]).exists()
    assert not Notification.objects.filter(kind=MeetingNotice.CHANGED).exists()
