"""Settings of the Celery worker and beat that the notification tests start.

The portal's settings (database, broker and SMTP server from the environment
the tests pass), with the outbox's delays shortened from minutes to seconds
so that retries, the sweep and lost workers can be watched in a test.
"""

from wego_portal.settings import *  # noqa: F401,F403

NOTIFICATIONS_BATCH_SIZE = 10
NOTIFICATIONS_MARK_EVERY = 3
NOTIFICATIONS_RETRY_BACKOFF = 1
NOTIFICATIONS_RETRY_BACKOFF_MAX = 2
NOTIFICATIONS_REDISPATCH_AFTER = 2
NOTIFICATIONS_CLAIM_TIMEOUT = 3
EMAIL_TIMEOUT = 10
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {"task": "governance.notifications.tasks.sweep", "schedule": 1.0},
    "notifications-reminders": {"task": "governance.tasks.send_due_reminders", "schedule": 2.0},
    "dues-reminders": {"task": "governance.tasks.send_dues_reminders", "schedule": 2.0},
}
