"""Checks on uploaded files: size, and the type read from the file's own
bytes, not only from the name the uploader gave it."""

import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Office Open XML documents are ZIP files whose parts live under one folder.
OOXML_FOLDERS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _looks_like(upload, extension):
    upload.seek(0)
    if extension == ".pdf":
        return upload.read(5) == b"%PDF-"
    if upload.read(4) != b"PK\x03\x04":
        return False
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(name.startswith(OOXML_FOLDERS[extension]) for name in names)


def _check_upload(upload, limit, extensions, wrong_extension):
    """The one check of an upload: at most ``limit`` bytes, a name ending in
    one of ``extensions``, and content that is what the name says, read from
    the file's own bytes. A file already stored was checked when it came."""
    if getattr(upload, "_committed", False):
        return
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the most allowed is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    extension = PurePosixPath(upload.name or "").suffix.lower()
    if extension not in extensions:
        raise ValidationError(wrong_extension)
    try:
        genuine = _looks_like(upload, extension)
    finally:
        upload.seek(0)
    if not genuine:
        raise ValidationError(
            _("The file's content is not a %(type)s file, whatever its name says."),
            params={"type": extension[1:].upper()},
        )


def validate_meeting_document(upload):
    """A PDF, DOCX, XLSX or PPTX file of at most MEETING_DOCUMENT_MAX_BYTES."""
    _check_upload(
        upload, settings.MEETING_DOCUMENT_MAX_BYTES, CONTENT_TYPES, _("Upload a PDF, DOCX, XLSX or PPTX file.")
    )


def validate_letter_of_intent(upload):
    """A membership application's letter of intent: a PDF of at most
    APPLICATION_LETTER_MAX_BYTES."""
    _check_upload(upload, settings.APPLICATION_LETTER_MAX_BYTES, {".pdf"}, _("Upload the letter as a PDF file."))


def validate_signed_form(upload):
    """A signed form (a proxy): a PDF of at most MEETING_DOCUMENT_MAX_BYTES."""
    _check_upload(upload, settings.MEETING_DOCUMENT_MAX_BYTES, {".pdf"}, _("Upload the signed form as a PDF file."))


def download(stored, filename, content_type):
    """A stored file as a private download (never cached on the way), or 404
    if its file is gone."""
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
