"""Checks on uploaded files: size first, then what the bytes really are."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# The formats a logo may have, and the extension each is stored under.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


def image_format(upload):
    """What the bytes of ``upload`` are (Pillow's format name), or None."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(position)
    return found


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
    if image_format(upload) not in LOGO_FORMATS:
        raise ValidationError(_("The logo must be a PNG, JPEG or WebP image."))
