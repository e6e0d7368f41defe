"""A logo is stored under the extension of what it is, whatever the uploader
called it, so that it is served with the type it really has; a replaced or
cleared logo's file is deleted once the change is committed."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image

from members.models import Organisation
from tests.admin_forms import change_page_data

pytestmark = pytest.mark.django_db


def image_bytes(image_format="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), (11, 79, 138)).save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def seoul(make_member):
    return make_member("Seoul", country="KR")


def served(client, organisation):
    response = client.get(reverse("members:logo", args=[organisation.slug]))
    assert response.status_code == 200
    return response["Content-Type"], b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("name", "image_format", "stored", "content_type"),
    [
        ("seoul.pdf", "PNG", "logos/seoul.png", "image/png"),
        ("seoul.png", "JPEG", "logos/seoul.jpg", "image/jpeg"),
        ("seoul.html", "WEBP", "logos/seoul.webp", "image/webp"),
        ("seoul", "PNG", "logos/seoul.png", "image/png"),
    ],
)
def test_a_logo_is_stored_and_served_as_what_it_is(client, seoul, name, image_format, stored, content_type):
    seoul.logo.save(name, SimpleUploadedFile(name, image_bytes(image_format)))
    assert seoul.logo.name == stored
    assert served(client, seoul)[0] == content_type


def test_a_png_uploaded_as_pdf_through_the_admin_comes_back_as_png(staff_client, client, seoul):
    url = reverse("admin:members_organisation_change", args=[seoul.pk])
    data = change_page_data(staff_client.get(url))
    data["logo"] = SimpleUploadedFile("logo.pdf", image_bytes(), content_type="application/pdf")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    seoul.refresh_from_db()
    assert seoul.logo.name.endswith(".png")
    content_type, content = served(client, seoul)
    assert content_type == "image/png" and content.startswith(b"\x89PNG")


def test_a_file_that_is_no_logo_is_never_stored(seoul, tmp_path):
    with pytest.raises(ValidationError, match="PNG, JPEG or WebP"):
        seoul.logo.save("seoul.png", SimpleUploadedFile("seoul.png", b"%PDF-1.4 not an image"))
    assert not (tmp_path / "logos").exists() or not any((tmp_path / "logos").iterdir())


def test_a_replaced_logo_is_deleted_once_the_change_is_committed(seoul, tmp_path, django_capture_on_commit_callbacks):
    seoul.logo.save("old.png", SimpleUploadedFile("old.png", image_bytes()))
    old = tmp_path / seoul.logo.name
    seoul = Organisation.objects.get(pk=seoul.pk)  # as a form would load it
    with django_capture_on_commit_callbacks(execute=True):
        seoul.logo.save("new.jpg", SimpleUploadedFile("new.jpg", image_bytes("JPEG")))
    assert not old.exists()
    assert (tmp_path / seoul.logo.name).exists()
    assert sorted(path.name for path in (tmp_path / "logos").iterdir()) == ["new.jpg"]


def test_a_replacement_rolled_back_keeps_the_old_logo(seoul, tmp_path, django_capture_on_commit_callbacks):
    seoul.logo.save("old.png", SimpleUploadedFile("old.png", image_bytes()))
    old_name = seoul.logo.name
    seoul = Organisation.objects.get(pk=seoul.pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            seoul.logo.save("new.png", SimpleUploadedFile("new.png", image_bytes()))
            raise RuntimeError("the rest of the change failed")
    assert callbacks == []
    assert Organisation.objects.get(pk=seoul.pk).logo.name == old_name
    assert (tmp_path / old_name).exists()


def test_a_cleared_logo_is_deleted(seoul, tmp_path, django_capture_on_commit_callbacks):
    seoul.logo.save("old.png", SimpleUploadedFile("old.png", image_bytes()))
    old = tmp_path / seoul.logo.name
    seoul = Organisation.objects.get(pk=seoul.pk)
    seoul.logo = ""
    with django_capture_on_commit_callbacks(execute=True):
        seoul.save()
    assert not old.exists()
