"""Who may see what: the portal's access rules for member pages, meetings
and meeting documents, decided here and nowhere else.

- A user acts for an organisation when they are the login of a contact who
  holds a role there today and the organisation is a current member
  (``Organisation.objects.represented_by``).
- A meeting is open to the organisations that sit in it
  (``Meeting.invited_organisations``: every current member for the General
  Assembly, the members seated on the body for another body). Staff (the
  secretariat): everything.
- The public: only a meeting's date, place, body and status (the list and
  the .ics), and final documents marked public.
- Invoices (dues): the secretariat, and whoever acts for the member billed;
  nobody else, and never the public (arrears are never shown publicly).
- Votes (``voting_rights``): a user casts the ballot of each member it acts
  for as its voting delegate (registered for the meeting under the user's
  e-mail address) or an alternate (a focal point or GA voting delegate
  contact) that is on the meeting's voting roll and has not given its vote away
  by a proxy that stands, and of each member whose accepted proxy a member
  it acts for holds (a holder on the roll itself).
- Documents: drafts for staff only. A final document marked "members" is
  seen by whoever may see its meeting; "the body's members" narrows that to
  the full members among them (``standing.full_members``), whatever their
  standing: a member in arrears keeps its meetings and their documents.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from members.models import ContactRole, ContactRoleType, Organisation

from .models import (
    STANDING_PROXY,
    Document,
    DocumentState,
    DocumentVisibility,
    Invoice,
    Meeting,
    Proxy,
    ProxyStatus,
    Registration,
    RegistrationStatus,
    full_members,
    roll_of,
)


def is_secretariat(user):
    return user.is_authenticated and user.is_active and user.is_staff


def organisations_of(user, on=None):
    """The current member organisations ``user`` acts for."""
    return Organisation.objects.represented_by(user, on)


def invoices_visible_to(user):
    """The invoices (and credit notes) ``user`` may see and download."""
    if is_secretariat(user):
        return Invoice.objects.all()
    if not user.is_authenticated:
        return Invoice.objects.none()
    return Invoice.objects.filter(organisation__in=organisations_of(user).values("pk"))


def meetings_visible_to(user):
    if is_secretariat(user):
        return Meeting.objects.all()
    if not user.is_authenticated:
        return Meeting.objects.none()
    return Meeting.objects.open_to(organisations_of(user))


def may_act_for(user, organisation, meeting):
    """Whether ``user`` may register ``organisation``'s delegates for ``meeting``."""
    return (
        organisations_of(user).filter(pk=organisation.pk).exists()
        and meeting.invited_organisations().filter(pk=organisation.pk).exists()
    )


def may_join_online(user, meeting, now=None):
    """Whether ``user`` sees the link of an online or hybrid meeting: the
    secretariat always; otherwise someone acting for a member with a
    delegate registered (not waiting) for it, from the time the meeting sets
    before its start until its end."""
    if not (meeting.is_online and meeting.online_url) or meeting.status in ("held", "cancelled"):
        return False
    if is_secretariat(user):
        return True
    now = now or timezone.now()
    if not meeting.online_link_opens_at() <= now <= meeting.end:
        return False
    return meeting.registrations.filter(
        status=RegistrationStatus.CONFIRMED, organisation__in=organisations_of(user).values("pk")
    ).exists()


def _documents_open_to(organisations):
    """Final documents that any of ``organisations`` (a queryset) may open."""
    voting = full_members(organisations)
    return (
        Q(visibility=DocumentVisibility.PUBLIC)
        | Q(visibility=DocumentVisibility.MEMBERS, meeting__in=Meeting.objects.open_to(organisations).values("pk"))
        | Q(visibility=DocumentVisibility.BODY, meeting__in=Meeting.objects.open_to(voting).values("pk"))
    )


def documents_visible_to(user):
    if is_secretariat(user):
        return Document.objects.all()
    if user.is_authenticated:
        visible = _documents_open_to(organisations_of(user))
    else:
        visible = Q(visibility=DocumentVisibility.PUBLIC)
    return Document.objects.filter(visible, state=DocumentState.FINAL)


def document_audiences(meeting, document_ids):
    """Who of those sitting in ``meeting`` may open which of its documents
    ``document_ids``: a list of (organisations, documents), each organisation
    in one group, groups that may open none of them left out, and one group
    when all may open the same. The notices
    about published documents are recorded from it.

    Organisations sitting in one meeting differ only by their vote, so they
    are asked in two groups, each through the rule above."""
    invited = meeting.invited_organisations()
    with_vote = full_members(invited)
    audiences = []
    for organisations in (with_vote, invited.exclude(pk__in=with_vote.values("pk"))):
        shown = list(
            Document.objects.filter(_documents_open_to(organisations), state=DocumentState.FINAL)
            .filter(meeting=meeting, pk__in=document_ids)
            .order_by("position", "pk")
        )
        if shown:
            audiences.append((organisations, shown))
    if len(audiences) == 2 and audiences[0][1] == audiences[1][1]:
        return [(invited, audiences[0][1])]  # all may open the same: one notice
    return audiences


@dataclass(frozen=True)
class VotingRight:
    """A member whose ballot a user may cast in a meeting: its own
    (``proxy`` None) or one carried under an accepted ``proxy``."""

    organisation: Organisation
    proxy: Proxy | None = None


def voting_rights(user, meeting):
    """The members whose ballots ``user`` casts in ``meeting``, own votes
    first, then those carried by proxy; before the roll is frozen, as it
    would be today (a holder sees which votes it carries before a poll opens)."""
    if not user.is_authenticated:
        return []
    on_roll = roll_of(meeting).values("pk")
    own = _voting_for(user, meeting, organisations_of(user).filter(pk__in=on_roll))
    standing = Proxy.objects.filter(meeting=meeting, status__in=STANDING_PROXY)
    rights = [
        VotingRight(organisation) for organisation in own.exclude(pk__in=standing.values("grantor_id")).order_by("name")
    ]
    carried = (
        standing.filter(status=ProxyStatus.ACCEPTED, holder__in=own.values("pk"), grantor__in=on_roll)
        .select_related("grantor", "holder")
        .order_by("grantor__name")
    )
    return rights + [VotingRight(proxy.grantor, proxy) for proxy in carried]


# The contacts who vote for their member when its registered voting
# delegate is not the one logged in: its alternates.
ALTERNATE_ROLES = [ContactRoleType.GA_DELEGATE, ContactRoleType.FOCAL_POINT]


def _voting_for(user, meeting, organisations):
    """Those of ``organisations`` for which ``user`` is the voting delegate
    registered for ``meeting``, or an alternate."""
    delegate = Registration.objects.filter(
        meeting=meeting, organisation=OuterRef("pk"), is_voting_delegate=True, email__iexact=user.email
    )
    alternate = ContactRole.objects.active().filter(
        contact__organisation=OuterRef("pk"), contact__user=user, role__in=ALTERNATE_ROLES
    )
    return organisations.filter(Exists(delegate) | Exists(alternate))
