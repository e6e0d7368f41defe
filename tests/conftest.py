"""Fixtures shared by the whole suite: categories, members and the people who
look at them (anonymous, outsider, member, staff)."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from governance.models import FeeSchedule, Post, PostRole
from governance.services import dues
from members.models import (
    Contact,
    ContactRole,
    ContactRoleType,
    Membership,
    MembershipCategory,
    Organisation,
    OrganisationKind,
    User,
)

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request's LocaleMiddleware
    leaves its language active in the thread, which would otherwise carry
    into the next test's fixtures."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_public_cache():
    """Each test starts with the public pages' cache empty: a test's rows are
    rolled back without a signal, so the next test must not see its pages."""
    from members.caching import _bump

    _bump()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def full_category(db):
    return MembershipCategory.objects.get_or_create(
        slug="full-member", defaults={"name": "Full Member", "has_vote": True, "kind": "local_government"}
    )[0]


@pytest.fixture
def associate_category(db):
    return MembershipCategory.objects.get_or_create(
        slug="associate-member", defaults={"name": "Associate Member", "kind": "local_government"}
    )[0]


@pytest.fixture
def industry_category(db):
    return MembershipCategory.objects.get_or_create(
        slug="industry-member", defaults={"name": "Industry Member", "kind": "provider"}
    )[0]


@pytest.fixture
def make_member(db, full_category):
    """Create an organisation with a membership; keyword arguments override."""

    def make(name=None, country="FR", kind=OrganisationKind.LOCAL_GOVERNMENT, category=None, **options):
        membership_fields = {
            key: options.pop(key) for key in ("start_date", "end_date", "standing", "joined_on") if key in options
        }
        if membership_fields.get("standing"):
            membership_fields.setdefault("standing_reason", "Decided by the Executive Committee.")
        organisation = Organisation.objects.create(
            name=name or f"Member City {next(_counter)}",
            country=country,
            kind=kind,
            latitude=options.pop("latitude", 48.85),
            longitude=options.pop("longitude", 2.35),
            **options,
        )
        Membership.objects.create(organisation=organisation, category=category or full_category, **membership_fields)
        return organisation

    return make


# --- Governance: the two bodies and the term under way ----------------------
def in_every_language(instance, fields):
    """The words the catalogs give, in each language, as load_wego_data writes them."""
    from members.languages import fill_translations

    if fill_translations(instance, fields):
        instance.save()
    return instance


@pytest.fixture
def ga(db):
    from governance.models import Body, BodySlug

    body = Body.objects.get_or_create(
        slug=BodySlug.GENERAL_ASSEMBLY,
        defaults={"name": "General Assembly", "abbreviation": "GA", "cadence_months": 36, "position": 0},
    )[0]
    return in_every_language(body, ("name", "description"))


@pytest.fixture
def excom(db):
    from governance.models import Body, BodySlug

    body = Body.objects.get_or_create(
        slug=BodySlug.EXECUTIVE_COMMITTEE,
        defaults={
            "name": "Executive Committee",
            "abbreviation": "EXCOM",
            "cadence_months": 12,
            "max_seats": 21,
            "position": 1,
        },
    )[0]
    return in_every_language(body, ("name", "description"))


@pytest.fixture
def term(db, today):
    """The term under way today: it began a year ago and ends in two years."""
    from governance.models import Term

    return Term.objects.create(
        name="Current term",
        start_date=today - datetime.timedelta(days=365),
        end_date=today + datetime.timedelta(days=730),
    )


@pytest.fixture
def make_user(db):
    def make(email=None, **fields):
        return User.objects.create_user(email=email or f"user{next(_counter)}@example.org", password=PASSWORD, **fields)

    return make


@pytest.fixture
def make_contact(db):
    def make(organisation, role=ContactRoleType.FOCAL_POINT, user=None, **fields):
        fields.setdefault("name", f"Contact {next(_counter)}")
        fields.setdefault("email", f"contact{next(_counter)}@example.org")
        contact = Contact.objects.create(organisation=organisation, user=user, **fields)
        if role:
            ContactRole.objects.create(contact=contact, role=role, start_date=datetime.date(2020, 1, 1))
        return contact

    return make


@pytest.fixture
def staff_user(make_user):
    """Secretariat staff, with the authenticator app staff must have to reach
    the admin (wego_portal/mfa.py)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = make_user("secretariat@example.org", is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


# --- Browser tests: Debian's Chromium driven by Playwright -----------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and page for one test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def log_in_browser(live_server):
    """Give a browser page the session of ``user``, as if they had logged in
    (the login form itself is tested in tests/meetings/test_browser.py)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    def log_in(page, user):
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
        )

    return log_in


@pytest.fixture
def eager(settings):
    """The embedded default's Celery: tasks run in the process that commits,
    mail goes to Django's test outbox."""
    from wego_portal.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


# --- Posts: one definition, shared by every app's tests -------------------------
def _post(body, slug, label, role, is_officer, max_holders, position):
    post = Post.objects.get_or_create(
        slug=slug,
        defaults={
            "body": body,
            "label": label,
            "role": role,
            "is_officer": is_officer,
            "max_holders": max_holders,
            "position": position,
        },
    )[0]
    return in_every_language(post, ("label", "selection"))


@pytest.fixture
def president(excom):
    return _post(excom, "president-city", "President City", PostRole.PRESIDENT, True, 1, 0)


@pytest.fixture
def executive_vice_president(excom):
    return _post(
        excom,
        "executive-vice-president-city",
        "Executive Vice President City",
        PostRole.EXECUTIVE_VICE_PRESIDENT,
        True,
        1,
        1,
    )


@pytest.fixture
def vice_president(excom):
    return _post(excom, "vice-president-city", "Vice President City", PostRole.VICE_PRESIDENT, True, None, 2)


@pytest.fixture
def excom_member(excom):
    return _post(excom, "excom-member-city", "EXCOM member city", PostRole.MEMBER, False, None, 3)


@pytest.fixture
def posts(president, executive_vice_president, vice_president, excom_member):
    return {"president": president, "evp": executive_vice_president, "vp": vice_president, "member": excom_member}


# --- Dues: a fee schedule and invoices issued through the service -----------
@pytest.fixture
def schedule(full_category):
    """Full members pay 1,000 USD a calendar year; due at its start, a grace
    period of 60 days; reminders 14 days before, on the day, 30 days after."""
    return FeeSchedule.objects.create(
        category=full_category,
        amount=Decimal("1000.00"),
        currency="USD",
        grace_days=60,
        payment_days=30,
        reminder_days="-14, 0, 30",
    )


@pytest.fixture
def issue(schedule):
    """Issue ``organisation``'s invoice for ``year`` on ``on``."""

    def issue(organisation, year=None, on=None, **options):
        return dues.issue_invoice(organisation.pk, year, on=on, **options)

    return issue


@pytest.fixture
def overdue_invoice(make_member, issue, today):
    """Dortmund's invoice (a full member), issued 200 days ago and never paid: past its
    due date and its 60-day grace period."""
    city = make_member("Dortmund", country="DE")
    issued = today - datetime.timedelta(days=200)
    return issue(city, on=issued)
