"""Dates of birth for adults, relative to a fixed reference date so data never ages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from synthdata_sdk.generation.semantics.base import Indices, Semantic
from synthdata_sdk.generation.semantics.render import iso_dates

#: ages are counted on this fixed day, never "today", so the same request gives the same
#: dates on every run; it is part of the engine data version (``generation.version``)
REFERENCE_DATE = np.datetime64("2025-01-01", "D")
#: ``date`` and ``date-time`` values without bounds fall in the ten years before the
#: reference date: 2015-01-01 to 2024-12-31 (23:59:59 UTC)
WINDOW_YEARS = 10
WINDOW_START = np.datetime64("2015-01-01", "D")
#: days in the window
WINDOW_DAYS = int((REFERENCE_DATE - WINDOW_START).astype(np.int64))
#: born on or after this day: not yet 91 on the reference date
EARLIEST_BIRTH = np.datetime64("1934-01-02", "D")
#: born on or before this day: at least 18 on the reference date
LATEST_BIRTH = np.datetime64("2007-01-01", "D")


class DateOfBirth(Semantic):
    """ISO ``YYYY-MM-DD`` birth dates of people aged 18 to 90 on 2025-01-01."""

    name: ClassVar[str] = "date_of_birth"
    format: ClassVar[str | None] = "date"
    description: ClassVar[str] = "An ISO date of birth, age 18 to 90 on 2025-01-01."
    safe_rule: ClassVar[str] = (
        "not identifying alone (no source record); uniform over ages 18-90 on the fixed"
        " reference date 2025-01-01, never today's date"
    )

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return int((LATEST_BIRTH - EARLIEST_BIRTH).astype(np.int64)) + 1

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        dates: list[str] = iso_dates(
            EARLIEST_BIRTH, indices, self.domain_size(locale, options)
        ).tolist()
        return dates

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [(str(REFERENCE_DATE), str(EARLIEST_BIRTH), str(LATEST_BIRTH))]


#: HIPAA Safe Harbor keeps only the birth year; these years give ages 18..89 on the reference
#: date, so no value says "older than 89" (45 CFR 164.514(b)(2)(i)(C))
YEAR_ONLY_FIRST = 1936
YEAR_ONLY_LAST = 2007


class YearOnlyDateOfBirth(Semantic):
    """``YYYY-01-01`` birth dates (the year only), ages 18 to 89 on 2025-01-01.

    The hipaa profile's stand-in for ``date_of_birth``; not selectable in ``x-synthdata``.
    """

    name: ClassVar[str] = "hipaa_date_of_birth"
    format: ClassVar[str | None] = "date"
    description: ClassVar[str] = (
        "A birth year as an ISO date YYYY-01-01, age 18 to 89 on 2025-01-01."
    )
    safe_rule: ClassVar[str] = (
        "HIPAA Safe Harbor: year only, no age over 89 (45 CFR 164.514(b)(2)(i)(C)); fixed"
        " reference date 2025-01-01"
    )

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return YEAR_ONLY_LAST - YEAR_ONLY_FIRST + 1

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        return [f"{YEAR_ONLY_FIRST + i}-01-01" for i in indices.tolist()]

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [(str(REFERENCE_DATE), f"{YEAR_ONLY_FIRST}-01-01", f"{YEAR_ONLY_LAST}-01-01")]
