"""Multi-row actions on governance, run in one transaction each."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from members.caching import changed
from members.languages import fill_translations, in_default_language
from members.models import Organisation

from ..models import Body, BodySlug, EndReason, HowChosen, Office, Post, PostRole, Term

log = logging.getLogger(__name__)

# The statutes, as the public reference text (shared/reference/wego-about.txt)
# states them. Names, labels and descriptions are data in every language, so
# the secretariat can edit them; they are marked with gettext_noop so that the
# catalogs give the loader their words in each language
# (members.languages.fill_translations).
BODIES = [
    {
        "slug": BodySlug.GENERAL_ASSEMBLY,
        "name": gettext_noop("General Assembly"),
        "abbreviation": "GA",
        "cadence_months": 36,
        "max_seats": None,  # every full member takes part
        "description": gettext_noop(
            "The General Assembly (GA) convenes all full members every three years to make the key "
            "decisions that set the strategic direction of WeGO."
        ),
    },
    {
        "slug": BodySlug.EXECUTIVE_COMMITTEE,
        "name": gettext_noop("Executive Committee"),
        "abbreviation": "EXCOM",
        "cadence_months": 12,
        "max_seats": 21,
        "description": gettext_noop(
            "The Executive Committee (EXCOM) meets every year with up to 21 member cities, including the "
            "President City, the Executive Vice President City and the Vice President Cities, to review the "
            "activities of the previous year and those planned for the year ahead."
        ),
    },
]

# Every post is a seat on the Executive Committee: an officer sits on EXCOM
# through its officer's post, never through a second, ordinary seat.
POSTS = [
    {
        "slug": "president-city",
        "label": gettext_noop("President City"),
        "role": PostRole.PRESIDENT,
        "is_officer": True,
        "max_holders": 1,
        "selection": gettext_noop(
            "Elected by the General Assembly. Its mayor serves as President, who supervises and represents WeGO."
        ),
    },
    {
        "slug": "executive-vice-president-city",
        "label": gettext_noop("Executive Vice President City"),
        "role": PostRole.EXECUTIVE_VICE_PRESIDENT,
        "is_officer": True,
        "max_holders": 1,
        "selection": gettext_noop("Hosts the next regular General Assembly and assists the President City."),
    },
    {
        "slug": "vice-president-city",
        "label": gettext_noop("Vice President City"),
        "role": PostRole.VICE_PRESIDENT,
        "is_officer": True,
        # The statutes set no number of Vice President Cities, so none is set
        # here: they are limited only by EXCOM's 21 seats. The secretariat can
        # set one in the admin if the statutes come to fix it.
        "max_holders": None,
        "selection": gettext_noop(
            "Nominated by the Executive Committee and appointed by the President City; they assist the President City."
        ),
    },
    {
        "slug": "excom-member-city",
        "label": gettext_noop("EXCOM member city"),
        "role": PostRole.MEMBER,
        "is_officer": False,
        "max_holders": None,  # limited by EXCOM's 21 seats
        "selection": gettext_noop("A full member city holding one of the Executive Committee's seats."),
    },
]

# The reference text gives no dates for the current term. A three-year term
# is assumed around today; the secretariat corrects the dates in the admin.
CURRENT_TERM = {"name": "2025–2027", "start_date": datetime.date(2025, 1, 1), "end_date": datetime.date(2027, 12, 31)}

# How each officer got its post. The Executive Vice President City is recorded
# as chosen to host the next regular GA: that is all the reference text says
# of it (it does not say the GA elects it), and the choice of host is what
# makes a city the EVP. The text does not say how the other EXCOM member
# cities are chosen, so theirs is left empty rather than guessed.
OFFICERS = [
    ("president-city", "Seoul", HowChosen.ELECTED_BY_GA),
    ("executive-vice-president-city", "Almaty", HowChosen.HOST_OF_NEXT_GA),
    ("vice-president-city", "Kampala", HowChosen.NOMINATED_AND_APPOINTED),
    ("vice-president-city", "São Paulo", HowChosen.NOMINATED_AND_APPOINTED),
]

# "Executive Committee Member Cities" as the reference text lists them: the
# four officers are among them and keep only their officer's seat.
EXCOM_MEMBER_CITIES = [
    "Abu Dhabi",
    "Abuja",
    "Almaty",
    "Chengdu",
    "Cuenca",
    "Hebron",
    "Kampala",
    "Makati",
    "Maputo",
    "Ramgram",
    "São Paulo",
    "Seberang Perai",
    "Seoul",
    "Wellington",
]


@transaction.atomic
def load_reference_data():
    """Load WeGO's bodies, posts, current term and its offices; return what was created.

    Run after members.services.load_reference_data(): the offices' holders
    are those members. Only what is missing is created. Offices are seeded
    only into a term that has none yet: once a term has offices they are the
    secretariat's record, and re-creating one it ended or removed would undo
    its work. A breach of the rules raises ValidationError and rolls back all.
    """
    created = {"bodies": 0, "posts": 0, "terms": 0, "offices": 0}
    bodies = {}
    for position, fields in enumerate(BODIES):
        fields = dict(fields)
        slug = fields.pop("slug")
        body, was_created = Body.objects.get_or_create(
            slug=slug, defaults={**in_default_language(fields, ("name", "description")), "position": position}
        )
        if fill_translations(body, ("name", "description")):
            body.save()
        bodies[slug] = body
        created["bodies"] += was_created

    posts = {}
    for position, fields in enumerate(POSTS):
        fields = dict(fields)
        slug = fields.pop("slug")
        post, was_created = Post.objects.get_or_create(
            slug=slug,
            defaults={
                **in_default_language(fields, ("label", "selection")),
                "body": bodies[BodySlug.EXECUTIVE_COMMITTEE],
                "position": position,
            },
        )
        if fill_translations(post, ("label", "selection")):
            post.save()
        posts[slug] = post
        created["posts"] += was_created

    term = Term.objects.filter(name=CURRENT_TERM["name"]).first()
    if term is None:
        term = Term(**CURRENT_TERM)
        term.full_clean()
        term.save()
        created["terms"] += 1

    if not term.offices.exists():
        officers = {name for _slug, name, _how in OFFICERS}
        appointments = OFFICERS + [
            ("excom-member-city", name, "") for name in EXCOM_MEMBER_CITIES if name not in officers
        ]
        names = {name for _slug, name, _how in appointments}
        members = {organisation.name: organisation for organisation in Organisation.objects.filter(name__in=names)}
        missing = sorted(names - members.keys())
        if missing:
            raise ValidationError(
                _("Load the members first; these are missing: %(names)s.") % {"names": ", ".join(missing)}
            )
        for slug, name, how_chosen in appointments:
            office = Office(
                post=posts[slug],
                term=term,
                organisation=members[name],
                start_date=term.start_date,
                how_chosen=how_chosen,
            )
            office.full_clean()
            office.save()
            created["offices"] += 1
    log.info("Governance reference data loaded: %s", created)
    return created


@transaction.atomic
def end_office(office_id, end_date, reason, note=""):
    """End an office on ``end_date`` (its last day) for ``reason``; return it.

    The office stays, with its dates and why it ended: history is kept.
    """
    office = Office.objects.select_for_update().select_related("term", "post__body").get(pk=office_id)
    office.end_date = end_date
    office.end_reason = reason
    office.end_note = note
    office.full_clean()
    office.save(update_fields=["end_date", "end_reason", "end_note"])
    log.info("Office %s ended on %s (%s)", office_id, end_date, reason)
    return office


@transaction.atomic
def end_term(term_id, end_date=None):
    """End a term on ``end_date`` (default today), keeping all its offices.

    Offices still running on that day are closed on it with the reason "the
    term ended"; offices that ended before are left as they were. Nothing is
    deleted: the term and its offices remain the record of who held what.
    """
    end_date = end_date or timezone.localdate()
    term = Term.objects.select_for_update().get(pk=term_id)
    if end_date > term.end_date:
        last = date_format(term.end_date, "DATE_FORMAT")
        raise ValidationError(_("A term can only be ended on or before its end date (%(end)s).") % {"end": last})
    if term.offices.filter(start_date__gt=end_date).exists():
        day = date_format(end_date, "DATE_FORMAT")
        raise ValidationError(
            _("Some offices of this term start after %(date)s; remove or move them first.") % {"date": day}
        )
    term.offices.filter(Q(end_date__isnull=True) | Q(end_date__gt=end_date)).update(
        end_date=end_date, end_reason=EndReason.TERM_ENDED
    )
    changed()  # update() sends no signal: the public pages must hear of it
    term.end_date = end_date
    term.full_clean()
    term.save(update_fields=["end_date"])
    log.info("Term %s ended on %s", term_id, end_date)
    return term
