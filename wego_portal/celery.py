"""The Celery application of the portal.

Configuration is read from Django settings (the CELERY_* names), so the
embedded default (eager tasks, no broker) and the production stack (Redis)
differ only by environment variables.
"""

import logging
import os

from celery import Celery
from celery.signals import task_failure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wego_portal.settings")

app = Celery("wego_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("wego_portal.tasks")


@task_failure.connect
def log_task_failure(sender=None, task_id=None, exception=None, einfo=None, **kwargs):
    """One log line per failed task, with the task's name and id."""
    logger.error(
        "Task %s[%s] failed: %r",
        sender.name if sender else "?",
        task_id,
        exception,
        exc_info=(type(exception), exception, exception.__traceback__) if exception else None,
        extra={"task_name": sender.name if sender else None, "task_id": task_id},
    )
