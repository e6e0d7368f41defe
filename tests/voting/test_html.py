"""The voting pages through the Nu HTML Checker (as tests/meetings/test_html.py
does for the others): the member's page with an open poll, a ballot cast and
a proxy, the live view, and the meeting page with results: no error, no
ARIA reference to a missing id."""

import pytest
from django.urls import reverse

from governance.models import Candidate, PollMethod
from governance.services import voting
from tests.meetings.test_html import dangling_references, vnu
from tests.voting.conftest import accepted_proxy, present

pytestmark = pytest.mark.django_db


def test_the_voting_pages_are_valid_html(
    client, tmp_path, assembly, seoul, almaty, paris, paris_user, make_poll, staff_user, city_user, posts
):
    present(assembly, seoul, almaty, paris)
    seoul_user = city_user(seoul)
    accepted_proxy(assembly, almaty, seoul, city_user(almaty), staff_user)
    pages = {}
    client.force_login(paris_user)
    pages["proxy form"] = client.get(reverse("voting:page", args=[assembly.slug]))
    assert b"Give the vote of Paris" in pages["proxy form"].content
    closed = make_poll(title="President City", method=PollMethod.CANDIDATES, post=posts["president"], max_choices=1)
    Candidate.objects.create(poll=closed, organisation=seoul)
    Candidate.objects.create(poll=closed, organisation=almaty)
    voting.open_poll(closed.pk, staff_user.pk)
    voting.cast_ballot(closed.pk, seoul.pk, seoul_user.pk, [str(seoul.pk)])
    voting.close_poll(closed.pk, staff_user.pk)
    election = make_poll(title="Vice President Cities", method=PollMethod.CANDIDATES, post=posts["vp"], max_choices=2)
    Candidate.objects.create(poll=election, organisation=seoul)
    Candidate.objects.create(poll=election, organisation=paris)
    voting.open_poll(election.pk, staff_user.pk)
    voting.open_poll(make_poll(secret=True).pk, staff_user.pk)

    client.force_login(seoul_user)
    pages["votes"] = client.get(reverse("voting:page", args=[assembly.slug]))
    pages["meeting"] = client.get(assembly.get_absolute_url())
    client.force_login(staff_user)
    pages["live"] = client.get(reverse("voting:live", args=[assembly.slug]))

    paths = []
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert dangling_references(response.content) == [], name
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        paths.append(path)
    assert vnu(paths) == []
