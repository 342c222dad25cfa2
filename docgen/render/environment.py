"""The one Jinja environment every renderer shares: strict, XML-escaped, with UK filters.

``StrictUndefined`` turns a missing field into an error instead of an empty gap in a
letter, and autoescaping keeps "St Mary & St John's <VA>" exactly as written in Word's XML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import jinja2

from docgen.workdays import working_days_after


def uk_date(value: dt.date, weekday: bool = True) -> str:
    """Format a date as 'Monday 22 January 2024', or '22 January 2024' without the weekday."""
    if isinstance(value, dt.datetime):
        value = value.date()
    text = f"{value.day} {value:%B %Y}"
    return f"{value:%A} {text}" if weekday else text


def uk_time(value: dt.time | dt.datetime) -> str:
    """Format a time in GOV.UK style: '9am', '10:30am', 'midday', 'midnight'."""
    if isinstance(value, dt.datetime):
        value = value.time()
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def and_list(items: Iterable[object], conjunction: str = "and") -> str:
    """Join items as 'A, B and C' (no serial comma, as GOV.UK writes)."""
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return '1 day' or '3 days'; give ``plural_form`` for irregular words."""
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count} {word}"


def add_working_days(value: dt.date, days: int) -> dt.date:
    """The date ``days`` England working days after ``value``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return working_days_after(value, days)


class EmptyValueError(ValueError):
    """A placeholder printed a field that is empty (None) in the data."""


def _refuse_none(value: object) -> object:
    # StrictUndefined catches a missing field; this catches a present but empty one,
    # which would otherwise print the word "None" in a letter.
    if value is None:
        raise EmptyValueError("a placeholder prints a field that is empty in this data")
    return value


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Return the shared environment (built once)."""
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        auto_reload=False,
        cache_size=0,
        finalize=_refuse_none,
    )
    env.filters.update(
        uk_date=uk_date,
        uk_time=uk_time,
        and_list=and_list,
        plural=plural,
        working_days_after=add_working_days,
    )
    return env
