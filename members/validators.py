"""Checks on uploaded files: size first, then what the bytes really are."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}


def validate_logo(upload):
    """A logo is a PNG, JPEG or WebP image no larger than LOGO_MAX_BYTES.

    SVG is refused on purpose: it can carry scripts.
    """
    if getattr(upload, "_committed", False):
        return  # a logo already stored was checked when it was uploaded
    if upload.size > settings.LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.LOGO_MAX_BYTES)}
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("The logo must be a PNG, JPEG or WebP image.")) from None
    finally:
        upload.seek(position)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(_("The logo must be a PNG, JPEG or WebP image."))
