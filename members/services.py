"""Multi-row actions on members, run in one transaction each."""

import logging
from decimal import Decimal

from django.db import transaction

from . import reference
from .caching import changed
from .languages import fill_translations, in_default_language
from .models import Membership, MembershipCategory, Organisation, OrganisationKind

log = logging.getLogger(__name__)


@transaction.atomic
def load_reference_data():
    """Load WeGO's categories and reference members; return what was created.

    Only what is missing is created, and a category's missing languages
    filled from the catalogs: a second run, or a run after the secretariat
    has edited a profile or a translation, changes nothing.
    """
    created = {"categories": 0, "organisations": 0, "memberships": 0}
    categories = {}
    for position, (slug, name, kind, has_vote, description) in enumerate(reference.CATEGORIES):
        category, was_created = MembershipCategory.objects.get_or_create(
            slug=slug,
            defaults=in_default_language(
                {"name": name, "kind": kind, "has_vote": has_vote, "description": description, "position": position},
                ("name", "description"),
            ),
        )
        if fill_translations(category, ("name", "description")):
            category.save()
        categories[slug] = category
        created["categories"] += was_created

    rows = [(row, True) for row in reference.FOUNDING_MEMBERS]
    rows += [(row, False) for row in reference.OTHER_EXCOM_MEMBERS]
    for (name, country, latitude, longitude), founding in rows:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            organisation = Organisation.objects.create(
                name=name,
                kind=OrganisationKind.LOCAL_GOVERNMENT,
                country=country,
                latitude=Decimal(latitude),
                longitude=Decimal(longitude),
                is_founding_member=founding,
                other_names="\n".join(reference.OTHER_NAMES.get(name, [])),
            )
            created["organisations"] += 1
        if not Membership.objects.filter(organisation=organisation).exists():
            Membership.objects.create(organisation=organisation, category=categories[reference.FULL_MEMBER])
            created["memberships"] += 1
    if any(created.values()):
        changed()  # each save said so too; this is the loader's own word
    log.info("Reference data loaded: %s", created)
    return created
