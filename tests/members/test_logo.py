import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from members.models import Standing
from members.validators import validate_logo

pytestmark = pytest.mark.django_db


def image_bytes(image_format="PNG", size=(64, 32)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 79, 138)).save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_png_jpeg_and_webp_logos_are_accepted(image_format):
    validate_logo(SimpleUploadedFile("logo", image_bytes(image_format)))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "PNG, JPEG or WebP"),
        ("logo.png", b"%PDF-1.4 not an image", "PNG, JPEG or WebP"),
        ("logo.gif", None, "PNG, JPEG or WebP"),
    ],
)
def test_other_files_are_refused_whatever_their_name(name, content, message):
    if content is None:
        content = image_bytes("GIF")
    with pytest.raises(ValidationError, match=message):
        validate_logo(SimpleUploadedFile(name, content))


def test_a_logo_over_the_size_limit_is_refused(settings):
    settings.LOGO_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="the limit is"):
        validate_logo(SimpleUploadedFile("logo.png", image_bytes(size=(400, 400)) + b"\0" * 2000))


def test_the_logo_is_served_by_the_portal_for_a_listed_member(client, make_member):
    organisation = make_member("Seoul", country="KR")
    organisation.logo.save("seoul.png", SimpleUploadedFile("seoul.png", image_bytes()))
    response = client.get(f"/members/{organisation.slug}/logo")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert f"/members/{organisation.slug}/logo" in client.get(organisation.get_absolute_url()).content.decode()


def test_no_logo_or_a_withdrawn_member_gives_a_404(client, make_member):
    plain = make_member("Paris")
    assert client.get(f"/members/{plain.slug}/logo").status_code == 404
    gone = make_member("Gone", standing=Standing.WITHDRAWN)
    gone.logo.save("gone.png", SimpleUploadedFile("gone.png", image_bytes()))
    assert client.get(f"/members/{gone.slug}/logo").status_code == 404
