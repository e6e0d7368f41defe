"""The secretariat's governance admin, one module per subject: ``offices``
(bodies, posts, terms and offices), ``meetings`` (meetings with their
agenda, documents, invitations, registrations, attendance and resolutions)
``members`` (what governance adds to the members' admin pages) and
``voting`` (polls, and the record of rolls and proxies)."""

from . import meetings, members, offices, voting  # noqa: F401  (registers the pages)
