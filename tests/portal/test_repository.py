"""The repository stays as committed when it is run, and stands on its own."""

import re
import subprocess
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def tracked(pattern):
    listing = subprocess.run(["git", "ls-files", pattern], cwd=BASE_DIR, capture_output=True, text=True, check=True)
    return [BASE_DIR / name for name in listing.stdout.split()]


def test_compiling_the_translations_leaves_the_committed_mo_files_unchanged(tmp_path):
    """`make run` and `make test` run compilemessages: it must not rewrite a
    committed .mo file (a stale one would also serve old translations)."""
    catalogues = tracked("*.po")
    assert len(catalogues) >= 6
    for po in catalogues:
        compiled = tmp_path / "django.mo"
        # What Django's compilemessages runs for each catalogue.
        subprocess.run(["msgfmt", "--check-format", "-o", compiled, po], check=True)
        committed = po.with_suffix(".mo")
        assert committed in tracked(str(committed.relative_to(BASE_DIR))), f"{committed} is not committed"
        assert compiled.read_bytes() == committed.read_bytes(), (
            f"{committed.relative_to(BASE_DIR)} differs from its .po: run compilemessages and commit both"
        )


def test_the_readme_points_only_at_files_inside_the_repository():
    readme = (BASE_DIR / "README.md").read_text()
    assert "../" not in readme
    for path in re.findall(r"`((?:members|governance|wego_portal|tests|templates|static)/[\w./-]+)`", readme):
        assert (BASE_DIR / path).exists(), f"README.md names {path}, which does not exist"
