"""What governance adds to the members' public pages, through the hooks of
``members.extensions`` (members never imports governance): the directory's
"Executive Committee members only" filter and the offices on a profile."""

from django.utils.translation import gettext_lazy as _

from members.extensions import directory_flag, profile_context

from .models import excom_member_ids


@directory_flag("excom", _("Executive Committee members only"))
def on_executive_committee(queryset):
    return queryset.filter(pk__in=excom_member_ids())


@profile_context
def offices_of(organisation):
    """The offices a member holds and held, newest first."""
    offices = organisation.offices.select_related("post__body", "term").order_by("-start_date", "post__position")
    return {"offices": offices}
