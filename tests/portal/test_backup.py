"""The README's backup and restore, run as written: a populated database
dumped with pg_dump and restored with pg_restore into a new database, the
media folder archived and unpacked; every row and every file comes back."""

import io
import re
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from PIL import Image

from governance.notifications.models import Delivery, Notification

pytestmark = [pytest.mark.django_db(transaction=True)]


def readme_block(name):
    """The shell block fenced as ```sh <name> in the README."""
    text = (Path(settings.BASE_DIR) / "README.md").read_text()
    (block,) = re.findall(rf"```sh {name}\n(.*?)```", text, re.S)
    return block


def url_of(database):
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"


def row_counts(dsn):
    with psycopg2.connect(dsn) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def files_under(root):
    return {str(path.relative_to(root)): path.read_bytes() for path in Path(root).rglob("*") if path.is_file()}


@pytest.fixture
def scratch_database():
    """A database of the test's own, created empty and dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = psycopg2.connect(url_of("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield url_of(name)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def run(block, cwd, **env):
    subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=cwd, env={"PATH": "/usr/bin:/bin", **env}, check=True)


def test_a_backup_restores_every_row_and_every_media_file(
    scratch_database, settings, tmp_path, make_member, make_contact, make_user
):
    settings.MEDIA_ROOT = tmp_path / "media"
    seoul = make_member("Seoul", country="KR")
    make_contact(seoul, email="focal@seoul.example", user=make_user("seoul@example.org"))
    make_member("São Paulo", country="BR")
    seoul.logo.save("seoul.png", ContentFile(_png()), save=True)
    default_storage.save("meetings/2026/agenda.pdf", ContentFile(b"%PDF-1.7\n% agenda\n"))
    notification = Notification.objects.create(kind="announcement", payload={"title": "Ünïcode ✓"})
    Delivery.objects.create(notification=notification, email="focal@seoul.example")

    source = url_of(connection.settings_dict["NAME"])
    before_rows, before_files = row_counts(source), files_under(settings.MEDIA_ROOT)
    assert before_rows["members_organisation"] == 2 and len(before_files) == 2

    backups = tmp_path / "backups"
    backups.mkdir()
    run(readme_block("backup"), backups, DATABASE_URL=source, MEDIA_ROOT=str(settings.MEDIA_ROOT))
    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    run(readme_block("restore"), backups, DATABASE_URL=scratch_database, MEDIA_ROOT=str(restored_media))

    assert row_counts(scratch_database) == before_rows
    assert files_under(restored_media) == before_files
    with psycopg2.connect(scratch_database) as db, db.cursor() as cursor:
        cursor.execute("SELECT name FROM members_organisation ORDER BY name")
        assert [name for (name,) in cursor.fetchall()] == ["Seoul", "São Paulo"]
        cursor.execute("SELECT payload->>'title' FROM notifications_notification")
        assert cursor.fetchone()[0] == "Ünïcode ✓"


def _png():
    """A real PNG: logos are checked on their bytes when stored."""
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "#0055a4").save(image, format="PNG")
    return image.getvalue()
