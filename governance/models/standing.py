"""Good standing: which members carry a vote, decided here and nowhere else.

A member organisation votes (it counts among the voting members of a
meeting's quorum, names a voting delegate, sits on a voting roll) when

- its category carries the vote (a full member: ``MembershipCategory.has_vote``),
- its membership is current on the day (not yet started, suspended,
  withdrawn or ended members do not), and
- it is in good standing: not in arrears with its dues, that is with no
  invoice still unpaid on its ``arrears_on`` day (its due date plus the
  category's grace period: ``dues.Invoice.objects.in_arrears``).

Everything else a member has (its page, its meetings and their documents)
follows from being a current member, whatever its standing; its standing is
never shown publicly.
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

from ..formats import day
from .dues import Invoice

# A full member: its membership's category carries the vote in the General
# Assembly. Its seat and its documents follow from this alone.
FULL_MEMBER = Q(membership__category__has_vote=True)


def full_members(organisations):
    """The full members among ``organisations`` (a queryset), whatever their standing."""
    return organisations.filter(FULL_MEMBER)


def voting_members(organisations, on=None):
    """The members of ``organisations`` (a queryset) that carry a vote on ``on``
    (default today): current full members in good standing."""
    on = on or timezone.localdate()
    return (
        full_members(organisations)
        .filter(pk__in=Organisation.objects.current_members(on).values("pk"))
        .exclude(pk__in=Invoice.objects.in_arrears(on).values("organisation_id"))
    )


def in_arrears(organisations, on=None):
    """The members of ``organisations`` (a queryset) in arrears on ``on``
    (default today), whatever their category. For the member and the
    secretariat only: arrears are never shown publicly."""
    return organisations.filter(pk__in=Invoice.objects.in_arrears(on).values("organisation_id"))


@dataclass(frozen=True)
class Vote:
    """Whether a member carries a vote, and if not, why: the reason is shown
    to the member and to the secretariat, never publicly."""

    entitled: bool
    reason: str = ""

    def __bool__(self):
        return self.entitled


def vote_of(organisation, on=None):
    """The :class:`Vote` of ``organisation`` on ``on`` (default today), by the
    same rule as :func:`voting_members`."""
    on = on or timezone.localdate()
    try:
        membership = organisation.membership
        full = membership.category.has_vote
    except ObjectDoesNotExist:
        membership, full = None, False
    if not full:
        message = _("%(member)s is not a full member: its delegates attend without a vote.")
        return Vote(False, message % {"member": organisation})
    if not membership.is_current(on):
        message = _("%(member)s is not a current member on %(date)s.")
        return Vote(False, message % {"member": organisation, "date": day(on)})
    overdue = Invoice.objects.in_arrears(on).filter(organisation=organisation).order_by("due_on").first()
    if overdue is not None:
        message = _(
            "%(member)s is in arrears: invoice %(invoice)s, due on %(due)s, is unpaid past its grace period. "
            "It carries a vote again once the invoice is paid."
        )
        due = day(overdue.due_on)
        return Vote(False, message % {"member": organisation, "invoice": overdue.reference, "due": due})
    return Vote(True)
