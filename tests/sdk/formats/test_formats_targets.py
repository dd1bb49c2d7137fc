"""Output targets: regular files are replaced, devices and FIFOs written through, the rest
refused without being touched, and every error names the path asked for."""

from __future__ import annotations

import errno
import hashlib
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import OutputPathError, RequestError
from synthdata_sdk.formats import FORMATS, write_dataset, write_dataset_file
from synthdata_sdk.formats.base import write_text_atomically
from tests.sdk.formats.output_support import (
    FULL_DEVICE,
    NULL_DEVICE,
    fifo_reader,
    files_in,
    is_device,
    make_device,
)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX devices, FIFOs and links")


def expected_bytes(tmp_path: Path, schema: dict[str, Any], records: list[Any], fmt: str) -> bytes:
    """What a regular file of this format holds: the bytes a device or FIFO must get."""
    reference = tmp_path / "reference" / f"data.{fmt}"
    return write_dataset([records], reference, schema=schema).read_bytes()


def untouched_chunks(started: list[bool]) -> Iterator[list[Any]]:
    started.append(True)
    yield []


# --------------------------------------------------------------------------------------------
# written through


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_fifo_is_written_through_and_stays_a_fifo(
    tmp_path: Path, schema: dict[str, Any], records: list[Any], fmt: str
) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with fifo_reader(fifo) as received:
        written = write_dataset_file([records], fifo, schema=schema, format=fmt)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received == [expected_bytes(tmp_path, schema, records, fmt)]
    assert written.streamed
    assert written.size == len(received[0])
    assert files_in(tmp_path) == ["pipe", "reference"]


def test_a_character_device_is_written_through_and_kept(
    tmp_path: Path, schema: dict[str, Any], records: list[Any]
) -> None:
    null = make_device(tmp_path / "null", NULL_DEVICE)
    written = write_dataset_file([records], null, schema=schema, format="csv")
    assert is_device(null, NULL_DEVICE)
    assert written.size == len(expected_bytes(tmp_path, schema, records, "csv"))
    assert files_in(tmp_path) == ["null", "reference"]


def test_a_link_to_a_fifo_is_written_through_and_kept(
    tmp_path: Path, schema: dict[str, Any], records: list[Any]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.jsonl"
    link.symlink_to("pipe")
    with fifo_reader(fifo) as received:
        assert write_dataset([records], link, schema=schema) == link
    assert link.is_symlink() and link.readlink() == Path("pipe")
    assert received == [expected_bytes(tmp_path, schema, records, "jsonl")]


def test_a_link_to_a_character_device_is_written_through_and_kept(
    tmp_path: Path, schema: dict[str, Any], records: list[Any]
) -> None:
    make_device(tmp_path / "null", NULL_DEVICE)
    link = tmp_path / "stdout"
    link.symlink_to(tmp_path / "null")
    write_dataset([records], link, schema=schema, format="json")
    assert link.is_symlink() and is_device(tmp_path / "null", NULL_DEVICE)


def test_a_full_device_reports_the_asked_path(
    tmp_path: Path, schema: dict[str, Any], records: list[Any]
) -> None:
    full = make_device(tmp_path / "full", FULL_DEVICE)
    with pytest.raises(OSError) as caught:
        write_dataset([records], full, schema=schema, format="jsonl")
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(full)
    assert is_device(full, FULL_DEVICE)


def test_client_write_to_a_fifo_records_the_bytes_written(tmp_path: Path) -> None:
    fifo = tmp_path / "customers.csv"
    os.mkfifo(fifo)
    with fifo_reader(fifo) as received:
        manifest = SynthDataClient().write("customer", fifo, rows=25, seed=3)
    (entry,) = manifest["files"]
    data = received[0]
    assert entry["size"] == len(data) > 0
    assert len(data.splitlines()) == 26  # header and 25 rows
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_dataset_write_to_a_character_device_keeps_it(tmp_path: Path) -> None:
    null = make_device(tmp_path / "null", NULL_DEVICE)
    dataset = SynthDataClient().generate("customer", rows=5)
    assert dataset.write(null, format="sql") == null
    assert is_device(null, NULL_DEVICE)


def test_text_output_is_written_through_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "report.html"
    os.mkfifo(fifo)
    with fifo_reader(fifo) as received:
        write_text_atomically(fifo, "<p>ünïcode</p>")
    assert received == ["<p>ünïcode</p>".encode()]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


# --------------------------------------------------------------------------------------------
# refused, untouched


def test_a_link_to_a_regular_file_is_refused_and_both_are_kept(
    tmp_path: Path, schema: dict[str, Any], records: list[Any]
) -> None:
    real = tmp_path / "real.jsonl"
    real.write_bytes(b"kept\n")
    link = tmp_path / "out.jsonl"
    link.symlink_to("real.jsonl")
    started: list[bool] = []
    with pytest.raises(OutputPathError) as caught:
        write_dataset(untouched_chunks(started), link, schema=schema)
    message = str(caught.value)
    assert str(link) in message and str(real) in message
    assert "name the file itself" in message
    assert caught.value.path == str(link)
    assert link.is_symlink() and link.readlink() == Path("real.jsonl")
    assert real.read_bytes() == b"kept\n"
    assert files_in(tmp_path) == ["out.jsonl", "real.jsonl"]
    assert started == []


def test_a_dangling_link_is_refused_and_nothing_is_created(
    tmp_path: Path, schema: dict[str, Any]
) -> None:
    link = tmp_path / "out.jsonl"
    link.symlink_to(tmp_path / "elsewhere" / "new.jsonl")
    with pytest.raises(OutputPathError, match="does not exist"):
        write_dataset([[{"id": 1}]], link, schema=schema)
    assert link.is_symlink()
    assert files_in(tmp_path) == ["out.jsonl"]


def test_a_directory_is_refused_and_kept(tmp_path: Path, schema: dict[str, Any]) -> None:
    folder = tmp_path / "out.csv"
    folder.mkdir()
    (folder / "inside").write_bytes(b"x")
    started: list[bool] = []
    with pytest.raises(OutputPathError, match="is a directory") as caught:
        write_dataset(untouched_chunks(started), folder, schema=schema)
    assert str(folder) in str(caught.value)
    assert isinstance(caught.value, RequestError)  # bad input: the command line exits with 2
    assert files_in(tmp_path) == ["out.csv"] and files_in(folder) == ["inside"]
    assert started == []


def test_a_socket_is_refused_and_kept(tmp_path: Path, schema: dict[str, Any]) -> None:
    path = tmp_path / "s.json"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(OutputPathError, match="is a socket"):
            write_dataset([[{"id": 1}]], path, schema=schema)
        assert stat.S_ISSOCK(path.lstat().st_mode)
    assert files_in(tmp_path) == ["s.json"]


def test_a_block_device_is_refused_and_kept(tmp_path: Path, schema: dict[str, Any]) -> None:
    device = make_device(tmp_path / "disk.json", (7, 0), stat.S_IFBLK)
    with pytest.raises(OutputPathError, match="is a block device"):
        write_dataset([[{"id": 1}]], device, schema=schema)
    assert is_device(device, (7, 0), stat.S_IFBLK)


def test_a_link_to_a_directory_is_refused(tmp_path: Path, schema: dict[str, Any]) -> None:
    (tmp_path / "folder").mkdir()
    link = tmp_path / "out.json"
    link.symlink_to("folder")
    with pytest.raises(OutputPathError, match="symbolic link to a directory"):
        write_dataset([[{"id": 1}]], link, schema=schema)
    assert link.is_symlink() and files_in(tmp_path / "folder") == []


def test_a_fifo_appearing_during_the_write_is_not_replaced(
    tmp_path: Path, schema: dict[str, Any]
) -> None:
    target = tmp_path / "out.json"

    def chunks() -> Iterator[list[Any]]:
        yield [{"id": 1}]
        os.mkfifo(target)  # someone else's FIFO, made while the temporary file is written
        yield [{"id": 2}]

    with pytest.raises(OutputPathError, match="became a FIFO"):
        write_dataset(chunks(), target, schema=schema)
    assert stat.S_ISFIFO(target.lstat().st_mode)
    assert files_in(tmp_path) == ["out.json"]


# --------------------------------------------------------------------------------------------
# errors name the path asked for


def test_a_path_under_a_file_names_the_asked_path(tmp_path: Path, schema: dict[str, Any]) -> None:
    (tmp_path / "file").write_bytes(b"x")
    target = tmp_path / "file" / "out.json"
    with pytest.raises(OutputPathError) as caught:
        write_dataset([[{"id": 1}]], target, schema=schema)
    assert str(target) in str(caught.value) and ".tmp" not in str(caught.value)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_directory_without_room_for_files_names_the_asked_path(schema: dict[str, Any]) -> None:
    # /proc accepts no new files, even from root (who may write anywhere else)
    with pytest.raises(OutputPathError) as caught:
        write_dataset([[{"id": 1}]], "/proc/x.csv", schema=schema)
    message = str(caught.value)
    assert message.startswith("cannot write /proc/x.csv: cannot create a file in /proc")
    assert ".tmp" not in message and caught.value.path == "/proc/x.csv"
