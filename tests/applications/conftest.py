"""The cast of the application tests: the categories, the two bodies with a
meeting each and an agenda item where applications are decided, and a maker
of applications in any state, brought there through the service."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

from governance.management.commands.seed_demo import make_pdf
from governance.models import AgendaItem, Application, ApplicationState, Meeting
from governance.services import applications as services

S = ApplicationState

# How to bring a fresh (submitted) application into each state, through the service.
PATHS = {
    S.SUBMITTED: [],
    S.UNDER_REVIEW: ["start_review"],
    S.RECOMMENDED: ["start_review", "recommend"],
    S.ADMITTED: ["start_review", "recommend", "admit"],
    S.REJECTED: ["reject"],
    S.WITHDRAWN: ["withdraw"],
}


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # rate-limit counters of an earlier test must not leak in
    yield
    cache.clear()


def _meeting(body, term, title):
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=3)
    return Meeting.objects.create(
        body=body,
        term=term,
        title=title,
        start=start,
        end=start + datetime.timedelta(hours=4),
        venue="City Hall",
        time_zone="Asia/Seoul",
    )


@pytest.fixture
def excom_item(excom, term):
    meeting = _meeting(excom, term, "EXCOM 2026")
    return AgendaItem.objects.create(meeting=meeting, title="Recommendation of new members")


@pytest.fixture
def ga_item(ga, term):
    meeting = _meeting(ga, term, "General Assembly 2026")
    return AgendaItem.objects.create(meeting=meeting, title="Admission of new members")


def letter(text="Letter of intent"):
    return ContentFile(make_pdf(text), name="letter.pdf")


@pytest.fixture
def make_application(db, full_category, excom_item, ga_item, staff_user):
    """An application submitted through the service, then moved along
    ``PATHS[state]``; keyword arguments override its fields."""

    def make(state=S.SUBMITTED, **fields):
        values = {
            "name": "Lyon",
            "country": "FR",
            "kind": "local_government",
            "category": full_category,
            "political_name": "Grégory Doucet",
            "political_title": "Mayor",
            "political_email": "mayor@lyon.example",
            "liaison_name": "Anne Liaison",
            "liaison_title": "International relations",
            "liaison_email": "anne@lyon.example",
            "consent": True,
            "letter": letter(),
            **fields,
        }
        application = services.submit(Application(**values))
        for action in PATHS[state]:
            run(action, application, staff_user, ga_item=ga_item, excom_item=excom_item)
        application.refresh_from_db()
        return application

    return make


def run(action, application, user, *, ga_item, excom_item):
    """Make ``action`` through the service with what it needs."""
    if action == "start_review":
        return services.start_review(application.pk, user.pk)
    if action == "recommend":
        return services.recommend(application.pk, user.pk, agenda_item_id=excom_item.pk)
    if action == "admit":
        item = ga_item if application.category.has_vote else excom_item
        return services.admit(application.pk, user.pk, agenda_item_id=item.pk)
    if action == "reject":
        return services.reject(application.pk, user.pk, "Not a local government.")
    if action == "withdraw":
        return services.withdraw(application.pk, reason="Changed our mind.")
    if action == "reopen":
        return services.reopen(application.pk, user.pk, "New letter received.")
    raise AssertionError(action)
