"""Parallel chunks: the caller and a pool share the work, and the records never change.

Covers the column transport (joined or coded text, with a fallback to the values themselves,
through a spool directory), the in-order scheduler that lets the caller draw chunks while it waits, and the pooled engine end
to end: ``workers=2`` and ``workers=3`` give what ``workers=1`` gives.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synthdata_sdk.generation import engine
from synthdata_sdk.generation.engine import iter_chunks
from synthdata_sdk.generation.transport import (
    SEPARATOR,
    Coded,
    Spool,
    pack_column,
    pack_columns,
    receive,
    send,
    unpack_column,
    unpack_columns,
)
from synthdata_sdk.schema.normalize import normalize

MIXED = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 1, "maximum": 10**9, "x-synthdata": {"unique": True}},
        "name": {"type": "string", "maxLength": 12},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "active": {"type": "boolean"},
        "note": {"type": ["string", "null"], "maxLength": 8, "x-synthdata": {"null_rate": 0.3}},
        "odd": {"enum": ["plain", f"has{SEPARATOR}separator", ""]},
        "tier": {"enum": ["gold", "silver", "bronze"]},
        "joined": {"type": "string", "format": "date-time"},
        "address": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "maxLength": 10},
                "zip": {"type": "string", "pattern": "^[0-9]{5}$"},
            },
            "required": ["city", "zip"],
        },
        "tags": {"type": "array", "items": {"enum": ["a", "b", "c"]}, "maxItems": 3},
    },
    "required": ["id", "name", "score", "active", "odd", "tier", "joined", "address", "tags"],
    "additionalProperties": False,
}


def records(schema: dict[str, Any], rows: int, workers: int, seed: int = 7) -> list[Any]:
    chunks = iter_chunks(normalize(schema), rows=rows, seed=seed, locale="en_US", workers=workers)
    return [value for chunk in chunks for value in chunk]


# the column transport


@pytest.mark.parametrize(
    "values",
    [
        ["a", "bb", "", "ccc"],
        [""],
        ["only"],
        ["é", "\ud800", "日本", "\x00"],
        [str(number) for number in range(3000)],
    ],
)
def test_all_str_columns_travel_joined(values: list[str]) -> None:
    packed = pack_column(values)

    assert isinstance(packed, str)
    assert unpack_column(packed) == values


@pytest.mark.parametrize(
    "values",
    [
        ["", ""],
        ["gold", "silver", "gold", "gold", "bronze", "gold"],
        [f"name{number % 40}" for number in range(3000)],
    ],
)
def test_columns_that_repeat_values_travel_coded_and_share_them(values: list[str]) -> None:
    packed = pack_column(values)

    back = unpack_column(packed)
    assert isinstance(packed, Coded)
    assert back == values
    assert len({id(value) for value in back}) == len(set(values))


def test_a_sample_that_repeats_is_not_enough_to_code_a_column() -> None:
    values = ["same"] * 1024 + [str(number) for number in range(3000)]

    packed = pack_column(values)

    assert isinstance(packed, str)
    assert unpack_column(packed) == values


class Tagged(str):
    """A str subclass: the join would turn it into a plain str, so it must not be used."""


@pytest.mark.parametrize(
    "values",
    [
        [],
        ["a", f"b{SEPARATOR}c"],
        [SEPARATOR],
        [SEPARATOR, SEPARATOR, "a", "a"],
        ["a", None, "b"],
        [1, 2, 3],
        ["1", 1],
        [{"a": "b"}, {"a": "c"}],
        [["x"], ["y"]],
        ["a", Tagged("b")],
    ],
)
def test_other_columns_travel_as_they_are(values: list[Any]) -> None:
    packed = pack_column(values)

    assert packed is values
    assert unpack_column(packed) is values


@given(st.lists(st.text(alphabet=st.sampled_from(["a", "é", SEPARATOR, "\n"]), max_size=3)))
def test_any_text_column_round_trips_exactly(values: list[str]) -> None:
    back = unpack_column(pack_column(values))

    assert back == values
    assert all(type(value) is str for value in back)


def test_columns_pack_one_by_one() -> None:
    columns: list[list[Any]] = [["a", "b"], [1, None], [f"x{SEPARATOR}", "y"]]

    packed = pack_columns(columns)

    assert packed == ["a\x1fb", [1, None], [f"x{SEPARATOR}", "y"]]
    assert unpack_columns(packed) == columns


def test_a_spooled_chunk_comes_back_the_same_and_leaves_no_file() -> None:
    drawn = (["s", "n", "odd"], [["a", "b"], [1, None], [SEPARATOR, "c"]], 2)

    with Spool() as spool:
        path = send(spool.directory, 3, drawn)
        assert receive(path) == drawn
        assert list(Path(spool.directory).iterdir()) == []


def test_closing_the_spool_removes_chunks_left_in_it() -> None:
    spool = Spool()
    send(spool.directory, 0, (None, [["x"]], 1))

    spool.close()

    assert not Path(spool.directory).exists()


# the in-order scheduler


class Pending(Future[int]):
    """A pool result that is never done before the caller asks for it."""

    def __init__(self, value: int, log: list[str]) -> None:
        super().__init__()
        self.value = value
        self.log = log

    def result(self, timeout: float | None = None) -> int:
        if not self.done():
            self.log.append(f"wait {self.value}")
            self.set_result(self.value)
        return super().result(timeout)


def schedule(
    chunks: int, submit: Callable[[int], Future[int]], log: list[str], **limits: int
) -> Iterator[int]:
    def own(chunk: int) -> int:
        log.append(f"own {chunk}")
        return chunk

    return engine._in_order(chunks, submit, own, **limits)


def test_the_caller_draws_chunks_while_the_pool_is_busy_and_order_holds() -> None:
    log: list[str] = []

    out = list(schedule(9, lambda chunk: Pending(chunk, log), log, ahead=2, own_ahead=2))

    assert out == list(range(9))
    assert log[:3] == ["own 2", "own 3", "wait 0"]
    assert sum(entry.startswith("own") for entry in log) > 0
    assert sum(entry.startswith("wait") for entry in log) > 0


def test_the_caller_draws_nothing_when_the_pool_keeps_up() -> None:
    log: list[str] = []

    def done(chunk: int) -> Future[int]:
        future: Future[int] = Future()
        future.set_result(chunk)
        return future

    assert list(schedule(7, done, log, ahead=2, own_ahead=2)) == list(range(7))
    assert log == []


def test_the_window_stays_bounded() -> None:
    log: list[str] = []
    outstanding: set[int] = set()
    most = 0

    def submit(chunk: int) -> Future[int]:
        outstanding.add(chunk)
        return Pending(chunk, log)

    def own(chunk: int) -> int:
        outstanding.add(chunk)
        return chunk

    for chunk in engine._in_order(50, submit, own, ahead=3, own_ahead=2):
        most = max(most, len(outstanding))
        outstanding.discard(chunk)
    assert most <= 3 + 2


def test_a_failed_chunk_stops_the_iteration() -> None:
    def submit(chunk: int) -> Future[int]:
        future: Future[int] = Future()
        if chunk == 1:
            future.set_exception(ValueError("chunk 1 failed"))
        else:
            future.set_result(chunk)
        return future

    results = engine._in_order(5, submit, lambda chunk: chunk, ahead=2, own_ahead=2)
    assert next(results) == 0
    with pytest.raises(ValueError, match="chunk 1 failed"):
        next(results)


def test_a_chunk_the_caller_failed_to_draw_fails_in_its_turn() -> None:
    log: list[str] = []

    def own(chunk: int) -> int:
        log.append(f"own {chunk}")
        if chunk == 3:
            raise ValueError("chunk 3 failed")
        return chunk

    results = engine._in_order(9, lambda chunk: Pending(chunk, log), own, ahead=2, own_ahead=2)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    assert "own 3" in log
    with pytest.raises(ValueError, match="chunk 3 failed"):
        next(results)


# the engine end to end


def test_the_mixed_schema_travels_every_way() -> None:
    schema = normalize(MIXED)
    plan = engine.build_plan(schema, rows=engine.CHUNK_ROWS)
    names, columns, _ = engine.draw_columns(
        plan, seed=7, locale="en_US", rows=engine.CHUNK_ROWS, chunk=0
    )
    packed = dict(zip(names or [], pack_columns(columns), strict=True))

    assert isinstance(packed["name"], str)
    assert isinstance(packed["tier"], Coded)
    assert all(isinstance(packed[name], list) for name in ("id", "note", "odd", "address"))


@pytest.mark.slow
@pytest.mark.parametrize("workers", [2, 3])
def test_pooled_records_equal_single_process_records(
    workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 4)  # a pool of two for workers=3
    rows = engine.CHUNK_ROWS * 3 + 17

    single = records(MIXED, rows, workers=1)
    pooled = records(MIXED, rows, workers=workers)

    assert repr(pooled) == repr(single)  # types, key order and values, not just equality
    assert any(record["odd"] == f"has{SEPARATOR}separator" for record in pooled)
    assert any(record.get("note", "") is None for record in pooled)


@pytest.mark.slow
def test_pooled_values_of_a_non_object_root_equal_single_process_values() -> None:
    schema = {"type": "string", "pattern": "^[a-z]{2,6}$"}
    rows = engine.CHUNK_ROWS * 2 + 3

    assert repr(records(schema, rows, workers=2)) == repr(records(schema, rows, workers=1))


@pytest.mark.slow
def test_progress_counts_every_row_once_with_a_pool() -> None:
    seen: list[int] = []
    rows = engine.CHUNK_ROWS * 2 + 5
    chunks = iter_chunks(
        normalize(MIXED), rows=rows, seed=1, locale="en_US", workers=2, progress=seen.append
    )

    assert sum(len(chunk) for chunk in chunks) == rows
    assert sum(seen) == rows


@pytest.mark.slow
def test_stopping_early_shuts_the_pool_down_and_removes_the_spool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    children_before = set(multiprocessing.active_children())
    rows = engine.CHUNK_ROWS * 8
    chunks = iter_chunks(normalize(MIXED), rows=rows, seed=1, locale="en_US", workers=2)

    assert len(next(chunks)) == engine.CHUNK_ROWS
    assert len(list(tmp_path.iterdir())) == 1  # the spool
    chunks.close()

    assert set(multiprocessing.active_children()) <= children_before
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")
def test_ctrl_c_stops_a_pooled_run_without_hanging() -> None:
    script = (
        "import sys; from synthdata_sdk.generation.engine import iter_chunks;"
        "from synthdata_sdk.schema.normalize import normalize;"
        "schema = normalize({'type': 'object', 'properties': {'s': {'type': 'string'}}});"
        "chunks = iter_chunks(schema, rows=10**8, seed=1, locale='en_US', workers=2);"
        "next(chunks); print('started', flush=True);"
        "[None for _ in chunks]"
    )
    # a session of its own: the signal reaches the run and its pool, as Ctrl-C would
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "started"
        os.killpg(child.pid, signal.SIGINT)
        _, err = child.communicate(timeout=120)  # a guard against a hang, not a timing
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert child.returncode != 0
    assert "KeyboardInterrupt" in err
