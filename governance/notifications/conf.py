"""Tunables of the outbox, read from Django settings with safe defaults.

Read at call time (not import time) so tests and the worker started by the
tests can use shorter delays.
"""

from django.conf import settings

DEFAULTS = {
    # Deliveries per send task; each task sends them over one SMTP connection.
    "NOTIFICATIONS_BATCH_SIZE": 100,
    # The "sent" marks of a batch are written together, every this many
    # messages (and when the batch ends): a worker process killed outright
    # sends at most this many messages a second time (sending.py).
    "NOTIFICATIONS_MARK_EVERY": 10,
    # Temporary failures (4xx, connection refused) are retried this many
    # times in all before the delivery is marked failed.
    "NOTIFICATIONS_MAX_ATTEMPTS": 8,
    # First retry after this many seconds, doubled on each attempt ...
    "NOTIFICATIONS_RETRY_BACKOFF": 60,
    # ... up to this (and never near Redis's visibility timeout, see below).
    "NOTIFICATIONS_RETRY_BACKOFF_MAX": 15 * 60,
    # The sweep re-dispatches a queued delivery this long after it was last
    # handed to the broker (or created, if it never was).
    "NOTIFICATIONS_REDISPATCH_AFTER": 2 * 60,
    # A delivery claimed this long ago and still "sending" belongs to a worker
    # that died: the sweep queues it again. Far above EMAIL_TIMEOUT so that a
    # live worker's send is never taken from it.
    "NOTIFICATIONS_CLAIM_TIMEOUT": 15 * 60,
}


def get(name):
    return getattr(settings, name, DEFAULTS[name])


def retry_countdown(attempts):
    """Seconds to wait before attempt ``attempts + 1``: doubling, capped.

    The cap also stays under half of Redis's visibility timeout: a task with
    an ETA beyond it would be handed to a second worker while the first still
    holds it.
    """
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    cap = min(get("NOTIFICATIONS_RETRY_BACKOFF_MAX"), visibility / 2)
    return min(get("NOTIFICATIONS_RETRY_BACKOFF") * 2 ** max(attempts - 1, 0), cap)
