"""Per-field metrics: an accumulator fed one value at a time, and the ``FieldQuality`` it gives."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from synthdata_sdk.quality.metrics_constraints import Rule
from synthdata_sdk.quality.metrics_histogram import (
    LengthStats,
    NumericStats,
    length_stats,
    numeric_stats,
)
from synthdata_sdk.quality.metrics_values import (
    ValueKey,
    is_number,
    json_type,
    key_value,
    value_key,
)

#: how many of the most frequent values a categorical field lists
TOP_K = 10
#: a string or boolean field is categorical below this distinct/non-null ratio...
CATEGORICAL_RATIO = 0.5
#: ...or with at most this many distinct values
CATEGORICAL_MAX_DISTINCT = 50
#: the path of a record that is not an object (a schema whose root is not an object)
ROOT_PATH = "$"


@dataclass(frozen=True)
class TopValue:
    """One frequent value of a categorical field and how many rows hold it."""

    value: Any
    count: int

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return {"value": self.value, "count": self.count}


@dataclass(frozen=True)
class ConstraintCheck:
    """One schema keyword of one field: how many values were checked and how many broke it.

    For ``unique`` a violation is each repeat of a value already seen in the field.
    """

    table: str
    path: str
    keyword: str
    expected: Any
    checked: int
    violations: int

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "table": self.table,
            "path": self.path,
            "keyword": self.keyword,
            "expected": self.expected,
            "checked": self.checked,
            "violations": self.violations,
        }


@dataclass(frozen=True)
class FieldQuality:
    """The metrics of one field of one table.

    ``path`` is dotted for nested objects; arrays are one field (``items`` holds their length
    statistics). ``kind`` is the JSON type of the non-null values (``number`` for integers
    and floats together, ``mixed`` for several types, ``null`` when every value is missing).
    ``uniqueness`` is ``distinct / non_null`` (None without non-null values).
    ``checked_values`` counts non-null values checked against at least one constraint and
    ``violating_values`` those that broke at least one.
    """

    table: str
    path: str
    kind: str
    rows: int
    nulls: int
    distinct: int
    types: dict[str, int]
    categorical: bool
    top_values: list[TopValue] = field(default_factory=list)
    numeric: NumericStats | None = None
    lengths: LengthStats | None = None
    items: LengthStats | None = None
    constraints: list[ConstraintCheck] = field(default_factory=list)
    checked_values: int = 0
    violating_values: int = 0

    @property
    def non_null(self) -> int:
        """Rows with a non-null value."""
        return self.rows - self.nulls

    @property
    def null_rate(self) -> float:
        """Share of rows where the field is missing or null (0.0 for an empty table)."""
        return self.nulls / self.rows if self.rows else 0.0

    @property
    def uniqueness(self) -> float | None:
        """Distinct values per non-null value."""
        return self.distinct / self.non_null if self.non_null else None

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "table": self.table,
            "path": self.path,
            "kind": self.kind,
            "rows": self.rows,
            "nulls": self.nulls,
            "null_rate": self.null_rate,
            "distinct": self.distinct,
            "uniqueness": self.uniqueness,
            "types": dict(self.types),
            "categorical": self.categorical,
            "top_values": [top.to_json() for top in self.top_values],
            "numeric": self.numeric.to_json() if self.numeric else None,
            "lengths": self.lengths.to_json() if self.lengths else None,
            "items": self.items.to_json() if self.items else None,
            "constraints": [check.to_json() for check in self.constraints],
            "checked_values": self.checked_values,
            "violating_values": self.violating_values,
        }


def leaves(record: Any) -> Iterator[tuple[str, Any]]:
    """``(dotted path, value)`` for every non-object value of a record; arrays are leaves."""
    if isinstance(record, Mapping):
        yield from _leaves(record, "")
    else:
        yield ROOT_PATH, record


def _leaves(record: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, Any]]:
    for name, value in record.items():
        path = f"{prefix}{name}"
        if isinstance(value, Mapping):
            yield from _leaves(value, f"{path}.")
        else:
            yield path, value


class FieldAccumulator:
    """Takes a field's values one at a time; ``finish`` gives its ``FieldQuality``."""

    def __init__(self, rules: Sequence[Rule] = ()) -> None:
        self.rules = list(rules)
        self.counts: dict[ValueKey, int] = {}
        self.types: Counter[str] = Counter()
        self.numbers: list[float] = []
        self.low: float | None = None
        self.high: float | None = None
        self.lengths: Counter[int] = Counter()
        self.items: Counter[int] = Counter()
        self.checked = [0] * len(self.rules)
        self.broken = [0] * len(self.rules)
        self.checked_values = 0
        self.violating_values = 0

    def add(self, value: Any) -> None:
        """Count one value; None counts as null (missing values are never added)."""
        if value is None:
            return
        kind = json_type(value)
        self.types[kind] += 1
        key = value_key(value)
        seen = self.counts.get(key, 0)
        self.counts[key] = seen + 1
        if is_number(value):
            self._add_number(value)
        elif kind == "string":
            self.lengths[len(value)] += 1
        elif kind == "array":
            self.items[len(value)] += 1
        if self.rules:
            self._check(value, kind, repeat=seen > 0)

    def _add_number(self, value: float) -> None:
        self.numbers.append(float(value))
        if self.low is None or value < self.low:
            self.low = value
        if self.high is None or value > self.high:
            self.high = value

    def _check(self, value: Any, kind: str, *, repeat: bool) -> None:
        checked = broken = False
        for i, rule in enumerate(self.rules):
            if not rule.applies(kind):
                continue
            checked = True
            self.checked[i] += 1
            ok = not repeat if rule.test is None else rule.test(value)
            if not ok:
                broken = True
                self.broken[i] += 1
        self.checked_values += checked
        self.violating_values += broken

    def finish(self, table: str, path: str, rows: int) -> FieldQuality:
        """The field's metrics in a table of ``rows`` records."""
        non_null = sum(self.types.values())
        kind = _kind(self.types)
        distinct = len(self.counts)
        categorical = (
            kind in ("string", "boolean")
            and non_null > 0
            and (distinct / non_null < CATEGORICAL_RATIO or distinct <= CATEGORICAL_MAX_DISTINCT)
        )
        numeric = None
        if self.numbers and self.low is not None and self.high is not None:
            numeric = numeric_stats(self.numbers, self.low, self.high)
        return FieldQuality(
            table=table,
            path=path,
            kind=kind,
            rows=rows,
            nulls=max(rows - non_null, 0),  # a key "a.b" beside a nested a.b shares a path
            distinct=distinct,
            types=dict(sorted(self.types.items())),
            categorical=categorical,
            top_values=self._top_values() if categorical else [],
            numeric=numeric,
            lengths=length_stats(self.lengths) if self.lengths else None,
            items=length_stats(self.items) if self.items else None,
            constraints=[
                ConstraintCheck(table, path, rule.keyword, rule.expected, checked, broken)
                for rule, checked, broken in zip(self.rules, self.checked, self.broken, strict=True)
            ],
            checked_values=self.checked_values,
            violating_values=self.violating_values,
        )

    def _top_values(self) -> list[TopValue]:
        # most frequent first; ties in order of the values' text, so reports are stable
        ranked = sorted(self.counts.items(), key=lambda item: (-item[1], str(key_value(item[0]))))
        return [TopValue(key_value(key), count) for key, count in ranked[:TOP_K]]


def _kind(types: Mapping[str, int]) -> str:
    present = set(types)
    if not present:
        return "null"
    if present <= {"integer", "number"}:
        return "integer" if present == {"integer"} else "number"
    if len(present) == 1:
        return present.pop()
    return "mixed"
