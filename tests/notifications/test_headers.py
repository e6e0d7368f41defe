"""Every automated e-mail is marked so (Auto-Submitted) and its subject is
encoded within RFC 2047's limits: encoded-words of at most 75 characters,
header lines folded, and read back intact by Python's email package."""

from email import message_from_bytes, policy
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from governance.notifications import services
from governance.notifications.emails import build_message
from governance.notifications.models import NotificationKind
from governance.notifications.services import notify
from members.mail import encoded_words
from tests.notifications.mail_headers import ENCODED_WORD, head_of, subject_lines

pytestmark = pytest.mark.django_db

KOREAN = (
    "세계스마트지속가능도시기구 제9차 총회 소집 안내: 2027년 1월 6일 서울특별시청 대회의실, "
    "회원 도시 대표단 등록 마감 및 의제 문서 공개"
)
FRENCH = (
    "Convocation de la 9e Assemblée générale de l’Organisation mondiale des villes intelligentes "
    "et durables, le 6 janvier 2027 à l’Hôtel de Ville de Séoul — inscription des délégués"
)


def check_subject(raw, expected):
    """The Subject of a message on the wire: its encoded-words, its lines,
    and what a reader decodes."""
    folded = subject_lines(head_of(raw))
    words = ENCODED_WORD.findall(" ".join(folded))
    assert len(words) > 1, "a subject this long takes several encoded-words"
    assert max(len(word) for word in words) <= 75, [len(word) for word in words]
    assert max(len(line) for line in folded) <= 78, folded
    assert message_from_bytes(raw, policy=policy.default)["Subject"] == expected


@pytest.mark.parametrize("text", [KOREAN, FRENCH])
def test_a_long_subject_is_split_into_short_encoded_words(text):
    words = encoded_words(text).split(" ")
    assert all(len(word) <= 75 for word in words)
    header = f"Subject: {encoded_words(text)}\n\n".encode()
    assert message_from_bytes(header, policy=policy.default)["Subject"] == text


@pytest.mark.parametrize("language, title", [("ko", KOREAN), ("fr", FRENCH)])
def test_a_notice_with_a_long_subject_stays_within_rfc_2047(make_recipients, language, title):
    (contact,) = make_recipients(1, language=language)
    with mock.patch.object(services, "enqueue"):
        notification = notify(
            NotificationKind.ANNOUNCEMENT, contact.organisation, [contact], payload={"title": title, "text": "…"}
        )
    delivery = notification.deliveries.select_related("notification", "contact__organisation").get()
    message = build_message(delivery, notification.subject)
    raw = message.message().as_bytes()
    check_subject(raw, f"[WeGO] {title}")
    assert message_from_bytes(raw, policy=policy.default)["Auto-Submitted"] == "auto-generated"


@pytest.mark.parametrize("language", ["ko", "fr"])
def test_allauths_password_reset_is_automated_and_encoded_within_the_limits(client, make_user, settings, language):
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = {"ko": KOREAN, "fr": FRENCH}[language] + " "
    make_user("seoul@example.org")
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": "seoul@example.org"}, HTTP_ACCEPT_LANGUAGE=language)
    (message,) = mail.outbox
    raw = message.message().as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Auto-Submitted"] == "auto-generated"
    check_subject(raw, " ".join(message.subject.split()))
    assert parsed["Subject"].startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX.strip())


def test_without_the_fix_the_same_subject_breaks_the_limit():
    """What Django alone writes: the check above would catch it."""
    from django.core.mail import EmailMessage

    raw = EmailMessage(subject=f"[WeGO] {KOREAN}", body="x", to=["a@example.org"]).message().as_bytes()
    with pytest.raises(AssertionError):
        check_subject(raw, f"[WeGO] {KOREAN}")
