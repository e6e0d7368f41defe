from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import vote_of


class DelegateForm(forms.Form):
    """A delegate a representative registers for their organisation.

    Whether the organisation is theirs and the meeting still open is decided
    by governance.services.meetings.register_delegate(), not here."""

    name = forms.CharField(label=_("Delegate's name"), max_length=200)
    email = forms.EmailField(label=_("Delegate's e-mail address"), max_length=254)
    is_voting_delegate = forms.BooleanField(
        label=_("Voting delegate"),
        required=False,
        help_text=_("One per full member; the others attend as observers."),
    )

    def __init__(self, *args, organisation, **kwargs):
        # One form per organisation on a page: ids stay unique.
        kwargs.setdefault("auto_id", f"id_delegate_{organisation.pk}_%s")
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        # Without a vote (not a full member, or in arrears) the form offers
        # no voting delegate and the page says why (the reason is for the
        # member's own eyes: this form is shown only to its representatives).
        self.vote = vote_of(organisation)
        if not self.vote:
            del self.fields["is_voting_delegate"]

    @property
    def anchor(self):
        """The id of the form's error summary: the form's action points
        there, so after a refusal the browser scrolls to the summary and
        moves the focus onto it (it is focusable), with no script."""
        return f"delegates-{self.organisation.pk}-errors"

    def refuse(self, message, field=None):
        """Show a refusal of the service beside the field it concerns (or
        above the form), keeping what was typed."""
        self.add_error(field if field in self.fields else None, message)

    def point_at_errors(self):
        """Tie each field in error to its message (aria-invalid,
        aria-describedby with the help text) for screen readers."""
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            described = [self.error_id(name)]
            if field.help_text:
                described.append(f"{self[name].auto_id}_helptext")
            field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(described)})

    def error_summary(self):
        """Every error of the form, each with the id of its field (None for
        the form as a whole), for the summary at the top of the form."""
        summary = [(None, error) for error in self.non_field_errors()]
        for name in self.fields:
            summary += [(self[name].auto_id, error) for error in self.errors.get(name, [])]
        return summary

    def error_id(self, name):
        return f"{self[name].auto_id}_error"
