"""What governance adds to the members' public pages, through the hooks of
``members.extensions`` (members never imports governance): the directory's
"Executive Committee members only" filter, and the offices and the meetings
hosted on a profile."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.extensions import directory_flag, profile_context

from .models import Meeting, excom_member_ids


@directory_flag("excom", _("Executive Committee members only"))
def on_executive_committee(queryset):
    return queryset.filter(pk__in=excom_member_ids())


@profile_context
def offices_of(organisation):
    """The offices a member holds and held, newest first."""
    offices = organisation.offices.select_related("post__body", "term").order_by("-start_date", "post__position")
    return {"offices": offices}


@profile_context
def meetings_hosted(organisation):
    """The meetings ``organisation`` hosts and hosted: only their public
    facts (date, body, place, status), the same for every visitor, since the
    profile is one cached page. Upcoming soonest first, past newest first.
    A meeting moves from one list to the other when the page is next built
    (at the latest the next day: the public cache is per day)."""
    meetings = list(Meeting.objects.filter(host=organisation).select_related("body").order_by("start", "pk"))
    now = timezone.now()
    return {
        "upcoming_hosted": [meeting for meeting in meetings if meeting.end >= now],
        "past_hosted": [meeting for meeting in meetings if meeting.end < now][::-1],
    }
