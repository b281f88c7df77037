"""The one clock of ecotrends: every "now" and "today" comes from here, in UTC.

Collectors, the store, the HTTP client and the app read the time only through these functions, so that a
test (or a replay of recorded answers) moves one clock for the whole code base.
"""

from __future__ import annotations

import calendar
import time
from datetime import UTC, date, datetime


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def utc_now() -> datetime:
    """Naive UTC timestamp: every timestamp in the database is UTC."""
    return now().replace(tzinfo=None)


def today() -> date:
    """Today's date in UTC: collectors date their snapshots by it."""
    return now().date()


def epoch() -> float:
    """Unix seconds, for comparing with the reset times that APIs send."""
    return time.time()


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (or before) `month`'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    """The last day of `month`'s month: monthly counts are dated by it."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months_between(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s to `last`'s, both included."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def last_complete_month() -> date:
    """The first day of the month before today's: the newest month whose count is final."""
    return add_months(today().replace(day=1), -1)
