"""Unique strings matching a ``pattern``: the pattern's language numbered, index by index.

A random pattern draw (``pattern_draw``) cannot promise distinct values, so a ``unique`` pattern
column numbers the strings of its pattern instead: each string is one index of a mixed-radix
domain, and the column draws indices through the same seeded permutation as every other
unique column. Unique by construction, with no retry loop.

Numbering is only exact when every string has one parse, so the supported patterns are
sequences of literals, character classes (``[A-Z]``, ``\\d``, ``\\w``, ``.``...), groups and
fixed repeats (``{4}``), with at most one variable repeat (``{2,5}``, ``?``, ``+``, ``*``)
whose body has a fixed length, and ``^``/``$`` (or ``\\A``/``\\Z``) at the ends. The length
of a string then tells how often the variable part repeats, so two indices never give the
same string. Anything else (alternatives, two variable parts, look-arounds, back-references)
is refused with a SchemaError naming the construct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import Context, DomainNode
from synthdata_sdk.generation.nodes.char_classes import position_chars
from synthdata_sdk.generation.pattern_size import longest
from synthdata_sdk.limits import STRING_LENGTH
from synthdata_sdk.schema.pattern_syntax import ONE_CHARACTER, REPEATS, parse_pattern, sre

_STARTS = {sre.AT_BEGINNING, sre.AT_BEGINNING_STRING}
_ENDS = {sre.AT_END, sre.AT_END_STRING}
#: an unbounded repeat grows until the domain holds at least this many strings
_ENOUGH = 2**40
_MAX_GROWTH = 64


@dataclass(frozen=True)
class PatternLanguage:
    """Strings of a pattern: ``head``, then ``body`` repeated, then ``tail``; one character
    set per position.

    ``counts`` are the repeat counts of ``body`` used (within the pattern's and the length
    limits). A string's number reads its head and tail characters in its low digits (radix
    ``fixed_size``), then which count, then the body's characters.
    """

    head: tuple[str, ...]
    body: tuple[str, ...]
    counts: tuple[int, ...]
    tail: tuple[str, ...]

    @cached_property
    def fixed_size(self) -> int:
        """Strings of the head and tail together."""
        return _product(self.head + self.tail)

    @cached_property
    def block(self) -> int:
        """Strings of one repeat of the body."""
        return _product(self.body)

    def size(self) -> int:
        """How many distinct strings the language holds."""
        return self.fixed_size * sum(int(self.block**count) for count in self.counts)

    def string(self, index: int) -> str:
        """The string with number ``index`` (in ``[0, size())``)."""
        index, fixed = divmod(index, self.fixed_size)
        count = self.counts[0]
        for count in self.counts:
            strings = self.block**count
            if index < strings:
                break
            index -= strings
        ends = []
        for options in self.head + self.tail:
            fixed, digit = divmod(fixed, len(options))
            ends.append(options[digit])
        middle = []
        for options in self.body * count:
            index, digit = divmod(index, len(options))
            middle.append(options[digit])
        split = len(self.head)
        return "".join(ends[:split]) + "".join(middle) + "".join(ends[split:])


def pattern_language(
    pattern: str, min_length: int, max_length: int | None, pointer: str
) -> PatternLanguage:
    """The numbered language of ``pattern`` within the length limits, or a SchemaError."""
    parsed = list(parse_pattern(pattern, pointer))
    # fixed repeats are written out position by position: bounded before they are
    most = longest(parsed, _written_out, lookarounds=True)
    STRING_LENGTH.check(
        most,
        pointer=pointer,
        keyword="pattern",
        subject=f"strings of up to {most:,} characters",
    )
    if parsed and parsed[0][0] == sre.AT and parsed[0][1] in _STARTS:
        parsed = parsed[1:]
    if parsed and parsed[-1][0] == sre.AT and parsed[-1][1] in _ENDS:
        parsed = parsed[:-1]
    head: list[str] = []
    tail: list[str] = []
    body: list[str] = []
    low, high = 0, 0
    variable = False
    for op, arg in parsed:
        if op in REPEATS and arg[0] != arg[1] and _fixed(arg[2]):
            if variable:
                raise _refuse(pointer, pattern, "has more than one variable-length part")
            variable = True
            body = _sets(arg[2], pattern, pointer)
            low = int(arg[0])
            high = -1 if arg[1] == sre.MAXREPEAT else int(arg[1])
            continue
        (tail if variable else head).extend(_sets([(op, arg)], pattern, pointer))
    fixed = head + tail
    counts = _counts(len(body), _product(body), low, high, len(fixed), min_length, max_length)
    if not counts:
        raise SchemaError(
            pointer,
            "pattern",
            f"no string matching {pattern!r} fits lengths [{min_length}, {max_length}]",
            "length limits that the pattern's matches can meet",
        )
    return PatternLanguage(tuple(head), tuple(body), counts, tuple(tail))


def _written_out(low: int, high: int | None) -> int:
    """How many times the numbering writes a repeat out at the most (see :func:`_counts`)."""
    return low + _MAX_GROWTH if high is None else high


def _counts(
    width: int,
    block: int,
    low: int,
    high: int,
    fixed_length: int,
    min_length: int,
    max_length: int | None,
) -> tuple[int, ...]:
    """The repeat counts (``low..high``, ``high`` -1: unbounded) whose strings fit the lengths.

    An unbounded repeat grows until the domain is large (``_ENOUGH``), so the values do not
    depend on how many rows are asked for.
    """
    if width == 0:  # nothing variable (or an empty part repeated): one length
        return (0,) if min_length <= fixed_length <= (max_length or fixed_length) else ()
    counts: list[int] = []
    grown = 0
    count = low
    while high == -1 or count <= high:
        length = fixed_length + count * width
        if max_length is not None and length > max_length:
            break
        if high == -1 and (grown >= _ENOUGH or count > low + _MAX_GROWTH):
            break
        if length >= min_length:
            counts.append(count)
            grown += block**count
        count += 1
    return tuple(counts)


def _sets(items: Any, pattern: str, pointer: str) -> list[str]:
    """One character set per position of a fixed-length sequence of pattern items."""
    out: list[str] = []
    for op, arg in items:
        if op in ONE_CHARACTER:
            out.append(_chars(op, arg, pattern, pointer))
        elif op == sre.SUBPATTERN:
            out.extend(_sets(arg[-1], pattern, pointer))
        elif op in REPEATS and arg[0] == arg[1]:
            out.extend(_sets(arg[2], pattern, pointer) * int(arg[0]))
        elif op in REPEATS:
            raise _refuse(pointer, pattern, "has a variable-length part inside another part")
        else:
            raise _refuse(pointer, pattern, f"uses {str(op).lower()} ({_construct(op)})")
    return out


def _chars(op: Any, arg: Any, pattern: str, pointer: str) -> str:
    """The characters one position takes; a class item it cannot list, or none, is refused."""

    def refuse(op: Any, arg: Any) -> None:
        raise _refuse(pointer, pattern, f"uses a character class item {arg} it cannot list")

    chars = position_chars(op, arg, refuse)
    if not chars:
        raise _refuse(pointer, pattern, "has a character class with no printable character")
    return chars


def _fixed(items: Any) -> bool:
    """Whether ``items`` are only characters, groups and fixed repeats: one length, one parse."""
    return all(
        op in ONE_CHARACTER
        or (op == sre.SUBPATTERN and _fixed(arg[-1]))
        or (op in REPEATS and arg[0] == arg[1] and _fixed(arg[2]))
        for op, arg in items
    )


def _construct(op: Any) -> str:
    names = {
        "BRANCH": "alternatives a|b",
        "AT": "an anchor or boundary inside the pattern",
        "GROUPREF": "a back-reference",
        "ASSERT": "a look-around",
        "ASSERT_NOT": "a negative look-around",
        "ATOMIC_GROUP": "an atomic group",
        "GROUPREF_EXISTS": "a conditional group",
    }
    return names.get(str(op), "a construct that cannot be numbered")


def _refuse(pointer: str, pattern: str, why: str) -> SchemaError:
    return SchemaError(
        pointer,
        "x-synthdata/unique",
        f"unique strings need a pattern whose matches can be numbered, and {pattern!r} {why}",
        "literals, character classes, groups and fixed repeats, with at most one variable"
        " repeat of a fixed-length part, and ^/$ only at the ends; or drop unique",
    )


def _product(sets: tuple[str, ...] | list[str]) -> int:
    """How many strings a sequence of character sets spells."""
    size = 1
    for options in sets:
        size *= len(options)
    return size


@dataclass
class UniquePatternNode(DomainNode):
    """Distinct strings matching ``pattern``: numbered strings of its language."""

    language: PatternLanguage
    pattern: str
    pointer: str = ""
    unique: bool = True

    def __post_init__(self) -> None:
        self._compiled = re.compile(self.pattern)

    def domain_size(self) -> int:
        return self.language.size()

    def values_at(self, indices: npt.NDArray[np.int64], ctx: Context) -> list[Any]:
        string = self.language.string
        values = [string(int(index)) for index in indices.tolist()]
        for value in values:  # the numbering is exact; this catches a bug, never bad data
            if not self._compiled.search(value):
                raise SchemaError(
                    self.pointer,
                    "pattern",
                    f"numbered {value!r}, which does not match {self.pattern!r}",
                    "a pattern synthdata can number (please report this)",
                )
        return values

    def describe(self) -> dict[str, Any]:
        return {"generator": "pattern", "pattern": self.pattern, "unique": self.unique}
