from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from governance.models import excom_member_ids

from . import m49
from .models import MembershipCategory, OrganisationKind


class FlagInput(forms.CheckboxInput):
    """A checkbox read from a query string: 1, true, on and yes mean set; 0 does not."""

    def __init__(self, attrs=None):
        super().__init__({"value": "1", **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        return str(data.get(name, "")).lower() in ("1", "true", "on", "yes")


class DirectoryFilterForm(forms.Form):
    """The directory's search and filters, read from the query string.

    A bad value is reported on its field and that filter is left out; the
    others still apply, so a visitor never meets an error page.
    """

    q = forms.CharField(
        label=_("Search"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("City or country")}),
    )
    country = forms.CharField(label=_("Country"), required=False, widget=forms.Select)
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=MembershipCategory.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
        error_messages={"invalid_choice": _("There is no such membership category.")},
    )
    founding = forms.BooleanField(label=_("Founding members only"), required=False, widget=FlagInput)
    excom = forms.BooleanField(label=_("Executive Committee members only"), required=False, widget=FlagInput)

    def __init__(self, *args, country_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions")), *m49.REGION_CHOICES]
        self.fields["kind"].choices = [("", _("All kinds")), *OrganisationKind.choices]
        listed = sorted({code for code in country_codes if code}, key=lambda code: countries.name(code))
        self.fields["country"].widget.choices = [("", _("All countries"))] + [
            (code, countries.name(code)) for code in listed
        ]
        self.fields["region"].error_messages["invalid_choice"] = _("There is no such region.")
        self.fields["kind"].error_messages["invalid_choice"] = _("There is no such kind of member.")

    def clean_country(self):
        code = self.cleaned_data["country"].strip().upper()
        if code and code not in countries:
            raise forms.ValidationError(_("“%(code)s” is not an ISO country code."), params={"code": code[:10]})
        return code

    def filter(self, queryset):
        """Apply the valid filters to ``queryset``."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("country"):
            queryset = queryset.filter(country=data["country"])
        if data.get("region"):
            queryset = queryset.in_region(data["region"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("category"):
            queryset = queryset.filter(membership__category=data["category"])
        if data.get("founding"):
            queryset = queryset.filter(is_founding_member=True)
        if data.get("excom"):
            queryset = queryset.filter(pk__in=excom_member_ids())
        return queryset

    @property
    def is_filtered(self):
        return any(value for value in getattr(self, "cleaned_data", {}).values())
