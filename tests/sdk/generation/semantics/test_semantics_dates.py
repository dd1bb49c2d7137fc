"""Dates of birth are adults' (18..90) on the fixed reference date, never on today's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from synthdata_sdk.generation.semantics import get_semantic

Sample = Callable[..., tuple[np.ndarray, list[str]]]
REFERENCE = dt.date(2025, 1, 1)


def _age(born: dt.date) -> int:
    before_birthday = (REFERENCE.month, REFERENCE.day) < (born.month, born.day)
    return REFERENCE.year - born.year - before_birthday


def test_every_date_is_an_age_of_18_to_90_on_the_reference_date(
    locale: str, sample: Sample
) -> None:
    ages = {_age(dt.date.fromisoformat(v)) for v in sample("date_of_birth", locale)[1]}
    assert ages == set(range(18, 91))


def test_the_domain_runs_from_the_oldest_to_the_youngest_birthday() -> None:
    semantic = get_semantic("date_of_birth")
    size = semantic.domain_size("en_US", {})
    ends = semantic.values(np.array([0, size - 1], dtype=np.int64), "en_US", {})
    assert ends == ["1934-01-02", "2007-01-01"]
    assert _age(dt.date(1934, 1, 1)) == 91 and _age(dt.date(2007, 1, 2)) == 17
    assert size == (dt.date(2007, 1, 1) - dt.date(1934, 1, 2)).days + 1
