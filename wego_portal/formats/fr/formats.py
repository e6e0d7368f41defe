"""French: a comma between the date and the time ("3 mars 2026, 14:30", CLDR's
medium form), where Django's runs them together ("3 mars 2026 14:30"); it
reads best in a meeting's span ("3 mars 2026, 14:30 – 17:00")."""

DATETIME_FORMAT = "j F Y, H:i"
