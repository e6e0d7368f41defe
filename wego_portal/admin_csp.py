"""The admin's Content-Security-Policy: the site's own (settings.py), plus
the hashes of the few inline attributes that third-party admin templates
carry, so that they work and log no violation without 'unsafe-inline'
anywhere. Each entry names the template it comes from: a package upgrade
that changes one shows up as a violation in tests/portal/test_admin_csp.py.

Hashes of attributes need 'unsafe-hashes' (CSP level 3); they are allowed in
the ``*-attr`` directives only, so no inline <script> or <style> element is
let in, and only on the admin's pages.
"""

import base64
import functools
import hashlib

from csp.constants import UNSAFE_HASHES
from csp.decorators import csp_update

INLINE_STYLE_ATTRIBUTES = [
    "padding: 0;",  # django-import-export, admin/import_export/export.html
    "font-weight: bold;",  # the same page's "Select all" label
    "border-top: 0",  # django-simple-history, simple_history/object_history_list.html
    # django-import-export's import preview marks each value added or
    # removed with diff-match-patch's diff_prettyHtml():
    "background:#e6ffe6;",
    "background:#ffe6e6;",
]
INLINE_EVENT_HANDLERS = [
    "onSelectToggleChange(event)",  # django-import-export's "Select all" checkbox
]


def csp_hash(text):
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


ADMIN_POLICY_UPDATE = {
    "style-src-attr": [UNSAFE_HASHES, *map(csp_hash, INLINE_STYLE_ATTRIBUTES)],
    "script-src-attr": [UNSAFE_HASHES, *map(csp_hash, INLINE_EVENT_HANDLERS)],
}


def with_admin_policy(admin_view):
    """Wrap AdminSite.admin_view, which every admin page (the import,
    export and history pages included) goes through."""

    @functools.wraps(admin_view)
    def wrapper(view, cacheable=False):
        return csp_update(ADMIN_POLICY_UPDATE)(admin_view(view, cacheable))

    return wrapper
