"""Notices to member organisations' contacts, sent by e-mail through Celery.

An outbox: the change that causes a notice records a ``Notification`` and one
``Delivery`` per recipient in its own transaction; tasks are dispatched after
commit; a worker claims each delivery with a conditional UPDATE, sends it and
marks it sent, so a task run twice sends nothing twice. A periodic sweep
re-dispatches what was left queued (Redis down, worker killed).

Generic: it knows no meeting. The kinds of notice register themselves
(``kinds.register``) with the function that renders their e-mail; what a
notice says and to whom belongs to whoever records it (the meeting notices
in ``governance/notices.py``, the portal invitation in
``governance/services/invitations.py``). Inside: ``models`` (notification,
delivery and their moves), ``sending`` (one batch over SMTP), ``services``
(record, dispatch, sweep, retry, and the Celery tasks that run them),
``emails`` (what every e-mail shares), ``admin`` (what was sent, what
failed). It imports nothing else of governance.

Nested under ``governance`` with its own app label so that its migrations
never collide with the governance app's.
"""
