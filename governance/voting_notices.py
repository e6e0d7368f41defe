"""The results of a poll, told through the outbox like the meeting notices
(``governance.notices``): to the notice-role contacts of every member
sitting in the meeting, recorded in the transaction that closes the poll,
once per poll (the outbox's key)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

from . import notices
from .models import ABSTAIN, NO, NONE_OF_THESE, YES, PollMethod
from .notifications import kinds
from .notifications.emails import absolute, compose
from .notifications.services import notify


class VotingNotice(models.TextChoices):
    RESULTS = "poll_results", _("Poll results")


def results(poll, by_user_id=None):
    """Record the notice of ``poll``'s result (at most once)."""
    meeting = poll.meeting
    return notify(
        VotingNotice.RESULTS,
        poll,
        notices.meeting_recipients(meeting),
        payload={"meeting": meeting.pk, "result": poll.result},
        key=f"poll-results-{poll.pk}",
        by=notices._user(by_user_id),
    )


def result_lines(poll):
    """The counts of a closed poll as (label, votes) pairs, in the order shown."""
    counts = (poll.counts or {}).get("counts", {})
    if poll.method == PollMethod.YES_NO_ABSTAIN:
        labels = [(YES, _("Yes")), (NO, _("No")), (ABSTAIN, _("Abstain"))]
    else:
        names = dict(
            Organisation.objects.filter(pk__in=[key for key in counts if key.isdigit()]).values_list("pk", "name")
        )
        labels = [(key, names.get(int(key), key)) for key in counts if key.isdigit()]
        labels += [(NONE_OF_THESE, _("None of these")), (ABSTAIN, _("Abstain"))]
    return [(label, counts.get(key, 0)) for key, label in labels]


@kinds.register(VotingNotice.RESULTS, VotingNotice.RESULTS.label)
def results_email(delivery, poll):
    if poll is None:
        raise LookupError("The poll of this notice no longer exists.")
    context = notices.meeting_context(poll.meeting)
    context.update(
        {
            "poll": poll,
            "question": poll.title,
            "result": poll.get_result_display(),
            "lines": result_lines(poll),
            "url": absolute(poll.get_absolute_url()),
        }
    )
    return compose("poll-results", delivery, context)
