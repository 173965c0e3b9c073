"""The dates an article or a pledge may carry: from 1990 to a year after today.

Aid to Ukraine is news of this century, and nobody announces a pledge years ahead: a date
outside the window is a typing slip (0202 for 2022, 9999 for "some day"). One such date made
every chart of the site as wide as the centuries between it and the rest, so the window is held
where dates come in (forms, the admin, imports, fixtures) and in the database, and the filters
name a date outside it as a value they cannot use.

The database's check constraints hold a fixed window, ``EARLIEST`` to ``STORED_BEFORE``: a
constraint must give the same answer on every day (PostgreSQL refuses ``CURRENT_DATE`` in a
CHECK, and a row valid when written must not turn invalid later), so it cannot know "a year
after today". The validators hold the narrower window, which moves with the calendar.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(1990, 1, 1)
#: The first day the database refuses, whatever the day: far enough ahead never to refuse a
#: date that was a year after some day the site ran.
STORED_BEFORE = datetime.date(2100, 1, 1)


def latest_date(today: datetime.date | None = None) -> datetime.date:
    """The last date accepted: the same day a year after ``today`` (28 February for 29)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def date_in_window(value: datetime.date | None) -> bool:
    return value is None or EARLIEST <= value <= latest_date()


def validate_date_in_window(value: datetime.date | None) -> None:
    """Refuse a date before 1990 or more than a year after today, with a message saying so."""
    if value is None or date_in_window(value):
        return
    raise ValidationError(
        _("%(value)s is outside the accepted dates, %(earliest)s to %(latest)s."),
        code="date_outside_window",
        params={
            "value": value.isoformat(),
            "earliest": EARLIEST.isoformat(),
            "latest": latest_date().isoformat(),
        },
    )


def stored_in_window(field_name: str) -> Q:
    """The condition of a database check constraint on the date column ``field_name``."""
    return Q(**{f"{field_name}__isnull": True}) | Q(
        **{f"{field_name}__gte": EARLIEST, f"{field_name}__lt": STORED_BEFORE}
    )
