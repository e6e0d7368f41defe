"""CSV import and export of member organisations for the secretariat.

One row is an organisation with its membership terms. Every row is checked
before anything is written; a file with any bad row imports nothing and the
admin lists each bad row with its reason.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import fields, resources

from .caching import changed
from .models import Membership, MembershipCategory, Organisation, OrganisationKind
from .text import spreadsheet_safe

_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"", "0", "false", "no", "n"}


def _parse_date(value, column):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({column: _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value[:40]}}) from None


_NUMBERS = {"latitude", "longitude"}
_NOT_TEXT = {
    "latitude",
    "longitude",
    "is_founding_member",
    "membership__joined_on",
    "membership__start_date",
    "membership__end_date",
}


class OrganisationResource(resources.ModelResource):
    category = fields.Field(attribute="membership__category__slug", column_name="category", readonly=True)
    joined_on = fields.Field(attribute="membership__joined_on", column_name="joined_on", readonly=True)
    start_date = fields.Field(attribute="membership__start_date", column_name="start_date", readonly=True)
    end_date = fields.Field(attribute="membership__end_date", column_name="end_date", readonly=True)

    class Meta:
        model = Organisation
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "kind",
            "country",
            "website",
            "description",
            "latitude",
            "longitude",
            "is_founding_member",
            "category",
            "joined_on",
            "start_date",
            "end_date",
        ]
        export_order = fields
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().select_related("membership__category")

    def export_field(self, field, instance, **kwargs):
        """A text cell a spreadsheet would run as a formula gets a leading
        single quote (OWASP); numbers and dates, negative ones included,
        are written as they are so that the file imports back.

        The coordinates are written as Python writes numbers ("48.85"), not
        as the exporting admin's language does ("48,85" in French: the
        import-export widgets localise), so the file reads the same in any
        language and in any program."""
        if field.attribute in _NUMBERS:
            value = field.get_value(instance)
            return "" if value is None else str(value)
        value = super().export_field(field, instance, **kwargs)
        return value if field.attribute in _NOT_TEXT else spreadsheet_safe(value)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # Each saved row already said so; a dry run changed nothing.
        if not kwargs.get("dry_run"):
            changed()

    def before_import(self, dataset, **kwargs):
        self._categories = {category.slug: category for category in MembershipCategory.objects.all()}

    def before_import_row(self, row, **kwargs):
        """Check and normalise the values the models cannot read from text,
        then the membership the row describes, by Membership.clean()."""
        errors = {}
        kind = (row.get("kind") or "").strip()
        if kind not in OrganisationKind.values:
            errors["kind"] = _("“%(kind)s” is not a kind; use one of: %(kinds)s.") % {
                "kind": kind[:40],
                "kinds": ", ".join(OrganisationKind.values),
            }
        country = (row.get("country") or "").strip().upper()
        if country not in countries:
            errors["country"] = _("“%(code)s” is not an ISO country code.") % {"code": country[:10]}
        row["country"] = country
        category = (row.get("category") or "").strip()
        if category not in self._categories:
            errors["category"] = _("“%(category)s” is not a membership category.") % {"category": category[:40]}
        founding = str(row.get("is_founding_member") or "").strip().lower()
        if founding not in _TRUE | _FALSE:
            errors["is_founding_member"] = _("Write 1 or 0.")
        row["is_founding_member"] = founding in _TRUE
        dates = {}
        for column in ("joined_on", "start_date", "end_date"):
            try:
                dates[column] = _parse_date(row.get(column), column)
            except ValidationError as error:
                errors.update(error.message_dict)
        if not errors:
            membership = Membership(organisation=Organisation(kind=kind), category=self._categories[category], **dates)
            try:
                membership.clean()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        membership = Membership.objects.filter(organisation=instance).first() or Membership(organisation=instance)
        membership.category = self._categories[row["category"].strip()]
        membership.joined_on = _parse_date(row.get("joined_on"), "joined_on")
        membership.start_date = _parse_date(row.get("start_date"), "start_date")
        membership.end_date = _parse_date(row.get("end_date"), "end_date")
        membership.full_clean()
        membership.save()
