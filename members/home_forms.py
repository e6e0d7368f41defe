from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Organisation


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"  # "example.org" means https://example.org
    return model_field.formfield(**kwargs)


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
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }
        help_texts = {"logo": _("PNG, JPEG or WebP, at most 1 MB. Shown publicly.")}
