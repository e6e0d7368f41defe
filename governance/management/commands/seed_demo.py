"""Demo logins and meetings for trying the portal: `make run` calls this after
load_wego_data. Runs only with DEBUG on, since the logins share one known
password (DEMO_PASSWORD, default wego-demo-2026). Safe to run again."""

import datetime
import os

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from governance.models import (
    AgendaItem,
    Body,
    BodySlug,
    Document,
    DocumentKind,
    DocumentState,
    DocumentVisibility,
    Meeting,
    MeetingStatus,
    Office,
    PostRole,
    Term,
)
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
            self._logins(password, seoul, paris)
            self._meetings(term, bodies)
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

    def _meetings(self, term, bodies):
        now = timezone.now()
        plans = [
            (
                "demo-general-assembly",
                bodies[BodySlug.GENERAL_ASSEMBLY],
                45,
                "Asia/Almaty",
                "Demo General Assembly",
                "Conference centre of the host city",
            ),
            (
                "demo-executive-committee",
                bodies[BodySlug.EXECUTIVE_COMMITTEE],
                20,
                "Asia/Seoul",
                "Demo Executive Committee meeting",
                "Seoul City Hall, Seoul",
            ),
        ]
        for slug, body, days, zone, title, venue in plans:
            start = (now + datetime.timedelta(days=days)).replace(hour=1, minute=0, second=0, microsecond=0)
            start = min(start, datetime.datetime.combine(term.end_date, datetime.time(1), tzinfo=datetime.UTC))
            meeting, created = Meeting.objects.get_or_create(
                slug=slug,
                defaults={
                    "body": body,
                    "term": term,
                    "title": title,
                    "start": start,
                    "end": start + datetime.timedelta(hours=7),
                    "time_zone": zone,
                    "venue": venue,
                },
            )
            for position, item in enumerate(
                [
                    "Opening and adoption of the agenda",
                    "Report of the Secretary General",
                    "Work plan and budget",
                    "Elections",
                    "Closing",
                ],
                start=1,
            ):
                AgendaItem.objects.get_or_create(meeting=meeting, title=item, defaults={"position": position})
            documents = [
                ("Invitation", DocumentKind.INVITATION, DocumentVisibility.PUBLIC, DocumentState.FINAL),
                ("Agenda", DocumentKind.AGENDA, DocumentVisibility.MEMBERS, DocumentState.FINAL),
                ("Work plan (working paper)", DocumentKind.WORKING_PAPER, DocumentVisibility.BODY, DocumentState.FINAL),
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
