"""Regular expressions that match exactly the ISO dates of a range, and numbers of a range.

JSON Schema has no keyword that bounds a ``date`` or ``date-time`` (``formatMinimum`` is a
vendor extension), so a range of dates is written as a ``pattern``: every string it matches
is a real date within the range, and the engine draws from a pattern without retries.
Whole months are written with days 01 to 28 only, which every month has; a month cut by
the range keeps its exact days.
"""

from __future__ import annotations

import calendar
import datetime as dt

#: the time of day a pattern allows: any second, no fraction
TIME_PATTERN = "T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"


def number_pattern(low: int, high: int, width: int) -> str:
    """A regex for the ``width``-digit, zero-padded numbers from ``low`` to ``high``."""
    if low > high:
        raise ValueError(f"empty range {low}..{high}")
    if width == 0:
        return ""
    first, last = str(low).zfill(width), str(high).zfill(width)
    if first[0] == last[0]:
        return first[0] + number_pattern(int(first[1:] or 0), int(last[1:] or 0), width - 1)
    rest = width - 1
    top = 10**rest - 1
    parts: list[str] = []
    low_digit, high_digit = int(first[0]), int(last[0])
    if rest and int(first[1:]) != 0:
        parts.append(first[0] + number_pattern(int(first[1:]), top, rest))
        low_digit += 1
    tail = None
    if rest and int(last[1:]) != top:
        tail = last[0] + number_pattern(0, int(last[1:]), rest)
        high_digit -= 1
    if low_digit <= high_digit:
        digits = str(low_digit) if low_digit == high_digit else f"[{low_digit}-{high_digit}]"
        parts.append(digits + ("[0-9]" * rest if rest <= 1 else f"[0-9]{{{rest}}}"))
    if tail is not None:
        parts.append(tail)
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def date_pattern(low: dt.date, high: dt.date) -> str:
    """The unanchored alternation of the ``YYYY-MM-DD`` dates from ``low`` to ``high``."""
    # each month of the range with its days: a whole month keeps 01-28, which all months have
    months: list[tuple[int, int, int, int]] = []
    year, month = low.year, low.month
    while (year, month) <= (high.year, high.month):
        first = low.day if (year, month) == (low.year, low.month) else 1
        end = calendar.monthrange(year, month)[1]
        last = high.day if (year, month) == (high.year, high.month) else end
        months.append((year, month, first, 28 if first == 1 and last >= 28 else last))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    # runs of whole months within a year, then runs of whole years
    runs: list[tuple[int, int, int, int, int]] = []  # first year, last year, months, days
    for year, month, first, last in months:
        whole = (first, last) == (1, 28)
        if runs and whole:
            y0, y1, m0, m1, d0 = runs[-1]
            if (d0, y1) == (1, year) and m1 == month - 1 and y0 == y1:
                runs[-1] = (y0, y1, m0, month, 1)
                continue
        runs.append((year, year, month, month, 1 if whole else -first * 100 - last))
    merged: list[tuple[int, int, int, int, int]] = []
    for run in runs:
        if merged and (run[2], run[3], run[4]) == (1, 12, 1):
            y0, y1, m0, m1, d0 = merged[-1]
            if (m0, m1, d0) == (1, 12, 1) and y1 == run[0] - 1:
                merged[-1] = (y0, run[1], 1, 12, 1)
                continue
        merged.append(run)
    pieces = [_piece(*run) for run in merged]
    return pieces[0] if len(pieces) == 1 else "(?:" + "|".join(pieces) + ")"


def _piece(first_year: int, last_year: int, first_month: int, last_month: int, days: int) -> str:
    """One run: years, months, and days 01-28 (``days`` 1) or ``-(first * 100 + last)``."""
    day_range = (1, 28) if days == 1 else divmod(-days, 100)
    return (
        f"{number_pattern(first_year, last_year, 4)}-{number_pattern(first_month, last_month, 2)}"
        f"-{number_pattern(*day_range, 2)}"
    )
