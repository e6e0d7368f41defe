"""Governance's pages, one module per subject: ``offices`` (how WeGO is
governed, its officers, the Popolo export), ``meetings`` (the public
calendar, a meeting's page, documents, .ics, delegate registration, private
feeds), ``member_home`` (a member representative's own page, /my/),
``dues`` (an invoice's PDF), ``dashboard`` (the secretariat's figures) and
``voting`` (a meeting's polls, ballots and proxies, the secretariat's live
view, the results' exports).
Who may see what is asked of ``governance.access``."""
