"""hypothesis strategies of synthdata records: ``records`` for one, ``datasets`` for lists.

The engine draws every value from the random streams of its context (``Context.stream``).
Here those streams are fed by hypothesis: each draw the engine asks for (a length, an index
into a pool, a branch, a position in a range) is one hypothesis choice. The records are the
engine's own, so they are valid against the schema and hold only safe values (reserved
domains, test card numbers, never-issued SSNs), while hypothesis explores and shrinks them. A
choice shrinks towards 0, which the engine maps to its first option: the shortest length,
the lowest number, the first enum value, pool entry or branch, an optional property left out.

hypothesis is a test dependency, not one of the core's: this module imports it only when a
strategy is built, and a missing hypothesis is an ``ExtraNotInstalledError`` saying what to
install.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from synthdata_sdk.arguments import check_bool, check_path
from synthdata_sdk.errors import ExtraNotInstalledError, SchemaError, TableSetNotSupportedError
from synthdata_sdk.generation.nodes.base import Context
from synthdata_sdk.generation.random import FloatArray, Int64Array, RandomStream, UInt64Array
from synthdata_sdk.options import DEFAULT_LOCALE, MAX_SEED, OptionError, RequestOptions

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from synthdata_sdk.generation.planner import Plan
    from synthdata_sdk.generation.tables import TableSetPlan
    from synthdata_sdk.schema.sources import SchemaSource
    from synthdata_sdk.schema.table_set import PerParent, Reference

__all__ = ["TableSetNotSupportedError", "datasets", "records"]

#: what to run when hypothesis is missing (it comes with the test extra too)
HYPOTHESIS_HINT = "pip install 'synthdata[hypothesis]'"
#: the most rows ``datasets`` draws in one example: hypothesis keeps each example small
MAX_DATASET_ROWS = 1000

#: below this, an index is one integer choice, which hypothesis spreads evenly
_SMALL = 256
#: the steps of a uniform draw in [0, 1): 48 bits, exact as floats
_UNIFORM_STEPS = 2**48
#: ``draw`` inside a composite strategy: a strategy in, one of its values out
_Draw = Callable[[Any], Any]


def records(
    source: SchemaSource,
    *,
    locale: str = DEFAULT_LOCALE,
    compliance: str | Iterable[str] = (),
    base_dir: str | Path | None = None,
    strict_keywords: bool = False,
) -> SearchStrategy[dict[str, Any]]:
    """A strategy of single records of ``source``, drawn (and shrunk) by hypothesis.

    ``source``, ``locale``, ``compliance``, ``base_dir`` and ``strict_keywords`` mean what
    they mean to ``SynthDataClient.generate``; a bad one raises at once (``RequestError``,
    ``SchemaError``). There is no ``seed`` or ``rows``: hypothesis chooses every value.
    """
    _require_hypothesis()
    import hypothesis.strategies as st

    source_plan = _prepare(source, locale, compliance, base_dir, strict_keywords, rows=1)
    if isinstance(source_plan, _TableSetDraw):
        raise TableSetNotSupportedError(
            "records() draws one record of one table; for a table set ({'tables': {...}} or a"
            " bundle name) use datasets(), which gives a dict of tables, or records() of one"
            " table's schema"
        )
    single = source_plan

    def draw_record(draw: _Draw) -> dict[str, Any]:
        return single.draw(draw, 1)[0]

    return st.composite(draw_record)()


def datasets(
    source: SchemaSource,
    min_rows: int = 0,
    max_rows: int = 10,
    *,
    locale: str = DEFAULT_LOCALE,
    compliance: str | Iterable[str] = (),
    base_dir: str | Path | None = None,
    strict_keywords: bool = False,
) -> SearchStrategy[Any]:
    """A strategy of lists of ``min_rows`` to ``max_rows`` records of ``source``.

    The rows are drawn together, as one dataset: columns the schema marks unique
    (``x-synthdata: {"unique": true}``) hold distinct values across the list. A table set
    (``{"tables": {...}}`` or a bundle name) gives a dict of table name to records instead:
    each table not counted ``per_parent`` has ``min_rows`` to ``max_rows`` rows, and every
    reference names a row of its parent table. The other arguments are those of
    :func:`records`.
    """
    _require_hypothesis()
    import hypothesis.strategies as st

    low = _row_count("min_rows", min_rows)
    high = _row_count("max_rows", max_rows)
    if low > high:
        raise OptionError("max_rows", f"expected at least min_rows ({low}), got {high}")
    source_plan = _prepare(source, locale, compliance, base_dir, strict_keywords, rows=high)
    sizes = st.integers(low, high)

    def draw_dataset(draw: _Draw) -> Any:
        if isinstance(source_plan, _TableSetDraw):
            return source_plan.draw(draw, sizes)
        return source_plan.draw(draw, draw(sizes))

    return st.composite(draw_dataset)()


@dataclass(frozen=True)
class _SourcePlan:
    """A source loaded, normalised and planned once; ``draw`` makes records through hypothesis."""

    plan: Plan
    locale: str
    model: type | None

    def draw(self, draw: _Draw, rows: int) -> list[dict[str, Any]]:
        """``rows`` records whose every random choice is made by ``draw``."""
        import hypothesis.strategies as st
        from hypothesis import reject

        # the seed only places unique columns (a permutation of the row numbers), so those
        # stay distinct across rows whatever hypothesis chooses
        seed = draw(st.integers(0, MAX_SEED))
        ctx = _DrawnContext(seed=seed, chunk=0, locale=self.locale, row_start=0, draw=draw)
        try:
            values: list[dict[str, Any]] = self.plan.root.generate(ctx, rows)
        except SchemaError:
            # the plan was drawn once with the engine's own streams (see ``_prepare``); a
            # check that keeps failing for these choices (all zeros, say) is not a record
            reject()
        return self._model_checked(ctx, values)

    def _model_checked(self, ctx: Context, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``values``, with the records the source's pydantic model rejects drawn again.

        As in the client (``schema.model_check``): a model's validators may refuse records
        its schema allows; those rows are drawn again, through hypothesis too, and the
        example is discarded if some row is still refused after the model check's attempts.
        """
        if self.model is None or not values:
            return values
        from hypothesis import reject

        from synthdata_sdk.errors import ModelRejectedError
        from synthdata_sdk.generation.redraw import ATTEMPT_SPACING
        from synthdata_sdk.schema.model_check import ModelCheck

        def redraw(positions: Sequence[int], attempt: int) -> list[dict[str, Any]]:
            again = replace(ctx, attempt=attempt * ATTEMPT_SPACING).subset(positions)
            rows: list[dict[str, Any]] = self.plan.root.generate(again, len(positions))
            return rows

        try:
            return ModelCheck(self.model, redraw).check(values)
        except ModelRejectedError:
            reject()


@dataclass(frozen=True)
class _TableSetDraw:
    """A table set read and planned once; ``draw`` makes its tables through hypothesis."""

    plan: TableSetPlan
    locale: str

    def draw(self, draw: _Draw, sizes: SearchStrategy[int]) -> dict[str, list[dict[str, Any]]]:
        """Every table, parents first, filled as ``generation.tables`` fills them, with
        hypothesis making every choice."""
        import hypothesis.strategies as st

        from synthdata_sdk.generation.tables import fill_tables

        seed = draw(st.integers(0, MAX_SEED))
        return fill_tables(self.plan.tables, _HypothesisDraws(self, draw, sizes, seed))


@dataclass(frozen=True)
class _HypothesisDraws:
    """A table set's choices made by hypothesis (``generation.tables.TableDraws``)."""

    source: _TableSetDraw
    draw: _Draw
    sizes: SearchStrategy[int]
    seed: int

    def rows(self, name: str) -> int:
        return int(self.draw(self.sizes))

    def parents(self, name: str, parent_rows: int) -> list[int]:
        per_row = _child_counts(self.source.plan.tables.per_parent[name])
        parents: list[int] = []
        for row in range(parent_rows):
            parents.extend([row] * self.draw(per_row))
        return parents

    def records(self, name: str, count: int) -> list[dict[str, Any]]:
        from hypothesis import reject

        from synthdata_sdk.generation.tables import table_seed

        # each plan was made for the most rows its table can have (plan_table_set)
        ctx = _DrawnContext(
            seed=table_seed(self.seed, name),
            chunk=0,
            locale=self.source.locale,
            row_start=0,
            draw=self.draw,
        )
        try:
            records: list[dict[str, Any]] = self.source.plan.plans[name].root.generate(ctx, count)
        except SchemaError:
            reject()
        return records

    def references(self, ref: Reference, keys: list[Any], count: int) -> list[Any]:
        from hypothesis import reject

        stream = _DrawnStream(self.draw)
        if keys:
            values = [keys[i] for i in stream.integers(count, len(keys)).tolist()]
        elif ref.nullable or not count:
            values = [None] * count
        else:
            reject()  # rows that must reference a parent drawn with no rows
        if ref.nullable and ref.null_rate > 0 and count:
            nulls = stream.bernoulli(count, ref.null_rate).tolist()
            values = [None if null else v for v, null in zip(values, nulls, strict=True)]
        return values


@dataclass(frozen=True)
class _DrawnContext(Context):
    """The engine's context, with streams whose draws hypothesis makes."""

    draw: _Draw | None = field(default=None, compare=False, repr=False)
    #: the keys drawn for each group, rows and attempt: every member reads the same ones
    drawn_keys: dict[tuple[Any, ...], npt.NDArray[np.int64]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def shared_keys(
        self, label: str, rows: npt.NDArray[np.int64], size: int
    ) -> npt.NDArray[np.int64]:
        # the keys a record's agreeing columns share (a name and its e-mail, a birth date
        # and the age) are hypothesis choices too, so they shrink towards the first option;
        # drawn once per group and rows, as each member asks for them in turn
        place = (label, size, self.attempt, tuple(rows.tolist()))
        if place not in self.drawn_keys:
            self.drawn_keys[place] = self.stream(label, "record").integers(len(rows), size)
        return self.drawn_keys[place]

    def stream(self, pointer: str, purpose: str = "") -> RandomStream:
        assert self.draw is not None
        # a redraw (a check refused a value, or a branch failed) must not repeat the refused
        # draw when hypothesis makes the same choices (all zeros, when shrinking): its
        # choices are shifted by the engine's own stream for that attempt
        shifts = super().stream(pointer, purpose) if self.attempt else None
        return _DrawnStream(self.draw, shifts)


class _DrawnStream(RandomStream):
    """A ``RandomStream`` whose draws are hypothesis choices, each shrinking towards 0.

    hypothesis draws small integers far more often than large ones, which would pin every
    uniform to 0 and every index to a pool's first few entries. So a small index is one
    integer choice (uniform below 256) and anything wider is a choice of random bytes read
    as a fraction: both spread evenly and shrink towards 0. ``weighted`` and ``normal``
    build on ``uniform`` as in the parent, so 0 picks the first option and the mean.

    ``shifts`` (the stream of a redraw) moves each choice around its range by a draw of the
    engine's own, so that zero choices give the engine's redraw rather than the first
    option again.
    """

    #: a pattern's drawer reads uniforms ahead; here each one is a choice, so one at a time
    prefetch = 1

    def __init__(self, draw: _Draw, shifts: RandomStream | None = None) -> None:
        # no bit generator of its own: every value below comes from ``draw``
        self._draw = draw
        self._shifts = shifts

    def _below(self, size: int) -> int:
        """One choice of an integer in [0, size), evenly spread whatever the size."""
        if size <= _SMALL:
            value = int(self._draw(_small(size)))
        else:
            width = size.bit_length() // 8 + 2  # a byte beyond the size: near-even shares
            value = int.from_bytes(self._draw(_binary(width)), "big") * size >> (8 * width)
        if self._shifts is None:
            return value
        return (value + (int(self._shifts.raw(1)[0]) * size >> 64)) % size

    def raw(self, n: int) -> UInt64Array:
        return np.array([self._below(2**64) for _ in range(n)], dtype=np.uint64)

    def uniform(self, n: int) -> FloatArray:
        fractions = [self._below(_UNIFORM_STEPS) for _ in range(n)]
        return np.array(fractions, dtype=np.float64) / float(_UNIFORM_STEPS)

    def integers(self, n: int, size: int) -> Int64Array:
        if size <= 0:
            raise ValueError("size must be positive")
        if size == 1:
            return np.zeros(n, dtype=np.int64)
        return np.array([self._below(size) for _ in range(n)], dtype=np.int64)

    def big_integers(self, n: int, size: int) -> list[int]:
        return [self._below(size) for _ in range(n)]

    def bernoulli(self, n: int, rate: float) -> npt.NDArray[np.bool_]:
        # True for the top ``rate`` of the range, so a choice of 0 gives False: an optional
        # property shrinks to absent and a nullable value to a value
        return self.uniform(n) >= 1.0 - rate


def _child_counts(bounds: PerParent) -> SearchStrategy[int]:
    """The child rows of one parent: any count in the bounds the engine can draw (weights
    leave out the counts weighted 0), shrinking towards the fewest."""
    import hypothesis.strategies as st

    distribution = bounds.distribution
    if distribution is not None and distribution["kind"] == "weights":
        weights = distribution["weights"]
        return st.sampled_from([bounds.low + i for i, weight in enumerate(weights) if weight > 0])
    return st.integers(bounds.low, bounds.high)


@cache
def _small(size: int) -> SearchStrategy[int]:
    import hypothesis.strategies as st

    return st.integers(0, size - 1)


@cache
def _binary(width: int) -> SearchStrategy[bytes]:
    import hypothesis.strategies as st

    return st.binary(min_size=width, max_size=width)


def _prepare(
    source: SchemaSource,
    locale: object,
    compliance: object,
    base_dir: object,
    strict_keywords: object,
    *,
    rows: int,
) -> _SourcePlan | _TableSetDraw:
    """Check the options, load, normalise and plan ``source`` for ``rows`` rows (per table).

    A schema the engine cannot draw is refused here, by one ordinary draw, rather than by
    hypothesis finding no example.
    """
    from synthdata_sdk.generation.engine import generate_chunk
    from synthdata_sdk.generation.planner import plan_records
    from synthdata_sdk.schema.normalize import normalize_root
    from synthdata_sdk.schema.sources import load_source
    from synthdata_sdk.schema.table_set import is_table_set

    options = RequestOptions.from_mapping({"locale": locale, "compliance": compliance})
    folder = check_path("base_dir", base_dir, optional=True)
    strict = check_bool("strict_keywords", strict_keywords)
    loaded = load_source(source, folder)  # a bundle's name reads as its table set
    if is_table_set(loaded.schema):
        return _plan_table_set(loaded.schema, options, strict, rows)
    schema = normalize_root(loaded.schema, strict_keywords=strict)
    plan = plan_records(schema, locale=options.locale, rows=rows, compliance=options.compliance)
    generate_chunk(plan, seed=0, locale=options.locale, rows=1, chunk=0)
    return _SourcePlan(plan, options.locale, loaded.model)


def _plan_table_set(
    document: Mapping[str, Any], options: RequestOptions, strict: bool, rows: int
) -> _TableSetDraw:
    """A table set read and planned for ``rows`` rows per table not counted per parent."""
    from synthdata_sdk.generation.tables import generate_table_set, plan_table_set
    from synthdata_sdk.schema.table_set import read_table_set

    tables = read_table_set(document, strict_keywords=strict)
    free = {name: rows for name in tables.order if name not in tables.per_parent}
    plan = plan_table_set(tables, free, locale=options.locale, compliance=options.compliance)
    probe = {name: min(rows, 1) for name in free}
    generate_table_set(plan, probe, seed=0, locale=options.locale, compliance=options.compliance)
    return _TableSetDraw(plan, options.locale)


def _row_count(option: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise OptionError(
            option, f"expected an integer from 0 to {MAX_DATASET_ROWS}, got {value!r}"
        )
    if not 0 <= value <= MAX_DATASET_ROWS:
        raise OptionError(
            option,
            f"expected an integer from 0 to {MAX_DATASET_ROWS} (hypothesis examples stay "
            f"small; use the synthdata marker for large datasets), got {value}",
        )
    return value


def _require_hypothesis() -> None:
    """Raise ExtraNotInstalledError, saying how to install it, when hypothesis is missing."""
    try:
        import hypothesis  # noqa: F401
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] != "hypothesis":
            raise
        raise ExtraNotInstalledError(
            "synthdata_sdk.strategies needs hypothesis, which is not installed: "
            f"{HYPOTHESIS_HINT} (the [test] extra brings it too)"
        ) from None
