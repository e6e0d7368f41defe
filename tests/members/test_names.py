"""Members found by name in any script and by country in any working
language (issue 14): "Allemagne", "Alemania", "독일", "ألمانيا", "Германия",
"德国" all find the German members; "서울" finds Seoul."""

import pytest
from django.urls import reverse

from members import countries
from members.models import Organisation
from members.services import load_reference_data
from members.text import fold
from tests.admin_forms import change_page_data

pytestmark = pytest.mark.django_db

URL = reverse("members:directory")


def found(client, query):
    return sorted(o.name for o in client.get(URL, {"q": query}).context["page"].object_list)


@pytest.fixture
def members(make_member):
    return {
        "berlin": make_member("Berlin", country="DE"),
        "frankfurt": make_member("Frankfurt", country="DE", other_names="Frankfurt am Main\nFrancfort"),
        "seoul": make_member("Seoul", country="KR", other_names="서울\n서울특별시"),
        "sao_paulo": make_member("São Paulo", country="BR"),
        "tashkent": make_member("Tashkent", country="UZ", other_names="Toshkent\nТашкент"),
        "cairo": make_member("Cairo", country="EG", other_names="القاهرة"),
    }


@pytest.mark.parametrize(
    "query",
    ["Germany", "Allemagne", "Alemania", "독일", "ألمانيا", "Германия", "德国", "ALLEMAGNE"],
)
def test_a_country_is_found_by_its_name_in_each_working_language(client, members, query):
    assert found(client, query) == ["Berlin", "Frankfurt"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("korea", ["Seoul"]),
        ("Corée du Sud", ["Seoul"]),
        ("Corea del Sur", ["Seoul"]),
        ("한국", ["Seoul"]),
        ("대한민국", ["Seoul"]),
        ("كوريا الجنوبية", ["Seoul"]),
        ("Южная Корея", ["Seoul"]),
        ("韩国", ["Seoul"]),
        ("Brésil", ["São Paulo"]),
        ("Бразилия", ["São Paulo"]),
        ("巴西", ["São Paulo"]),
        ("مصر", ["Cairo"]),
    ],
)
def test_every_word_may_be_a_country_name_in_any_language(client, members, query, expected):
    assert found(client, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("서울", ["Seoul"]),
        ("서울특별시", ["Seoul"]),
        ("Sao Paulo", ["São Paulo"]),
        ("SÃO PAULO", ["São Paulo"]),
        ("Ташкент", ["Tashkent"]),
        ("toshkent", ["Tashkent"]),
        ("Francfort", ["Frankfurt"]),
        ("القاهرة", ["Cairo"]),
        ("ٱلْقَاهِرَة", []),  # a different word (alef wasla), not a vowel sign: not Cairo
        ("seoul korea", ["Seoul"]),
        ("서울 韩国", ["Seoul"]),
        ("seoul germany", []),
    ],
)
def test_a_member_is_found_by_its_other_names_in_their_own_script(client, members, query, expected):
    assert found(client, query) == expected


def test_arabic_vowel_signs_and_latin_accents_are_optional_but_letters_of_a_script_are_not():
    assert fold("القَاهِرَة") == fold("القاهرة")
    assert fold("Thừa Thiên Huế") == "thua thien hue"
    assert fold("서울") == "서울"  # Hangul composed again, not left as jamo
    assert fold("が") != fold("か")  # the voicing mark makes another kana
    assert fold("काठमाडौं") != fold("कठमड")  # Devanagari vowel signs are letters


def test_country_names_are_not_stored_on_each_member(members):
    seoul = Organisation.objects.get(name="Seoul")
    assert seoul.search_text == "seoul / 서울 서울특별시"
    assert "korea" not in seoul.search_text


def test_the_country_table_holds_every_country_in_the_seven_languages():
    assert countries.matching(fold("Allemagne")) == ["DE"]
    assert countries.matching(fold("韩国")) == ["KR"]
    assert "KR" in countries.matching("korea") and "KP" in countries.matching("korea")


def test_other_names_are_saved_by_the_admin_and_found_at_once(staff_client, members, client):
    berlin = members["berlin"]
    url = reverse("admin:members_organisation_change", args=[berlin.pk])
    data = change_page_data(staff_client.get(url))
    data["other_names"] = "Берлин\n柏林"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].errors
    assert found(client, "柏林") == ["Berlin"]
    assert found(client, "берлин") == ["Berlin"]


def test_the_reference_data_gives_the_well_known_other_names(client):
    load_reference_data()
    assert found(client, "서울") == ["Seoul"]
    assert found(client, "Astana") == ["Nur-Sultan"]
    assert found(client, "Huế") == ["Thua Thien Hue"]
    assert found(client, "香港") == ["Hong Kong"]
    assert found(client, "Lisboa") == ["Lisbon"]


def test_the_query_count_of_a_country_search_does_not_grow_with_the_members(
    client, make_member, django_assert_max_num_queries
):
    for index in range(3):
        make_member(f"Stadt {index}", country="DE")
    with django_assert_max_num_queries(8) as few:
        client.get(URL, {"q": "Allemagne"})
    for index in range(3, 40):
        make_member(f"Stadt {index}", country="DE")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL, {"q": "Allemagne", "page": 2})


def test_a_name_is_matched_whole_whatever_the_other_names(members, make_member):
    make_member("Seoul Metropolitan Region", country="KR")
    assert list(Organisation.objects.named("SEOUL")) == [members["seoul"]]
    assert list(Organisation.objects.named("Sao Paulo")) == [members["sao_paulo"]]
    assert not Organisation.objects.named("서울").exists()  # another name, not its name
