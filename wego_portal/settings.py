"""Settings of WeGO Portal, read from the environment (12-factor).

With no environment variable set the portal runs on an embedded default for
development: SQLite under ``var/``, Celery tasks run eagerly, e-mail is
written to files under ``var/mail/`` and DEBUG is on.

With ``SECRET_KEY`` set DEBUG defaults to off and the production stack is
expected: ``DATABASE_URL`` (PostgreSQL), ``CELERY_BROKER_URL`` (Redis),
``EMAIL_URL`` (smtp://host:port), ``ALLOWED_HOSTS``. Bad values fail loudly at
start-up rather than half-working.
"""

import importlib.util
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def required_in_production(name):
    """A variable the embedded default may do without but production may not.

    With DEBUG off a forgotten variable stops the start-up rather than
    falling back to a development stand-in (SQLite, tasks run in the web
    process, e-mail written to files and marked sent) that nobody notices.
    """
    value = os.environ.get(name, "")
    if not value and not DEBUG:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off.")
    return value


def envlist(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("VAR_DIR") or BASE_DIR / "var")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = envbool("DEBUG", default=not SECRET_KEY)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# The address the portal is reached at, used in links that leave a request
# behind them (e-mails, exports made by tasks), and its name. Both are copied
# into the sites framework's Site(SITE_ID) at every migrate
# (wego_portal/apps.py): allauth's e-mails and the admin's "View on site"
# links read them there.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlparse(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.hostname or _site.path:
    raise ImproperlyConfigured(f"SITE_URL must look like https://host[:port], got {SITE_URL!r}")
SITE_NAME = os.environ.get("SITE_NAME") or "WeGO Portal"

INSTALLED_APPS = [
    # Before the admin, whose forms it extends with a field per language.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_countries",
    "import_export",
    "simple_history",
    "members",
    "governance",
    "governance.notifications",
    "wego_portal.apps.PortalConfig",
]

MIDDLEWARE = [
    # Outermost, so that static files and redirects carry the header too.
    "wego_portal.middleware.CrossOriginResourcePolicyMiddleware",
    "wego_portal.operations.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wego_portal.mfa.StaffMFAMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "wego_portal.urls"
WSGI_APPLICATION = "wego_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # |bdi isolates names and numbers set into translated sentences
            # (wego_portal/templatetags/bidi.py): needed wherever one is.
            "builtins": ["wego_portal.templatetags.bidi"],
        },
    },
]

# --- Database --------------------------------------------------------------
if not required_in_production("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded SQLite lives there
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'wego.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth's rate limits count here: Redis in production) ---------
CACHE_URL = required_in_production("CACHE_URL")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured("CACHE_URL must be a redis:// URL.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    # Only with DEBUG on: login rate limits counted in each process's memory
    # would let an attacker multiply the allowance by the number of workers.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Users and allauth ------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "member_home:index"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[WeGO] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's rate limits are on (its defaults for the rest), counted in the
# cache above: Redis in production, so every gunicorn worker counts the same
# attempts. Failed logins: 10 a minute from one address, 5 in 5 minutes for
# one e-mail address.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Two-factor authentication: TOTP with recovery codes, open to every user and
# required for staff before they reach the admin (wego_portal/mfa.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "WeGO Portal"

# --- Internationalisation --------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ko", _("Korean")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Names and public descriptions kept as data (membership categories, bodies,
# posts) have a column per language (django-modeltranslation, registered in
# each app's translation.py). A reader sees their own language, or English
# where the secretariat has not written one.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = LANGUAGE_CODE  # slugs come from the English name
# Dates, times and numbers as each language writes them: Django's locale
# formats, with the portal's own where those read poorly (wego_portal/formats/).
# Numbers are not grouped by default (USE_THOUSAND_SEPARATOR stays off), so
# ids, years, coordinates and other machine-read values in pages stay plain;
# money and counts ask for grouping where they are shown (governance.formats,
# humanize's intcomma).
FORMAT_MODULE_PATH = ["wego_portal.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Leaflet comes from the django-leaflet package (pinned in requirements.txt).
# Only its static files are used: its Django app would pull in GeoDjango.
_LEAFLET_STATIC = Path(importlib.util.find_spec("leaflet").submodule_search_locations[0]) / "static" / "leaflet"
STATICFILES_DIRS = [BASE_DIR / "static", ("leaflet", _LEAFLET_STATIC)]
# Uploads are never served from a public URL: files are streamed by views that
# check access first, so there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or envbool("PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LOGO_MAX_BYTES = 1024 * 1024
MEETING_DOCUMENT_MAX_BYTES = envint("MEETING_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
APPLICATION_LETTER_MAX_BYTES = envint("APPLICATION_LETTER_MAX_BYTES", 10 * 1024 * 1024)
# The public membership application form: at most so many posts of it per
# client address, and applications per staff liaison's e-mail address
# (allauth's rate-limit syntax, counted in the cache like the login limits).
APPLICATION_RATE_LIMIT_PER_IP = os.environ.get("APPLICATION_RATE_LIMIT_PER_IP", "10/h/ip")
APPLICATION_RATE_LIMIT_PER_EMAIL = os.environ.get("APPLICATION_RATE_LIMIT_PER_EMAIL", "3/d/key")

# --- E-mail ----------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "WeGO Secretariat <secretariat@we-gov.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = required_in_production("EMAIL_URL")
if EMAIL_URL:
    _email = urlparse(EMAIL_URL)
    if _email.scheme not in ("smtp", "smtps", "submission") or not _email.hostname:
        raise ImproperlyConfigured("EMAIL_URL must look like smtp://[user:password@]host:port")
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname
    EMAIL_PORT = _email.port or {"smtp": 25, "smtps": 465, "submission": 587}[_email.scheme]
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = _email.scheme == "submission" or "tls" in parse_qs(_email.query)
    EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Celery ----------------------------------------------------------------
CELERY_BROKER_URL = required_in_production("CELERY_BROKER_URL")
if CELERY_BROKER_URL:
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # The embedded default: the same task code runs in-process.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600)}
# Run by `celery -A wego_portal beat`. The sweep re-dispatches notices left
# queued (broker down after commit, worker lost); reminders are sent on each
# body's schedule and catch up on a run missed while beat was down.
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {"task": "governance.notifications.tasks.sweep", "schedule": 60.0},
    "notifications-reminders": {"task": "governance.tasks.send_due_reminders", "schedule": 300.0},
    # Dues (governance/services/dues.py, governance/dues_notices.py): both
    # are safe to run as often as beat likes; each invoice and each reminder
    # is made once, and a run missed while beat was down is made up.
    "dues-renewals": {"task": "governance.tasks.issue_renewal_invoices", "schedule": 3600.0},
    "dues-reminders": {"task": "governance.tasks.send_dues_reminders", "schedule": 3600.0},
    "voting-close-due-polls": {"task": "governance.tasks.close_due_polls", "schedule": 60.0},
}
# How many days before a membership year begins its invoices are issued.
DUES_RENEWAL_DAYS_AHEAD = envint("DUES_RENEWAL_DAYS_AHEAD", 45)
# Printed on the invoices (governance/invoice_pdf.py).
DUES_ISSUER = os.environ.get("DUES_ISSUER", "World Smart Sustainable Cities Organization (WeGO)")
DUES_PAYMENT_DETAILS = os.environ.get(
    "DUES_PAYMENT_DETAILS", "The Secretariat sends the bank account details on request: secretariat@we-gov.org."
)

# --- Security --------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Cross-Origin-Resource-Policy (wego_portal/middleware.py): same-origin on
# every response but these views, open data meant to be fetched from anywhere.
CROSS_ORIGIN_VIEWS = {"members:export_csv", "members:export_json", "governance:export_json"}
# The language cookie is read by the server only.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# In production gunicorn sits behind a TLS-terminating proxy (BEHIND_TLS_PROXY)
# that appends the client's address to X-Forwarded-For. allauth counts login
# failures per client address: it must take the address that many hops from
# the right (what our proxies wrote), never the left-most entry a client can
# forge, nor the proxy's own address, which every visitor would share.
BEHIND_TLS_PROXY = envbool("BEHIND_TLS_PROXY", True) and not DEBUG
TRUSTED_PROXY_HOPS = envint("TRUSTED_PROXY_HOPS", 1 if BEHIND_TLS_PROXY else 0)
if TRUSTED_PROXY_HOPS < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_HOPS must be 0 or more, got {TRUSTED_PROXY_HOPS}")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_HOPS
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Leaflet's tiles are the only third-party resource a page loads.
TILE_URL = os.environ.get("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
_tile_origin = "{0.scheme}://{0.netloc}".format(urlparse(TILE_URL))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", _tile_origin],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# One JSON object per line on stdout (wego_portal/logs.py), web and Celery
# alike, for the log collector: request errors (django.request), failed
# deliveries (the outbox), failed tasks (wego_portal/celery.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "wego_portal.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Country names as people write them, not ISO 3166's sorting forms.
COUNTRIES_OVERRIDE = {
    "BS": _("Bahamas"),
    "NR": _("Nauru"),
    "FK": _("Falkland Islands"),
    "VG": _("British Virgin Islands"),
    "VI": _("U.S. Virgin Islands"),
    "MF": _("Saint Martin"),
    "SX": _("Sint Maarten"),
}

# --- Import and export (the secretariat's CSV) ------------------------------
from import_export.formats.base_formats import CSV, JSON  # noqa: E402

IMPORT_FORMATS = [CSV]
EXPORT_FORMATS = [CSV, JSON]
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_CONFIRM = False

# --- Operations (wego_portal/operations.py) -----------------------------------
# /health/ shows its details to staff and to whoever sends this token
# (Authorization: Bearer …, or ?token=); unset, to staff only.
HEALTH_TOKEN = os.environ.get("HEALTH_TOKEN", "")
CSRF_FAILURE_VIEW = "wego_portal.operations.csrf_failure"
# Celery's workers log through LOGGING above (JSON) rather than their own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Public pages at scale (members/caching.py) ----------------------------
# The map's marker clustering, from npm (package.json), served as static files
# under /static/markercluster/: never from a CDN.
STATICFILES_DIRS += [("markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist")]
# The staff dashboard's charts (Chart.js from npm), under /static/chartjs/.
STATICFILES_DIRS += [("chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist")]
