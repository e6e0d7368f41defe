"""The forms of a vote: a proxy given with its signed form, and the
secretariat's decisions in session (a proxy refused, the roll changed).
What the rules allow is decided by ``governance.services.voting``, not here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

from ..files import validate_signed_form


class ProxyForm(forms.Form):
    """A member gives its vote for one meeting to another member."""

    holder = forms.ModelChoiceField(
        label=_("Give the vote to"), queryset=Organisation.objects.none(), empty_label=_("Choose a member")
    )
    form = forms.FileField(
        label=_("Signed proxy form (PDF)"),
        validators=[validate_signed_form],
        help_text=_("Signed by your organisation's representative. The secretariat checks it."),
    )

    def __init__(self, *args, grantor, holders, **kwargs):
        kwargs.setdefault("auto_id", f"id_proxy_{grantor.pk}_%s")
        super().__init__(*args, **kwargs)
        self.grantor = grantor
        self.fields["holder"].queryset = holders.exclude(pk=grantor.pk).order_by("name")


class ProxyDecisionForm(forms.Form):
    note = forms.CharField(label=_("Reason (told to the member; required to refuse)"), max_length=300, required=False)


class RollChangeForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Member"), queryset=Organisation.objects.none())
    entitled = forms.TypedChoiceField(
        label=_("From now on"),
        choices=[("1", _("votes")), ("0", _("does not vote"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = members.order_by("name")
