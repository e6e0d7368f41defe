"""The language switcher's names: each language of ``settings.LANGUAGES``
named in itself, as its readers see it at the head of a menu item (issue 14:
English, Français, Español, 한국어, العربية, Русский, 简体中文).

Django's own names (``name_local``) are written for running text: French and
Spanish in lower case, Arabic with a shadda that menus leave out. Its names
are used as they are where they are already right.
"""

from django import template
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language_info

register = template.Library()

# Where a menu names the language differently from Django's ``name_local``.
NAMES_IN_THEMSELVES = {"ar": "العربية"}


@register.simple_tag
def languages_named_in_themselves():
    """The portal's languages, each a dict of ``code``, ``name`` (in itself)
    and ``bidi`` (written right to left), in the order of ``settings.LANGUAGES``."""
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        name = NAMES_IN_THEMSELVES.get(code) or capfirst(info["name_local"])
        languages.append({"code": code, "name": name, "bidi": info["bidi"]})
    return languages
