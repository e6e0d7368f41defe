import pytest
from django.core.management import call_command

from members import reference
from members.models import Membership, Organisation

pytestmark = pytest.mark.django_db

NON_FOUNDING_EXCOM = {
    "Almaty",
    "Abuja",
    "Cuenca",
    "Hebron",
    "Kampala",
    "Makati",
    "Maputo",
    "Ramgram",
    "Seberang Perai",
    "Wellington",
}


def _snapshot():
    return (
        list(Organisation.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        Organisation.history.count(),
        Membership.history.count(),
    )


def test_the_loader_creates_the_fifty_founding_members_and_the_other_excom_cities():
    call_command("load_wego_data", stdout=open("/dev/null", "w"))
    assert Organisation.objects.filter(is_founding_member=True).count() == 50
    others = set(Organisation.objects.filter(is_founding_member=False).values_list("name", flat=True))
    assert NON_FOUNDING_EXCOM <= others
    assert Organisation.objects.current_members().count() >= 60


def test_every_reference_member_is_a_full_member_local_government_with_coordinates():
    call_command("load_wego_data", stdout=open("/dev/null", "w"))
    for name in ["São Paulo", "Seoul", "Hunan Province", "Khartoum State", "La Manche", "Saga Prefecture"]:
        organisation = Organisation.objects.select_related("membership__category").get(name=name)
        assert organisation.kind == "local_government"
        assert organisation.membership.category.has_vote
        assert organisation.has_coordinates
    assert Organisation.objects.get(name="São Paulo").country.code == "BR"
    assert Organisation.objects.get(name="Hebron").country.code == "PS"


def test_seoul_is_one_member_although_the_text_names_it_twice():
    call_command("load_wego_data", stdout=open("/dev/null", "w"))
    assert Organisation.objects.filter(name="Seoul").count() == 1
    assert Organisation.objects.filter(search_text__contains="seoul").count() == 1


def test_running_the_loader_twice_changes_nothing():
    call_command("load_wego_data", stdout=open("/dev/null", "w"))
    before = _snapshot()
    call_command("load_wego_data", stdout=open("/dev/null", "w"))
    assert _snapshot() == before


def test_the_loader_leaves_the_secretariats_edits_alone():
    call_command("load_wego_data", stdout=open("/dev/null", "w"))
    Organisation.objects.filter(name="Paris").update(description="Edited by the secretariat")
    call_command("load_wego_data", stdout=open("/dev/null", "w"))
    assert Organisation.objects.get(name="Paris").description == "Edited by the secretariat"


def test_the_reference_lists_have_no_duplicates():
    names = [row[0] for row in reference.FOUNDING_MEMBERS + reference.OTHER_EXCOM_MEMBERS]
    assert len(names) == len(set(names)) == 60
