from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms import OrganisationProfileForm

from .models import Registration


class ProfileForm(OrganisationProfileForm):
    """A member's public profile, as its representative edits it on /my/.

    The web address is typed into a text input (with the URL keyboard):
    "paris.fr" is accepted (https:// is assumed), which a type="url" input
    would call invalid, and an address refused and shown back in a
    type="url" input would make the page invalid HTML."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["website"]
        field.widget = forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"})
        field.widget.attrs.update(field.widget_attrs(field.widget))  # maxlength


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
        if not Registration.may_name_voting_delegate(organisation):
            del self.fields["is_voting_delegate"]
