"""Identifier semantics as numbers: increasing, inside the published safe ranges, and as many
as the string semantic's values.

Bounds are an index interval found by bisection, so the values must increase with the index;
safety is judged by the published ranges (``tests/sdk/published_ranges.py``).
"""

from __future__ import annotations

import ipaddress
from typing import Any

import numpy as np
import pytest

from synthdata_sdk.generation.semantics import SUPPORTED_LOCALES, get_semantic
from synthdata_sdk.generation.semantics.numbers import NUMBER_FORMS, safe_numbers
from tests.sdk.published_ranges import unsafe

CASES = [
    (name, locale, options)
    for name in NUMBER_FORMS
    for locale in (SUPPORTED_LOCALES if name == "phone" else ("en_US",))
    for options in ([{}, {"luhn": True}] if name == "credit_card" else [{}])
]


def _text(name: str, value: int, width: int | None, locale: str) -> str:
    """The identifier a number stands for, as docs/safe-values.md says to read it."""
    if name == "ipv4":
        return str(ipaddress.IPv4Address(value))
    if name == "mac_address":
        return ":".join(f"{value:012x}"[i : i + 2] for i in range(0, 12, 2))
    if name == "phone":
        return f"+1{value}" if locale == "en_US" else f"+{value}"
    return f"{value:0{width}d}" if width else str(value)


def _sample(size: int) -> np.ndarray:
    """Both ends and 20,000 random indices, sorted and distinct."""
    random = np.random.default_rng(0).integers(0, size, 20_000)
    ends = [np.arange(min(size, 1_000)), np.arange(max(0, size - 1_000), size)]
    return np.unique(np.concatenate([*ends, random]))


@pytest.mark.parametrize(
    ("name", "locale", "options"), CASES, ids=[f"{n}-{loc}-{o}" for n, loc, o in CASES]
)
def test_numbers_increase_and_are_safe(name: str, locale: str, options: dict[str, Any]) -> None:
    numbers = safe_numbers(name, locale, options)
    indices = _sample(numbers.size())

    values = numbers.at(indices)

    assert (np.diff(values) > 0).all()
    texts = [_text(name, int(v), numbers.width, locale) for v in values.tolist()]
    assert [(t, unsafe(name, t, locale)) for t in texts if unsafe(name, t, locale)] == []
    assert numbers.size() == get_semantic(name).domain_size(locale, options)


def test_membership_and_counts_follow_the_order() -> None:
    ssns = safe_numbers("ssn", "en_US", {})

    assert 666_123_456 in ssns and 123_004_567 in ssns and 123_010_000 in ssns
    assert 123_456_789 not in ssns and 900_000_000 not in ssns and True not in ssns
    # area 000 whole, then area 001's group 00 (10,000) and serial-0000 runs (99)
    assert ssns.count_below(1_000_000) == 1_000_000
    assert ssns.count_below(2_000_000) == 1_000_000 + 10_099
    assert ssns.count_below(1_010_000, inclusive=True) == 1_000_000 + 10_001
