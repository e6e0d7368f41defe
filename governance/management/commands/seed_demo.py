"""Demo logins, meetings and dues for trying the portal: `make run` calls this after
load_wego_data. Runs only with DEBUG on, since the logins share one known
password (DEMO_PASSWORD, default wego-demo-2026). Safe to run again."""

import datetime
import os
import zoneinfo
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from governance.management.voting_demo import seed_votes
from governance.models import (
    AgendaItem,
    Application,
    ApplicationState,
    AttendanceMode,
    Body,
    BodySlug,
    Document,
    DocumentKind,
    DocumentState,
    DocumentVisibility,
    FeeBand,
    FeeSchedule,
    Invoice,
    InvoiceState,
    Meeting,
    MeetingStatus,
    Office,
    PostRole,
    Term,
)
from governance.services import applications as application_services
from governance.services import dues as dues_services
from governance.services import meetings as meeting_services
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

DEFAULT_PASSWORD = "wego-demo-2026"
STAFF_APPS = ["members", "governance", "notifications"]
PARTNER_NAME = "Demo Smart Solutions"


def make_pdf(text):
    """A small valid one-page PDF showing ``text`` (Latin-1; other letters become '?')."""
    safe = text.encode("latin-1", "replace").decode("latin-1")
    safe = safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = f"BT /F1 20 Tf 72 770 Td ({safe}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class Command(BaseCommand):
    help = "Add demo logins and an upcoming GA and EXCOM meeting (DEBUG only; safe to run again)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo adds logins with a publicly known password, so it runs only with DEBUG on.")
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        term = Term.objects.current().first()
        bodies = {body.slug: body for body in Body.objects.filter(slug__in=BodySlug.values)}
        seoul = Organisation.objects.filter(name="Seoul").first()
        paris = Organisation.objects.filter(name="Paris").first()
        if term is None or len(bodies) < 2 or seoul is None or paris is None:
            raise CommandError("Run `manage.py load_wego_data` first: the demo builds on WeGO's reference data.")
        with transaction.atomic():
            staff = self._logins(password, seoul, paris)
            self._meetings(term, bodies)
            self._applications(staff)
            self._dues(seoul, paris)
            seed_votes(make_pdf)  # governance/management/voting_demo.py
        if not Office.objects.current().filter(organisation=seoul, post__role=PostRole.PRESIDENT).exists():
            self.stderr.write("Note: Seoul holds no President City office yet; load_wego_data adds it.")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: secretariat@, seoul@, paris@ and partner@example.org (password from DEMO_PASSWORD)."
            )
        )

    def _user(self, email, password, name, **fields):
        user, _created = User.objects.get_or_create(email=email, defaults={"name": name, **fields})
        for key, value in fields.items():
            setattr(user, key, value)
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    def _contact(self, organisation, user, name):
        contact, _created = Contact.objects.get_or_create(
            organisation=organisation, email=user.email, defaults={"name": name, "user": user}
        )
        if contact.user_id != user.pk:
            contact.user = user
            contact.save(update_fields=["user"])
        if not ContactRole.objects.active().filter(contact=contact).exists():
            ContactRole.objects.create(
                contact=contact, role=ContactRoleType.FOCAL_POINT, start_date=datetime.date(2020, 1, 1)
            )

    def _logins(self, password, seoul, paris):
        group, _created = Group.objects.get_or_create(name="Secretariat")
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=STAFF_APPS))
        staff = self._user("secretariat@example.org", password, "WeGO Secretariat (demo)", is_staff=True)
        staff.groups.add(group)
        self._contact(seoul, self._user("seoul@example.org", password, "Seoul focal point (demo)"), "Seoul focal point")
        self._contact(paris, self._user("paris@example.org", password, "Paris focal point (demo)"), "Paris focal point")
        partner = Organisation.objects.filter(name=PARTNER_NAME).first()
        if partner is None:
            partner = Organisation.objects.create(
                name=PARTNER_NAME,
                kind=OrganisationKind.PROVIDER,
                country="KR",
                description="A smart tech solution provider, made up for the demo.",
            )
        Membership.objects.get_or_create(
            organisation=partner,
            defaults={
                "category": MembershipCategory.objects.get(slug="industry-member"),
                "joined_on": datetime.date(2024, 1, 1),
            },
        )
        self._contact(partner, self._user("partner@example.org", password, "Partner contact (demo)"), "Partner contact")
        return staff

    def _applications(self, staff):
        """Applications in each state the queue shows, made through the
        service as the secretariat would; one already there is left alone."""
        recommending = AgendaItem.objects.get(meeting__slug="demo-executive-committee", title=RECOMMENDATION_ITEM)
        for name, country, kind, category, state, days_ago in DEMO_APPLICATIONS:
            category = MembershipCategory.objects.filter(slug=category).first()
            if category is None or Application.objects.filter(name=name, country=country).exists():
                continue
            slug = name.lower().replace(" ", "")
            application = application_services.submit(
                Application(
                    name=name,
                    country=country,
                    kind=kind,
                    category=category,
                    political_name=f"Mayor of {name}",
                    political_title="Mayor",
                    political_email=f"mayor@{slug}.example.org",
                    liaison_name=f"Liaison of {name}",
                    liaison_title="International relations",
                    liaison_email=f"liaison@{slug}.example.org",
                    consent=True,
                    letter=ContentFile(make_pdf(f"Letter of intent - {name}"), name="letter.pdf"),
                )
            )
            Application.objects.filter(pk=application.pk).update(
                submitted_at=timezone.now() - datetime.timedelta(days=days_ago)
            )
            steps = {
                ApplicationState.UNDER_REVIEW: ["review"],
                ApplicationState.RECOMMENDED: ["review", "recommend"],
                ApplicationState.ADMITTED: ["review", "recommend", "admit"],
                ApplicationState.REJECTED: ["reject"],
            }.get(state, [])
            for step in steps:
                if step == "review":
                    application_services.start_review(application.pk, staff.pk)
                elif step == "recommend":
                    application_services.recommend(application.pk, staff.pk, agenda_item_id=recommending.pk)
                elif step == "admit":  # an associate member: the Executive Committee admits it
                    application_services.admit(application.pk, staff.pk, agenda_item_id=recommending.pk)
                else:
                    application_services.reject(
                        application.pk, staff.pk, "WeGO's members are local governments and their partners."
                    )

    def _dues(self, seoul, paris):
        """A fee schedule by population band, and this year's invoices: Seoul
        paid, Paris not yet due, the partner partly paid, and Berlin unpaid
        past its grace period, in arrears (it keeps its meetings, loses its
        vote)."""
        full = MembershipCategory.objects.get(slug="full-member")
        schedule, created = FeeSchedule.objects.get_or_create(
            category=full, defaults={"amount": Decimal("2000.00"), "currency": "USD", "grace_days": 90}
        )
        if created:
            FeeBand.objects.create(schedule=schedule, min_population=0, max_population=999_999, amount=1000)
            FeeBand.objects.create(schedule=schedule, min_population=1_000_000, max_population=4_999_999, amount=2000)
            FeeBand.objects.create(schedule=schedule, min_population=5_000_000, amount=4000)
        FeeSchedule.objects.get_or_create(
            category=MembershipCategory.objects.get(slug="industry-member"),
            defaults={"amount": Decimal("3000.00"), "currency": "USD"},
        )
        berlin = Organisation.objects.filter(name="Berlin").first()
        if berlin is None:
            berlin = Organisation.objects.create(
                name="Berlin", kind=OrganisationKind.LOCAL_GOVERNMENT, country="DE", latitude=52.52, longitude=13.405
            )
            Membership.objects.create(organisation=berlin, category=full)
        for city, population in ((seoul, 9_400_000), (paris, 2_100_000), (berlin, 3_700_000)):
            if city.population is None:
                city.population = population
                city.save(update_fields=["population"])
        today = timezone.localdate()
        partner = Organisation.objects.get(name=PARTNER_NAME)
        plans = [(seoul, 20, "all"), (paris, 10, None), (partner, 15, "part"), (berlin, 150, None)]
        for organisation, days_ago, paid in plans:
            issued_on = today - datetime.timedelta(days=days_ago)
            year = schedule.year_of(issued_on)
            start, _end = schedule.period(year)
            live = Invoice.objects.invoices().filter(organisation=organisation, period_start=start)
            if live.exclude(state__in=[InvoiceState.VOID, InvoiceState.CREDITED]).exists():
                continue
            invoice = dues_services.issue_invoice(organisation.pk, year, on=issued_on)
            if paid:
                amount = invoice.amount if paid == "all" else (invoice.amount / 3).quantize(Decimal("0.01"))
                dues_services.record_payment(invoice.pk, amount, today, reference=f"DEMO-{invoice.reference}")

    def _meetings(self, term, bodies):
        for plan in MEETING_PLANS:
            body = bodies[plan["body"]]
            zone = zoneinfo.ZoneInfo(plan["time_zone"])
            # Local wall-clock times at the venue, on a day that leaves the
            # whole meeting inside the term.
            day = timezone.localdate(timezone.now(), zone) + datetime.timedelta(days=plan["days_ahead"])
            last_day = day + datetime.timedelta(days=plan["days"] - 1)
            if last_day > term.end_date:
                day -= last_day - term.end_date
                last_day = term.end_date
            start = datetime.datetime.combine(day, plan["starts"], tzinfo=zone)
            end = datetime.datetime.combine(last_day, plan["ends"], tzinfo=zone)
            meeting, created = Meeting.objects.get_or_create(
                slug=plan["slug"],
                defaults={
                    "body": body,
                    "term": term,
                    "title": plan["title"],
                    "start": start,
                    "end": end,
                    "time_zone": plan["time_zone"],
                    "venue": plan["venue"],
                    **plan["details"],
                },
            )
            for position, (item, description) in enumerate(plan["agenda"], start=1):
                AgendaItem.objects.get_or_create(
                    meeting=meeting, title=item, defaults={"position": position, "description": description}
                )
            documents = [
                ("Letter of invitation", DocumentKind.INVITATION, DocumentVisibility.PUBLIC, DocumentState.FINAL),
                ("Annotated agenda", DocumentKind.AGENDA, DocumentVisibility.MEMBERS, DocumentState.FINAL),
                (plan["working_paper"], DocumentKind.WORKING_PAPER, DocumentVisibility.BODY, DocumentState.FINAL),
                ("Minutes (draft)", DocumentKind.MINUTES, DocumentVisibility.MEMBERS, DocumentState.DRAFT),
            ]
            for position, (name, kind, visibility, state) in enumerate(documents, start=1):
                if meeting.documents.filter(title=name).exists():
                    continue
                document = Document(
                    meeting=meeting, title=name, kind=kind, visibility=visibility, state=state, position=position
                )
                document.file.save(f"{kind}.pdf", ContentFile(make_pdf(f"{meeting} - {name}")), save=True)
            if body.slug == BodySlug.GENERAL_ASSEMBLY and meeting.status == MeetingStatus.PLANNED:
                meeting_services.convene_meeting(meeting.pk, by_user_id=None)


# The demo's applications: (name, country, kind, category, state, submitted days ago).
RECOMMENDATION_ITEM = "Recommendation of new members"
DEMO_APPLICATIONS = [
    ("Kigali", "RW", "local_government", "full-member", ApplicationState.SUBMITTED, 3),
    ("Montevideo", "UY", "local_government", "full-member", ApplicationState.UNDER_REVIEW, 21),
    ("Tampere", "FI", "local_government", "full-member", ApplicationState.RECOMMENDED, 60),
    ("Da Nang", "VN", "local_government", "associate-member", ApplicationState.ADMITTED, 95),
    ("Example Fan Club", "US", "institution", "institutional-member", ApplicationState.REJECTED, 40),
]


# The demo's meetings, as WeGO holds them: the General Assembly over two days
# in the Executive Vice President City, which hosts it; the Executive
# Committee for an afternoon at the President City's city hall.
MEETING_PLANS = [
    {
        "slug": "demo-general-assembly",
        "body": BodySlug.GENERAL_ASSEMBLY,
        "title": "WeGO General Assembly, Almaty",
        "days_ahead": 45,
        "days": 2,
        "starts": datetime.time(9, 30),
        "ends": datetime.time(13, 0),
        "time_zone": "Asia/Almaty",
        "venue": "Almaty City Akimat",
        "details": {
            "address": "4 Republic Square, Almaty 050001, Kazakhstan",
            "latitude": Decimal("43.238293"),
            "longitude": Decimal("76.945465"),
            "attendance_mode": AttendanceMode.HYBRID,
            "online_url": "https://meet.example.org/wego-general-assembly",
            "capacity": 150,
            "capacity_per_member": 3,
            "description": (
                "The General Assembly of all full members sets WeGO's strategic direction for the next "
                "three years and elects the **President City** and the **Executive Vice President City**.\n\n"
                "- Day one: reports, the strategic plan and the admission of new members\n"
                "- Day two: elections and the declaration of the assembly\n\n"
                "Each full member votes through its voting delegate; register delegates below. Members who "
                "cannot travel follow online: the link appears on this page shortly before the start."
            ),
        },
        "working_paper": "Strategic plan 2027–2029 (working paper)",
        "agenda": [
            ("Opening and welcome by the host city", "Welcome by the Mayor of Almaty, host city of the assembly."),
            (
                "Adoption of the agenda and of the minutes of the previous General Assembly",
                "The minutes were sent with the convening notice.",
            ),
            ("Report of the President City", "Activities of the term, presented by Seoul."),
            ("Report of the Secretary General and financial report", "With the auditors' report on the accounts."),
            ("Strategic plan 2027–2029", "Discussion and adoption of the strategic direction for the next term."),
            ("Admission of new members", "On the recommendation of the Executive Committee."),
            (
                "Elections: President City and Executive Vice President City",
                "One vote per full member city, cast by its voting delegate.",
            ),
            ("Host city of the next General Assembly", "Proposals from member cities."),
            ("Closing", "Closing remarks and adoption of the declaration of the assembly."),
        ],
    },
    {
        "slug": "demo-executive-committee",
        "body": BodySlug.EXECUTIVE_COMMITTEE,
        "title": "WeGO Executive Committee meeting, Seoul",
        "days_ahead": 20,
        "days": 1,
        "starts": datetime.time(14, 0),
        "ends": datetime.time(17, 30),
        "time_zone": "Asia/Seoul",
        "venue": "Seoul City Hall",
        "details": {
            "address": "110 Sejong-daero, Jung-gu, Seoul 04524, Republic of Korea",
            "latitude": Decimal("37.566295"),
            "longitude": Decimal("126.977945"),
            "attendance_mode": AttendanceMode.IN_PERSON,
            "capacity_per_member": 2,
            "description": ("The Executive Committee reviews the year's activities and prepares the General Assembly."),
        },
        "working_paper": "Work plan and budget (working paper)",
        "agenda": [
            ("Opening and adoption of the agenda", ""),
            ("Progress report of the Secretariat", "Activities since the last meeting of the Executive Committee."),
            ("Work plan and budget for the coming year", "For approval."),
            ("Recommendation of new members", "Applications reviewed by the Secretariat."),
            ("Preparation of the General Assembly", "Programme, venue and elections."),
            ("Any other business", ""),
        ],
    },
]
