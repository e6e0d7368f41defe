"""The anonymous cache of the public pages (members/caching.py): served from
the cache until something they show is saved, whatever path the save takes;
conditional (ETag, 304); never for a logged-in visitor or a waiting message;
and the directory map's own endpoint."""

import csv
import gzip
import io
import json

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from members import views
from members.models import Organisation
from members.resources import OrganisationResource
from tests.admin_forms import change_page_data

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:directory")
MAP = reverse("members:map_points")
CSV_URL = reverse("members:export_csv")
JSON_URL = reverse("members:export_json")
HOME = reverse("home")


@pytest.fixture
def visitor():
    """An anonymous visitor, apart from the staff client of the same test."""
    return Client()


@pytest.fixture
def seoul(make_member):
    return make_member("Seoul", country="KR", latitude=37.57, longitude=126.98, is_founding_member=True)


@pytest.fixture
def paris(make_member):
    return make_member("Paris", country="FR", latitude=48.86, longitude=2.35, website="https://www.paris.fr")


def text(response):
    return (response.getvalue() if response.streaming else response.content).decode()


def served_from_cache(response):
    return response.context is None  # nothing was rendered for it


# --- Cached, and forgotten on each kind of change ------------------------------------


def test_a_second_anonymous_request_is_served_from_the_cache(visitor, seoul):
    assert not served_from_cache(visitor.get(DIRECTORY))
    again = visitor.get(DIRECTORY)
    assert served_from_cache(again)
    assert "Seoul" in text(again)


def test_a_profile_changed_in_the_admin_is_seen_on_the_next_request(visitor, staff_client, seoul):
    profile = seoul.get_absolute_url()
    assert "Seoul" in text(visitor.get(profile)) and "Seoul" in text(visitor.get(DIRECTORY))
    url = reverse("admin:members_organisation_change", args=[seoul.pk])
    data = change_page_data(staff_client.get(url))
    data["description"] = "Capital of the Republic of Korea since 1394."
    data["name"] = "Seoul Metropolitan Government"
    assert staff_client.post(url, data).status_code == 302
    assert "since 1394" in text(visitor.get(profile))
    assert "Seoul Metropolitan Government" in text(visitor.get(DIRECTORY))
    assert "Seoul Metropolitan Government" in text(visitor.get(CSV_URL))


def test_a_membership_withdrawn_in_the_admin_drops_out_at_once(visitor, staff_client, seoul, paris):
    for url in (DIRECTORY, HOME, MAP, JSON_URL, seoul.get_absolute_url()):
        assert visitor.get(url).status_code == 200
    assert "2 members in 2 countries" in text(visitor.get(HOME))
    url = reverse("admin:members_membership_change", args=[seoul.membership.pk])
    data = change_page_data(staff_client.get(url))
    data.update(standing="withdrawn", standing_reason="Left WeGO by letter of the mayor.")
    assert staff_client.post(url, data).status_code == 302
    assert "Seoul" not in text(visitor.get(DIRECTORY))
    assert "1 member in 1 countries" in text(visitor.get(HOME))
    assert [point[0] for point in json.loads(text(visitor.get(MAP)))["points"]] == ["Paris"]
    assert "Seoul" not in text(visitor.get(JSON_URL))
    assert visitor.get(seoul.get_absolute_url()).status_code == 404


def test_members_imported_from_csv_in_the_admin_are_listed_at_once(visitor, staff_client, full_category):
    assert "No member matches" in text(visitor.get(DIRECTORY))
    content = (
        "slug,name,kind,country,website,description,latitude,longitude,is_founding_member,category,"
        "joined_on,start_date,end_date\n"
        "almaty,Almaty,local_government,KZ,,,43.22,76.85,0,full-member,2019-05-01,,\n"
    )
    upload = SimpleUploadedFile("members.csv", content.encode(), content_type="text/csv")
    response = staff_client.post(
        reverse("admin:members_organisation_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )
    assert "No member matches" in text(visitor.get(DIRECTORY))  # the first step is a dry run
    confirm = {
        field: response.context["confirm_form"].initial[field]
        for field in ("import_file_name", "original_file_name", "format", "resource")
    }
    assert staff_client.post(reverse("admin:members_organisation_process_import"), confirm).status_code == 302
    assert "Almaty" in text(visitor.get(DIRECTORY))
    assert "Almaty" in text(visitor.get(MAP))
    assert found(visitor.get(DIRECTORY + "?country=KZ")) == 1
    assert "1 member in 1 countries" in text(visitor.get(HOME))


def test_the_members_loaded_by_the_loader_are_listed_at_once(visitor):
    assert "0 members in 0 countries" in text(visitor.get(HOME))
    assert "Seoul" not in text(visitor.get(MAP))
    assert "Seoul" not in text(visitor.get(reverse("members:directory") + "?q=seoul"))
    call_command("load_wego_data", stdout=io.StringIO())
    assert "Seoul" in text(visitor.get(reverse("members:directory") + "?q=seoul"))
    assert "0 members in 0 countries" not in text(visitor.get(HOME))
    assert "Seoul" in text(visitor.get(MAP))


def test_a_member_deleted_is_gone_from_the_next_page(visitor, seoul, paris):
    assert "Seoul" in text(visitor.get(DIRECTORY))
    seoul.delete()
    assert "Seoul" not in text(visitor.get(DIRECTORY))


def found(response):
    """The directory's "N members found" figure (0 when none is)."""
    import re

    match = re.search(r"(\d+) members? found", text(response))
    return int(match.group(1)) if match else 0


def region_count(response, slug):
    import re

    match = re.search(rf'href="\?region={slug}"[^>]*>[^<]*</a> <span class="count">(\d+)</span>', text(response))
    return int(match.group(1)) if match else 0


def test_a_country_changed_in_the_admin_moves_the_member_in_every_figure_at_once(visitor, staff_client, seoul, paris):
    """The figures read from the census (members/figures.py): the total, the
    counts by country and region, the country list, the home page's."""
    kr, fr, asia = DIRECTORY + "?country=KR", DIRECTORY + "?country=FR", DIRECTORY + "?region=asia"
    assert (found(visitor.get(kr)), found(visitor.get(fr)), found(visitor.get(asia))) == (1, 1, 1)
    assert region_count(visitor.get(DIRECTORY), "asia") == 1
    assert "2 members in 2 countries" in text(visitor.get(HOME))
    assert served_from_cache(visitor.get(kr))
    url = reverse("admin:members_organisation_change", args=[seoul.pk])
    data = change_page_data(staff_client.get(url))
    data["country"] = "FR"
    assert staff_client.post(url, data).status_code == 302
    assert (found(visitor.get(kr)), found(visitor.get(fr)), found(visitor.get(asia))) == (0, 2, 0)
    assert region_count(visitor.get(DIRECTORY), "asia") == 0
    assert region_count(visitor.get(DIRECTORY), "europe") == 2
    assert "2 members in 1 countries" in text(visitor.get(HOME))
    assert '<option value="KR"' not in text(visitor.get(DIRECTORY))
    assert [point[0] for point in json.loads(text(visitor.get(MAP, {"country": "FR"})))["points"]] == ["Paris", "Seoul"]


def test_a_searchs_count_is_kept_per_search_and_forgotten_on_a_change(visitor, seoul, paris, make_member):
    """A search the census cannot answer (a word) is counted once, then read
    from the cache for all its pages, until something is saved."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert found(visitor.get(DIRECTORY, {"q": "seoul"})) == 1
    with CaptureQueriesContext(connection) as second_page:
        visitor.get(DIRECTORY, {"q": "seoul", "page": "2"})
    assert not [query for query in second_page.captured_queries if "COUNT(" in query["sql"].upper()]
    make_member("Seoul Metropolitan Region", country="KR")
    assert found(visitor.get(DIRECTORY, {"q": "seoul"})) == 2


def test_a_member_deleted_is_gone_from_the_figures_and_the_map_at_once(visitor, seoul, paris):
    assert "Seoul" in text(visitor.get(MAP)) and found(visitor.get(DIRECTORY)) == 2
    seoul.delete()
    assert "Seoul" not in text(visitor.get(MAP))
    assert found(visitor.get(DIRECTORY)) == 1 and found(visitor.get(DIRECTORY + "?country=KR")) == 0
    assert "1 member in 1 countries" in text(visitor.get(HOME))


def test_members_loaded_by_the_loader_are_counted_at_once(visitor, seoul):
    assert found(visitor.get(DIRECTORY + "?region=asia")) == 1
    call_command("load_wego_data", stdout=io.StringIO())
    listed = Organisation.objects.in_directory()
    assert found(visitor.get(DIRECTORY + "?region=asia")) == listed.in_region("asia").count() > 1
    assert found(visitor.get(DIRECTORY)) == listed.count()
    assert found(visitor.get(DIRECTORY + "?country=KR")) == listed.filter(country="KR").count()


# --- Conditional GET -------------------------------------------------------------------


@pytest.mark.parametrize("url", [DIRECTORY, HOME, MAP, CSV_URL, JSON_URL, "/members/seoul/"])
def test_a_page_carries_an_etag_and_answers_304_while_nothing_changed(visitor, seoul, url):
    first = visitor.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert first.has_header("Last-Modified")
    for _ in range(2):  # rendered, then from the cache
        response = visitor.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 304
        assert response["ETag"] == etag
        assert not response.content


@pytest.mark.parametrize("url", [DIRECTORY, MAP, CSV_URL])
def test_a_change_makes_the_old_etag_stale(visitor, seoul, url):
    etag = visitor.get(url)["ETag"]
    seoul.name = "Seoul Special City"
    seoul.save()
    response = visitor.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Seoul Special City" in text(response)
    assert response["ETag"] != etag


def test_a_large_page_is_sent_gzipped_to_a_browser_that_accepts_it(visitor, seoul):
    plain = visitor.get(DIRECTORY)
    for _ in range(2):  # rendered, then from the cache
        packed = visitor.get(DIRECTORY, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == plain.content
        assert "accept-encoding" in packed["Vary"].lower()
        assert packed["ETag"] != plain["ETag"]
    again = visitor.get(DIRECTORY, headers={"Accept-Encoding": "gzip", "If-None-Match": packed["ETag"]})
    assert again.status_code == 304
    assert not visitor.get(DIRECTORY).has_header("Content-Encoding")


def test_the_pages_vary_on_the_cookie_and_the_language(visitor, seoul):
    response = visitor.get(DIRECTORY)
    vary = {value.strip().lower() for value in response["Vary"].split(",")}
    assert {"cookie", "accept-language"} <= vary
    assert response["Cache-Control"] == "no-cache"


def test_each_language_has_its_own_cached_page(visitor, seoul):
    assert 'lang="en"' in text(visitor.get(DIRECTORY, headers={"Accept-Language": "en"}))
    french = visitor.get(DIRECTORY, headers={"Accept-Language": "fr"})
    assert 'lang="fr"' in text(french) and french["Content-Language"] == "fr"
    assert 'lang="en"' in text(visitor.get(DIRECTORY, headers={"Accept-Language": "en"}))


# --- Never for a logged-in visitor, a waiting message, nor a CSRF token ------------------


def test_a_logged_in_member_never_gets_the_anonymous_page(visitor, client, seoul, make_user):
    assert "Log out" not in text(visitor.get(DIRECTORY))
    client.force_login(make_user())
    response = client.get(DIRECTORY)
    assert not served_from_cache(response)
    assert "Log out" in text(response)
    assert "Log out" not in text(visitor.get(DIRECTORY))


def test_a_page_with_a_waiting_message_is_rendered_with_it_and_not_cached(visitor, rf, seoul):
    visitor.get(DIRECTORY)  # cached without a message
    request = rf.get(DIRECTORY)
    SessionMiddleware(lambda request: None).process_request(request)
    MessageMiddleware(lambda request: None).process_request(request)
    request.user = AnonymousUser()
    messages.success(request, "Your application was received.")
    response = views.directory(request)
    assert "Your application was received." in response.content.decode()
    assert "Your application was received." not in text(visitor.get(DIRECTORY))


def test_an_anonymous_page_holds_no_csrf_token_and_the_language_still_changes(seoul):
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(DIRECTORY)
    assert "csrfmiddlewaretoken" not in text(response)
    assert "csrftoken" not in response.cookies
    changed = visitor.post(reverse("set_language"), {"language": "fr", "next": DIRECTORY})
    assert changed.status_code == 302
    assert 'lang="fr"' in text(visitor.get(DIRECTORY))


# --- The map's endpoint -------------------------------------------------------------------


def test_the_map_endpoint_lists_the_members_with_coordinates_and_public_fields_only(
    visitor, seoul, paris, make_member, make_contact
):
    make_member("Nowhere", country="DE", latitude=None, longitude=None)
    make_contact(seoul, name="Kim Private", email="kim@seoul.example")
    response = visitor.get(MAP)
    assert response["Content-Type"] == "application/json"
    points = json.loads(text(response))["points"]
    assert points == [["Paris", "paris", 48.86, 2.35], ["Seoul", "seoul", 37.57, 126.98]]
    assert "kim" not in text(response).lower()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "KR"}, ["Seoul"]),
        ({"q": "PARÍS"}, ["Paris"]),
        ({"region": "europe"}, ["Paris"]),
        ({"founding": "1"}, ["Seoul"]),
        ({"country": "ZZ"}, ["Paris", "Seoul"]),  # a bad filter is left out, as on the page
    ],
)
def test_the_map_endpoint_applies_the_directory_filters(visitor, seoul, paris, params, expected):
    points = json.loads(text(visitor.get(MAP, params)))["points"]
    assert [point[0] for point in points] == expected


def test_the_map_endpoint_takes_as_many_queries_for_many_members_as_for_few(
    visitor, make_member, django_assert_max_num_queries
):
    make_member("Seoul", country="KR")
    with django_assert_max_num_queries(3):
        visitor.get(MAP)
    for number in range(40):
        make_member(f"City {number}", country="KR")
    with django_assert_max_num_queries(3):
        assert len(json.loads(text(visitor.get(MAP)))["points"]) == 41
    with django_assert_max_num_queries(0):
        visitor.get(MAP)  # from the cache


@pytest.fixture
def few_points(monkeypatch):
    """The map's points limit cut to two, so that three members are many."""
    monkeypatch.setattr(views, "MAP_POINTS_LIMIT", 2)


def test_beyond_the_limit_the_map_endpoint_counts_the_members_by_cell(visitor, seoul, paris, make_member, few_points):
    make_member("Incheon", country="KR", latitude=37.46, longitude=126.70)
    make_member("Busan", country="KR", latitude=35.18, longitude=129.08)
    data = json.loads(text(visitor.get(MAP)))
    assert "points" not in data and data["cell_degrees"] == 5
    # Row 0 starts at 90°S, column 0 at 180°W: Seoul and Incheon share a
    # cell (25, 61), at their mean position; Busan is in (25, 61) too (35.18°N).
    assert data["cells"] == [[25, 61, 3, 36.7367, 127.5867], [27, 36, 1, 48.86, 2.35]]
    assert "Seoul" not in text(visitor.get(MAP))


def test_a_cells_points_are_read_by_its_row_and_column(visitor, seoul, paris, make_member, few_points):
    make_member("Incheon", country="KR", latitude=37.46, longitude=126.70)
    points = json.loads(text(visitor.get(MAP, {"cell": "25,61"})))["points"]
    assert [point[:2] for point in points] == [["Incheon", "incheon"], ["Seoul", "seoul"]]
    assert json.loads(text(visitor.get(MAP, {"cell": "27,36"})))["points"] == [["Paris", "paris", 48.86, 2.35]]
    assert json.loads(text(visitor.get(MAP, {"cell": "0,0"})))["points"] == []
    # The directory's filters apply to the cells and to a cell's points.
    assert json.loads(text(visitor.get(MAP, {"cell": "25,61", "q": "seoul"})))["points"][0][0] == "Seoul"
    assert len(json.loads(text(visitor.get(MAP, {"cell": "25,61", "q": "seoul"})))["points"]) == 1


@pytest.mark.parametrize("cell", ["", "25", "a,b", "25;61", "-1,3", "37,0", "0,73", "1e3,2"])
def test_a_cell_that_is_not_on_the_grid_is_refused_with_a_reason(visitor, seoul, few_points, cell):
    response = visitor.get(MAP, {"cell": cell})
    assert response.status_code == 400
    assert "row and a column" in json.loads(text(response))["error"]


def test_the_cells_take_as_many_queries_for_many_members_as_for_few_and_none_from_the_cache(
    visitor, make_member, few_points, django_assert_max_num_queries
):
    for number in range(3):
        make_member(f"City {number}", country="KR", latitude=37 + number, longitude=127)
    with django_assert_max_num_queries(4):
        assert sum(cell[2] for cell in json.loads(text(visitor.get(MAP)))["cells"]) == 3
    for number in range(3, 60):
        make_member(f"City {number}", country="BR", latitude=-21 - number / 100, longitude=-46)
    with django_assert_max_num_queries(4):
        assert sum(cell[2] for cell in json.loads(text(visitor.get(MAP)))["cells"]) == 60
    with django_assert_max_num_queries(4):
        visitor.get(MAP, {"cell": "13,26"})
    with django_assert_max_num_queries(0):
        visitor.get(MAP)  # from the cache, not built again
        assert len(json.loads(text(visitor.get(MAP, {"cell": "13,26"})))["points"]) == 57


def test_a_member_saved_is_seen_in_the_cells_and_in_its_cell_at_once(visitor, seoul, paris, make_member, few_points):
    make_member("Incheon", country="KR", latitude=37.46, longitude=126.70)
    assert [cell[2] for cell in json.loads(text(visitor.get(MAP)))["cells"]] == [2, 1]
    assert len(json.loads(text(visitor.get(MAP, {"cell": "25,61"})))["points"]) == 2
    seoul.latitude, seoul.longitude = 48.85, 2.3
    seoul.save()
    assert [cell[2] for cell in json.loads(text(visitor.get(MAP)))["cells"]] == [1, 2]
    assert len(json.loads(text(visitor.get(MAP, {"cell": "25,61"})))["points"]) == 1
    assert len(json.loads(text(visitor.get(MAP, {"cell": "27,36"})))["points"]) == 2


def test_the_directory_page_weighs_the_same_for_many_members(visitor, make_member):
    for number in range(30):
        make_member(f"City {number}", country="KR")
    small = len(text(visitor.get(DIRECTORY)))
    for number in range(30, 200):
        make_member(f"City {number}", country="KR")
    assert abs(len(text(visitor.get(DIRECTORY))) - small) < 100  # the count's digits


# --- Streamed exports, safe in a spreadsheet -----------------------------------------------


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_the_exports_are_streamed(rf, seoul, url):
    request = rf.get(url)
    request.user = AnonymousUser()
    SessionMiddleware(lambda request: None).process_request(request)
    MessageMiddleware(lambda request: None).process_request(request)
    view = views.export_csv if url == CSV_URL else views.export_json
    assert isinstance(view(request), StreamingHttpResponse)


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"])
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_quote_in_the_public_csv(visitor, make_member, name):
    make_member(name, country="BR", latitude=-23.55, longitude=-46.63)
    (row,) = csv.DictReader(io.StringIO(text(visitor.get(CSV_URL))))
    assert row["name"] == "'" + name
    assert row["latitude"] == "-23.55" and row["longitude"] == "-46.63"  # numbers stay numbers


@pytest.mark.parametrize("name", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"])
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_quote_in_the_admin_export(make_member, name):
    make_member(name, country="BR", latitude=-23.55, longitude=-46.63, description="=1+2")
    (row,) = csv.DictReader(io.StringIO(OrganisationResource().export().csv))
    assert row["name"] == "'" + name
    assert row["description"] == "'=1+2"
    assert row["longitude"] == "-46.63000"  # a number, unquoted: the file imports back


def test_the_admin_csv_export_download_is_safe_too(staff_client, make_member):
    make_member("=HYPERLINK(1)", country="BR")
    response = staff_client.post(
        reverse("admin:members_organisation_export"),
        {"format": "0", "resource": "0", **{f"organisationresource_{f}": "on" for f in ("slug", "name", "country")}},
    )
    assert response.status_code == 200
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_a_plain_name_is_exported_as_it_is(visitor, seoul):
    (row,) = csv.DictReader(io.StringIO(text(visitor.get(CSV_URL))))
    assert row["name"] == "Seoul"
    assert Organisation.objects.get().name == "Seoul"


# --- Indexes -------------------------------------------------------------------------------


def test_the_search_is_answered_by_the_trigram_index_on_postgresql(make_member):
    from django.db import connection

    make_member("São Paulo", country="BR")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'organisation_search_trgm'")
        (definition,) = cursor.fetchone()
        assert "gin_trgm_ops" in definition
        cursor.execute("SET LOCAL enable_seqscan = off")
        query = Organisation.objects.search("SAO paulo").values("pk").query
        sql, params = query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "organisation_search_trgm" in plan
    assert list(Organisation.objects.search("SAO paulo").values_list("name", flat=True)) == ["São Paulo"]


def test_a_search_is_counted_once_for_all_its_pages(visitor, make_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(30):
        make_member(f"City {number}", country="DE")
    assert "30 members found" in text(visitor.get(DIRECTORY, {"country": "DE"}))
    with CaptureQueriesContext(connection) as captured:
        page_two = visitor.get(DIRECTORY, {"country": "DE", "page": "2"})
    assert "30 members found" in text(page_two) and "Page 2 of 2" in text(page_two)
    assert not [query for query in captured if "COUNT(" in query["sql"].upper()]
    with CaptureQueriesContext(connection) as captured:  # the same search, written otherwise
        assert "30 members found" in text(visitor.get(DIRECTORY, {"country": "de", "page": "2", "utm": "x"}))
    assert not [query for query in captured if "COUNT(" in query["sql"].upper()]
    make_member("City 30", country="DE")  # a change: counted again
    assert "31 members found" in text(visitor.get(DIRECTORY, {"country": "DE", "page": "2"}))
