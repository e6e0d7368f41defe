"""The production settings, plus a trivial view for bench/load.py to measure
every page against (its URLs: bench/urls.py). Never used by the site."""

from wego_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
