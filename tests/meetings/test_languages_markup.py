"""Mixed directions and untranslated words the screenshots showed (issue 14),
checked in the HTML: names set into Arabic sentences are isolated in <bdi>
(escaped as ever), free text keeps its own direction, the admin's title and
the names of its models speak every language and tell offices from posts."""

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from governance.models import AgendaItem, Office, Post

pytestmark = pytest.mark.django_db

TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def in_arabic(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    return client


def test_the_bdi_filter_isolates_a_value_and_escapes_it():
    rendered = Template(
        "{% load i18n %}{% blocktranslate with name=name|bdi %}Logged in as {{ name }}.{% endblocktranslate %}"
    ).render(Context({"name": "Seoul <b>focal</b> point"}))
    assert rendered == "Logged in as <bdi>Seoul &lt;b&gt;focal&lt;/b&gt; point</bdi>."


def test_names_in_arabic_sentences_on_the_members_page_are_isolated(client, seoul_user, seoul, issue):
    invoice = issue(seoul)
    client.force_login(seoul_user)
    page = in_arabic(client).get(reverse("member_home:index")).content.decode()
    assert f"<bdi>{seoul_user.get_full_name()}</bdi>" in page
    assert "<bdi>Seoul</bdi> حق التصويت" in page  # "Seoul carries a vote in the General Assembly."
    assert "تعديل الملف التعريفي العام لـ <bdi>Seoul</bdi>" in page  # "Edit the public profile of Seoul"
    assert f"<bdi>{invoice.reference}</bdi>" in page


def test_names_and_free_text_on_an_arabic_meeting_page_keep_their_direction(client, seoul_user, ga_meeting):
    AgendaItem.objects.create(meeting=ga_meeting, position=1, title="Opening", description="Welcome (by the host).")
    ga_meeting.address = "4 Republic Square, Almaty"
    ga_meeting.save()
    client.force_login(seoul_user)
    page = in_arabic(client).get(ga_meeting.get_absolute_url()).content.decode()
    assert f"<h1><bdi>{ga_meeting}</bdi></h1>" in page
    assert '<bdi class="address">4 Republic Square, Almaty</bdi>' in page
    assert '<h3 dir="auto">Opening</h3>' in page and '<p dir="auto">Welcome (by the host).</p>' in page
    assert "تسجيل مندوب لـ <bdi>Seoul</bdi>" in page  # "Register a delegate of Seoul"
    listing = in_arabic(client).get(reverse("meetings:list")).content.decode()
    assert f"إضافة <bdi>{ga_meeting}</bdi> إلى تقويمك" in listing  # "Add … to your calendar"


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_admins_title_speaks_every_language(staff_client, code):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    page = staff_client.get(reverse("admin:index")).content.decode()
    with translation.override(code):
        header = translation.gettext("WeGO Portal — Secretariat")
    assert header != "WeGO Portal — Secretariat"
    assert f'<a href="{reverse("admin:index")}">{header}</a>' in page


@pytest.mark.parametrize("code", TRANSLATED)
def test_offices_and_posts_have_different_names_in_every_language(code):
    """In Arabic and Russian both were "المناصب" / "Должности": two lines of the
    admin's index with one name."""
    with translation.override(code):
        assert str(Office._meta.verbose_name) != str(Post._meta.verbose_name)
        assert str(Office._meta.verbose_name_plural) != str(Post._meta.verbose_name_plural)
