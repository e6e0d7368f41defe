"""The secretariat's governance admin, one module per subject: ``offices``
(bodies, posts, terms and offices), ``meetings`` (meetings with their
agenda, documents, invitations, registrations, attendance and resolutions),
``applications`` (the queue of membership applications and their moves)
and ``members`` (what governance adds to the members' admin pages)."""

from . import applications, meetings, members, offices  # noqa: F401  (registers the pages)
