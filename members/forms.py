from django import forms
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import m49
from .extensions import DIRECTORY_FLAGS
from .models import MembershipCategory, Organisation, OrganisationKind
from .text import search_terms


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
    # Further flags (the Executive Committee's) are added by the apps that
    # know them: see members/extensions.py.

    def __init__(self, *args, country_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        for flag in DIRECTORY_FLAGS.values():
            self.fields[flag.name] = forms.BooleanField(label=flag.label, required=False, widget=FlagInput)
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
        for flag in DIRECTORY_FLAGS.values():
            if data.get(flag.name):
                queryset = flag.apply(queryset)
        return queryset

    def applied_filters(self):
        """The valid filters as a canonical string ("country=KR&q=seoul"):
        two queries that list the same members give the same string."""
        data = dict(getattr(self, "cleaned_data", {}))
        if data.get("q"):
            data["q"] = " ".join(search_terms(data["q"]))  # "SÃO  Paulo" searches as "sao paulo"
        return "&".join(f"{name}={getattr(value, 'slug', value)}" for name, value in sorted(data.items()) if value)

    @property
    def is_filtered(self):
        return any(value for value in getattr(self, "cleaned_data", {}).values())


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"  # "example.org" means https://example.org
    return model_field.formfield(**kwargs)


class LogoInput(forms.ClearableFileInput):
    """The logo as the directory shows it (through the members:logo view:
    uploads are never served from MEDIA_URL), with a labelled checkbox to
    remove it, instead of Django's raw "Currently: logos/…" link."""

    template_name = "members/widgets/logo_input.html"
    logo_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # The file's name changes with each upload: a new logo is not hidden
        # behind the view's cached answer.
        version = value.name.rsplit("/", 1)[-1] if value else ""
        context["widget"]["logo_url"] = f"{self.logo_url}?v={version}" if self.logo_url else ""
        return context


class OrganisationProfileForm(forms.ModelForm):
    """What a member's representative may change of its public profile.

    The name stays with the secretariat; the logo is checked by the model
    field's validator (size, and PNG/JPEG/WebP read from its bytes)."""

    class Meta:
        model = Organisation
        formfield_callback = _formfield
        fields = ["description", "website", "logo"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": 1000}),
            # A text input with the URL keyboard: "paris.fr" is accepted
            # (https:// is assumed), which a type="url" input would call
            # invalid, and a refused address shown back in a type="url" input
            # would make the page invalid HTML.
            "website": forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
            "logo": LogoInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }
        help_texts = {"logo": _("PNG, JPEG or WebP, at most 1 MB. Shown publicly.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["logo"].widget.logo_url = reverse("members:logo", args=[self.instance.slug])
