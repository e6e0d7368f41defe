"""The secretariat's meeting pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Document, Invitation, Meeting, MeetingStatus, Registration
from governance.notifications.models import Notification
from governance.services import meetings as meeting_services
from tests.admin_forms import add_inline_row, change_page_data
from tests.meetings.conftest import make_meeting, tiny_pdf

pytestmark = pytest.mark.django_db


def _bulk_meetings(count, ga, term, host):
    now = timezone.now()
    starts = [now + datetime.timedelta(days=(i - count // 2) * 3) for i in range(count)]  # half past, half to come
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                body=ga,
                term=term,
                slug=f"bulk-{i}-{count}",
                start=start,
                end=start + datetime.timedelta(hours=2),
                venue=f"Hall {i}",
                host=host,
                time_zone="Europe/Paris",
            )
            for i, start in enumerate(starts)
        ]
    )
    Registration.objects.bulk_create(
        [Registration(meeting=m, organisation=host, name="D", email=f"d{m.pk}@x.org") for m in meetings]
    )
    Document.objects.bulk_create(
        [Document(meeting=m, kind="agenda", title=f"Agenda {m.pk}", file="meetings/x.pdf") for m in meetings]
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:governance_meeting_changelist",
        "admin:governance_document_changelist",
        "meetings:list",
        "member_home:index",
    ],
)
def test_lists_take_as_many_queries_for_1000_meetings_as_for_10(staff_client, ga, term, paris, url_name):
    url = reverse(url_name)
    _bulk_meetings(10, ga, term, paris)
    small = _queries(staff_client, url)
    _bulk_meetings(990, ga, term, paris)
    large = _queries(staff_client, url)
    print(f"QUERIES {url_name}: {small} for 10 meetings, {large} for 1,000")
    assert large == small, f"{url_name}: {small} queries for 10 rows, {large} for 1,000"


def test_the_meeting_page_shows_its_inlines_and_the_quorum(staff_client, ga_meeting, paris, seoul):
    response = staff_client.get(reverse("admin:governance_meeting_change", args=[ga_meeting.pk]))
    content = response.content.decode()
    for inline in ("agenda_items", "documents", "invitations", "registrations", "attendances", "resolutions"):
        assert f'id="{inline}-group"' in content
    assert "2 members with a vote; quorum 2" in content


def test_times_are_entered_in_the_meetings_time_zone(staff_client, ga, term):
    day = term.start_date + datetime.timedelta(days=10)
    response = staff_client.post(reverse("admin:governance_meeting_add"), meeting_add_data(ga, term, day))
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(title="GA in Paris")
    assert (meeting.local_start.hour, meeting.local_end.hour) == (9, 17)
    assert meeting.time_zone == "Europe/Paris"


def test_an_unknown_time_zone_is_a_clear_error(staff_client, ga, term):
    response = staff_client.post(
        reverse("admin:governance_meeting_add"),
        meeting_add_data(ga, term, datetime.date(2026, 5, 1), time_zone="Mars/Olympus_Mons", venue="X"),
    )
    assert response.status_code == 200
    assert "is not a known time zone" in response.content.decode()
    assert not Meeting.objects.exists()


def meeting_add_data(body, term, day, **fields):
    """What the admin's "add meeting" page posts: a meeting on ``day`` from
    09:00 to 17:00 in Paris, with no inline rows; ``fields`` change any of it."""
    return {
        "body": body.pk,
        "term": term.pk,
        "kind": "regular",
        "title": "GA in Paris",
        "slug": "",
        "start_0": day.isoformat(),
        "start_1": "09:00",
        "end_0": day.isoformat(),
        "end_1": "17:00",
        "time_zone": "Europe/Paris",
        "venue": "Hôtel de Ville, Paris",
        "attendance_mode": "in_person",
        "online_link_opens_minutes": "30",
        "host": "",
        "status_note": "",
        **_empty_inlines(),
        **fields,
    }


def _empty_inlines():
    data = {}
    for prefix in ("agenda_items", "documents", "invitations", "registrations", "attendances", "resolutions"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def _act(client, action, meeting, **data):
    return client.post(
        reverse("admin:governance_meeting_changelist"),
        {"action": action, "_selected_action": [meeting.pk], **data},
        follow=True,
    )


def test_convening_asks_first_and_says_who_will_be_told(
    staff_client, excom_meeting, seoul, almaty, paris, make_contact
):
    make_contact(seoul, email="focal@seoul.go.kr")
    response = _act(staff_client, "convene", excom_meeting)
    page = response.content.decode()
    assert "1 of 2 invited members will be notified (1 e-mail address)." in page
    assert '<ul class="unreached"><li>Almaty</li></ul>' in page
    excom_meeting.refresh_from_db()
    assert excom_meeting.status == MeetingStatus.PLANNED
    assert not Notification.objects.exists()


def test_convening_invites_the_members_who_may_attend_and_counts_those_told(
    staff_client, excom_meeting, seoul, almaty, paris, make_contact
):
    make_contact(seoul, email="focal@seoul.go.kr")
    response = _act(staff_client, "convene", excom_meeting, confirmed="yes")
    page = response.content.decode()
    assert "EXCOM 2026 is convened. 1 of 2 invited members notified (1 e-mail address)." in page
    assert (
        '<li class="warning">EXCOM 2026: Not notified, no contact with a notice role and an e-mail address: Almaty.'
        in page
    )
    excom_meeting.refresh_from_db()
    assert excom_meeting.status == MeetingStatus.CONVENED
    assert set(Invitation.objects.values_list("organisation__name", flat=True)) == {"Seoul", "Almaty"}
    change_page = staff_client.get(reverse("admin:governance_meeting_change", args=[excom_meeting.pk]))
    assert "1 of 2 invited members notified" in change_page.content.decode()
    assert "<li>Almaty</li>" in change_page.content.decode()
    response = _act(staff_client, "convene", excom_meeting, confirmed="yes")
    assert "Only a planned meeting can be convened" in response.content.decode()


def test_cancelling_asks_for_the_reason_that_goes_into_the_notice(
    staff_client, excom_meeting, seoul, almaty, make_contact
):
    make_contact(seoul, email="focal@seoul.go.kr")
    meeting_services.convene_meeting(excom_meeting.pk, None)
    page = _act(staff_client, "cancel", excom_meeting).content.decode()
    assert "Reason for the cancellation" in page
    assert "1 of 2 invited members will be notified" in page
    page = _act(staff_client, "cancel", excom_meeting, confirmed="yes", reason="  ").content.decode()
    assert "This field is required." in page
    excom_meeting.refresh_from_db()
    assert excom_meeting.status == MeetingStatus.CONVENED
    assert not Notification.objects.filter(kind="meeting_cancelled").exists()

    page = _act(staff_client, "cancel", excom_meeting, confirmed="yes", reason="The host city is flooded.")
    assert "EXCOM 2026 is cancelled. 1 of 2 invited members notified" in page.content.decode()
    excom_meeting.refresh_from_db()
    assert (excom_meeting.status, excom_meeting.status_note) == (MeetingStatus.CANCELLED, "The host city is flooded.")
    assert Notification.objects.filter(kind="meeting_cancelled").count() == 1


def test_cancelling_a_meeting_not_convened_tells_no_one(staff_client, excom_meeting, seoul):
    page = _act(staff_client, "cancel", excom_meeting).content.decode()
    assert "No notice is sent: it has not been convened." in page
    page = _act(staff_client, "cancel", excom_meeting, confirmed="yes", reason="Merged with the GA.").content.decode()
    assert "No notice is sent: it had not been convened." in page
    assert not Notification.objects.exists()


def test_the_evp_city_hosts_a_regular_ga_by_default(ga, term, almaty):
    assert make_meeting(ga, term).host == almaty
    assert make_meeting(ga, term, kind="extraordinary").host is None


@pytest.mark.parametrize(
    ("name", "content", "valid"),
    [
        ("paper.pdf", None, True),
        ("paper.pdf", b"MZ\x90\x00 this is an exe", False),
        ("paper.exe", None, False),
        ("paper.docx", b"%PDF-1.4 not a zip", False),
        ("paper.docx", "ooxml-word", True),
        ("paper.xlsx", "ooxml-word", False),
        ("paper.svg", b"<svg onload=alert(1)>", False),
    ],
)
def test_uploads_are_checked_on_their_bytes(ga_meeting, name, content, valid):
    if content is None:
        content = tiny_pdf()
    elif content == "ooxml-word":
        content = _ooxml("word/document.xml")
    document = Document(meeting=ga_meeting, kind="agenda", title="Upload", file=SimpleUploadedFile(name, content))
    if valid:
        document.full_clean()
    else:
        with pytest.raises(Exception, match="PDF|content"):
            document.full_clean()


def test_an_upload_over_the_limit_is_refused(ga_meeting, settings):
    settings.MEETING_DOCUMENT_MAX_BYTES = 100
    document = Document(meeting=ga_meeting, kind="agenda", title="Big", file=SimpleUploadedFile("big.pdf", tiny_pdf()))
    with pytest.raises(Exception, match="most allowed"):
        document.full_clean()


def _ooxml(part):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


# --- Only a full member names a voting delegate ---------------------------------


def test_a_non_voting_members_voting_delegate_is_refused_on_the_meeting_page(staff_client, ga_meeting, partner, paris):
    url = reverse("admin:governance_meeting_change", args=[ga_meeting.pk])
    page = change_page_data(staff_client.get(url))

    def post_row(organisation):
        data = add_inline_row(
            page,
            "registrations",
            organisation=str(organisation.pk),
            name="Delegate",
            email="delegate@example.org",
            is_voting_delegate="on",
            status="confirmed",
        )
        return staff_client.post(url, data)

    response = post_row(partner)
    assert response.status_code == 200
    assert "Smart Partner Ltd is not a full member: its delegates attend without a vote." in response.content.decode()
    assert not Registration.objects.exists()

    # The same row for a full member is saved: only the rule refused the first.
    assert post_row(paris).status_code == 302
    assert Registration.objects.get().organisation == paris


def test_only_a_full_member_names_a_voting_delegate_in_the_model(ga_meeting, partner, paris):
    def registration(organisation, is_voting_delegate=True):
        return Registration(
            meeting=ga_meeting,
            organisation=organisation,
            name="D",
            email="d@example.org",
            is_voting_delegate=is_voting_delegate,
        )

    with pytest.raises(ValidationError) as error:
        registration(partner).full_clean()
    assert error.value.message_dict == {
        "is_voting_delegate": ["Smart Partner Ltd is not a full member: its delegates attend without a vote."]
    }
    registration(partner, is_voting_delegate=False).full_clean()
    registration(paris).full_clean()


def test_a_voting_delegate_stays_on_record_after_the_member_loses_its_vote(ga_meeting, paris, associate_category):
    registration = Registration.objects.create(
        meeting=ga_meeting, organisation=paris, name="D", email="d@example.org", is_voting_delegate=True
    )
    paris.membership.category = associate_category
    paris.membership.save()
    registration = Registration.objects.get(pk=registration.pk)
    registration.name = "D. Delegate"
    registration.full_clean()  # the record of who voted is kept, and still edited
    registration.is_voting_delegate = False
    registration.save()
    registration.is_voting_delegate = True
    with pytest.raises(ValidationError, match="not a full member"):
        registration.full_clean()  # but it is not named anew
