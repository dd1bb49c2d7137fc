"""Identifier semantics as numbers: each one's safe values as integers, in increasing order.

An integer field can hold an identifier written with digits only (an SSN, a card, NHS or
phone number) or one that is a binary number (an IPv4 address is 32 bits, a MAC address 48).
``safe_numbers(semantic, locale, options)`` gives the safe values of such a semantic as
integers, sorted, so that bounds become an index interval found by bisection and membership
is one lookup. Each domain holds the values of the semantic's safe rule (see
``docs/safe-values.md``); the large ones are built from the rule's structure, the small ones
by converting every value the string semantic draws.

An integer drops the leading zeros of an identifier: a reader pads it back to ``width``
digits (an SSN of area 000 is a number below 10**6). The padded number is the safe value, so
the reading is never ambiguous: each integer below ``10**width`` stands for one identifier.
Phone numbers outside the US would lose their trunk 0, and without it read as other
countries' numbers, so they are E.164 numbers (country code first) instead.
"""

from __future__ import annotations

import ipaddress
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from synthdata_sdk.generation.semantics import get_semantic
from synthdata_sdk.generation.semantics.base import Indices, mixed_radix
from synthdata_sdk.generation.semantics.contact import e164
from synthdata_sdk.generation.semantics.identifiers import (
    SSN_AREAS,
    SSN_NEVER_AREAS,
    nhs_numbers,
)
from synthdata_sdk.generation.semantics.payments import (
    PAN_BODIES,
    PAN_FREE_DIGITS,
    PAN_PREFIXES,
    luhn_check_digits,
)
from synthdata_sdk.generation.semantics.pools import check_locale

Numbers = npt.NDArray[np.int64]


class SafeNumbers(ABC):
    """A semantic's safe values as integers, ``at(i)`` increasing with ``i``."""

    #: the identifier's length in digits, which a reader pads an integer back to; ``None``
    #: when the integer is no digit string (an address as bits) or its length varies
    width: int | None = None

    @abstractmethod
    def size(self) -> int:
        """How many values there are."""

    @abstractmethod
    def at(self, indices: Indices) -> Numbers:
        """The values at ``indices`` (each in ``[0, size)``)."""

    def count_below(self, bound: float, *, inclusive: bool = False) -> int:
        """How many values are below ``bound`` (``inclusive``: at most ``bound``).

        Compared as Python numbers, so a float bound past 2**53 is compared exactly.
        """
        low, high = 0, self.size()
        while low < high:
            middle = (low + high) // 2
            value = int(self.at(np.array([middle], dtype=np.int64))[0])
            if value < bound or (inclusive and value == bound):
                low = middle + 1
            else:
                high = middle
        return low

    def __contains__(self, number: object) -> bool:
        if not isinstance(number, int) or isinstance(number, bool):
            return False
        where = self.count_below(number)
        return where < self.size() and int(self.at(np.array([where], dtype=np.int64))[0]) == number


@dataclass(frozen=True)
class _Table(SafeNumbers):
    """An explicit sorted array of values."""

    values: Numbers
    width: int | None = None

    def size(self) -> int:
        return len(self.values)

    def at(self, indices: Indices) -> Numbers:
        return self.values[indices]


@dataclass(frozen=True)
class _Runs(SafeNumbers):
    """Arithmetic runs ``start + k*step`` (``k < count``), each above the one before."""

    starts: Numbers
    counts: Numbers
    steps: Numbers
    width: int | None = None

    def size(self) -> int:
        return int(self.counts.sum())

    def at(self, indices: Indices) -> Numbers:
        offsets = np.concatenate([[0], np.cumsum(self.counts)])
        run = np.searchsorted(offsets, indices, side="right") - 1
        return self.starts[run] + (indices - offsets[run]) * self.steps[run]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _BrokenLuhn(SafeNumbers):
    """16-digit card numbers on ``PAN_PREFIXES`` with every check digit but the right one.

    Index ``9q + r`` is the ``q``-th 15-digit body (prefixes ascending, then the free
    digits) followed by the ``r``-th wrong check digit in increasing order.
    """

    def size(self) -> int:
        return len(PAN_PREFIXES) * PAN_BODIES * 9

    def at(self, indices: Indices) -> Numbers:
        body, wrong = np.divmod(indices, 9)
        prefix, free = np.divmod(body, PAN_BODIES)
        number = PAN_PREFIXES[prefix] * PAN_BODIES + free
        digits = np.stack(mixed_radix(number, [10] * (PAN_FREE_DIGITS + 2))[::-1], axis=1)
        right = luhn_check_digits(digits)
        # the r-th digit other than the right one: r below it, r + 1 from it on
        return number * 10 + wrong + (wrong >= right)


def _ssn_runs() -> SafeNumbers:
    """SSA POMS RM 10201.035: area 000 or 666 whole; elsewhere group 00, or serial 0000."""
    runs: list[tuple[int, int, int]] = []
    never = set(SSN_NEVER_AREAS.tolist())
    normal = set(SSN_AREAS.tolist())
    for area in range(1000):
        base = area * 1_000_000
        if area in never:
            runs.append((base, 1_000_000, 1))
        elif area in normal:
            # group 00 (every serial), then serial 0000 of groups 01..99
            runs += [(base, 10_000, 1), (base + 10_000, 99, 10_000)]
    starts, counts, steps = (np.array(column, dtype=np.int64) for column in zip(*runs, strict=True))
    return _Runs(starts, counts, steps, width=9)


def _nhs_table() -> SafeNumbers:
    """999 000 0000-999 999 9999 with a valid mod-11 check digit (bases ascending)."""
    bases, checks = nhs_numbers()
    return _Table(9_990_000_000 + bases * 10 + checks, width=10)


_DIGITS_ONLY = str.maketrans("", "", " ()-+.")


def _digits(value: str) -> int:
    return int(value.translate(_DIGITS_ONLY))


def _enumerated(
    semantic: str, locale: str, options: Mapping[str, Any], number: Callable[[str], int]
) -> _Table:
    """Every value of a small string semantic, converted by ``number`` and sorted.

    Digit strings of one length keep it as ``width``; of several lengths, those with a
    leading zero are left out (they could not be read back unambiguously).
    """
    drawn = get_semantic(semantic)
    texts = drawn.values(
        np.arange(drawn.domain_size(locale, options), dtype=np.int64), locale, options
    )
    width = None
    if number is _digits:
        lengths = {len(text.translate(_DIGITS_ONLY)) for text in texts}
        if len(lengths) == 1:
            width = lengths.pop()
        else:
            texts = [text for text in texts if not text.translate(_DIGITS_ONLY).startswith("0")]
    values = np.array(sorted(number(text) for text in texts), dtype=np.int64)
    values.setflags(write=False)
    return _Table(values, width)


@dataclass(frozen=True)
class NumberForm:
    """How one semantic is written as a number (for docs and messages)."""

    semantic: str
    reading: str


#: semantic -> how its values read as numbers; only these semantics have numeric forms
NUMBER_FORMS: dict[str, NumberForm] = {
    form.semantic: form
    for form in (
        NumberForm("ssn", "the nine digits AAAGGSSSS, read back padded to nine digits"),
        NumberForm("credit_card", "the card number's digits"),
        NumberForm("nhs_number", "the ten digits"),
        NumberForm(
            "phone",
            "en_US: the ten digits of the national number; elsewhere the E.164 digits (country"
            " code, then the national number without its trunk 0)",
        ),
        NumberForm("ipv4", "the address as a 32-bit number (RFC 791)"),
        NumberForm("mac_address", "the address as a 48-bit number"),
    )
}


@cache
def _safe_numbers(semantic: str, locale: str, options: tuple[tuple[str, Any], ...]) -> SafeNumbers:
    chosen = dict(options)
    if semantic == "ssn":
        return _ssn_runs()
    if semantic == "nhs_number":
        return _nhs_table()
    if semantic == "credit_card":
        if chosen.get("luhn", False):
            return _enumerated(semantic, locale, chosen, _digits)
        return _BrokenLuhn()
    if semantic == "phone":
        if check_locale(locale) == "en_US":
            return _enumerated(semantic, locale, chosen, _digits)
        # a national number without its trunk 0 can read as another country's (2079460123,
        # London's drama range, is a real-looking US number): E.164 is the same everywhere
        return _enumerated(semantic, locale, chosen, lambda v: _digits(e164([v], locale)[0]))
    if semantic == "ipv4":
        return _enumerated(semantic, locale, chosen, lambda v: int(ipaddress.IPv4Address(v)))
    if semantic == "mac_address":
        return _enumerated(semantic, locale, chosen, lambda v: int(v.replace(":", ""), 16))
    raise KeyError(semantic)


def safe_numbers(semantic: str, locale: str, options: Mapping[str, Any]) -> SafeNumbers:
    """The safe values of ``semantic`` as sorted integers; ``KeyError`` if it has no numeric
    form (``NUMBER_FORMS``)."""
    if semantic not in NUMBER_FORMS:
        raise KeyError(semantic)
    return _safe_numbers(semantic, locale, tuple(sorted(options.items())))
