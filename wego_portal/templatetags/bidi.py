"""Names and numbers inside translated sentences, kept in their own direction.

A member's name, a meeting's title or an invoice's reference set into an
Arabic sentence is laid out by the bidirectional algorithm together with the
words around it: "Smart Partner Inc." gives its full stop to the Arabic
words ("حق .Smart Partner Inc لـ"), an address that starts with a number
ends with it ("Republic Square, Almaty 4"), "فاتورة 2026-0001" reads
0001-2026. Wrapped in <bdi>, the value keeps its own direction and the
sentence its order (a built-in: TEMPLATES' "builtins" in settings.py, so no
{% load %})::

    {% blocktranslate with name=organisation.name|bdi %}Logged in as {{ name }}.{% endblocktranslate %}

The catalogues keep their msgids: the isolation is in the value, not in the
translated text.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value):
    """``value``, escaped, in a <bdi> element (safe to put in a sentence)."""
    return format_html("<bdi>{}</bdi>", value)
