"""Numbers as a schema writes them: exact decimal values, their least common multiple, and
the constants the schema readers and the engine share for ranges."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

#: significant digits a float's shortest text always reproduces exactly
EXACT_DIGITS = 15
#: the span a number range gets on a side its schema leaves unbounded (0..1000 with none)
DEFAULT_SPAN = 1000


def exact(value: Any) -> Fraction:
    """A number as the decimal it is written as: a float through its shortest text (0.1 is
    1/10, not the binary float's value), an int or a Decimal as it is."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def fraction_lcm(a: Fraction, b: Fraction) -> Fraction:
    """The least common multiple of two positive fractions: lcm(numerators) / gcd(denominators)."""
    return Fraction(math.lcm(a.numerator, b.numerator), math.gcd(a.denominator, b.denominator))
