"""seed_demo's votes: an open poll, a closed election and an accepted proxy, once."""

import pytest
from django.core.management import call_command

from governance.models import Poll, PollResult, PollStatus, Proxy, ProxyStatus

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_an_open_poll_a_closed_election_and_a_proxy_once(
    settings, ga, excom, term, seoul, paris, industry_category, tmp_path
):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    call_command("seed_demo")
    election = Poll.objects.get(status=PollStatus.CLOSED)
    assert election.is_election and election.result == PollResult.CARRIED
    assert election.counts["elected"] == [str(seoul.pk)]
    assert Poll.objects.filter(status=PollStatus.OPEN).count() == 1
    proxy = Proxy.objects.get()
    assert (proxy.grantor, proxy.holder, proxy.status) == (paris, seoul, ProxyStatus.ACCEPTED)
