"""Governance's multi-row actions, one module per subject: ``offices``
(reference data, ending offices and terms), ``meetings`` (convene, change,
cancel, hold, register delegates), ``invitations`` (a member's contact
invited to the portal) and ``voting`` (the roll frozen and changed, proxies,
polls opened and closed, ballots cast, the office an election fills). Each takes ids, runs in one transaction, raises a
domain error with a message for the person who asked, and logs what it
did."""
