"""The language switcher (issue 14): each of the seven languages named in
itself, whatever the page's language, each name marked with its language
(``lang``, and ``dir`` for Arabic) so that screen readers and fonts get it
right; and a plain form that works without JavaScript and by keyboard."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import get_language_info

LANGUAGES = [code for code, _name in settings.LANGUAGES]

# Issue 14's own list: how each language's readers name it at the head of a
# menu item, which is what the switcher must show.
NAMES_IN_THEMSELVES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ko": "한국어",
    "ar": "العربية",
    "ru": "Русский",
    "zh-hans": "简体中文",
}


class Switcher(HTMLParser):
    """The language form of a page: its action, its select's options (value,
    attributes, text) and what can be pressed to send it."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.form, self.options, self.buttons, self.label_for = None, [], [], None
        self._in_form, self._option = False, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "language-form" in attrs.get("class", ""):
            self.form, self._in_form = attrs, True
        elif self._in_form and tag == "option":
            self._option = {**attrs, "text": ""}
            self.options.append(self._option)
        elif self._in_form and tag == "button":
            self.buttons.append(attrs)
        elif self._in_form and tag == "label":
            self.label_for = attrs.get("for")
        elif self._in_form and tag == "select":
            self.select = attrs

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "option":
            self._option = None

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data


def test_the_table_names_exactly_the_portals_languages():
    assert set(NAMES_IN_THEMSELVES) == set(LANGUAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("page_language", LANGUAGES)
def test_each_language_is_named_in_itself_whatever_the_pages_language(page_language):
    client = Client(HTTP_ACCEPT_LANGUAGE=page_language)
    switcher = Switcher(client.get(reverse("home")).content.decode())

    assert switcher.form["action"] == reverse("set_language") and switcher.form["method"] == "post"
    assert [option["value"] for option in switcher.options] == LANGUAGES
    for option in switcher.options:
        code = option["value"]
        assert option["text"].strip() == NAMES_IN_THEMSELVES[code]
        assert option["lang"] == code
        assert option["dir"] == ("rtl" if get_language_info(code)["bidi"] else "ltr")
    # The page's own language is the one chosen, and only it.
    assert [option["value"] for option in switcher.options if "selected" in option] == [page_language]
    # A labelled select and a real button: nothing here needs a script.
    assert switcher.label_for == switcher.select["id"] and switcher.select["name"] == "language"
    assert [button.get("type") for button in switcher.buttons] == ["submit"]


@pytest.mark.django_db
def test_choosing_a_language_keeps_the_page_and_speaks_it(client, make_member):
    make_member("Seoul", country="KR")
    for code in LANGUAGES:
        response = client.post(reverse("set_language"), {"language": code, "next": "/members/"}, follow=True)
        assert response.redirect_chain[-1][0] == "/members/"
        html = response.content.decode()
        assert f'<html lang="{code}"' in html
        selected = [o["value"] for o in Switcher(html).options if "selected" in o]
        assert selected == [code]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_switcher_works_by_keyboard_without_javascript(browser, live_server, make_member):
    make_member("Seoul", country="KR")
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server.url + "/members/")
        assert page.evaluate("document.documentElement.lang") == "en"
        for code in ["ar", "zh-hans", "fr"]:
            # Tab from the top of the page until the select has the focus.
            page.locator("body").focus()
            for _ in range(60):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.id") == "language-select":
                    break
            else:
                raise AssertionError("the language select cannot be reached with Tab")
            # Arrow keys move through the closed select's options.
            options = page.eval_on_selector_all("#language-select option", "os => os.map(o => o.value)")
            current = page.evaluate("document.activeElement.value")
            key = "ArrowDown" if options.index(code) > options.index(current) else "ArrowUp"
            for _ in range(abs(options.index(code) - options.index(current))):
                page.keyboard.press(key)
            assert page.evaluate("document.activeElement.value") == code
            # The next stop is the button; Enter sends the form.
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.type") == "submit"
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert page.url == live_server.url + "/members/"
            assert page.evaluate("document.documentElement.lang") == code
            assert page.evaluate("document.documentElement.dir") == ("rtl" if get_language_info(code)["bidi"] else "")
            assert page.locator("#language-select option:checked").inner_text() == NAMES_IN_THEMSELVES[code]
    finally:
        context.close()
