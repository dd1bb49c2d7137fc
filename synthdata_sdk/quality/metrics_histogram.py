"""Summary statistics of one numeric column: moments, quantiles and histogram bins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

#: the quantiles a numeric field reports, by name
QUANTILES = {
    "p01": 0.01,
    "p05": 0.05,
    "p25": 0.25,
    "p50": 0.50,
    "p75": 0.75,
    "p95": 0.95,
    "p99": 0.99,
}
#: equal-width bins of a continuous histogram
BINS = 20
#: integer columns spanning at most this many values get one bin per value
MAX_DISCRETE_SPAN = 40


@dataclass(frozen=True)
class Histogram:
    """Bin ``i`` counts values in ``[edges[i], edges[i + 1])`` (the last bin is closed).

    ``discrete`` histograms have one bin per integer: bin ``i`` holds the value ``edges[i]``.
    """

    edges: list[float]
    counts: list[int]
    discrete: bool

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return asdict(self)


@dataclass(frozen=True)
class NumericStats:
    """Moments, quantiles (linear interpolation) and a histogram of a numeric field.

    ``stddev`` is the population standard deviation; ``min`` and ``max`` keep the values'
    own type (an integer column has integer bounds).
    """

    min: float
    max: float
    mean: float
    stddev: float
    quantiles: dict[str, float]
    histogram: Histogram

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return {**asdict(self), "histogram": self.histogram.to_json()}


@dataclass(frozen=True)
class LengthStats:
    """Lengths of a field's strings (characters) or arrays (items), with their histogram."""

    min: int
    max: int
    mean: float
    histogram: Histogram

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return {**asdict(self), "histogram": self.histogram.to_json()}


def numeric_stats(values: Sequence[float], low: float, high: float) -> NumericStats:
    """Statistics of a non-empty column whose exact bounds are ``low`` and ``high``."""
    array = np.asarray(values, dtype=np.float64)
    quantiles = np.quantile(array, list(QUANTILES.values()))
    return NumericStats(
        min=low,
        max=high,
        mean=float(array.mean()),
        stddev=float(array.std()),
        quantiles={name: float(q) for name, q in zip(QUANTILES, quantiles, strict=True)},
        histogram=histogram(array),
    )


def length_stats(lengths: Mapping[int, int]) -> LengthStats:
    """Statistics of a non-empty ``length -> count`` tally."""
    values = np.fromiter(lengths.keys(), dtype=np.float64, count=len(lengths))
    weights = np.fromiter(lengths.values(), dtype=np.float64, count=len(lengths))
    return LengthStats(
        min=min(lengths),
        max=max(lengths),
        mean=float(np.average(values, weights=weights)),
        histogram=histogram(values, weights),
    )


def histogram(
    values: np.ndarray[Any, Any], weights: np.ndarray[Any, Any] | None = None
) -> Histogram:
    """Bins of a non-empty column, each value counted ``weights[i]`` times if given."""
    low, high = float(values.min()), float(values.max())
    if np.all(np.mod(values, 1) == 0) and high - low < MAX_DISCRETE_SPAN:
        offsets = (values - low).astype(np.int64)
        counts = np.bincount(offsets, weights=weights, minlength=int(high - low) + 1)
        edges = [low + i for i in range(len(counts) + 1)]
        return Histogram(edges, _ints(counts), discrete=True)
    binned, bounds = np.histogram(values, bins=BINS, weights=weights)
    return Histogram([float(e) for e in bounds], _ints(binned), discrete=False)


def _ints(counts: np.ndarray[Any, Any]) -> list[int]:
    # weighted counts come back as floats
    return [int(c) for c in np.rint(counts).astype(np.int64)]
