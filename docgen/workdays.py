"""Working days in England: weekdays that are not England and Wales bank holidays.

Bank holidays come from the ``holidays`` package, which computes them offline,
substitute days and one-off days (such as 8 May 2023) included.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: dt.date) -> bool:
    """Return whether ``day`` is a bank holiday in England."""
    return day in _bank_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    """Return whether ``day`` is a weekday and not a bank holiday in England."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def working_days_after(start: dt.date, days: int) -> dt.date:
    """Return the date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Count working days after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
