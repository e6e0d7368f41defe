"""seed_demo adds applications in several states, once."""

import pytest
from django.core.management import call_command

from governance.models import Application, ApplicationState
from members.models import MembershipCategory, Organisation


@pytest.fixture
def categories(full_category, associate_category, industry_category):
    MembershipCategory.objects.get_or_create(
        slug="institutional-member", defaults={"name": "Institutional Member", "kind": "institution"}
    )


def test_seed_demo_adds_applications_in_every_state_of_the_queue_once(
    settings, ga, excom, term, make_member, categories, tmp_path
):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    make_member("Seoul", country="KR")
    make_member("Paris", country="FR")
    call_command("seed_demo")
    call_command("seed_demo")
    states = dict(Application.objects.values_list("name", "state"))
    assert states == {
        "Kigali": ApplicationState.SUBMITTED,
        "Montevideo": ApplicationState.UNDER_REVIEW,
        "Tampere": ApplicationState.RECOMMENDED,
        "Da Nang": ApplicationState.ADMITTED,
        "Example Fan Club": ApplicationState.REJECTED,
    }
    da_nang = Organisation.objects.get(name="Da Nang")
    assert da_nang.membership.is_current() and da_nang.contacts.count() == 2
    assert Application.objects.get(name="Tampere").age_days() == 60
