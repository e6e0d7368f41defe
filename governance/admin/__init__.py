"""The secretariat's governance admin, one module per subject: ``offices``
(bodies, posts, terms and offices), ``meetings`` (meetings with their
agenda, documents, invitations, registrations, attendance and resolutions),
``applications`` (the queue of membership applications and their moves),
``dues`` (fee schedules, invoices, payments), ``members`` (what governance
adds to the members' admin pages: offices, standing, suspension) and
``voting`` (polls, and the record of rolls and proxies)."""

from . import applications, dues, meetings, members, offices, voting  # noqa: F401  (registers the pages)
