"""The open-data exports against the published Popolo JSON schemas
(vendored in tests/data/popolo/, see the "$comment" in each file), read with
the jsonschema package: every organization, post and membership valid, the
member of a membership named the way the spec does, and nothing unknown
written as an empty string."""

import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from governance.models import EndReason

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "popolo"
DAY = datetime.timedelta(days=1)


def _registry():
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["id"], Resource(contents=schema, specification=DRAFT3)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(name):
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    return Draft3Validator(schema, registry=REGISTRY)


def errors(name, record):
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator(name).iter_errors(record)]


def blanks(value, path="$"):
    """Where an empty string stands for a missing value."""
    if value == "":
        return [path]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in blanks(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in blanks(item, f"{path}[{index}]")]
    return []


@pytest.fixture
def history(posts, term, past_term, make_member, appoint, ga, excom):
    seoul, almaty, harare = (
        make_member("Seoul", country="KR"),
        make_member("Almaty", country="KZ"),
        make_member("Harare", country="ZW"),
    )
    appoint(seoul, posts["president"], how_chosen="elected_by_ga")
    appoint(almaty, posts["evp"], how_chosen="host_next_ga")
    appoint(harare, posts["member"], end_date=term.start_date + 30 * DAY, end_reason=EndReason.RESIGNED)
    appoint(make_member("São Paulo", country="BR"), posts["member"])
    appoint(make_member("Paris"), posts["president"], term=past_term, how_chosen="elected_by_ga")


def test_the_schemas_catch_a_bad_record():
    """The validation below can fail: a wrong type or date is reported."""
    assert errors("membership", {"start_date": "27/11/2026"})
    assert errors("organization", {"name": 12})
    assert errors("post", {"organization_id": ["x"]})


@pytest.mark.parametrize("everything", [False, True])
def test_the_governance_export_is_valid_popolo(client, history, everything):
    data = client.get(reverse("governance:export_json"), {"all": "1"} if everything else {}).json()
    assert data["organizations"] and data["posts"] and data["memberships"]
    for kind, schema in (("organizations", "organization"), ("posts", "post"), ("memberships", "membership")):
        for record in data[kind]:
            assert errors(schema, record) == [], record
    # A document of organizations carrying their posts and memberships, as Popolo nests them.
    assert (
        errors("organization", {**data["organizations"][0], "posts": data["posts"], "memberships": data["memberships"]})
        == []
    )
    assert blanks(data) == []


def test_a_membership_names_its_member_as_popolo_does_and_keeps_the_old_keys(client, history):
    memberships = client.get(reverse("governance:export_json"), {"all": "1"}).json()["memberships"]
    sao_paulo = next(m for m in memberships if m["member_id"] == "sao-paulo")
    assert sao_paulo["member"] == {"@type": "Organization", "id": "sao-paulo", "name": "São Paulo"}
    assert sao_paulo["member_name"] == "São Paulo" and sao_paulo["member_url"].endswith("/members/sao-paulo/")
    assert sao_paulo["end_reason"] is None and sao_paulo["how_chosen"] is None
    harare = next(m for m in memberships if m["member_id"] == "harare")
    assert harare["end_reason"] == "resigned"


def test_the_members_export_is_valid_popolo(client, make_member):
    make_member("Seoul", country="KR", website="https://english.seoul.go.kr/")
    make_member("São Paulo", country="BR")
    data = json.loads(b"".join(client.get(reverse("members:export_json")).streaming_content))
    assert len(data["organizations"]) == 2
    for record in data["organizations"]:
        assert errors("organization", record) == [], record


def test_the_members_export_writes_no_empty_strings(client, make_member):
    make_member("Nowhere City", country="AQ", website="")
    data = json.loads(b"".join(client.get(reverse("members:export_json")).streaming_content))
    assert blanks(data) == []
    assert data["organizations"][0]["website"] is None
