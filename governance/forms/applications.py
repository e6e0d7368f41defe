"""The public membership application form (``/members/apply/``).

What is checked here is what the applicant can correct on the page: every
field's own rules, the category fitting the kind of organisation, the letter
read as a PDF from its bytes, the consent. Duplicates are not refused (the
service flags them to the secretariat); spam meets a honeypot here and a rate
limit in the view.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from members.models import MembershipCategory

from ..models import Application


class ApplicationForm(forms.ModelForm):
    # A field people never see (hidden by the stylesheet, left out of the
    # keyboard order and of what screen readers read); a robot filling every
    # field fills it too.
    HONEYPOT = "fax_number"

    website = forms.URLField(label=_("Website"), max_length=200, required=False, assume_scheme="https")
    letter = forms.FileField(
        label=_("Letter of intent"),
        help_text=_(
            "A PDF signed by the head of the local government (or of the organisation), at most 10 MB. "
            "If the form shows an error, choose the file again: browsers do not keep it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    consent = forms.BooleanField(
        label=_("I agree that WeGO keeps and uses the data of this form to handle the application."),
        error_messages={"required": _("Without your consent, WeGO cannot handle the application.")},
    )

    class Meta:
        model = Application
        fields = [
            "name",
            "country",
            "kind",
            "category",
            "website",
            "population",
            "head_of_government",
            "head_term_ends",
            "political_name",
            "political_title",
            "political_email",
            "liaison_name",
            "liaison_title",
            "liaison_email",
            "letter",
            "consent",
        ]
        widgets = {"head_term_ends": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    # The groups the page shows the fields in, each under its own legend.
    GROUPS = [
        (_("The organisation"), ["name", "country", "kind", "category", "website"]),
        (_("For a city or a region"), ["population", "head_of_government", "head_term_ends"]),
        (_("Political contact"), ["political_name", "political_title", "political_email"]),
        (_("Staff liaison"), ["liaison_name", "liaison_title", "liaison_email"]),
        (_("Letter of intent and consent"), ["letter", "consent"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        self.fields["category"].queryset = MembershipCategory.objects.order_by("position", "name")
        self.fields["category"].empty_label = _("Choose a category")
        self.fields["country"].choices = [("", _("Choose a country")), *countries]
        self.fields["head_term_ends"].input_formats = ["%Y-%m-%d"]
        self.fields["head_term_ends"].help_text = _("As a date, for example 2028-06-30.")
        for name, field in self.fields.items():
            if name in ("political_email", "liaison_email"):
                field.widget.attrs.setdefault("autocomplete", "email")
        self.fields["name"].widget.attrs.setdefault("autocomplete", "organization")

    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    @property
    def honeypot(self):
        return self[self.HONEYPOT]

    def is_spam(self):
        return bool(self.data.get(self.HONEYPOT, "").strip())

    def clean(self):
        data = super().clean()
        category, kind = data.get("category"), data.get("kind")
        if category and kind and category.kind and category.kind != kind:
            self.add_error(
                "category",
                _("%(category)s is not for this kind of organisation; choose another category.")
                % {"category": category},
            )
        return data

    def point_at_errors(self):
        """Tie each field in error to its message for screen readers."""
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            described = [f"{self[name].auto_id}_error"]
            if field.help_text:
                described.append(f"{self[name].auto_id}_helptext")
            field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(described)})

    def error_summary(self):
        summary = [(None, error) for error in self.non_field_errors()]
        for name in self.fields:
            summary += [(self[name].auto_id, error) for error in self.errors.get(name, [])]
        return summary


class ReasonForm(forms.Form):
    """The applicant's withdrawal: the reason is theirs to give or not."""

    reason = forms.CharField(
        label=_("Why do you withdraw the application? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
