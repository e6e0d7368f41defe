"""Russian: a comma between the date and the time ("3 марта 2026 г., 14:30",
CLDR's medium form), where Django's runs them together; and the day and month
in the genitive ("1 сентября", Django's "j F" gave "1 Сентябрь")."""

DATETIME_FORMAT = "j E Y г., G:i"
MONTH_DAY_FORMAT = "j E"
