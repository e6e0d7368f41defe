"""Top-level URLs. Public URLs carry no language prefix: they are stable
addresses that bookmarks and other tools depend on; the language comes from
the visitor's choice (cookie) or browser."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from governance.views import meetings as meeting_views

from . import operations, views
from .admin_csp import with_admin_policy

# Staff sign in through allauth's protected, rate-limited login, never through
# a second, unthrottled form.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("WeGO Portal — Secretariat")
admin.site.site_title = _("WeGO Portal")
# The admin's pages carry the hashes of third-party inline attributes.
admin.site.admin_view = with_admin_policy(admin.site.admin_view)

urlpatterns = [
    path("", views.home, name="home"),
    # Before the members' URLs, which take any members/<slug>/.
    path("members/apply/", include("governance.urls.applications")),
    path("members/", include("members.urls")),
    path("governance/", include("governance.urls.offices")),
    path("meetings/", include("governance.urls.meetings")),
    path("meetings/", include("governance.urls.voting")),
    path("my/", include("governance.urls.member_home")),
    path("my/invoices/", include("governance.urls.dues")),
    # A private feed: the secret in the address is the only key.
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$", meeting_views.calendar_feed, name="calendar_feed"),
    path("accounts/", include("allauth.urls")),
    # Choosing a language only sets the language cookie; without a CSRF token
    # in it, an anonymous page holds nothing of one visitor and can be cached
    # for all (members/caching.py).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own URLs, whose last pattern catches everything.
    path("admin/dashboard/", include("governance.urls.dashboard")),
    path("admin/", admin.site.urls),
    path("health/", operations.health, name="health"),
    path("favicon.ico", operations.favicon, name="favicon"),
]

handler400 = operations.bad_request
handler403 = operations.permission_denied
handler404 = operations.page_not_found
handler500 = operations.server_error
