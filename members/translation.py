"""The membership data kept in every language (django-modeltranslation reads
this module at start-up; see members/languages.py for the rules)."""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from .models import MembershipCategory


@register(MembershipCategory)
class MembershipCategoryTranslation(TranslationOptions):
    fields = ("name", "description")
    # An unwritten name is NULL, not "": two of them do not clash on uniqueness.
    empty_values = {"name": None}
    required_languages = {settings.LANGUAGE_CODE: ("name",)}
