"""Names and descriptions kept as data, in every language of the portal.

Membership categories, bodies and posts are edited by the secretariat, so
their names and public descriptions are data, with a column per language
(django-modeltranslation: ``name_en``, ``name_fr``, … registered in each
app's ``translation.py``). Reading ``category.name`` gives the reader's
language, or English where none is written (settings.MODELTRANSLATION_*).

The rules of that data live here, once:

- the plain column (``name``) always holds the default language, whatever
  language the person saving reads the site in (``DefaultLanguageColumn``),
  so lookups through other models (``membership__category__name``) and the
  unique constraints keep meaning one thing;
- the reference data's words are translated by the catalogs, like the rest
  of the interface (``catalog_translations``);
- queries through other models ask for the reader's language with
  ``localized()``, and exports list every written language with
  ``written_translations()``.
"""

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from modeltranslation.translator import translator


def field_name(field, language):
    """The column of ``field`` in ``language``: ``name_zh_hans`` for zh-hans."""
    return f"{field}_{language.replace('-', '_')}"


def other_languages():
    """Every language of the portal but the default one, in settings' order."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class DefaultLanguageColumn:
    """Keeps the default language of each translated field written, and the
    plain column in it.

    modeltranslation writes ``category.name = "…"`` (and ``name="…"`` given
    to the constructor) into the column of the language active at the time,
    and stores in the plain column whatever the descriptor reads at save
    time, i.e. the saver's language. So a secretariat member reading the
    admin in French would turn "Full Member" into "Membre à part entière"
    for every lookup that goes through another model, and a name given while
    another language is active would leave English empty. Here a name given
    without a language is also the English one if English has none, and the
    plain column is saved in English; each language's own column stays as
    written.
    """

    def save(self, *args, **kwargs):
        for field in translator.get_options_for_model(type(self)).fields:
            default = field_name(field, settings.LANGUAGE_CODE)
            given = self.__dict__.get(field)
            if not getattr(self, default) and given:
                setattr(self, default, given)
        with translation.override(settings.LANGUAGE_CODE):
            return super().save(*args, **kwargs)


def in_default_language(values, fields):
    """``values`` with each translated field named by its default-language
    column (``name`` -> ``name_en``): what a loader creates is English
    whatever language is active."""
    return {(field_name(key, settings.LANGUAGE_CODE) if key in fields else key): value for key, value in values.items()}


def catalog_translations(text):
    """``{language: translation}`` of a reference text the catalogs hold, for
    each language but the default; languages whose catalog lacks the text
    are left out (the reader then sees the default language)."""
    translations = {}
    for language in other_languages():
        with translation.override(language):
            translated = translation.gettext(text)
        if translated and translated != text:
            translations[language] = translated
    return translations


def fill_translations(instance, fields):
    """Write each field's catalog translations into ``instance``'s empty
    language columns; what the secretariat has written stays. Returns
    whether anything changed (the caller saves)."""
    changed = False
    for field in fields:
        english = getattr(instance, field_name(field, settings.LANGUAGE_CODE)) or ""
        for language, translated in catalog_translations(english).items():
            column = field_name(field, language)
            if not getattr(instance, column):
                setattr(instance, column, translated)
                changed = True
    return changed


def localized(lookup):
    """An expression for a translated field reached through other models
    (``"membership__category__name"``): the reader's language, falling back
    to the default language where that is empty."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    default = F(field_name(lookup, settings.LANGUAGE_CODE))
    if language == settings.LANGUAGE_CODE:
        return default
    return Coalesce(NullIf(F(field_name(lookup, language)), Value("")), default, output_field=TextField())


def written_translations(instance, field):
    """``{language: text}`` of every language ``field`` is written in,
    the default language first: for exports, which list them all."""
    written = {}
    for code, _name in settings.LANGUAGES:
        value = getattr(instance, field_name(field, code), None)
        if value:
            written[code] = value
    return written
