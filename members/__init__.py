"""Member organisations, their membership (status derived from dates and
overrides, history kept), contacts and logins, categories, the public
directory with its map and open-data exports, CSV import for the
secretariat, and the reference members.

``members`` imports nothing from ``governance``: what governance adds to the
directory and the profiles comes in through ``extensions.py``, and to the
admin through ``governance/admin/members.py``.
"""
