"""The secretariat's governance admin, one module per subject: ``offices``
(bodies, posts, terms and offices), ``meetings`` (meetings with their
agenda, documents, invitations, registrations, attendance and resolutions),
``dues`` (fee schedules, invoices, payments) and ``members`` (what
governance adds to the members' admin pages: standing, suspension)."""

from . import dues, meetings, members, offices  # noqa: F401  (registers the pages)
