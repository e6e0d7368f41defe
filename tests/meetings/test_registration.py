"""Registering delegates: only for one's own organisation, for a meeting it
may attend, one voting delegate, and not after the meeting starts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import MeetingStatus, Registration
from governance.services import meetings as meeting_services

pytestmark = pytest.mark.django_db


def register_url(meeting, organisation):
    return reverse("meetings:register", args=[meeting.slug, organisation.pk])


def test_a_representative_registers_a_delegate_of_their_organisation(client, paris_user, paris, ga_meeting):
    client.force_login(paris_user)
    response = client.post(
        register_url(ga_meeting, paris), {"name": "Anne Delegate", "email": "anne@paris.fr", "is_voting_delegate": "on"}
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.organisation, registration.is_voting_delegate, registration.registered_by) == (
        paris,
        True,
        paris_user,
    )
    assert "Anne Delegate" in client.get(ga_meeting.get_absolute_url()).content.decode()


def test_no_one_registers_for_another_organisation(client, paris_user, seoul, ga_meeting):
    client.force_login(paris_user)
    response = client.post(register_url(ga_meeting, seoul), {"name": "Intruder", "email": "x@example.org"})
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_no_one_registers_for_a_meeting_their_organisation_may_not_attend(client, paris_user, paris, excom_meeting):
    client.force_login(paris_user)
    response = client.post(register_url(excom_meeting, paris), {"name": "Anne", "email": "anne@paris.fr"})
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_the_service_refuses_an_organisation_the_user_does_not_act_for(paris_user, seoul, ga_meeting):
    with pytest.raises(meeting_services.MeetingError):
        meeting_services.register_delegate(ga_meeting.pk, seoul.pk, paris_user.pk, "X", "x@example.org")


def test_registration_closes_when_the_meeting_starts(client, paris_user, paris, ga_meeting):
    Registration.objects.create(meeting=ga_meeting, organisation=paris, name="Early", email="early@paris.fr")
    ga_meeting.start = timezone.now() - datetime.timedelta(minutes=1)
    ga_meeting.save()
    client.force_login(paris_user)
    response = client.post(register_url(ga_meeting, paris), {"name": "Late", "email": "late@paris.fr"}, follow=True)
    assert "Registration for this meeting is closed" in response.content.decode()
    registration = Registration.objects.get()
    response = client.post(reverse("meetings:unregister", args=[ga_meeting.slug, registration.pk]), follow=True)
    assert Registration.objects.filter(pk=registration.pk).exists()
    assert "closed" in response.content.decode()


def test_no_registration_for_a_cancelled_meeting(paris_user, paris, ga_meeting):
    ga_meeting.status = MeetingStatus.CANCELLED
    ga_meeting.save()
    with pytest.raises(meeting_services.MeetingError):
        meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "X", "x@paris.fr")


def test_one_voting_delegate_per_organisation(paris_user, paris, ga_meeting):
    meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "A", "a@paris.fr", True)
    with pytest.raises(meeting_services.MeetingError, match="already has a voting delegate"):
        meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "B", "b@paris.fr", True)
    with pytest.raises(meeting_services.MeetingError, match="already registered"):
        meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "A again", "A@paris.fr")


def test_a_partner_registers_observers_only(client, partner_user, partner, ga_meeting):
    client.force_login(partner_user)
    page = client.get(ga_meeting.get_absolute_url()).content.decode()
    assert "is_voting_delegate" not in page
    with pytest.raises(meeting_services.MeetingError, match="not a full member"):
        meeting_services.register_delegate(ga_meeting.pk, partner.pk, partner_user.pk, "P", "p@x.org", True)


def test_a_representative_changes_the_registration_until_the_start(client, paris_user, paris, ga_meeting):
    registration = meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "A", "a@paris.fr")
    client.force_login(paris_user)
    client.post(reverse("meetings:unregister", args=[ga_meeting.slug, registration.pk]))
    assert not Registration.objects.exists()


def test_someone_else_cannot_remove_a_registration(client, seoul_user, paris_user, paris, ga_meeting):
    registration = meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "A", "a@paris.fr")
    client.force_login(seoul_user)
    response = client.post(reverse("meetings:unregister", args=[ga_meeting.slug, registration.pk]))
    assert response.status_code == 404
    assert Registration.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": "", "email": "not-an-address"},
        {"name": "x" * 500, "email": "a@b.org"},
        {"name": "A", "email": "a@" + "b" * 300 + ".org"},
    ],
)
def test_bad_input_is_answered_with_the_form_and_its_errors(client, paris_user, paris, ga_meeting, data):
    client.force_login(paris_user)
    response = client.post(register_url(ga_meeting, paris), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Registration.objects.exists()


def test_registering_asks_for_post_and_a_known_meeting(client, paris_user, paris, ga_meeting):
    client.force_login(paris_user)
    assert client.get(register_url(ga_meeting, paris)).status_code == 405
    url = reverse("meetings:register", args=["nope", paris.pk])
    assert client.post(url, {"name": "A", "email": "a@paris.fr"}).status_code == 404


def test_a_refusal_is_shown_beside_the_form_with_what_was_typed_kept(client, paris_user, paris, ga_meeting):
    meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "A", "a@paris.fr", True)
    client.force_login(paris_user)
    response = client.post(
        register_url(ga_meeting, paris), {"name": "Bea Second", "email": "bea@paris.fr", "is_voting_delegate": "on"}
    )
    assert response.status_code == 400
    form = response.context["representing"][0]["form"]
    assert form.errors["is_voting_delegate"] == ["Paris already has a voting delegate; remove that one first."]
    page = response.content.decode()
    summary = f"delegates-{paris.pk}-errors"
    # The form's action carries the anchor of its error summary, so the
    # browser scrolls to it and focuses it after the refusal.
    assert f'{register_url(ga_meeting, paris)}#{summary}"' in page
    assert f'id="{summary}" tabindex="-1" role="alert"' in page
    assert 'value="Bea Second"' in page and 'value="bea@paris.fr"' in page
    checkbox = f'id="id_delegate_{paris.pk}_is_voting_delegate"'
    tag = page[page.rindex("<input", 0, page.index(checkbox)) : page.index(">", page.index(checkbox))]
    assert 'aria-invalid="true"' in tag
    assert f'aria-describedby="id_delegate_{paris.pk}_is_voting_delegate_error' in tag
    assert f'<div class="field-error" id="id_delegate_{paris.pk}_is_voting_delegate_error">' in page
    assert Registration.objects.count() == 1


def test_a_duplicate_address_is_refused_beside_the_address(client, paris_user, paris, ga_meeting):
    meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "A", "a@paris.fr")
    client.force_login(paris_user)
    response = client.post(register_url(ga_meeting, paris), {"name": "A bis", "email": "A@paris.fr"})
    assert response.status_code == 400
    form = response.context["representing"][0]["form"]
    assert list(form.errors) == ["email"]
    assert form.error_summary() == [(f"id_delegate_{paris.pk}_email", "A@paris.fr is already registered.")]
    assert Registration.objects.count() == 1
