"""Numbers with exact decimal places: ``x-synthdata: {"decimals": d}`` on a ``number``.

A value is a whole number ``k`` of units 10**-d (of ``multiple`` when one is given), drawn as
an integer over the range scaled to units, and written as the float nearest ``k / 10**d``.
Below 15 significant digits that float's shortest text (what ``json.dumps``, ``repr`` and
pydantic read) is exactly ``k / 10**d``: 102.37, never 102.37000000000001. Every ending
appears (a grid of 2**-d has four endings for two places), and no float division check is
involved, unlike ``multipleOf`` 0.01, which 0.07 fails (0.07 / 0.01 is 7.000000000000001).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import Context
from synthdata_sdk.generation.nodes.scalars import Distribution, IntegerNode, integer_range
from synthdata_sdk.schema.numbers import DEFAULT_SPAN, EXACT_DIGITS, exact, fraction_lcm

_LOWER = ("minimum", "exclusiveMinimum")
_UPPER = ("maximum", "exclusiveMaximum")


@dataclass
class DecimalNode(IntegerNode):
    """``IntegerNode``'s integers read as units of 10**-``places``."""

    places: int = 0

    def values_at(self, indices: npt.NDArray[np.int64], ctx: Context) -> list[Any]:
        units = super().values_at(indices, ctx)
        scale = 10**self.places
        # int / int is correctly rounded: the float nearest k / 10**places
        return [unit / scale for unit in units]

    def describe(self) -> dict[str, Any]:
        scale = 10**self.places
        high = self.low + (self.count - 1) * self.step
        return {
            "generator": "decimal",
            "range": [self.low / scale, high / scale],
            "decimals": self.places,
            "step": self.step / scale,
            "distribution": self.distribution.kind,
        }


def unit_step(places: int, multiple: Any | None, multiple_of: Any | None) -> int:
    """The step in units of 10**-places: the least common multiple of one unit, the
    extension's ``multiple`` and the schema's ``multipleOf`` (each exact in decimal)."""
    step = Fraction(1)
    for factor in (multiple, multiple_of):
        if factor is None:
            continue
        step = fraction_lcm(step, exact(factor) * 10**places)
    assert step.denominator == 1  # a multiple of one unit is a whole number of units
    return step.numerator


def decimal_node(
    schema: dict[str, Any],
    places: int,
    multiple: Any | None,
    pointer: str,
    distribution: Distribution,
    unique: bool,
) -> DecimalNode:
    """The node drawing ``schema``'s numbers with at most ``places`` decimals, on multiples of
    ``multiple`` and of the schema's ``multipleOf``; SchemaError when no such number fits."""
    scale = 10**places
    step = unit_step(places, multiple, schema.get("multipleOf"))
    scaled: dict[str, Any] = {
        key: exact(schema[key]) * scale for key in (*_LOWER, *_UPPER) if key in schema
    }
    if step > 1:
        scaled["multipleOf"] = step
    try:
        low, count, step = integer_range(scaled, pointer, default_span=DEFAULT_SPAN * scale)
    except SchemaError:
        raise SchemaError(
            pointer,
            "x-synthdata/decimals",
            f"no number with {places} decimals{_on(step, places)} lies in the range"
            f" {_range_text(schema)}",
            "a wider range, or more decimals",
        ) from None
    low, count = _within_floats(schema, *_exact_digits(low, count, step), step, scale)
    if count < 1:
        raise SchemaError(
            pointer,
            "x-synthdata/decimals",
            f"no number with {places} decimals lies in the range {_range_text(schema)}"
            f" within {EXACT_DIGITS} significant digits (what a float holds exactly)",
            "a range nearer zero, or fewer decimals",
        )
    return DecimalNode(
        low, count, step, pointer, unique, _scaled(distribution, scale), places=places
    )


def _exact_digits(low: int, count: int, step: int) -> tuple[int, int]:
    """The range cut to the units within ``EXACT_DIGITS`` digits (exact as floats)."""
    limit = 10**EXACT_DIGITS - 1
    first = max(low, -(limit // step) * step)
    last = min(low + (count - 1) * step, limit // step * step)
    return first, (last - first) // step + 1 if last >= first else 0


def _within_floats(
    schema: dict[str, Any], low: int, count: int, step: int, scale: int
) -> tuple[int, int]:
    """The range without an end whose float equals an exclusive bound's float.

    Rounding keeps order, so only the two ends can meet a bound: a value just above an
    exclusive minimum written with 17 digits may round onto the minimum's own float (one
    step past it cannot: it differs in its first 15 digits).
    """
    for _ in range(2):
        if count > 0 and not _float_inside(low / scale, schema):
            low, count = low + step, count - 1
        if count > 0 and not _float_inside((low + (count - 1) * step) / scale, schema):
            count -= 1
    return low, count


def _float_inside(value: float, schema: dict[str, Any]) -> bool:
    """Whether ``value`` passes the bounds as a validator compares them (in floats)."""
    return (
        ("minimum" not in schema or value >= schema["minimum"])
        and ("exclusiveMinimum" not in schema or value > schema["exclusiveMinimum"])
        and ("maximum" not in schema or value <= schema["maximum"])
        and ("exclusiveMaximum" not in schema or value < schema["exclusiveMaximum"])
    )


def _scaled(distribution: Distribution, scale: int) -> Distribution:
    """``distribution``, written in value units, in units of 10**-places."""
    if distribution.kind == "normal":
        return Distribution("normal", distribution.mean * scale, distribution.spread * scale)
    if distribution.kind == "lognormal":  # exp(x + ln s) = s * exp(x)
        return Distribution("lognormal", distribution.mean + math.log(scale), distribution.spread)
    return distribution


def _on(step: int, places: int) -> str:
    return "" if step == 1 else f" on multiples of {Decimal(step).scaleb(-places)}"


def _range_text(schema: dict[str, Any]) -> str:
    low = next((f"{'(' if k[0] == 'e' else '['}{schema[k]}" for k in _LOWER if k in schema), "")
    high = next((f"{schema[k]}{')' if k[0] == 'e' else ']'}" for k in _UPPER if k in schema), "")
    return f"{low or '(-inf'}, {high or 'inf)'}"
