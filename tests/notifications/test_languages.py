"""Every notice in each of the portal's seven languages (issue 14).

For every kind of notice registered with the outbox and every language of
``settings.LANGUAGES``, a notice is recorded by the code that records it in
real life, for a recipient who reads that language, and its e-mail is built
as the worker builds it (``emails.build_message``) and read back from its
bytes. What it must say is read from the catalogs, never written here:

- each sentence of the kind's templates that the English e-mail shows (the
  templates' own msgids, found by makemessages' own parser) is shown in its
  translation, in the subject, the plain text and the HTML;
- no sentence of the English e-mail is left in another language, beyond the
  data (names, titles, places, references), which stay as they were written;
- data written in several languages (the names of bodies and categories) is
  shown in the reader's language;
- the HTML part says its language and direction (``lang``, ``dir``);
- the headers are ASCII, a non-Latin subject in RFC 2047 encoded-words of at
  most 75 characters on lines of at most 78 that decode to the subject;
- dates and times are in the language's own format (Django's locale
  formats), and no English month name is left.

The kinds come from the registry (``kinds.choices()``): a kind registered
without an entry in NOTICES, the table that records one, fails here, so a
new kind is covered as soon as it exists.

At the end, one convocation to seven contacts, one per language, through a
real Celery worker and an SMTP server (aiosmtpd): each receives it once, in
their own language.
"""

import ast
import copy
import datetime
import functools
import html
import re
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.utils import getaddresses
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import get_template
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import dates, timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation.template import templatize

from governance import dues_notices
from governance import notices as meeting_notices
from governance.application_notices import ApplicationNotice
from governance.models import (
    AgendaItem,
    Application,
    Attendance,
    Document,
    DocumentKind,
    DocumentState,
    DocumentVisibility,
    Meeting,
    Poll,
)
from governance.notices import MeetingNotice
from governance.notifications import kinds
from governance.notifications import services as outbox
from governance.notifications.emails import build_message
from governance.notifications.models import Delivery, DeliveryStatus, Notification, NotificationKind
from governance.notifications.services import notify
from governance.registration_notices import RegistrationNotice
from governance.services import applications as application_services
from governance.services import dues, voting
from governance.services import meetings as meeting_services
from governance.services.invitations import InvitationNotice, invite_contact
from governance.voting_notices import VotingNotice
from members.languages import fill_translations
from members.models import ContactRoleType
from tests.applications.conftest import excom_item, ga_item, letter, run  # noqa: F401  (fixtures)
from tests.meetings.conftest import tiny_pdf
from tests.notifications.conftest import wait_for
from tests.notifications.mail_headers import ENCODED_WORD, head_of, subject_lines
from tests.notifications.test_worker import WORKER_SETTINGS

SOURCE = settings.LANGUAGE_CODE  # the language the templates are written in
LANGUAGES = [code for code, _name in settings.LANGUAGES]
KINDS = [value for value, _label in kinds.choices()]

# The recipients' names, in their own scripts: data, shown as written.
# The apostrophes catch a plain text part that escapes them as HTML would.
NAMES = {
    "en": "Ada O'Neill",
    "fr": "Amélie d'Aubigné",
    "es": "Íñigo Muñoz",
    "ko": "김민준",
    "ar": "ليلى حسن",
    "ru": "Анна Павлова",
    "zh-hans": "王小明",
}


@pytest.fixture(autouse=True)
def _media_and_hashers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- The world a notice is recorded in ------------------------------------------
class World:
    """A full member (Busan) with readers in any language, the General
    Assembly, the secretariat; and what a notice shows as data (``data``),
    the dates and times it shows (``dates``, ``times``)."""

    def __init__(self, settings, ga, term, member, make_contact, make_user, staff, agenda_items):
        self.settings, self.ga, self.term, self.member = settings, ga, term, member
        self.make_contact, self.make_user, self.staff = make_contact, make_user, staff
        self.agenda_items = agenda_items  # where applications are recommended and admitted
        self.data = {member.name}
        # Data written in every language (django-modeltranslation): the body's
        # and the category's names, given their catalog translations as the
        # reference data's loader does. Shown in the reader's language.
        self.translated = []
        for instance in (ga, member.membership.category):
            if fill_translations(instance, ["name"]):
                instance.save()
            self.translated.append((instance, "name"))
        self.dates, self.times = [], []

    def keep(self, value):
        """``value`` is data: shown as written, in every language."""
        self.data.add(str(value))
        return value

    def reader(self, language, role=ContactRoleType.FOCAL_POINT, login=False):
        email = f"reader-{language}@busan.example"
        user = self.make_user(email) if login else None
        return self.make_contact(
            self.member,
            role=role,
            user=user,
            name=self.keep(NAMES.get(language, "Kim Lee")),
            email=email,
            language=language,
        )

    def meeting(self, **fields):
        meeting = busan_summit(self.ga, self.term, **fields)
        for value in (meeting.title, meeting.venue, meeting.time_zone, "Busan Declaration"):
            self.keep(value)
        return meeting

    def shows(self, meeting):
        """The notice shows ``meeting``'s day and hours."""
        self.dates.append(meeting.local_start.date())
        self.times += [meeting.local_start, meeting.local_end]

    def convened(self, language, login=False, **fields):
        self.reader(language, login=login)
        meeting = self.meeting(**fields)
        meeting_services.convene_meeting(meeting.pk, self.staff.pk)
        meeting.refresh_from_db()
        return meeting

    def document(self, meeting, kind, title):
        document = Document(
            meeting=meeting,
            kind=kind,
            title=self.keep(title),
            visibility=DocumentVisibility.MEMBERS,
            state=DocumentState.FINAL,
        )
        document.file.save("paper.pdf", ContentFile(tiny_pdf(title)), save=True)
        return document

    def application(self, language, secretariat=None, **fields):
        """An application filled in by readers of ``language``; the
        secretariat reads ``secretariat`` (default: the same)."""
        values = {
            "name": "Ulsan",
            "country": "KR",
            "kind": "local_government",
            "category": self.member.membership.category,
            "political_name": "Kim Doo-gyeom",
            "political_title": "Mayor",
            "political_email": "mayor@ulsan.example",
            "liaison_name": NAMES.get(language, "Kim Lee"),
            "liaison_title": "International relations",
            "liaison_email": f"liaison-{language}@ulsan.example",
            "language": language,
            "consent": True,
            "letter": letter(),
            **fields,
        }
        for name in ("name", "political_name", "liaison_name"):
            self.keep(values[name])
        # The secretariat reads the portal's own language.
        self.settings.LANGUAGE_CODE = secretariat or language
        try:
            application = application_services.submit(Application(**values))
        finally:
            self.settings.LANGUAGE_CODE = SOURCE
        # What the secretariat's record says (why it may be a duplicate) is data too.
        self.keep(application.reference)
        if application.duplicate_note:
            self.keep(application.duplicate_note)
        return application


def busan_summit(ga, term, **fields):
    """A General Assembly in Busan 40 days from now, 09:30 to 17:00 there."""
    day = timezone.localdate() + datetime.timedelta(days=40)
    zone = timezone.get_fixed_timezone(9 * 60)  # Seoul's offset all year round
    start = datetime.datetime.combine(day, datetime.time(9, 30), zone)
    meeting = Meeting.objects.create(
        body=ga,
        term=term,
        title="Busan Summit 2027",
        venue="BEXCO, Busan",
        time_zone="Asia/Seoul",
        start=start,
        end=start + datetime.timedelta(hours=7, minutes=30),
        **fields,
    )
    AgendaItem.objects.create(meeting=meeting, title="Busan Declaration", position=1)
    return meeting


@pytest.fixture
def world(
    no_broker,
    settings,
    ga,
    term,
    make_member,
    make_contact,
    make_user,
    staff_user,
    schedule,
    excom_item,  # noqa: F811
    ga_item,  # noqa: F811
):
    member = make_member("Busan", country="KR")
    return World(settings, ga, term, member, make_contact, make_user, staff_user, {"excom": excom_item, "ga": ga_item})


# --- How to record each kind for a reader of ``language`` -------------------------
NOTICES = {}
# Kinds whose subject is the secretariat's own words (data), with nothing to translate.
SUBJECT_IS_DATA = {NotificationKind.ANNOUNCEMENT}


def records(kind):
    def register(make):
        NOTICES[str(kind)] = make
        return make

    return register


def last(kind, count=1):
    notifications = list(Notification.objects.filter(kind=kind).order_by("-pk")[:count])
    assert len(notifications) == count, f"{count} {kind} notice(s) expected"
    return notifications[::-1]


@records(NotificationKind.ANNOUNCEMENT)
def announcement(world, language):
    reader = world.reader(language)
    payload = {"title": world.keep("Busan 2027"), "text": world.keep("Busan, 2027 ★")}
    return [notify(NotificationKind.ANNOUNCEMENT, world.member, [reader], payload=payload)]


@records(MeetingNotice.CONVENED)
def convened(world, language):
    world.shows(world.convened(language))
    return last(MeetingNotice.CONVENED)


@records(MeetingNotice.CHANGED)
def changed(world, language):
    meeting = world.convened(language)
    moved = meeting_services.change_meeting(
        meeting.pk,
        world.staff.pk,
        venue=world.keep("Haeundae Hall, Busan"),
        start=meeting.start + datetime.timedelta(days=1),
        end=meeting.end + datetime.timedelta(days=1),
    )
    world.shows(moved)
    return last(MeetingNotice.CHANGED)


@records(MeetingNotice.CANCELLED)
def cancelled(world, language):
    meeting = world.convened(language)
    meeting_services.cancel_meeting(meeting.pk, world.staff.pk, reason=world.keep("Typhoon Khanun over Busan"))
    world.shows(meeting)
    return last(MeetingNotice.CANCELLED)


@records(MeetingNotice.DOCUMENTS_PUBLISHED)
def documents_published(world, language):
    meeting = world.convened(language)
    paper = world.document(meeting, DocumentKind.WORKING_PAPER, "Busan Declaration (draft)")
    with transaction.atomic():
        meeting_services.documents_published(meeting.pk, [paper.pk], world.staff.pk)
    world.shows(meeting)
    return last(MeetingNotice.DOCUMENTS_PUBLISHED)


@records(MeetingNotice.MINUTES_PUBLISHED)
def minutes_published(world, language):
    meeting = world.convened(language)
    minutes = world.document(meeting, DocumentKind.MINUTES, "Busan Summit 2027 (final)")
    with transaction.atomic():
        meeting_services.documents_published(meeting.pk, [minutes.pk], world.staff.pk)
    world.shows(meeting)
    return last(MeetingNotice.MINUTES_PUBLISHED)


@records(MeetingNotice.REMINDER)
def reminder(world, language):
    meeting = world.convened(language)
    days = world.ga.reminder_day_list()[0]
    # Beat's run on the day of the first reminder, an hour after its moment.
    (notification,) = meeting_notices.send_due_reminders(
        now=meeting.start - datetime.timedelta(days=days) + datetime.timedelta(hours=1)
    )
    world.shows(meeting)
    return [notification]


@records(RegistrationNotice.CONFIRMED)
def registration_confirmed(world, language):
    meeting = world.convened(language, login=True)
    user = world.member.contacts.get(language=language).user
    for voting_delegate, name in [(True, "Jeon Ji-won"), (False, "Park Seo-yeon")]:
        meeting_services.register_delegate(
            meeting.pk,
            world.member.pk,
            user.pk,
            world.keep(name),
            f"{name.split()[-1].lower()}@busan.example",
            voting_delegate,
        )
    world.shows(meeting)
    return last(RegistrationNotice.CONFIRMED, 2)


@records(RegistrationNotice.WAITING)
def registration_waiting(world, language):
    meeting = world.convened(language, login=True, capacity=1)
    user = world.member.contacts.get(language=language).user
    for name in ("Jeon Ji-won", "Park Seo-yeon"):
        meeting_services.register_delegate(
            meeting.pk, world.member.pk, user.pk, world.keep(name), f"{name.split()[-1].lower()}@busan.example"
        )
    world.shows(meeting)
    return last(RegistrationNotice.WAITING)


@records(ApplicationNotice.RECEIVED)
def application_received(world, language):
    world.application(language)
    return last(ApplicationNotice.RECEIVED)


@records(ApplicationNotice.NEW)
def application_new(world, language):
    world.application(language)
    # The same name and country again: flagged as a possible duplicate.
    world.application(language, liaison_email=f"second-{language}@ulsan.example")
    return last(ApplicationNotice.NEW, 2)


@records(ApplicationNotice.DECIDED)
def application_decided(world, language):
    admitted = world.application(language)
    for action in ("start_review", "recommend", "admit"):
        run(action, admitted, world.staff, ga_item=world.agenda_items["ga"], excom_item=world.agenda_items["excom"])
    rejected = world.application(language, name="Changwon", liaison_email=f"changwon-{language}@ulsan.example")
    world.keep("Changwon")
    application_services.reject(rejected.pk, world.staff.pk, world.keep("Not a member of a local government."))
    return last(ApplicationNotice.DECIDED, 2)


@records(dues_notices.DuesNotice.REMINDER)
def dues_reminder(world, language):
    world.reader(language, role=ContactRoleType.BILLING)
    invoice = dues.issue_invoice(world.member.pk)
    world.keep(invoice.reference)
    world.dates += [invoice.due_on, invoice.period_start, invoice.period_end]
    # Before the due date, on it, and after it: each says it differently.
    return [dues_notices.remind(invoice, offset) for offset in (-14, 0, 30)]


@records(VotingNotice.RESULTS)
def poll_results(world, language):
    meeting = world.convened(language, login=True)
    user = world.member.contacts.get(language=language).user
    Attendance.objects.create(meeting=meeting, organisation=world.member)
    poll = Poll.objects.create(
        meeting=meeting, agenda_item=meeting.agenda_items.get(), title=world.keep("Adopt the Busan Declaration")
    )
    voting.open_poll(poll.pk, world.staff.pk)
    voting.cast_ballot(poll.pk, world.member.pk, user.pk, ["yes"])
    voting.close_poll(poll.pk, world.staff.pk)
    world.shows(meeting)
    return last(VotingNotice.RESULTS)


@records(InvitationNotice.PORTAL_INVITATION)
def portal_invitation(world, language):
    contact = world.reader(language)
    assert invite_contact(contact.pk, world.staff.pk)
    return last(InvitationNotice.PORTAL_INVITATION)


# --- Reading an e-mail ---------------------------------------------------------------
class Reading:
    """One delivery's e-mail in one language, as its bytes read back."""

    def __init__(self, delivery, language):
        delivery = copy.copy(delivery)
        delivery.language = language
        self.templates = []
        template_rendered.connect(self._rendered)
        try:
            self.message = build_message(delivery, delivery.notification.subject)
        finally:
            template_rendered.disconnect(self._rendered)
        self.raw = self.message.message().as_bytes()
        parsed = message_from_bytes(self.raw, policy=policy.default)
        self.parsed = parsed
        self.html = parsed.get_body(("html",)).get_content()
        self.parts = {
            "subject": normal(parsed["Subject"]),
            "text": normal(parsed.get_body(("plain",)).get_content()),
            "html": normal(html.unescape(self.html)),
        }
        # What a reader sees of the HTML: its text, without the markup.
        self.shown = {"subject": str(parsed["Subject"]), "text": parsed.get_body(("plain",)).get_content()}
        self.shown["html"] = "\n".join(TextOf(self.html).chunks)

    def _rendered(self, sender, template, context, **kwargs):
        self.templates.append(template.name)


class TextOf(HTMLParser):
    """The text of an HTML document, a chunk per element, and its root's attributes."""

    def __init__(self, source):
        super().__init__(convert_charrefs=True)
        self.chunks, self.root = [], {}
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.root = dict(attrs)

    def handle_data(self, data):
        if data.strip():
            self.chunks.append(data)


def normal(text):
    return " ".join(str(text).split())


def part_of(template_name):
    if template_name.endswith("-subject.txt"):
        return "subject"
    return "html" if template_name.endswith(".html") else "text"


# --- The templates' own sentences, as makemessages finds them ------------------------
# templatize() writes each message as a Python call with string literals (repr's quotes).
_LITERAL = r"""u(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_CALL = re.compile(rf"\b(gettext|pgettext|ngettext|npgettext)\(((?:{_LITERAL},?\s*)+)")


@functools.cache
def msgids(template_name):
    """The messages of a template (not of what it includes): each a pair of
    the English forms and a function giving their translations."""
    source = get_template(template_name).template.source
    found = []
    for function, arguments in _CALL.findall(templatize(source)):
        literals = [ast.literal_eval(literal) for literal in re.findall(_LITERAL, arguments)]
        if function == "gettext":
            (msgid,) = literals
            found.append(((msgid,), lambda m=msgid: (translation.gettext(m),)))
        elif function == "pgettext":
            context, msgid = literals
            found.append(((msgid,), lambda c=context, m=msgid: (translation.pgettext(c, m),)))
        else:  # plural forms: the singular and the plural, and their translations for several counts
            context, singular, plural = literals if function == "npgettext" else ("", *literals)

            def forms(c=context, s=singular, p=plural):
                if c:
                    return tuple(translation.npgettext(c, s, p, n) for n in (1, 2, 5, 11, 21))
                return tuple(translation.ngettext(s, p, n) for n in (1, 2, 5, 11, 21))

            found.append(((singular, plural), forms))
    return found


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


def fixed(message):
    """The words of a message around its placeholders."""
    return [normal(piece) for piece in _PLACEHOLDER.split(message) if re.search(r"\w", piece)]


def shows(text, pieces):
    return bool(pieces) and all(piece in text for piece in pieces)


def as_word(piece):
    return re.compile(rf"(?<!\w){re.escape(piece)}(?!\w)")


# --- English left over ---------------------------------------------------------------
_LINK_OR_ADDRESS = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+")


def english_sentences(text, data):
    """The sentences (two words or more) of an English rendering, the data
    taken out: those must not be found in another language's."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, "\n")
    text = _LINK_OR_ADDRESS.sub("\n", text)
    for piece in re.split(r"\n|(?<=[.:;!?])\s+|\s[—·–]\s", text):
        piece = normal(piece).strip(" ,()[]")
        if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 2:
            yield piece


def english_months():
    with translation.override(SOURCE):
        return {str(name) for table in (dates.MONTHS, dates.MONTHS_AP, dates.MONTHS_ALT) for name in table.values()}


def written(instance, field, language):
    """``instance.field`` as a reader of ``language`` sees it."""
    with translation.override(language):
        return str(getattr(instance, field))


def formatted(moment, language, kind):
    with translation.override(language):
        if kind == "date":
            return date_format(moment, "DATE_FORMAT")
        return time_format(moment)


# --- The test ------------------------------------------------------------------------
@pytest.fixture
def no_broker():
    with mock.patch.object(outbox, "enqueue"):
        yield


def test_every_registered_kind_can_be_recorded_here():
    assert set(KINDS) <= set(NOTICES), f"kinds with no way to record them here: {sorted(set(KINDS) - set(NOTICES))}"
    # The fifteen of today: fewer would mean the registry was read before the apps had loaded.
    assert len(KINDS) >= 15


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_notice_reads_in_the_recipients_language(kind, language, world):
    make = NOTICES.get(kind)
    if make is None:
        pytest.fail(f"The notice kind {kind!r} is registered, but NOTICES has no way to record one: add it.")
    notifications = make(world, language)
    assert notifications and all(n.kind == kind for n in notifications)
    for notification in notifications:
        # The delivery recorded for the reader of ``language``: its language
        # is theirs, taken when the notice was recorded.
        delivery = (
            Delivery.objects.select_related("notification", "contact__organisation")
            .filter(notification=notification, language=language)
            .order_by("pk")
            .first()
        )
        assert delivery is not None, f"no delivery of {kind} in {language}"
        check_reading(kind, language, world, delivery)


def check_reading(kind, language, world, delivery):
    english, local = Reading(delivery, SOURCE), Reading(delivery, language)
    assert english.templates == local.templates, "the same templates in every language"
    where = f"{kind} in {language}"

    # The templates' sentences the English e-mail shows, each in its translation.
    subject_messages = 0
    for name in dict.fromkeys(english.templates):
        part = part_of(name)
        for english_forms, translate in msgids(name):
            pieces = [fixed(form) for form in english_forms]
            if not any(shows(english.parts[part], p) for p in pieces):
                continue  # a branch this notice does not take
            subject_messages += part == "subject"
            with translation.override(language):
                translations = translate()
            if language != SOURCE:
                assert all(t not in english_forms for t in translations), (
                    f"{where}: {english_forms[0]!r} ({name}) has no {language} translation"
                )
            assert any(shows(local.parts[part], fixed(t)) for t in translations), (
                f"{where}: the {part} does not show the translation of {english_forms[0]!r} ({name}): "
                f"{translations[0]!r} not in {local.parts[part]!r}"
            )
            if language != SOURCE:
                for piece in {piece for p in pieces for piece in p}:
                    if len(piece) > 3 and not any(piece in t for t in translations):
                        assert not as_word(piece).search(local.parts[part]), (
                            f"{where}: English {piece!r} ({name}) left in the {part}"
                        )
    if kind not in SUBJECT_IS_DATA:
        assert subject_messages, f"{where}: the subject says nothing of its own to translate"

    # Data written in several languages is shown in the reader's; where it is
    # not written in it, in English, as any other data.
    data = set(world.data)
    for instance, field in world.translated:
        english_value, local_value = (written(instance, field, code) for code in (SOURCE, language))
        if local_value == english_value:
            data.add(english_value)
        for part in ("subject", "text", "html"):
            if english_value in english.parts[part]:
                assert local_value in local.parts[part], f"{where}: {local_value!r} not in the {part}"

    # Nothing of the English e-mail left, but the data.
    if language != SOURCE:
        for part in ("subject", "text", "html"):
            for sentence in english_sentences(english.shown[part], data):
                assert sentence not in local.parts[part], f"{where}: English {sentence!r} left in the {part}"
        months = english_months()
        for part, text in local.parts.items():
            left = sorted(month for month in months if as_word(month).search(text))
            assert not left, f"{where}: English month names {left} in the {part}"

    # Dates and times in the language's own format.
    for kind_of_moment, moments in (("date", world.dates), ("time", world.times)):
        shown = 0
        for moment in moments:
            english_form, local_form = (
                formatted(moment, SOURCE, kind_of_moment),
                formatted(moment, language, kind_of_moment),
            )
            for part in ("subject", "text", "html"):
                if english_form in english.parts[part]:
                    shown += 1
                    assert local_form in local.parts[part], f"{where}: {local_form!r} not in the {part}"
        assert shown or not moments, f"{where}: none of the {kind_of_moment}s {moments} is shown"

    # The plain text is not HTML.
    assert not re.search(r"&(#\d+|#x[0-9a-fA-F]+|[a-z]+);", local.shown["text"]), f"{where}: HTML entities in the text"

    # The message says its language (RFC 3282), and the HTML part its language and direction.
    assert local.parsed["Content-Language"] == language, f"{where}: Content-Language {local.parsed['Content-Language']}"
    root = TextOf(local.html).root
    assert root.get("lang", "").lower() == language.lower(), f"{where}: <html lang={root.get('lang')!r}>"
    expected_dir = "rtl" if translation.get_language_info(language)["bidi"] else "ltr"
    assert root.get("dir") == expected_dir, f"{where}: <html dir={root.get('dir')!r}>"

    check_headers(local, delivery, where)


def check_headers(reading, delivery, where):
    """ASCII headers; a non-ASCII subject in short encoded-words on short
    lines (RFC 2047, 5322); both read back as they were written."""
    head = head_of(reading.raw)
    assert head.isascii(), f"{where}: 8-bit bytes in the headers"
    folded = subject_lines(head)
    subject = normal(reading.message.subject)
    if not subject.isascii():
        words = ENCODED_WORD.findall(" ".join(folded))
        assert words, f"{where}: a non-ASCII subject not in encoded-words"
        assert max(len(word) for word in words) <= 75, f"{where}: {[len(w) for w in words]}"
    assert max(len(line) for line in folded) <= 78, f"{where}: {folded}"
    assert normal(reading.parsed["Subject"]) == subject
    ((name, address),) = getaddresses([str(make_header(decode_header(reading.parsed["To"])))])
    assert (name, address) == (delivery.name, delivery.email), f"{where}: To: {reading.parsed['To']!r}"


# --- End to end: seven languages, one convocation, a real worker -------------------
# The msgids of emails/meeting-convened-subject.txt and emails/_layout-top.html
# (named, not written in a gettext call, so that makemessages leaves this
# module out of the catalogs).
CONVENED = "Convened: %(title)s, %(date)s"
DEAR = "Dear %(name)s,"


@pytest.mark.django_db(transaction=True)
def test_seven_contacts_each_receive_one_convocation_in_their_own_language(
    broker, smtp, start_worker, settings, ga, term, make_member, make_contact, staff_user
):
    for name, value in WORKER_SETTINGS.items():
        setattr(settings, name, value)
    readers = {}
    for language in LANGUAGES:
        member = make_member()
        readers[language] = make_contact(
            member, name=NAMES.get(language, "Kim Lee"), email=f"focal-{language}@example.org", language=language
        )
    meeting = busan_summit(ga, term)
    start_worker(broker)

    meeting_services.convene_meeting(meeting.pk, staff_user.pk)

    def nothing_left():
        return not Delivery.objects.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]).exists()

    wait_for(nothing_left, timeout=60, message="the convocation to go out")
    wait_for(lambda: len(smtp.recipients()) >= len(readers), timeout=10, message="the messages to arrive")
    meeting.refresh_from_db()
    assert sorted(smtp.recipients()) == sorted(reader.email for reader in readers.values()), "each once, nobody else"
    for language, reader in readers.items():
        (message,) = smtp.messages_to(reader.email)
        with translation.override(language):
            date = date_format(meeting.local_start, "DATE_FORMAT")
            subject = translation.gettext(CONVENED) % {"title": meeting.title, "date": date}
            greeting = translation.gettext(DEAR) % {"name": reader.name}
        assert normal(message["Subject"]) == f"[WeGO] {subject}", language
        assert message["Content-Language"] == language
        text = message.get_body(("plain",)).get_content()
        assert text.startswith(greeting) and date in text, language
        root = TextOf(message.get_body(("html",)).get_content()).root
        assert root["lang"] == language
        assert root["dir"] == ("rtl" if translation.get_language_info(language)["bidi"] else "ltr")


# --- Not the outbox's, but to the same people: allauth's mails, the secretariat's note
SET_A_NEW_PASSWORD = "Set a new password for the WeGO Portal"  # account/email/password_reset_key_subject.txt
ALREADY_A_MEMBER = "%(member)s (%(country)s) is already a member."  # governance.services.applications


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_password_reset_is_written_in_the_contacts_language_not_the_pages(
    client, make_user, make_member, make_contact, language
):
    user = make_user(f"reader-{language}@busan.example")
    make_contact(make_member(), user=user, email=user.email, name=NAMES.get(language, "Kim Lee"), language=language)
    page = next(code for code in LANGUAGES if code != language)
    mail.outbox.clear()
    cache.clear()  # allauth's rate limits count in the cache

    client.post(reverse("account_reset_password"), {"email": user.email}, HTTP_ACCEPT_LANGUAGE=page)

    (message,) = mail.outbox
    subject_template, body_template = (
        f"account/email/password_reset_key_{part}.txt" for part in ("subject", "message")
    )
    with translation.override(language):
        subject = [t for _forms, translate in msgids(subject_template) for t in translate()]
        body = [t for _forms, translate in msgids(body_template) for t in translate()]
    assert normal(message.subject) == normal(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject))
    assert message.extra_headers["Content-Language"] == language
    for sentence in body:
        assert all(piece in normal(message.body) for piece in fixed(sentence)), sentence


@pytest.mark.django_db
def test_a_login_that_is_no_contact_gets_its_password_reset_in_the_pages_language(client, make_user):
    user = make_user("secretariat-reader@example.org")
    cache.clear()
    client.post(reverse("account_reset_password"), {"email": user.email}, HTTP_ACCEPT_LANGUAGE="ko")
    (message,) = mail.outbox
    with translation.override("ko"):
        assert translation.gettext(SET_A_NEW_PASSWORD) in message.subject


@pytest.mark.django_db
def test_the_secretariat_reads_why_an_application_may_be_a_duplicate_in_its_own_language(world, make_member, settings):
    make_member("Ulsan", country="KR")  # already a member
    with translation.override("ko"):  # the applicant fills in the form in Korean
        application = world.application("ko", secretariat=SOURCE)
    (notification,) = last(ApplicationNotice.NEW)
    delivery = notification.deliveries.select_related("notification").get()
    assert delivery.language == SOURCE
    with translation.override(SOURCE):
        note = translation.gettext(ALREADY_A_MEMBER) % {
            "member": "Ulsan",
            "country": application.country.name,
        }
    assert application.duplicate_note == note
    assert note in Reading(delivery, delivery.language).parts["text"]
