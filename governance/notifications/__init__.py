"""Notices to member organisations' contacts, sent by e-mail through Celery.

An outbox: the change that causes a notice records a ``Notification`` and one
``Delivery`` per recipient in its own transaction; tasks are dispatched after
commit; a worker claims each delivery with a conditional UPDATE, sends it and
marks it sent, so a task run twice sends nothing twice. A periodic sweep
re-dispatches what was left queued (Redis down, worker killed).

Nested under ``governance`` with its own app label so that its migrations
never collide with the governance app's.
"""
