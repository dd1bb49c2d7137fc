"""The vectorised building blocks: number text, joins, ASCII rows and bijective mixing."""

from __future__ import annotations

import numpy as np
import pytest

from synthdata_sdk.generation.semantics.mixing import scramble
from synthdata_sdk.generation.semantics.pools import Pool
from synthdata_sdk.generation.semantics.render import (
    clock_times,
    codes,
    iso_dates,
    join,
    padded,
    plain,
    rows_as_text,
)


@pytest.mark.parametrize("width", [1, 2, 3, 4, 5, 7, 9])
def test_padded_writes_zero_padded_decimals(width: int) -> None:
    values = np.random.default_rng(width).integers(0, 10**width, 500)
    assert padded(values, width).tolist() == [f"{v:0{width}d}" for v in values.tolist()]


def test_plain_writes_decimals_without_padding() -> None:
    assert plain(np.array([0, 7, 42, 9999])).tolist() == ["0", "7", "42", "9999"]


def test_join_concatenates_arrays_lists_and_constants() -> None:
    left = np.array(["a", "b"], dtype=object)
    assert join(left, "-", ["x", "y"], "!") == ["a-x!", "b-y!"]
    with pytest.raises(ValueError, match="at least one array"):
        join("a", "b")


@pytest.mark.parametrize("first", ["1934-01-02", "1970-01-01", "2000-01-01"])
def test_iso_dates_match_numpy_calendar_text(first: str) -> None:
    start = np.datetime64(first, "D")
    count = 30_000  # past 2016-02-29 and 2000-02-29 from every start
    offsets = np.arange(count)

    dates = iso_dates(start, offsets[::-1], count)

    assert dates.tolist() == (start + offsets[::-1]).astype("U10").tolist()
    assert iso_dates(np.datetime64(f"{first}T12:00:00", "s"), offsets[:1], count)[0] == first


def test_clock_times_cover_the_day() -> None:
    seconds = np.arange(86_400)

    times = clock_times(seconds).tolist()

    stamps = (np.datetime64("2000-01-01T00:00:00", "s") + seconds).astype(str)
    assert times == [stamp[11:] for stamp in stamps.tolist()]


def test_rows_as_text_reads_ascii_code_rows() -> None:
    matrix = codes("0123456789")[np.array([[1, 2, 3], [9, 0, 0]])]
    assert rows_as_text(matrix) == ["123", "900"]


@pytest.mark.parametrize(("bits", "salt"), [(12, 0), (12, 1), (16, 7)])
def test_scramble_is_a_bijection_on_its_bit_range(bits: int, salt: int) -> None:
    values = np.arange(2**bits, dtype=np.uint64)
    mixed = scramble(values, bits, salt)
    assert np.array_equal(np.sort(mixed), values)
    assert not np.array_equal(mixed, values)


def test_pools_deduplicate_in_first_seen_order_and_refuse_emptiness() -> None:
    assert Pool.of(["b", "a", "b", "c", "a"]).items == ("b", "a", "c")
    with pytest.raises(ValueError, match="empty"):
        Pool.of([])
