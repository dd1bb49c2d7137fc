"""Atomic replacement, failure clean-up and bounded memory, for every format."""

from __future__ import annotations

import os
import stat
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk.errors import RequestError
from synthdata_sdk.formats import FORMATS, make_writer, write_dataset
from synthdata_sdk.formats.base import FormatWriter, write_atomically

OLD = b"previous content\n"


class BoomError(Exception):
    pass


def failing_chunks(records: list[Any], error: BaseException) -> Iterator[list[Any]]:
    yield records
    yield records
    raise error


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("error", [BoomError("midway"), KeyboardInterrupt()])
def test_failure_leaves_existing_target_and_no_temp_file(
    tmp_path: Path, schema: dict[str, Any], records: list[Any], fmt: str, error: BaseException
) -> None:
    target = tmp_path / f"out.{fmt}"
    target.write_bytes(OLD)
    with pytest.raises(type(error)):
        write_dataset(failing_chunks(records, error), target, schema=schema)
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


@pytest.mark.parametrize("fmt", FORMATS)
def test_failure_without_target_leaves_nothing(
    tmp_path: Path, schema: dict[str, Any], records: list[Any], fmt: str
) -> None:
    with pytest.raises(KeyboardInterrupt):
        write_dataset(
            failing_chunks(records, KeyboardInterrupt()), tmp_path / f"o.{fmt}", schema=schema
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_success_replaces_existing_target(
    tmp_path: Path, schema: dict[str, Any], records: list[Any], fmt: str
) -> None:
    target = tmp_path / f"out.{fmt}"
    target.write_bytes(OLD)
    assert write_dataset([records], target, schema=schema) == target
    assert target.read_bytes() != OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_bad_record_midway_is_cleaned_up(tmp_path: Path, schema: dict[str, Any]) -> None:
    target = tmp_path / "out.sql"
    target.write_bytes(OLD)
    with pytest.raises(RequestError):
        write_dataset([[{"score": 1.0}], [{"score": float("nan")}]], target, schema=schema)
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["out.sql"]


class SpyWriter(FormatWriter):
    """Records the temporary file's name and fails when told to."""

    def __init__(self, fail_in: str = "") -> None:
        self.fail_in = fail_in
        self.aborted = False
        self.stream: Any = None

    def open(self, stream: Any) -> None:
        self.stream = stream
        self.temp_name = Path(stream.name if isinstance(stream.name, str) else "")
        stream.write(b"new")
        if self.fail_in == "open":
            raise BoomError("open")

    def write_chunk(self, records: Any) -> None:
        pass

    def close(self) -> None:
        if self.fail_in == "close":
            raise BoomError("close")

    def abort(self) -> None:
        self.aborted = True


@pytest.mark.parametrize("fail_in", ["open", "close"])
def test_writer_failures_abort_and_clean_up(tmp_path: Path, fail_in: str) -> None:
    target = tmp_path / "t.bin"
    target.write_bytes(OLD)
    writer = SpyWriter(fail_in)
    with pytest.raises(BoomError):
        write_atomically(target, writer, [[]])
    assert writer.aborted
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["t.bin"]


def test_temp_file_is_hidden_next_to_target(tmp_path: Path) -> None:
    seen: list[str] = []

    def chunks() -> Iterator[list[Any]]:
        seen.extend(p.name for p in tmp_path.iterdir())
        yield []

    write_atomically(tmp_path / "t.bin", SpyWriter(), chunks())
    assert len(seen) == 1
    assert seen[0].startswith(".t.bin.") and seen[0].endswith(".tmp")
    assert (tmp_path / "t.bin").read_bytes() == b"new"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_replacing_keeps_the_target_mode(tmp_path: Path, schema: dict[str, Any]) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(OLD)
    target.chmod(0o640)
    write_dataset([[{"id": 1}]], target, schema=schema)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_new_file_mode_follows_umask(tmp_path: Path, schema: dict[str, Any]) -> None:
    old = os.umask(0o022)
    try:
        target = write_dataset([[{"id": 1}]], tmp_path / "out.json", schema=schema)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


class Chunk(list[Any]):
    """A list that can be weakly referenced, to see when a chunk is freed."""

    __slots__ = ("__weakref__",)


@pytest.mark.parametrize("fmt", FORMATS)
def test_only_one_chunk_is_held_at_a_time(
    tmp_path: Path, schema: dict[str, Any], records: list[Any], fmt: str
) -> None:
    alive: list[weakref.ref[Chunk]] = []
    most_alive = 0

    def chunks() -> Iterator[Chunk]:
        nonlocal most_alive
        for _ in range(20):
            # CPython frees a chunk as soon as nothing refers to it, so no gc.collect() needed.
            most_alive = max(most_alive, sum(ref() is not None for ref in alive))
            chunk = Chunk(dict(r) for r in records)
            alive.append(weakref.ref(chunk))
            yield chunk
            del chunk

    write_dataset(chunks(), tmp_path / f"out.{fmt}", schema=schema)
    # The chunk being written may still be referenced while the next one is made; no other.
    assert most_alive <= 1


def test_make_writer_checks_arguments_without_touching_files(
    tmp_path: Path, schema: dict[str, Any]
) -> None:
    with pytest.raises(RequestError):
        make_writer("sql", schema=schema, dialect="db2")
    with pytest.raises(RequestError):
        make_writer("yaml", schema=schema)
    assert list(tmp_path.iterdir()) == []
