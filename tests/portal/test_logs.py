"""Logs: one JSON object per line on stdout, for a log collector."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from celery import shared_task
from django.conf import settings
from django.test import Client, override_settings

from wego_portal.logs import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """What the portal's JSON handler writes, line by line, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@override_settings(ROOT_URLCONF="tests.portal.error_urls")
def test_a_request_error_is_one_json_line_with_its_path_and_status(log_lines):
    Client(raise_request_exception=False).get("/crash/?x=1")
    (line,) = [entry for entry in log_lines() if entry["logger"] == "django.request"]
    assert line["level"] == "ERROR"
    assert line["status_code"] == 500
    assert line["method"] == "GET" and line["path"] == "/crash/"
    assert "RuntimeError: a bug" in line["exception"]
    assert line["time"].endswith("+00:00")


def test_a_404_is_logged_as_a_warning_line(client, log_lines):
    client.get("/no-such-page/")
    (line,) = [entry for entry in log_lines() if entry["logger"] == "django.request"]
    assert line["level"] == "WARNING" and line["status_code"] == 404 and line["path"] == "/no-such-page/"


def test_a_multi_line_message_stays_on_one_line(log_lines):
    logging.getLogger("wego_portal.test").warning("first\nsecond — déjà vu 서울", extra={"delivery": 7})
    (line,) = log_lines()
    assert line["message"] == "first\nsecond — déjà vu 서울" and line["delivery"] == 7


@shared_task(name="tests.portal.failing_task")
def failing_task(value):
    raise ValueError(f"bad value {value}")


def test_a_failed_celery_task_is_logged_with_its_name_and_id(log_lines, eager):
    from wego_portal.celery import app

    app.conf.task_eager_propagates = False
    result = failing_task.apply_async(args=[3], task_id="task-id-42")
    assert result.failed()
    (line,) = [entry for entry in log_lines() if entry["logger"] == "wego_portal.tasks"]
    assert line["level"] == "ERROR"
    assert line["task_name"] == "tests.portal.failing_task" and line["task_id"] == "task-id-42"
    assert "ValueError: bad value 3" in line["exception"]


def test_the_settings_send_json_lines_to_stdout():
    """The real LOGGING configuration, in a process of its own."""
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').error('Internal Server Error: /x/', extra={'status_code': 500})"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wego_portal.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(text) for text in result.stdout.splitlines()]
    assert line["logger"] == "django.request" and line["status_code"] == 500 and line["level"] == "ERROR"
