import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from members.caching import changed
from members.models import Organisation, Standing

from .test_logo import image_bytes

pytestmark = pytest.mark.django_db

URL = reverse("members:directory")


def main(response):
    """The page's own content, without the layout's header and footer."""
    return response.content.decode().split('<main id="main"')[1].split("</main>")[0]


def names(response):
    return [organisation.name for organisation in response.context["page"].object_list]


@pytest.fixture
def members(make_member, associate_category, industry_category):
    return {
        "sao_paulo": make_member("São Paulo", country="BR", is_founding_member=True),
        "seoul": make_member("Seoul", country="KR", is_founding_member=True),
        "paris": make_member("Paris", country="FR", is_founding_member=True),
        "almaty": make_member("Almaty", country="KZ"),
        "hebron": make_member("Hebron", country="PS", category=associate_category),
        "vendor": make_member("Smart Vendor", country="KR", kind="provider", category=industry_category),
    }


@pytest.mark.parametrize("query", ["sao paulo", "SAO PAULO", "São Paulo", "são", "paulo", "  sao   paulo "])
def test_search_ignores_case_and_accents(client, members, query):
    assert names(client.get(URL, {"q": query})) == ["São Paulo"]


def test_searching_seoul_in_capitals_finds_seoul(client, members):
    assert names(client.get(URL, {"q": "SEOUL"})) == ["Seoul"]


def test_search_matches_the_country_name_too(client, members):
    assert names(client.get(URL, {"q": "korea"})) == ["Seoul", "Smart Vendor"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "KR"}, ["Seoul", "Smart Vendor"]),
        ({"country": "kr"}, ["Seoul", "Smart Vendor"]),
        ({"region": "asia"}, ["Almaty", "Hebron", "Seoul", "Smart Vendor"]),
        ({"region": "americas"}, ["São Paulo"]),
        ({"kind": "provider"}, ["Smart Vendor"]),
        ({"category": "associate-member"}, ["Hebron"]),
        ({"founding": "1"}, ["Paris", "São Paulo", "Seoul"]),
        ({"founding": "0"}, ["Almaty", "Hebron", "Paris", "São Paulo", "Seoul", "Smart Vendor"]),
        ({"region": "asia", "kind": "local_government", "founding": "1"}, ["Seoul"]),
        ({"q": "seoul", "country": "FR"}, []),
    ],
)
def test_each_filter_and_their_combination(client, members, params, expected):
    assert names(client.get(URL, params)) == expected


def test_withdrawn_suspended_and_ended_members_are_not_listed(client, members, today):
    members["paris"].membership.standing = Standing.WITHDRAWN
    members["paris"].membership.standing_reason = "Left WeGO"
    members["paris"].membership.save()
    listed = names(client.get(URL))
    assert "Paris" not in listed and "Seoul" in listed
    assert client.get(members["paris"].get_absolute_url()).status_code == 404


def test_the_form_keeps_what_was_chosen(client, members):
    response = client.get(URL, {"q": "seo", "region": "asia", "founding": "1", "country": "KR"})
    html = response.content.decode()
    assert 'value="seo"' in html
    assert '<option value="asia" selected>' in html
    assert '<option value="KR" selected>' in html
    assert 'name="founding" value="1"' in html and "checked" in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "ZZ"}, "country"),
        ({"country": "<script>"}, "country"),
        ({"region": "atlantis"}, "region"),
        ({"kind": "dragon"}, "kind"),
        ({"category": "no-such"}, "category"),
        ({"q": "x" * 10_000}, "q"),
    ],
)
def test_a_bad_value_is_reported_and_ignored_never_a_500(client, members, params, field):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert len(names(response)) == 6  # the bad filter is left out, the list stays
    assert b'class="field-error"' in response.content


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1.5", ""])
def test_a_bad_page_number_never_gives_a_500(client, members, page):
    assert client.get(URL, {"page": page}, follow=True).status_code == 200


@pytest.mark.parametrize(
    ("query", "clean"),
    [
        ("q=&country=KR&region=&kind=&category=", "?country=KR"),
        ("q=&country=&region=&kind=&category=", ""),
        ("q=seoul&page=&founding=", "?q=seoul"),
        ("q=%20%20&region=asia", "?region=asia"),
    ],
)
def test_empty_parameters_are_redirected_to_the_clean_url_for_good(client, members, query, clean):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 301
    assert response["Location"] == URL + clean


def test_a_clean_url_is_not_redirected(client, members):
    assert client.get(URL, {"country": "KR"}).status_code == 200


def test_pagination_and_export_links_carry_only_the_set_filters(client, make_member):
    for index in range(30):
        make_member(f"Twin City {index:02d}", country="DE")
    html = main(client.get(URL, {"country": "DE", "page": "2"}))
    assert 'href="?country=DE&amp;page=1"' in html
    assert 'href="/members/export.csv?country=DE"' in html
    assert 'href="/members/export.json?country=DE"' in html
    assert "q=&" not in html and "page=2" not in html.split('class="downloads"')[1]


def test_an_empty_result_says_so_with_no_map_and_no_download_links(client, members):
    html = main(client.get(URL, {"q": "atlantis"}))
    assert "No member matches this search" in html
    assert 'id="member-map"' not in html and "leaflet" not in html
    assert "export.csv" not in html and "export.json" not in html
    listed = main(client.get(URL, {"q": "seoul"}))
    assert "No member matches" not in listed and 'id="member-map"' in listed and "export.csv" in listed


@pytest.mark.parametrize(
    ("params", "field", "label"),
    [({"region": "antarctica"}, "id_region", "Region"), ({"country": "XX"}, "id_country", "Country")],
)
def test_a_refused_filter_is_summarised_above_the_list_and_named_unfiltered(client, members, params, field, label):
    html = client.get(URL, params).content.decode()
    summary = html.split('class="refused-filters"')[1].split("</div>")[0]
    assert "Some filters were not understood" in summary
    assert f'<a href="#{field}">{label}</a>' in summary
    assert "the list below is not filtered" in summary
    assert html.index("refused-filters") < html.index('class="member-list')


def test_a_refused_filter_leaves_the_valid_ones_applied_and_says_so(client, members):
    response = client.get(URL, {"region": "antarctica", "country": "KR"})
    assert names(response) == ["Seoul", "Smart Vendor"]
    html = response.content.decode()
    assert "the list below applies the other filters only" in html
    assert "There is no such region." in html.split('class="refused-filters"')[1]


def test_valid_filters_show_no_refusal_summary(client, members):
    assert "refused-filters" not in client.get(URL, {"region": "asia"}).content.decode()


def test_pagination_is_stable_and_keeps_the_filters(client, make_member):
    for index in range(30):
        make_member(f"Twin City {index:02d}" if index % 2 else "Twin City", country="DE")
    seen = []
    page_one = client.get(URL, {"country": "DE"})
    assert b"country=DE&amp;page=2" in page_one.content
    for number in (1, 2):
        seen += [o.pk for o in client.get(URL, {"country": "DE", "page": number}).context["page"].object_list]
    assert len(seen) == len(set(seen)) == 30


def test_the_page_points_its_map_at_the_points_of_the_same_filters(client, members):
    response = client.get(URL, {"region": "asia", "page": "1"})
    assert b'data-points="/members/map.json?region=asia"' in response.content
    # The points are not in the page: its weight does not grow with the members.
    assert b"member-markers" not in response.content and b"Almaty" in response.content


def test_the_profile_shows_public_fields_and_no_contact_data(client, members, make_contact):
    make_contact(members["seoul"], name="Kim Focal", email="kim.focal@seoul.go.kr", phone="+82 2 0000")
    response = client.get(members["seoul"].get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Seoul" in html and "South Korea" in html  # the country by its common name
    assert "Kim Focal" not in html and "kim.focal@seoul.go.kr" not in html and "+82 2 0000" not in html


def test_an_unknown_profile_is_a_404(client, members):
    assert client.get(reverse("members:detail", args=["no-such-city"])).status_code == 404


@pytest.mark.parametrize(
    "url", [URL, reverse("members:export_csv"), reverse("members:export_json"), reverse("members:map_points")]
)
def test_the_query_count_does_not_grow_with_the_number_of_members(client, make_member, django_assert_num_queries, url):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        changed()  # bulk_create sends no signal: say so, as the bulk paths do
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"region": "europe"})
            assert response.status_code == 200
            response.getvalue()  # a streamed export reads its rows as it is sent
        return len(captured)

    for _ in range(10):
        make_member(country="FR")
    small = count_queries()
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bulk {i}",
                slug=f"bulk-{i}",
                country="DE",
                kind="local_government",
                latitude=50,
                longitude=8,
                search_text=f"bulk {i}",
            )
            for i in range(990)
        ]
    )
    from members.models import Membership, MembershipCategory

    category = MembershipCategory.objects.get(slug="full-member")
    Membership.objects.bulk_create(
        [Membership(organisation=o, category=category) for o in Organisation.objects.filter(slug__startswith="bulk-")]
    )
    large = count_queries()
    assert large == small
    assert small <= 6


def test_each_member_is_a_card_with_its_logo_kind_country_and_category(client, members, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    members["seoul"].logo.save("seoul.png", ContentFile(image_bytes()), save=True)
    html = main(client.get(URL, {"country": "KR"}))
    cards = html.split('<li class="member-card">')[1:]
    seoul, vendor = cards
    assert '<img class="member-logo" src="/members/seoul/logo"' in seoul
    assert "Local government" in seoul and "South Korea" in seoul and "Full Member" in seoul
    assert "<img" not in vendor and "Smart tech solution provider" in vendor


def test_the_page_counts_the_members_by_region_once_per_change(client, members, make_member):
    html = main(client.get(URL, {"q": "seoul"}))
    counts = html.split('class="region-counts"')[1].split("</nav>")[0]
    assert '<a href="?region=asia">Asia</a> <span class="count">4</span>' in counts
    assert '<a href="?region=europe">Europe</a> <span class="count">1</span>' in counts
    make_member("Berlin", country="DE")  # a save empties the cache: the counts follow
    counts = main(client.get(URL)).split('class="region-counts"')[1]
    assert '<a href="?region=europe">Europe</a> <span class="count">2</span>' in counts
