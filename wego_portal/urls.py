"""Top-level URLs. Public URLs carry no language prefix: they are stable
addresses that bookmarks and other tools depend on; the language comes from
the visitor's choice (cookie) or browser."""
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

# Staff sign in through allauth's protected, rate-limited login, never through
# a second, unthrottled form.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "WeGO Portal — Secretariat"
admin.site.site_title = "WeGO Portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("members/", include("members.urls")),
    path("governance/", include("governance.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
