"""How WeGO is governed, and its meetings.

- ``models/``: ``offices`` (bodies, terms, posts, offices, with the statutes'
  rules in the model and in PostgreSQL triggers), ``meetings`` (meetings,
  agendas, documents, invitations, registrations, attendance, resolutions,
  calendar feeds; who sits in a meeting and who votes in it), ``standing``
  (good standing: who carries a vote) and ``voting`` (voting rolls,
  proxies, polls, ballots and their count).
- ``access.py``: who may see which meeting and document; nothing else decides it.
- ``services/``: multi-row actions (``offices``, ``meetings``, ``invitations``,
  ``voting``).
- ``notices.py``: the meeting notices (what, to whom, the e-mails, reminders),
  registered with the outbox, as are ``registration_notices.py`` and
  ``voting_notices.py`` (a poll's results); ``tasks.py``: the beat tasks
  (reminders, remote polls closed when their window passes).
- ``views/``, ``urls/``, ``admin/``, ``forms.py``: the pages, by subject;
  ``members.py`` and ``admin/members.py``: what governance adds to the
  members' pages.
- ``notifications/``: the generic outbox (its own app, label ``notifications``).

Imports point one way: ``wego_portal`` → ``governance`` → ``members``; inside,
pages over services over notices over access over models over the outbox
(pyproject.toml's import-linter contracts).
"""
