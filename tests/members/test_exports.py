import csv
import io
import json

import pytest
from django.urls import reverse

from members.models import Standing
from members.views import EXPORT_COLUMNS

pytestmark = pytest.mark.django_db

CSV_URL = reverse("members:export_csv")
JSON_URL = reverse("members:export_json")


@pytest.fixture
def members(make_member, make_contact, industry_category):
    sao_paulo = make_member(
        "São Paulo", country="BR", is_founding_member=True, website="https://www.prefeitura.sp.gov.br"
    )
    seoul = make_member("Seoul", country="KR", is_founding_member=True)
    vendor = make_member("Smart Vendor", country="KR", kind="provider", category=industry_category)
    withdrawn = make_member("Gone City", country="FR", standing=Standing.WITHDRAWN)
    for organisation in (sao_paulo, seoul, vendor, withdrawn):
        make_contact(
            organisation,
            name=f"Private {organisation.name}",
            email=f"secret@{organisation.slug}.example",
            phone="+00 123 456",
        )
    return {"sao_paulo": sao_paulo, "seoul": seoul, "vendor": vendor, "withdrawn": withdrawn}


def body_of(response):
    """The text of an export, streamed or (from the cache) whole."""
    return response.getvalue().decode("utf-8")


def read_csv(response):
    return list(csv.DictReader(io.StringIO(body_of(response))))


def test_the_csv_export_lists_the_directory_with_public_fields(client, members):
    response = client.get(CSV_URL)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [row["name"] for row in rows] == ["São Paulo", "Seoul", "Smart Vendor"]
    assert list(rows[0]) == EXPORT_COLUMNS
    assert rows[0]["id"] == "sao-paulo"
    assert rows[0]["region"] == "americas"
    assert rows[0]["founding_member"] == "True"
    assert rows[0]["url"] == "http://testserver/members/sao-paulo/"


def test_the_json_export_has_the_popolo_organization_shape(client, members):
    organizations = json.loads(body_of(client.get(JSON_URL)))["organizations"]
    sao_paulo = organizations[0]
    assert sao_paulo["id"] == "sao-paulo"
    assert sao_paulo["name"] == "São Paulo"
    assert sao_paulo["classification"] == "local_government"
    assert sao_paulo["country"] == "BR"
    assert sao_paulo["region"] == "americas"
    assert sao_paulo["category"] == "full-member"
    assert sao_paulo["founding_member"] is True
    assert sao_paulo["url"] == "http://testserver/members/sao-paulo/"
    assert organizations[2]["founding_member"] is False


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_no_contact_data_and_no_withdrawn_member_is_exported(client, members, url):
    body = body_of(client.get(url))
    assert "Private" not in body
    assert "secret@" not in body
    assert "+00 123 456" not in body
    assert "Gone City" not in body
    assert "notes" not in body


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_the_exports_apply_the_directory_filters(client, members, url):
    body = body_of(client.get(url, {"country": "KR", "kind": "provider"}))
    assert "Smart Vendor" in body and "Seoul" not in body and "São Paulo" not in body
    body = body_of(client.get(url, {"q": "sao paulo"}))
    assert "São Paulo" in body and "Seoul" not in body


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_the_exports_ignore_bad_values_without_a_500(client, members, url):
    response = client.get(url, {"country": "ZZZ", "page": "x", "region": "mars", "q": "y" * 5000})
    assert response.status_code == 200


def test_an_empty_csv_export_still_has_its_header(client, members):
    rows = body_of(client.get(CSV_URL, {"q": "nowhere at all"})).splitlines()
    assert rows == [",".join(EXPORT_COLUMNS)]
