"""Property tests run without Hypothesis's deadline.

A deadline is a timing assertion: on a loaded machine (two cores, a model training beside
the suite) ``test_workdays.py::test_between_inverts_after`` failed with DeadlineExceeded
though every example was right. Speed is measured by the scripts in ``bench/``, never by
a test, so the suite's profile turns the deadline off for every property test.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st


def test_the_suite_profile_sets_no_deadline() -> None:
    assert settings().deadline is None


@given(st.dates(dt.date(2000, 1, 1), dt.date(2060, 1, 1)))
def test_a_property_test_takes_the_suite_profile(day: dt.date) -> None:
    assert settings().deadline is None
    assert day.year >= 2000
