"""Who may see what: the portal's access rules for member pages, meetings
and meeting documents, decided here and nowhere else.

- A user acts for an organisation when they are the login of a contact who
  holds a role there today and the organisation is a current member.
- General Assembly meetings: every current member. Other bodies' meetings
  (the Executive Committee): the members holding a seat on that body in the
  meeting's term on the meeting's day. Staff (the secretariat): everything.
- The public: only a meeting's date, place, body and status (the list and
  the .ics), and final documents marked public.
- Documents: drafts for staff only. A final document marked "members" is
  seen by whoever may see its meeting; "the body's members" narrows that to
  the members who sit on the body (full members for the General Assembly).
"""

from django.db.models import Exists, OuterRef, Q

from members.models import ContactRole, Organisation

from .meetings import Document, DocumentState, DocumentVisibility, Meeting
from .models import BodySlug, Office


def is_secretariat(user):
    return user.is_authenticated and user.is_active and user.is_staff


def organisations_of(user, on=None):
    """The current member organisations ``user`` acts for."""
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    return (
        Organisation.objects.current_members(on)
        .filter(contacts__user=user, contacts__roles__in=ContactRole.objects.active(on))
        .distinct()
    )


def _seats(term, body, day):
    """Offices on ``body`` in ``term`` held on ``day`` (values or OuterRefs)."""
    return Office.objects.filter(term=term, post__body=body, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )


def _meetings_open_to(organisations):
    """Meetings that any of ``organisations`` (a queryset) may see."""
    seated = _seats(OuterRef("term"), OuterRef("body"), OuterRef("start__date")).filter(
        organisation__in=organisations.values("pk")
    )
    return Meeting.objects.filter(
        (Q(body__slug=BodySlug.GENERAL_ASSEMBLY) & Exists(organisations.order_by().values("pk"))) | Exists(seated)
    )


def meetings_visible_to(user):
    if is_secretariat(user):
        return Meeting.objects.all()
    if not user.is_authenticated:
        return Meeting.objects.none()
    return _meetings_open_to(organisations_of(user))


def can_see_meeting(user, meeting):
    return meetings_visible_to(user).filter(pk=meeting.pk).exists()


def organisations_invited_to(meeting):
    """The organisations that may see ``meeting``: its invitees, and the
    recipients of its notices."""
    members = Organisation.objects.current_members()
    if meeting.is_general_assembly:
        return members
    return members.filter(offices__in=_seats(meeting.term_id, meeting.body_id, meeting.start.date())).distinct()


def voting_organisations(meeting):
    """One vote per full member city entitled to sit in the meeting."""
    return organisations_invited_to(meeting).filter(membership__category__has_vote=True)


def may_act_for(user, organisation, meeting):
    """Whether ``user`` may register ``organisation``'s delegates for ``meeting``."""
    return (
        organisations_of(user).filter(pk=organisation.pk).exists()
        and organisations_invited_to(meeting).filter(pk=organisation.pk).exists()
    )


def documents_visible_to(user):
    if is_secretariat(user):
        return Document.objects.all()
    visible = Q(visibility=DocumentVisibility.PUBLIC)
    if user.is_authenticated:
        organisations = organisations_of(user)
        voting = organisations.filter(membership__category__has_vote=True)
        visible |= Q(visibility=DocumentVisibility.MEMBERS, meeting__in=_meetings_open_to(organisations).values("pk"))
        visible |= Q(visibility=DocumentVisibility.BODY, meeting__in=_meetings_open_to(voting).values("pk"))
    return Document.objects.filter(visible, state=DocumentState.FINAL)


def can_see_document(user, document):
    return documents_visible_to(user).filter(pk=document.pk).exists()
