"""The outbox's Celery tasks, where Celery's autodiscovery looks for them.

They are defined in ``services`` beside the functions they run (see its
docstring); their names are ``governance.notifications.tasks.<name>``, as
beat's schedule and any task already queued know them.
"""

from .services import dispatch_notification_task, send_deliveries_task, sweep_task

__all__ = ["dispatch_notification_task", "send_deliveries_task", "sweep_task"]
