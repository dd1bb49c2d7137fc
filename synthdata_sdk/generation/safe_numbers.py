"""Identifier fields of type integer or number: safe values as numbers, or a refusal.

A numeric property holds an identifier when it declares a semantic in ``x-synthdata`` or its
name implies one (``ssn``, ``patient_ssn``, ``card_number``, ``phone``...), and that
identifier has a numeric form: SSN, card, NHS and phone numbers as their digits, IPv4 and
MAC addresses as their bits (``semantics.numbers``). Such a property draws the identifier's
safe values as integers. Drawing the schema's range instead gave real-looking identifiers:
``{"ssn": {"type": "integer", "minimum": 100000000, "maximum": 999999999}}`` gave 1,982
issuable SSNs in 2,000.

The bounds (``minimum``, ``maximum`` and their exclusive forms) pick an interval of the sorted
safe values; ``multipleOf`` keeps those it admits; ``enum`` and ``const`` keep their safe
members. Where the bounds admit identifiers of full width, only those are drawn, so an SSN
integer has nine digits rather than the six left of an area-000 SSN. When no safe value is
left, the schema is refused with a SchemaError that names the way out for a field holding no
such identifier: ``x-synthdata: {"semantic": "none"}``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import Context, DomainNode, Node
from synthdata_sdk.generation.nodes.combinators import GuardNode
from synthdata_sdk.generation.nodes.scalars import Distribution, integer_range, number_node
from synthdata_sdk.generation.safe_patterns import (
    ENUMERATE_LIMIT,
    GUARD_RATE,
    KEEP,
    PROBE,
    Implied,
    enough,
    implied_identifier,
    spread,
)
from synthdata_sdk.generation.semantics import SEMANTICS
from synthdata_sdk.generation.semantics.numbers import NUMBER_FORMS, SafeNumbers, safe_numbers
from synthdata_sdk.generation.validator import value_validator
from synthdata_sdk.schema.inference import NO_SEMANTIC

_OPTIONS = ("luhn", "checksum")
_BOUNDS = ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum")
_OPT_OUT = f'x-synthdata {{"semantic": "{NO_SEMANTIC}"}}'


def implied_number(ext: dict[str, Any], name: str | None) -> Implied | None:
    """The identifier a numeric property holds, if it has a numeric form: declared, else by
    name. ``None`` for ``semantic: "none"`` and for semantics without a numeric form."""
    declared = ext.get("semantic")
    if declared == NO_SEMANTIC:
        return None
    if declared is not None:
        if declared not in NUMBER_FORMS:
            return None
        return Implied(SEMANTICS[declared], f"x-synthdata semantic {declared!r}")
    implied = implied_identifier({}, name, None)
    if implied is None or implied.semantic.name not in NUMBER_FORMS:
        return None
    return implied


def check_declared(kind: str, ext: dict[str, Any], pointer: str) -> None:
    """SchemaError for a declared semantic that a value of type ``kind`` cannot hold."""
    declared = ext.get("semantic")
    if declared is None or declared == NO_SEMANTIC:
        return
    if kind in ("integer", "number") and declared in NUMBER_FORMS:
        return
    numeric = f"; as numbers only {sorted(NUMBER_FORMS)}" if kind in ("integer", "number") else ""
    raise SchemaError(
        pointer,
        "x-synthdata/semantic",
        f"semantic {declared!r} values are strings, but the type is {kind!r}",
        f"type 'string'{numeric}",
    )


@dataclass
class SafeNumberNode(DomainNode):
    """Safe values of a semantic as integers: ``count`` of them from ``start``, or only the
    ``allowed`` indices of them."""

    semantic: str
    numbers: SafeNumbers
    start: int
    count: int
    #: the indices (into ``numbers``) the schema admits; ``None``: all of the interval
    allowed: npt.NDArray[np.int64] | None
    pointer: str = ""
    unique: bool = False

    def domain_size(self) -> int:
        return self.count if self.allowed is None else len(self.allowed)

    def values_at(self, indices: npt.NDArray[np.int64], ctx: Context) -> list[Any]:
        chosen = self.start + indices if self.allowed is None else self.allowed[indices]
        return self.numbers.at(chosen).tolist()  # type: ignore[no-any-return]

    def describe(self) -> dict[str, Any]:
        return {
            "generator": "semantic",
            "semantic": self.semantic,
            "unique": self.unique,
            "written": "as a number",
        }


def plan_safe_number(
    kind: str,
    implied: Implied,
    schema: dict[str, Any],
    ext: dict[str, Any],
    locale: str,
    pointer: str,
    rows: int,
) -> Node:
    """Safe values of ``implied.semantic`` as numbers that satisfy the schema, or SchemaError."""
    semantic = implied.semantic
    options = {k: v for k, v in ext.items() if k in _OPTIONS}
    semantic.check_options(options, pointer)
    numbers = safe_numbers(semantic.name, locale, options)
    low, high = _bounded(numbers, schema)
    if low >= high:
        _check_range(kind, schema, pointer)
        bounds = ", ".join(f"{key} {schema[key]}" for key in _BOUNDS if key in schema)
        raise _refusal(
            implied,
            "minimum/maximum",
            f"none of them lies within {bounds}",
            f"bounds that admit safe values such as {_example(numbers, 0, numbers.size())}",
            pointer,
        )
    unique = bool(ext.get("unique"))
    # a unique column may need the short values too
    needed = rows if unique else 1
    intervals = dict.fromkeys([_full_width(numbers, low, high, needed), (low, high)])
    multiple = schema.get("multipleOf")
    if multiple is None:
        start, end = next(iter(intervals))
        return _enough(
            SafeNumberNode(semantic.name, numbers, start, end - start, None, pointer, unique), rows
        )
    fits = _multiples_of(multiple)
    for start, end in intervals:
        planned = _of_multiples(semantic.name, numbers, start, end, fits, pointer, unique)
        if planned is None:
            continue
        node, guarded = planned
        if not guarded:
            return _enough(node, rows)
        checked = value_validator({"multipleOf": multiple})
        return GuardNode(_enough(node, rows), checked, "multipleOf", pointer)
    _check_range(kind, schema, pointer)
    searched = "none of them" if high - low <= ENUMERATE_LIMIT else f"none of {PROBE:,} of them"
    raise _refusal(
        implied,
        "multipleOf",
        f"{searched} within the bounds is a multiple of {multiple}",
        f"a multipleOf that safe values such as {_example(numbers, low, high)} meet",
        pointer,
    )


def safe_choices(
    choices: Sequence[Any],
    keep: list[int],
    keyword: str,
    name: str | None,
    ext: dict[str, Any],
    locale: str,
    pointer: str,
) -> tuple[list[int], str | None]:
    """The ``keep`` indices of enum/const ``choices`` minus the numbers that are no safe value
    of the identifier the property holds, and that identifier's semantic (``None``: no rule
    applied). SchemaError when every number is left out."""
    implied = implied_number(ext, name)
    numeric = [i for i in keep if _is_number(choices[i])]
    if implied is None or not numeric:
        return keep, None
    semantic = implied.semantic
    # a published test value is safe whatever the options: a test PAN without luhn too
    domains = [safe_numbers(semantic.name, locale, {})]
    domains += [safe_numbers(semantic.name, locale, {option: True}) for option in semantic.options]
    safe = {
        i
        for i in numeric
        if float(choices[i]).is_integer() and any(int(choices[i]) in d for d in domains)
    }
    if not safe:
        numbers = domains[0]
        raise _refusal(
            implied,
            keyword,
            f"no {keyword} value is one of them ({choices[numeric[0]]!r} is not)",
            f"{keyword} values that are safe, such as {_example(numbers, 0, numbers.size())}",
            pointer,
        )
    return [i for i in keep if i in safe or i not in numeric], semantic.name


def _check_range(kind: str, schema: dict[str, Any], pointer: str) -> None:
    """The error every numeric field gets when no number at all lies within closed bounds."""
    if not ({"minimum", "exclusiveMinimum"} & schema.keys()) or not (
        {"maximum", "exclusiveMaximum"} & schema.keys()
    ):
        return  # open ranges hold some number; a default span would only mislead here
    if kind == "integer":
        integer_range(schema, pointer)
    else:
        number_node(schema, pointer, Distribution(), False)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _bounded(numbers: SafeNumbers, schema: dict[str, Any]) -> tuple[int, int]:
    """The index interval ``[low, high)`` of the safe values within the schema's bounds."""
    low, high = 0, numbers.size()
    if "minimum" in schema:
        low = max(low, numbers.count_below(schema["minimum"]))
    if "exclusiveMinimum" in schema:
        low = max(low, numbers.count_below(schema["exclusiveMinimum"], inclusive=True))
    if "maximum" in schema:
        high = min(high, numbers.count_below(schema["maximum"], inclusive=True))
    if "exclusiveMaximum" in schema:
        high = min(high, numbers.count_below(schema["exclusiveMaximum"]))
    return low, high


def _full_width(numbers: SafeNumbers, low: int, high: int, needed: int = 1) -> tuple[int, int]:
    """``[low, high)`` narrowed to values that lose no leading zero, when at least ``needed``
    of them are inside."""
    if numbers.width is None:
        return low, high
    first = max(low, numbers.count_below(10 ** (numbers.width - 1)))
    return (first, high) if high - first >= needed else (low, high)


def _multiples_of(multiple: Any) -> Callable[[list[int]], npt.NDArray[np.bool_]]:
    """Which of some integers ``multipleOf`` admits, as the validator decides it."""
    if isinstance(multiple, int):
        return lambda values: np.array([v % multiple == 0 for v in values], dtype=bool)
    # a float divides in floating point (3 / 0.1 is 30.000000000000004): ask the validator
    check = value_validator({"multipleOf": multiple})
    return lambda values: np.array([check.is_valid(v) for v in values], dtype=bool)


def _of_multiples(
    semantic: str,
    numbers: SafeNumbers,
    low: int,
    high: int,
    fits: Callable[[list[int]], npt.NDArray[np.bool_]],
    pointer: str,
    unique: bool,
) -> tuple[SafeNumberNode, bool] | None:
    """The safe values in ``[low, high)`` that ``fits`` admits, and whether the node must be
    guarded (nearly all fit, so the misfits are redrawn); ``None`` when none fits. A small
    interval is checked value by value, a larger one by a spread sample (as patterns are)."""
    count = high - low
    if count <= ENUMERATE_LIMIT:
        indices = np.arange(low, high, dtype=np.int64)
        hits = fits(numbers.at(indices).tolist())
        if not hits.any():
            return None
        allowed = None if hits.all() else indices[hits]
        return SafeNumberNode(semantic, numbers, low, count, allowed, pointer, unique), False
    probe = low + spread(count, PROBE)
    hits = fits(numbers.at(probe).tolist())
    if not hits.any():
        return None
    if hits.mean() >= GUARD_RATE and (hits.all() or not unique):
        # a sample says little about the rest: the misfits it missed are redrawn too
        return SafeNumberNode(semantic, numbers, low, count, None, pointer, unique), True
    kept = np.unique(low + spread(count, KEEP))
    allowed = kept[fits(numbers.at(kept).tolist())]
    return SafeNumberNode(semantic, numbers, low, count, allowed, pointer, unique), False


def _enough(node: SafeNumberNode, rows: int) -> SafeNumberNode:
    """Refuse a unique column with fewer safe values in range than rows."""
    return enough(node, rows, node.pointer, "the schema", "wider bounds")


def _example(numbers: SafeNumbers, low: int, high: int) -> int:
    """A safe value from the middle of ``[low, high)``, full width where there is one."""
    start, end = _full_width(numbers, low, high)
    return int(numbers.at(np.array([(start + end) // 2], dtype=np.int64))[0])


def _refusal(implied: Implied, keyword: str, what: str, instead: str, pointer: str) -> SchemaError:
    semantic = implied.semantic
    return SchemaError(
        pointer,
        keyword,
        f"{implied.because} says this field holds {semantic.name} values, which are drawn only"
        f" from safe ones ({semantic.safe_rule}), as numbers"
        f" {NUMBER_FORMS[semantic.name].reading}; {what}",
        f"{instead}; or, if the field holds no {semantic.name}, {_OPT_OUT}",
    )
