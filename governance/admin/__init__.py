"""The secretariat's governance admin, one module per subject: ``offices``
(bodies, posts, terms and offices), ``meetings`` (meetings with their
agenda, documents, invitations, registrations, attendance and resolutions),
``applications`` (the queue of membership applications and their moves),
``dues`` (fee schedules, invoices, payments) and ``members`` (what
governance adds to the members' admin pages: offices, standing, suspension)."""

from . import applications, dues, meetings, members, offices  # noqa: F401  (registers the pages)
