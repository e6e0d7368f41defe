"""The settings read from the environment: the embedded default, the
production stack, and loud failures on bad values."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(60),
    "DEBUG": "0",
    "ALLOWED_HOSTS": "portal.we-gov.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_URL": "smtp://mail.example.org:587",
}
CONFIG_VARIABLES = {
    *PRODUCTION,
    "CSRF_TRUSTED_ORIGINS",
    "VAR_DIR",
    "MEDIA_ROOT",
    "PLAIN_STATIC",
    "SITE_URL",
    "SITE_NAME",
    "BEHIND_TLS_PROXY",
    "TRUSTED_PROXY_HOPS",
}


def run(code_or_args, env, tmp_path, timeout=60):
    base = {
        key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base.update(env, VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="wego_portal.settings")
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=timeout)


SHOW = (
    "from django.conf import settings as s;"
    "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND,"
    " s.CACHES['default']['BACKEND'])"
)


def test_with_no_environment_the_portal_runs_on_the_embedded_default(tmp_path):
    result = run(SHOW, {}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.cache.backends.locmem.LocMemCache",
    ]
    assert (tmp_path / "var").is_dir()


def test_with_the_production_variables_it_runs_the_real_stack(tmp_path):
    result = run(SHOW + ";print(s.EMAIL_HOST, s.EMAIL_PORT, s.SECURE_SSL_REDIRECT)", PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "django.db.backends.postgresql",
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
        "django.core.cache.backends.redis.RedisCache",
        "mail.example.org",
        "587",
        "True",
    ]


def test_production_settings_pass_the_deployment_checks_with_nothing_silenced(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
        ({"SITE_URL": "portal.we-gov.org"}, "SITE_URL must look like https://host"),
        ({"SITE_URL": "https://we-gov.org/portal"}, "SITE_URL must look like https://host"),
        ({"TRUSTED_PROXY_HOPS": "-1"}, "TRUSTED_PROXY_HOPS must be 0 or more"),
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
        ({"CONN_MAX_AGE": "forever"}, "CONN_MAX_AGE must be an integer"),
        ({"EMAIL_URL": "carrier-pigeon://coop"}, "EMAIL_URL must look like"),
        ({"CACHE_URL": "memcached://127.0.0.1"}, "CACHE_URL must be a redis:// URL"),
    ],
)
def test_a_bad_setting_fails_loudly_at_start_up(tmp_path, env, message):
    result = run(SHOW, env, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize("variable", ["DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "CACHE_URL"])
def test_with_debug_off_a_forgotten_service_stops_the_start_up(tmp_path, variable):
    # Without it production would fall back to a development stand-in that
    # half-works: SQLite, tasks in the web process, notices written to files
    # under var/ and marked sent, rate limits counted per process.
    result = run(SHOW, {**PRODUCTION, variable: ""}, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{variable} must be set when DEBUG is off." in result.stderr
    assert not (tmp_path / "var" / "mail").exists()


def test_behind_the_tls_proxy_the_client_address_is_taken_one_hop_from_the_right(tmp_path):
    show = "from django.conf import settings as s;print(s.TRUSTED_PROXY_HOPS, s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    assert run(show, PRODUCTION, tmp_path).stdout.split() == ["1", "1"]
    assert run(show, {**PRODUCTION, "TRUSTED_PROXY_HOPS": "2"}, tmp_path).stdout.split() == ["2", "2"]
    assert run(show, {**PRODUCTION, "BEHIND_TLS_PROXY": "0"}, tmp_path).stdout.split() == ["0", "0"]
    # runserver has no proxy in front: a client's own header is not believed.
    assert run(show, {}, tmp_path).stdout.split() == ["0", "0"]


def test_the_language_cookie_is_secure_in_production(tmp_path):
    show = (
        "from django.conf import settings as s;"
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SAMESITE)"
    )
    assert run(show, PRODUCTION, tmp_path).stdout.split() == ["True", "True", "Lax"]


@pytest.mark.parametrize(
    ("env", "site_url"),
    [
        ({"PORT": "8080"}, "http://127.0.0.1:8080"),
        ({"SITE_URL": "https://portal.we-gov.org"}, "https://portal.we-gov.org"),
    ],
)
def test_make_run_gives_the_port_served_on_as_site_url_unless_told_otherwise(env, site_url):
    # Every command of the run target, with the Python replaced by an echo of
    # the SITE_URL it is given; -o: take the install as done.
    # Nothing from an outer make (make test) either: its MAKEFLAGS carry its command-line variables.
    outer = {"SITE_URL", "PORT", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    base = {key: value for key, value in os.environ.items() if key not in outer}
    result = subprocess.run(
        ["make", "-s", "-o", "install", "-o", "messages", "run", "PY=sh -c 'echo $$SITE_URL' --"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {site_url}


def test_make_runs_set_up_works_on_the_embedded_default(tmp_path):
    """What `make run` does before it serves, on the embedded SQLite with eager
    Celery and file e-mail: migrate, load the reference data, seed the demo
    (every part of it: meetings, applications, dues, votes), twice."""
    for args in (
        ["manage.py", "migrate", "--noinput", "-v", "0"],
        ["manage.py", "load_wego_data"],
        ["manage.py", "seed_demo"],
        ["manage.py", "seed_demo"],
    ):
        result = run(args, {"DEMO_PASSWORD": ""}, tmp_path, timeout=300)
        assert result.returncode == 0, f"{' '.join(args)}:\n{result.stderr[-3000:]}"
    assert "Demo data ready" in result.stdout
    assert any((tmp_path / "var" / "mail").iterdir())  # the seeded notices went to files
