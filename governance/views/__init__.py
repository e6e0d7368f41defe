"""Governance's pages, one module per subject: ``offices`` (how WeGO is
governed, its officers, the Popolo export), ``meetings`` (the public
calendar, a meeting's page, documents, .ics, delegate registration, private
feeds), ``member_home`` (a member representative's own page, /my/),
``dues`` (an invoice's PDF) and ``dashboard`` (the secretariat's figures).
Who may see what is asked of ``governance.access``."""
