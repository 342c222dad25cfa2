from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.workdays import is_working_day, working_days_after, working_days_between


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Christmas Day (Fri), Boxing Day substitute (Mon 28) and New Year's Day are skipped.
        (dt.date(2026, 12, 23), 5, dt.date(2027, 1, 4)),
        # Christmas Day (Mon) and Boxing Day (Tue) are skipped.
        (dt.date(2023, 12, 22), 1, dt.date(2023, 12, 27)),
        # The coronation bank holiday, a one-off day.
        (dt.date(2023, 5, 5), 1, dt.date(2023, 5, 9)),
        # Easter: Good Friday and Easter Monday.
        (dt.date(2026, 4, 2), 1, dt.date(2026, 4, 7)),
        (dt.date(2026, 11, 23), 0, dt.date(2026, 11, 23)),
        (dt.date(2026, 11, 20), 1, dt.date(2026, 11, 23)),
    ],
)
def test_working_days_after(start: dt.date, days: int, expected: dt.date) -> None:
    assert working_days_after(start, days) == expected


def test_bank_holidays_and_weekends_are_not_working_days() -> None:
    assert not is_working_day(dt.date(2026, 12, 28))  # substitute Boxing Day
    assert not is_working_day(dt.date(2026, 11, 21))  # Saturday
    assert is_working_day(dt.date(2026, 11, 23))


@given(st.dates(dt.date(2000, 1, 1), dt.date(2060, 1, 1)), st.integers(0, 40))
def test_between_inverts_after(start: dt.date, days: int) -> None:
    end = working_days_after(start, days)
    assert working_days_between(start, end) == days
    assert days == 0 or is_working_day(end)
