"""Names kept as data, in every language (issue 14): membership categories,
bodies and posts, with their public descriptions, are shown in the reader's
language, fall back to English where the secretariat has written none, are
edited per language in the admin, filled by the loader from the catalogs,
and exported with every language they are written in."""

import io
import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from governance.figures import members_by_category
from governance.models import Body, BodySlug, Post
from members.languages import field_name, localized
from members.models import Membership, MembershipCategory, Organisation

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
OTHERS = [code for code in LANGUAGES if code != settings.LANGUAGE_CODE]

TRANSLATED = {
    # (model, slug, field): the words the catalogs give, checked below
    (MembershipCategory, "full-member", "name"): "Full Member",
    (MembershipCategory, "full-member", "description"): (
        "Local governments. Each full member city has one vote in the General Assembly."
    ),
    (MembershipCategory, "institutional-member", "name"): "Institutional Member",
    (Body, BodySlug.GENERAL_ASSEMBLY, "name"): "General Assembly",
    (Body, BodySlug.EXECUTIVE_COMMITTEE, "description"): None,  # long: read from the row
    (Post, "president-city", "label"): "President City",
    (Post, "vice-president-city", "selection"): None,
}


@pytest.fixture
def reference(db):
    call_command("load_wego_data", stdout=io.StringIO())


def page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def column(instance, field, language):
    return getattr(type(instance).objects.get(pk=instance.pk), field_name(field, language))


# --- The loader -------------------------------------------------------------------


def test_the_loader_writes_every_reference_name_in_the_seven_languages_from_the_catalogs(reference):
    for (model, slug, field), english in TRANSLATED.items():
        row = model.objects.get(slug=slug)
        english = english or column(row, field, "en")
        assert column(row, field, "en") == english
        for language in OTHERS:
            with translation.override(language):
                expected = translation.gettext(english)
            assert expected != english, f"the {language} catalog lacks {english!r}"
            assert column(row, field, language) == expected, (model.__name__, slug, field, language)
    for model, fields in ((MembershipCategory, ("name",)), (Body, ("name", "description")), (Post, ("label",))):
        for row in model.objects.all():
            for field in fields:
                assert all(column(row, field, language) for language in LANGUAGES), (row, field)


def test_a_second_load_keeps_what_the_secretariat_wrote_and_fills_what_is_missing(reference):
    full = MembershipCategory.objects.get(slug="full-member")
    full.name_fr = "Membre titulaire"
    full.name_ko = None  # as if Korean had been added after the first load
    full.save()
    call_command("load_wego_data", stdout=io.StringIO())
    full.refresh_from_db()
    assert full.name_fr == "Membre titulaire"
    with translation.override("ko"):
        assert full.name_ko == translation.gettext("Full Member") == "정회원"


# --- Reading: the reader's language, or English --------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_pages_show_categories_bodies_and_posts_in_the_readers_language(client, reference, language):
    seoul = Organisation.objects.get(name="Seoul")
    full = MembershipCategory.objects.get(slug="full-member")
    ga = Body.objects.get(slug=BodySlug.GENERAL_ASSEMBLY)
    excom = Body.objects.get(slug=BodySlug.EXECUTIVE_COMMITTEE)
    president = Post.objects.get(slug="president-city")

    directory = page(client, reverse("members:directory"), language)
    assert column(full, "name", language) in directory
    profile = page(client, seoul.get_absolute_url(), language)
    assert column(full, "name", language) in profile
    assert column(president, "label", language) in profile
    governance = page(client, reverse("governance:index"), language)
    for text in (
        column(ga, "name", language),
        column(excom, "description", language),
        column(president, "label", language),
        column(president, "selection", language),
    ):
        assert text in governance, (language, text)
    if language != "en":
        assert column(full, "name", "en") not in directory.split("<main", 1)[1]
        assert column(president, "label", "en") not in governance.split("<main", 1)[1]


@pytest.mark.parametrize("language", OTHERS)
def test_a_name_not_written_in_the_readers_language_shows_in_english(client, reference, language):
    full = MembershipCategory.objects.get(slug="full-member")
    setattr(full, field_name("name", language), None)
    full.save()
    directory = page(client, reverse("members:directory"), language)
    assert "Full Member" in directory


def test_the_plain_column_stays_english_whatever_language_the_saver_reads(reference):
    full = MembershipCategory.objects.get(slug="full-member")
    with translation.override("fr"):
        full.description = "Collectivités locales, avec voix."
        full.save()
    full.refresh_from_db()
    assert full.description_fr == "Collectivités locales, avec voix."
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, description FROM members_membershipcategory WHERE slug = 'full-member'")
        assert cursor.fetchone() == (
            "Full Member",
            "Local governments. Each full member city has one vote in the General Assembly.",
        )


def test_lookups_through_other_models_read_the_readers_language(reference):
    expected = {}
    for language in LANGUAGES:
        with translation.override(language):
            names = set(Membership.objects.annotate(label=localized("category__name")).values_list("label", flat=True))
            expected[language] = str(members_by_category().rows[0][0])
        assert names == {column(MembershipCategory.objects.get(slug="full-member"), "name", language)}
    assert expected["ko"] == "정회원" and expected["en"] == "Full Member"


# --- The admin: each language its own field -------------------------------------------


def test_the_secretariat_edits_each_language_on_its_own(staff_client, reference):
    full = MembershipCategory.objects.get(slug="full-member")
    url = reverse("admin:members_membershipcategory_change", args=[full.pk])
    form = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    positions = [form.index(f'name="{field_name("name", language)}"') for language in LANGUAGES]
    assert positions == sorted(positions)  # the portal's order, English first
    for language in LANGUAGES:
        assert f'name="{field_name("description", language)}"' in form
    assert re.search(r'<input[^>]*name="name_ar"[^>]*>', form).group(0).count('dir="rtl"') == 1
    assert 'lang="ar"' in re.search(r'<input[^>]*name="name_ar"[^>]*>', form).group(0)
    assert 'dir="ltr"' in re.search(r'<textarea[^>]*name="description_ko"[^>]*>', form).group(0)
    data = {
        "slug": full.slug,
        "has_vote": "on",
        "kind": full.kind,
        "position": "0",
        **{field_name("name", code): column(full, "name", code) for code in LANGUAGES},
        **{field_name("description", code): column(full, "description", code) for code in LANGUAGES},
    }
    data["name_ar"] = "عضو عامل"
    data["name_ru"] = ""
    response = staff_client.post(url, data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302, response.content.decode()[:2000]
    full.refresh_from_db()
    assert full.name_ar == "عضو عامل"
    assert full.name_ru is None  # empty: Russian readers see English
    assert (full.name_en, full.name_fr) == ("Full Member", "Membre à part entière")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM members_membershipcategory WHERE slug = 'full-member'")
        assert cursor.fetchone() == ("Full Member",)


def test_english_is_required_and_two_unwritten_names_do_not_clash(staff_client, reference):
    url = reverse("admin:members_membershipcategory_add")
    base = {"slug": "observer", "kind": "", "position": "5", "name_fr": "Observateur"}
    response = staff_client.post(url, base)
    assert response.status_code == 200 and not MembershipCategory.objects.filter(slug="observer").exists()
    assert "This field is required." in response.content.decode()
    for slug, name in (("observer", "Observer"), ("guest", "Guest")):
        response = staff_client.post(url, {**base, "slug": slug, "name_en": name, "name_fr": ""})
        assert response.status_code == 302
    assert MembershipCategory.objects.filter(slug__in=["observer", "guest"], name_fr__isnull=True).count() == 2


@pytest.mark.parametrize(
    "name, model", [("governance_body", Body), ("governance_post", Post), ("members_membershipcategory", None)]
)
def test_each_translated_admin_page_opens_with_a_field_per_language(staff_client, reference, name, model):
    row = (model or MembershipCategory).objects.first()
    form = staff_client.get(reverse(f"admin:{name}_change", args=[row.pk])).content.decode()
    field = "label" if model is Post else "name"
    for language in LANGUAGES:
        assert f'name="{field_name(field, language)}"' in form
    assert staff_client.get(reverse(f"admin:{name}_changelist")).status_code == 200


# --- Open data: one stable record, every language beside it ------------------------------


def test_the_popolo_export_names_in_english_and_lists_each_written_language(client, reference):
    data = json.loads(page(client, reverse("governance:export_json"), "ar"))
    ga = next(o for o in data["organizations"] if o["id"] == BodySlug.GENERAL_ASSEMBLY)
    assert ga["name"] == "General Assembly"
    translations = {other["lang"]: other["name"] for other in ga["other_names"] if "lang" in other}
    assert set(translations) == set(OTHERS)
    assert translations["ar"] == Body.objects.get(slug=BodySlug.GENERAL_ASSEMBLY).name_ar
    president = next(p for p in data["posts"] if p["id"] == "president-city")
    assert president["label"] == "President City"
    assert Post.objects.get(slug="president-city").label_zh_hans in president["other_label"]
    assert len(president["other_label"]) == len(OTHERS)


# --- The migration: rows stored before the languages ------------------------------


def test_the_migration_makes_the_stored_words_english_and_fills_the_catalogs_languages(db):
    from importlib import import_module

    from django.db.migrations.loader import MigrationLoader

    migration = import_module("members.migrations.0008_names_in_every_language")
    # The models as the migration sees them: plain columns, no translation at work.
    apps = MigrationLoader(connection).project_state(("members", "0008_names_in_every_language")).apps
    MembershipCategory.objects.create(slug="full-member", name_en="x", has_vote=True)
    MembershipCategory.objects.create(slug="observer", name_en="y")
    # As the rows stood before: words in the plain column only.
    stored = apps.get_model("members", "MembershipCategory").objects
    stored.filter(slug="full-member").update(
        name="Full Member", name_en=None, description="", name_fr=None, name_ko=None
    )
    stored.filter(slug="observer").update(name="Honorary Partner", name_en=None, name_fr=None)

    migration.copy_into_language_columns("members", "MembershipCategory", ("name", "description"))(apps, None)

    full = MembershipCategory.objects.get(slug="full-member")
    assert (full.name_en, full.name_fr, full.name_ko) == ("Full Member", "Membre à part entière", "정회원")
    observer = MembershipCategory.objects.get(slug="observer")
    assert (observer.name_en, observer.name_fr) == ("Honorary Partner", None)  # not in the catalogs: English for all
    with translation.override("fr"):
        assert MembershipCategory.objects.get(slug="observer").name == "Honorary Partner"


def test_a_name_given_while_another_language_is_active_is_english_too(db):
    """A name given without a language (code, an import, a fixture) while a
    request's language is active is written in that language and, English
    having none, in English: the plain column is never left empty."""
    with translation.override("ko"):
        first = MembershipCategory.objects.create(slug="honorary", name="명예회원")
        second = MembershipCategory.objects.create(slug="observer", name="옵서버")
    for row, name in ((first, "명예회원"), (second, "옵서버")):
        row.refresh_from_db()
        assert (row.name_en, row.name_ko) == (name, name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM members_membershipcategory ORDER BY slug")
        assert [name for (name,) in cursor.fetchall()] == ["명예회원", "옵서버"]
