"""The Celery application of the portal.

Configuration is read from Django settings (the CELERY_* names), so the
embedded default (eager tasks, no broker) and the production stack (Redis)
differ only by environment variables.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wego_portal.settings")

app = Celery("wego_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
