"""Logos are stored under the extension of what they are, not of what they
were called: the file name decides the type they are served with."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.utils.translation import gettext as _

from .validators import LOGO_FORMATS, image_format


class LogoFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        # Every way a logo is stored passes here: a form's save (the model's
        # pre_save) and a direct organisation.logo.save() alike.
        extension = LOGO_FORMATS.get(image_format(content))
        if extension is None:
            raise ValidationError(_("The logo must be a PNG, JPEG or WebP image."))
        super().save(f"{PurePath(name).stem or 'logo'}.{extension}", content, save)


class LogoField(models.ImageField):
    attr_class = LogoFieldFile
