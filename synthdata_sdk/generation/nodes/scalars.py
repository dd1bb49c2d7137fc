"""Scalar columns: constants, enums, booleans, nulls, integers and numbers."""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import Context, DomainNode, Node
from synthdata_sdk.schema.numbers import DEFAULT_SPAN

#: a bound or step in float arithmetic, or in exact arithmetic
_Real = TypeVar("_Real", float, Fraction)


@dataclass
class ConstNode(Node):
    """Always the same value (``const``, a one-value ``enum``, or ``null``)."""

    value: Any
    pointer: str = ""

    def generate(self, ctx: Context, n: int) -> list[Any]:
        if isinstance(self.value, (dict, list)):
            return [copy.deepcopy(self.value) for _ in range(n)]
        return [self.value] * n

    def describe(self) -> dict[str, Any]:
        return {"generator": "const", "value": self.value}


@dataclass
class EnumNode(DomainNode):
    """One of a fixed list of values, uniformly or with weights."""

    choices: list[Any]
    pointer: str = ""
    weights: Sequence[float] | None = None
    unique: bool = False

    def domain_size(self) -> int:
        return len(self.choices)

    def indices(self, ctx: Context, n: int) -> npt.NDArray[np.int64]:
        if self.weights is not None and not self.unique:
            return ctx.stream(self.pointer, "index").weighted(n, self.weights)
        return super().indices(ctx, n)

    def values_at(self, indices: npt.NDArray[np.int64], ctx: Context) -> list[Any]:
        choices = self.choices
        if any(isinstance(c, (dict, list)) for c in choices):
            return [copy.deepcopy(choices[i]) for i in indices.tolist()]
        return [choices[i] for i in indices.tolist()]

    def describe(self) -> dict[str, Any]:
        return {"generator": "enum", "choices": len(self.choices)}


@dataclass
class BooleanNode(DomainNode):
    """``true`` or ``false``."""

    pointer: str = ""
    unique: bool = False

    def domain_size(self) -> int:
        return 2

    def values_at(self, indices: npt.NDArray[np.int64], ctx: Context) -> list[Any]:
        return (indices == 1).tolist()  # type: ignore[no-any-return]


@dataclass
class Distribution:
    """How numeric draws are spread over [low, high] (uniform unless told otherwise)."""

    kind: str = "uniform"
    mean: float = 0.0
    spread: float = 1.0

    def draw(
        self, ctx: Context, pointer: str, n: int, low: float, high: float
    ) -> npt.NDArray[np.float64]:
        """``n`` floats in [low, high]: a position along the range in [0, 1]."""
        stream = ctx.stream(pointer, "value")
        if self.kind == "uniform" or high == low:
            return stream.uniform(n)
        raw = stream.normal(n, self.mean, self.spread)
        if self.kind == "lognormal":
            raw = np.round(np.exp(raw), 9).astype(np.float64)
        return np.clip((raw - low) / (high - low), 0.0, 1.0)


@dataclass
class IntegerNode(DomainNode):
    """Integers ``low + k*step`` for ``k`` in ``[0, count)``, where step honours ``multipleOf``."""

    low: int
    count: int
    step: int = 1
    pointer: str = ""
    unique: bool = False
    distribution: Distribution = field(default_factory=Distribution)

    def domain_size(self) -> int:
        return self.count

    def indices(self, ctx: Context, n: int) -> npt.NDArray[np.int64]:
        if self.unique or self.distribution.kind == "uniform" or self.count > 2**53:
            return super().indices(ctx, n)
        low = float(self.low)
        high = float(self.low + (self.count - 1) * self.step)
        position = self.distribution.draw(ctx, self.pointer, n, low, high)
        return np.minimum(np.rint(position * (self.count - 1)), self.count - 1).astype(np.int64)

    def values_at(self, indices: npt.NDArray[np.int64], ctx: Context) -> list[Any]:
        if abs(self.low) < 2**62 and abs(self.low + self.count * self.step) < 2**62:
            return (self.low + indices * self.step).tolist()  # type: ignore[no-any-return]
        return [self.low + int(i) * self.step for i in indices.tolist()]

    def describe(self) -> dict[str, Any]:
        high = self.low + (self.count - 1) * self.step
        return {
            "generator": "integer",
            "range": [self.low, high],
            "step": self.step,
            "distribution": self.distribution.kind,
        }


def integer_range(
    schema: dict[str, Any], pointer: str, default_span: int = DEFAULT_SPAN
) -> tuple[int, int, int]:
    """(low, count, step) for an integer subschema, or SchemaError if no integer fits."""
    low_f = -math.inf
    high_f = math.inf
    if "minimum" in schema:
        low_f = max(low_f, schema["minimum"])
    if "exclusiveMinimum" in schema:
        low_f = max(low_f, math.floor(schema["exclusiveMinimum"]) + 1)
    if "maximum" in schema:
        high_f = min(high_f, schema["maximum"])
    if "exclusiveMaximum" in schema:
        high_f = min(high_f, math.ceil(schema["exclusiveMaximum"]) - 1)
    step = 1
    if "multipleOf" in schema:
        step = Fraction(str(schema["multipleOf"])).numerator
    if low_f == -math.inf and high_f == math.inf:
        low_f = 0 if "minimum" not in schema else low_f
        high_f = low_f + default_span
    elif low_f == -math.inf:
        low_f = min(0, high_f - default_span)
    elif high_f == math.inf:
        high_f = max(low_f, 0) + default_span
    try:
        low = math.ceil(low_f / step) * step if step > 1 else math.ceil(low_f)
        high = math.floor(high_f / step) * step if step > 1 else math.floor(high_f)
        exact = low >= low_f and high <= high_f and low <= high  # Python compares exactly
    except OverflowError:
        exact = False
    if not exact:
        # past 2**53 float division drifts (below the minimum, or an empty range after a
        # default span lost in rounding): the same range in exact arithmetic
        low, high = _exact_integer_range(schema, step, default_span)
    if low > high:
        raise SchemaError(
            pointer,
            "minimum/maximum",
            f"no integer{' multiple of ' + str(step) if step > 1 else ''} lies in [{low_f}, {high_f}]",
            "minimum <= maximum with room for a value",
        )
    return low, (high - low) // step + 1, step


def _exact_integer_range(schema: dict[str, Any], step: int, default_span: int) -> tuple[int, int]:
    """``integer_range``'s first and last multiple of ``step``, in exact arithmetic."""
    lows = [math.ceil(Fraction(schema["minimum"]))] if "minimum" in schema else []
    if "exclusiveMinimum" in schema:
        lows.append(math.floor(Fraction(schema["exclusiveMinimum"])) + 1)
    highs = [math.floor(Fraction(schema["maximum"]))] if "maximum" in schema else []
    if "exclusiveMaximum" in schema:
        highs.append(math.ceil(Fraction(schema["exclusiveMaximum"])) - 1)
    low = max(lows) if lows else None
    high = min(highs) if highs else None
    if low is None:
        low = 0 if high is None else min(0, high - default_span)
    if high is None:
        high = max(low, 0) + default_span
    return -(-low // step) * step, high // step * step


@dataclass
class NumberNode(Node):
    """Floats in a range, rounded for readability; exclusive bounds and ``multipleOf`` hold."""

    low: float
    high: float
    exclusive_low: bool = False
    exclusive_high: bool = False
    decimals: int = 2
    pointer: str = ""
    distribution: Distribution = field(default_factory=Distribution)

    def generate(self, ctx: Context, n: int) -> list[Any]:
        position = self.distribution.draw(ctx, self.pointer, n, self.low, self.high)
        if math.isfinite(self.high - self.low):
            values = self.low + position * (self.high - self.low)
        else:  # a range wider than the largest float: weigh its ends instead
            values = self.low * (1 - position) + self.high * position
        with np.errstate(over="ignore", invalid="ignore"):  # huge values round to inf
            rounded = np.round(values, self.decimals)
        inside = self._inside(rounded)
        values = np.where(inside, rounded, values)
        inside = self._inside(values)
        if not inside.all():
            values = np.where(inside, values, inner_number(self))
        return values.tolist()  # type: ignore[no-any-return]

    def _inside(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        low_ok = values > self.low if self.exclusive_low else values >= self.low
        high_ok = values < self.high if self.exclusive_high else values <= self.high
        return np.logical_and(low_ok, high_ok)

    def describe(self) -> dict[str, Any]:
        return {
            "generator": "number",
            "range": [self.low, self.high],
            "distribution": self.distribution.kind,
        }


def inner_number(node: NumberNode) -> float:
    """A float inside the node's range: its middle, else the float next to an end.

    The middle of a range one float wide rounds onto an end, which an exclusive bound
    leaves out, so the neighbours of the ends are tried too; ``number_node`` refuses a
    range with no float inside at all.
    """
    low, high = node.low, node.high
    middle = low + (high - low) / 2 if math.isfinite(high - low) else low / 2 + high / 2
    for candidate in (middle, math.nextafter(low, math.inf), math.nextafter(high, -math.inf)):
        if node._inside(np.array([candidate])).all():
            return candidate
    return middle


@dataclass
class MultipleNode(DomainNode):
    """Numbers ``k * multipleOf`` whose quotient checks exactly as validators compute it."""

    multiple: float
    first: int
    count: int
    pointer: str = ""
    unique: bool = False
    #: the subschema's range (low, high, exclusive low, exclusive high): a float form a few
    #: ulps off ``k * multipleOf`` must not step outside it
    bounds: tuple[float, float, bool, bool] = (-math.inf, math.inf, False, False)

    def domain_size(self) -> int:
        return self.count

    def values_at(self, indices: npt.NDArray[np.int64], ctx: Context) -> list[Any]:
        if max(abs(self.first), abs(self.first + self.count)) >= 2**62:
            # multiples past int64: exact Python ints
            return [self._nearest_exact(self.first + int(i)) for i in indices.tolist()]
        return [self._nearest_exact(k) for k in (self.first + indices).tolist()]

    def _nearest_exact(self, k: int) -> float | int:
        # some multiples have no float form that passes the test (690.1844 / 0.0001 is
        # 6901843.999...); the nearest multiple that has one is taken instead
        last = self.first + self.count - 1
        for offset in range(64):
            for candidate in (k + offset, k - offset):
                if self.first <= candidate <= last:
                    value = self.value(candidate)
                    if value is not None:
                        return value
        raise SchemaError(
            self.pointer,
            "multipleOf",
            f"no float near {_short(k)} * {self.multiple} passes a float division check",
            "a multipleOf with an exact binary form, such as 0.5 or 0.25",
        )

    def value(self, k: int) -> float | int | None:
        """``k * multiple`` in a float form whose quotient by ``multiple`` is a whole number.

        Validators test ``value / multipleOf`` in floating point, where ``7 * 0.01`` fails and
        ``0.07`` passes, so the first form that passes that very test is kept (None if none).
        """
        m = self.multiple
        if isinstance(m, int):
            return k * m
        try:
            exact = float(Fraction(str(m)) * k)
        except OverflowError:  # k * multiple past the largest float: no float form at all
            return None
        starts: tuple[float, ...]
        try:
            starts = (exact, k * m)
        except OverflowError:  # k past the float range (a tiny multipleOf)
            starts = (exact,)
        low, high, exclusive_low, exclusive_high = self.bounds
        for candidate in _neighbours(*starts):
            quotient = candidate / m
            inside = (candidate > low if exclusive_low else candidate >= low) and (
                candidate < high if exclusive_high else candidate <= high
            )
            if inside and math.isfinite(quotient) and quotient == int(quotient):
                return candidate
        return None

    def describe(self) -> dict[str, Any]:
        return {"generator": "multiple", "multipleOf": self.multiple, "count": self.count}


def _float_at_least(bound: float | int) -> float:
    """The least float not below ``bound`` (an integer past 2**53 may round down)."""
    value = float(bound)
    return math.nextafter(value, math.inf) if value < bound else value


def _float_at_most(bound: float | int) -> float:
    """The greatest float not above ``bound``."""
    value = float(bound)
    return math.nextafter(value, -math.inf) if value > bound else value


def _neighbours(*starts: float, steps: int = 8) -> list[float]:
    """Each start, then the floats a few ulps above and below it, nearest first."""
    out = list(starts)
    for start in starts:
        up = down = start
        for _ in range(steps):
            up = math.nextafter(up, math.inf)
            down = math.nextafter(down, -math.inf)
            out.extend((up, down))
    return out


def number_node(
    schema: dict[str, Any], pointer: str, distribution: Distribution, unique: bool
) -> Node:
    """The node for a ``number`` subschema (a float range, or a multipleOf grid)."""
    low, high = -math.inf, math.inf
    exclusive_low = exclusive_high = False
    if "minimum" in schema:
        low = _float_at_least(schema["minimum"])
    if "exclusiveMinimum" in schema and schema["exclusiveMinimum"] >= low:
        low, exclusive_low = _float_at_least(schema["exclusiveMinimum"]), True
    if "maximum" in schema:
        high = _float_at_most(schema["maximum"])
    if "exclusiveMaximum" in schema and schema["exclusiveMaximum"] <= high:
        high, exclusive_high = _float_at_most(schema["exclusiveMaximum"]), True
    defaulted = (low == -math.inf, high == math.inf)
    if low == -math.inf and high == math.inf:
        low, high = 0.0, float(DEFAULT_SPAN)
    elif low == -math.inf:
        low = min(0.0, high - DEFAULT_SPAN)
    elif high == math.inf:
        high = max(low, 0.0) + DEFAULT_SPAN
    if low > high or (low == high and (exclusive_low or exclusive_high)):
        raise SchemaError(
            pointer,
            "minimum/maximum",
            f"no number lies in the range ({low}, {high})",
            "minimum < maximum",
        )
    if "multipleOf" in schema:
        m = schema["multipleOf"]
        bounds = (low, high, exclusive_low, exclusive_high)
        first, last = _multiples(m, *bounds, defaulted)
        if first > last:
            raise SchemaError(
                pointer,
                "multipleOf",
                f"no multiple of {m} lies in the range [{low}, {high}]",
                "a wider range or a smaller multipleOf",
            )
        return MultipleNode(m, int(first), int(last - first + 1), pointer, unique, bounds)
    if unique:
        # a grid of hundredths keeps unique floats exact and readable
        try:
            first = math.ceil(low * 100) + (1 if exclusive_low else 0)
            count = max(1, math.floor((high - low) * 100) - 1)
        except OverflowError:  # a range past the float range in hundredths: exact
            first = math.ceil(Fraction(low) * 100) + (1 if exclusive_low else 0)
            count = max(1, math.floor((Fraction(high) - Fraction(low)) * 100) - 1)
        return MultipleNode(0.01, first, count, pointer, True)
    node = NumberNode(
        low, high, exclusive_low, exclusive_high, pointer=pointer, distribution=distribution
    )
    if not node._inside(np.array([inner_number(node)])).all():
        raise SchemaError(
            pointer,
            "minimum/maximum",
            f"no floating-point number lies in the range ({low}, {high})",
            "a range wider than one float",
        )
    return node


def _multiples(
    m: float,
    low: float,
    high: float,
    exclusive_low: bool,
    exclusive_high: bool,
    defaulted: tuple[bool, bool],
) -> tuple[int, int]:
    """The first and last ``k`` whose ``k * m`` lies in the range (first > last: none)."""
    try:
        first, last = _span(m, low, high, exclusive_low, exclusive_high)
        # a float multiple a few ulps off the range is mended by MultipleNode.value; an int
        # multiple cannot be (5e-324 / 77 underflows to 0, and 0 is below 5e-324), and past
        # 2**53 multiples float division drifts further: both are checked exactly
        exact = isinstance(m, int) or max(abs(first), abs(last)) >= 2**53
        if first <= last and (not exact or _within(first, last, m, low, high)):
            return first, last
    except OverflowError:  # low / m past the float range (a tiny multipleOf)
        pass
    # past 2**53 multiples float division drifts out of the range, and a default span
    # added to a huge bound is lost in rounding: the same range in exact arithmetic
    step = Fraction(m)
    exact_low, exact_high = Fraction(low), Fraction(high)
    if defaulted[0]:
        exact_low = min(Fraction(0), exact_high - DEFAULT_SPAN)
    elif defaulted[1]:
        exact_high = max(exact_low, Fraction(0)) + DEFAULT_SPAN
    return _span(step, exact_low, exact_high, exclusive_low, exclusive_high)


def _span(
    step: _Real, low: _Real, high: _Real, exclusive_low: bool, exclusive_high: bool
) -> tuple[int, int]:
    """The first and last ``k`` whose ``k * step`` lies in the range, computed in the numbers'
    own arithmetic (floats may overflow or drift; fractions are exact)."""
    first = math.ceil(low / step)
    last = math.floor(high / step)
    if exclusive_low and first * step <= low:
        first += 1
    if exclusive_high and last * step >= high:
        last -= 1
    return first, last


def _within(first: int, last: int, m: float, low: float, high: float) -> bool:
    """Whether ``first * m`` and ``last * m`` lie in ``[low, high]``, exactly."""
    step = Fraction(m)
    return Fraction(first) * step >= Fraction(low) and Fraction(last) * step <= Fraction(high)


def _short(number: int) -> str:
    """``number`` for a message: in full up to 20 digits, else its head and exponent."""
    text = str(abs(number))
    if len(text) <= 20:
        return str(number)
    return f"{'-' if number < 0 else ''}{text[0]}.{text[1:4]}e{len(text) - 1}"
