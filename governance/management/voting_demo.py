"""The demo's votes, added by ``seed_demo``: in the demo General Assembly, a
resolution poll open for Seoul and Paris to vote in, a closed election of
the President City with its result, and Paris's vote given by proxy to
Seoul and accepted. Added once (nothing is added to a meeting that has polls)."""

from django.core.files.base import ContentFile

from governance.models import (
    Attendance,
    Candidate,
    Meeting,
    MeetingStatus,
    Poll,
    PollMethod,
    Post,
    PostRole,
    Proxy,
    ProxyStatus,
)
from governance.services import voting
from members.models import Organisation, User


def seed_votes(make_pdf, meeting_slug="demo-general-assembly"):
    meeting = Meeting.objects.filter(slug=meeting_slug, status=MeetingStatus.CONVENED).first()
    seoul = Organisation.objects.filter(name="Seoul").first()
    paris = Organisation.objects.filter(name="Paris").first()
    staff = User.objects.filter(email="secretariat@example.org").first()
    paris_user = User.objects.filter(email="paris@example.org").first()
    if not (meeting and seoul and paris and staff and paris_user) or meeting.polls.exists():
        return
    items = list(meeting.agenda_items.order_by("position"))
    election_item = next((i for i in items if "Elections" in i.title), items[-1])
    plan_item = next((i for i in items if "Strategic plan" in i.title), items[0])

    # Paris gives its vote to Seoul for the assembly; the secretariat accepts.
    proxy = Proxy.objects.filter(meeting=meeting, grantor=paris).first()
    if proxy is None:
        form = ContentFile(make_pdf("Proxy form: Paris gives its vote to Seoul"), name="proxy.pdf")
        proxy = voting.give_proxy(meeting.pk, paris.pk, seoul.pk, form, paris_user.pk)
    if proxy.status == ProxyStatus.SUBMITTED:
        voting.decide_proxy(proxy.pk, True, "", staff.pk)

    # Everyone with a vote is present (the demo has no attendance taken yet).
    voters = voting.roll_of(meeting).exclude(pk=paris.pk)
    Attendance.objects.bulk_create([Attendance(meeting=meeting, organisation=o) for o in voters], ignore_conflicts=True)

    # A closed election of the President City: Seoul re-elected.
    president = Post.objects.filter(role=PostRole.PRESIDENT).first()
    election = Poll.objects.create(
        meeting=meeting,
        agenda_item=election_item,
        post=president,
        title="Election of the President City",
        method=PollMethod.CANDIDATES,
        secret=True,
        position=1,
    )
    Candidate.objects.create(poll=election, organisation=seoul, position=0)
    other = voters.exclude(pk=seoul.pk).order_by("name").first()
    if other is not None:
        Candidate.objects.create(poll=election, organisation=other, position=1)
    voting.open_poll(election.pk, staff.pk)
    seoul_user = User.objects.filter(email="seoul@example.org").first()
    if seoul_user is not None:  # Seoul votes for itself, and for Paris by proxy
        for organisation in (seoul, paris):
            voting.cast_ballot(election.pk, organisation.pk, seoul_user.pk, [str(seoul.pk)])
    voting.close_poll(election.pk, staff.pk)

    # An open poll on the strategic plan, for the demo logins to vote in.
    plan = Poll.objects.create(
        meeting=meeting, agenda_item=plan_item, title="Adopt the strategic plan 2027–2029", position=2
    )
    voting.open_poll(plan.pk, staff.pk)
