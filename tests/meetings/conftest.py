"""The cast of the meeting tests, chained like the domain:

bodies → term → members (Seoul on EXCOM as President City, Paris a full
member off EXCOM, a non-voting partner, a suspended city) → their logins →
an upcoming General Assembly and EXCOM meeting with documents of every
visibility, and a draft.
"""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

from governance.models import Document, DocumentState, DocumentVisibility, Meeting, Office
from members.models import Standing


def tiny_pdf(text="WeGO"):
    """A small, valid one-page PDF (the same writer seed_demo uses)."""
    from governance.management.commands.seed_demo import make_pdf

    return make_pdf(text)


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing every fixture login with PBKDF2 would take most of the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # rate-limit counters of an earlier test must not leak in
    yield
    cache.clear()


@pytest.fixture
def seoul(make_member, posts, term):
    organisation = make_member("Seoul", country="KR")
    Office.objects.create(post=posts["president"], term=term, organisation=organisation, start_date=term.start_date)
    return organisation


@pytest.fixture
def almaty(make_member, posts, term):
    organisation = make_member("Almaty", country="KZ")
    Office.objects.create(post=posts["evp"], term=term, organisation=organisation, start_date=term.start_date)
    return organisation


@pytest.fixture
def paris(make_member):
    return make_member("Paris", country="FR")


@pytest.fixture
def partner(make_member, industry_category):
    return make_member("Smart Partner Ltd", country="DE", kind="provider", category=industry_category)


@pytest.fixture
def suspended_city(make_member):
    return make_member("Suspended City", country="IT", standing=Standing.SUSPENDED)


def _login_for(make_user, make_contact, organisation, email):
    user = make_user(email)
    make_contact(organisation, user=user, email=email)
    return user


@pytest.fixture
def seoul_user(make_user, make_contact, seoul):
    return _login_for(make_user, make_contact, seoul, "seoul@example.org")


@pytest.fixture
def paris_user(make_user, make_contact, paris):
    return _login_for(make_user, make_contact, paris, "paris@example.org")


@pytest.fixture
def partner_user(make_user, make_contact, partner):
    return _login_for(make_user, make_contact, partner, "partner@example.org")


@pytest.fixture
def suspended_user(make_user, make_contact, suspended_city):
    return _login_for(make_user, make_contact, suspended_city, "suspended@example.org")


@pytest.fixture
def outsider(make_user):
    """A login with no organisation."""
    return make_user("nobody@example.org")


def make_meeting(body, term, days_ahead=30, **fields):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days_ahead)
    fields.setdefault("venue", "City Hall, Seoul")
    fields.setdefault("time_zone", "Asia/Seoul")
    return Meeting.objects.create(body=body, term=term, start=start, end=start + datetime.timedelta(hours=6), **fields)


def add_documents(meeting):
    """One final document of each visibility, and a draft."""
    documents = {}
    for visibility in DocumentVisibility.values:
        document = Document(
            meeting=meeting,
            kind="working_paper",
            title=f"{visibility} paper",
            visibility=visibility,
            state=DocumentState.FINAL,
        )
        document.file.save(f"{visibility}.pdf", ContentFile(tiny_pdf(visibility)), save=True)
        documents[visibility] = document
    draft = Document(meeting=meeting, kind="minutes", title="draft minutes", visibility=DocumentVisibility.PUBLIC)
    draft.file.save("draft.pdf", ContentFile(tiny_pdf("draft")), save=True)
    documents["draft"] = draft
    return documents


@pytest.fixture
def ga_meeting(ga, term):
    meeting = make_meeting(ga, term, title="General Assembly 2026")
    meeting.test_documents = add_documents(meeting)
    return meeting


@pytest.fixture
def excom_meeting(excom, term, seoul):
    meeting = make_meeting(excom, term, days_ahead=20, title="EXCOM 2026")
    meeting.test_documents = add_documents(meeting)
    return meeting


@pytest.fixture
def cast(db, seoul_user, paris_user, partner_user, suspended_user, outsider, staff_user):
    return {
        "seoul": seoul_user,
        "paris": paris_user,
        "partner": partner_user,
        "suspended": suspended_user,
        "outsider": outsider,
        "staff": staff_user,
    }
