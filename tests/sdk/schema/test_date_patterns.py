"""The date-range patterns match exactly real dates within their range."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from synthdata_sdk.schema.date_patterns import date_pattern, number_pattern


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4).flatmap(lambda w: st.tuples(st.just(w), st.integers(0, 10**w - 1))))
def test_a_number_pattern_matches_exactly_its_range(case: tuple[int, int]) -> None:
    width, low = case
    high = low + (10**width - 1 - low) // 3
    matcher = re.compile(f"^{number_pattern(low, high, width)}$")
    matched = [n for n in range(10**width) if matcher.match(str(n).zfill(width))]
    assert matched == list(range(low, high + 1))


@settings(max_examples=60, deadline=None)
@given(
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1)),
    st.sampled_from([0, 1, 2, 27, 31, 59, 365, 366, 1000, 4000]),
)
def test_a_date_pattern_matches_only_real_dates_within_the_range(low: dt.date, days: int) -> None:
    high = low + dt.timedelta(days=days)
    matcher = re.compile(f"^{date_pattern(low, high)}$")
    day, matched = low - dt.timedelta(days=40), []
    while day <= high + dt.timedelta(days=40):
        if matcher.match(day.isoformat()):
            matched.append(day)
        day += dt.timedelta(days=1)
    assert matched and all(low <= day <= high for day in matched)
    assert low in matched  # a range's first day is always drawn
    # no text that is not a date: day 29-31 of a month that lacks it, month 13, day 00
    for year in {low.year, high.year}:
        for month in range(14):
            for day_number in range(40):
                text = f"{year:04d}-{month:02d}-{day_number:02d}"
                if matcher.match(text):
                    dt.date.fromisoformat(text)


def test_past_and_future_windows_are_whole_centuries_of_dates() -> None:
    assert date_pattern(dt.date(2100, 1, 1), dt.date(2199, 12, 31)) == (
        "21[0-9][0-9]-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    )
