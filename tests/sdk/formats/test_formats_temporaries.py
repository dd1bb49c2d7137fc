"""Temporary files of killed writers: SIGTERM removes them, the next write removes those of
SIGKILL, and nothing that may still be written, or is not ours, is ever removed."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import synthdata_sdk
from synthdata_sdk.formats import write_dataset
from synthdata_sdk.formats.temporaries import STALE_AFTER, remove_stale_temporaries
from tests.sdk.formats.output_support import files_in

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals and locks")

#: where the writer processes import synthdata from: the same place as this test
SDK_ROOT = Path(synthdata_sdk.__file__).resolve().parents[1]
OLD = b"previous content\n"
SCHEMA: dict[str, Any] = {"type": "object", "properties": {"n": {"type": "integer"}}}

#: writes a first chunk of the dataset to argv[1], says so, then waits for stdin forever
WRITER = """
import sys
from synthdata_sdk.formats import write_dataset

def chunks():
    yield [{"n": n} for n in range(20_000)]
    print("writing", flush=True)
    sys.stdin.readline()
    yield []

write_dataset(chunks(), sys.argv[1], schema={"type": "object", "properties": {"n": {}}})
"""


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """A writer process stopped half-way through writing ``out.jsonl`` in ``tmp_path``."""
    target = tmp_path / "out.jsonl"
    target.write_bytes(OLD)
    env = {**os.environ, "PYTHONPATH": str(SDK_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "writing\n"
        yield proc, target
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def temporaries(folder: Path) -> list[str]:
    return [name for name in files_in(folder) if name.endswith(".tmp")]


def test_a_sigkilled_writers_temporary_is_removed_by_the_next_write(
    writer: tuple[subprocess.Popen[str], Path],
) -> None:
    proc, target = writer
    (temp,) = temporaries(target.parent)
    assert temp.startswith(f".out.jsonl.{proc.pid}-")
    proc.kill()
    proc.wait()
    assert temporaries(target.parent) == [temp]  # SIGKILL cannot be caught
    assert target.read_bytes() == OLD
    write_dataset([[{"n": 1}]], target, schema=SCHEMA)
    assert files_in(target.parent) == ["out.jsonl"]
    assert target.read_bytes() == b'{"n":1}\n'


def test_sigterm_removes_the_temporary_and_still_ends_the_process(
    writer: tuple[subprocess.Popen[str], Path],
) -> None:
    proc, target = writer
    assert len(temporaries(target.parent)) == 1
    proc.terminate()
    assert proc.wait() == -signal.SIGTERM
    assert files_in(target.parent) == ["out.jsonl"]
    assert target.read_bytes() == OLD


def test_a_running_writers_temporary_is_kept(
    writer: tuple[subprocess.Popen[str], Path],
) -> None:
    _, target = writer
    (temp,) = temporaries(target.parent)
    write_dataset([[{"n": 1}]], target, schema=SCHEMA)
    assert temporaries(target.parent) == [temp]
    assert target.read_bytes() == b'{"n":1}\n'


def test_a_write_in_progress_in_this_process_is_not_swept(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"

    def chunks() -> Iterator[list[Any]]:
        yield [{"n": 1}]
        # a second write to the same target while the first is half-way
        write_dataset([[{"n": 2}]], target, schema=SCHEMA)
        yield [{"n": 3}]

    write_dataset(chunks(), target, schema=SCHEMA)
    assert target.read_bytes() == b'{"n":1}\n{"n":3}\n'
    assert files_in(tmp_path) == ["out.jsonl"]


# --------------------------------------------------------------------------------------------
# what the sweep removes


def dead_pid() -> int:
    """The id of a process that has ended and been reaped."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def age(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)
    return path


def test_sweep_removes_only_provably_abandoned_temporaries_of_the_target(
    tmp_path: Path,
) -> None:
    target = tmp_path / "t.csv"
    gone, mine = dead_pid(), os.getpid()
    stale = STALE_AFTER + 60
    files = {
        f".t.csv.{gone}-0123456789ab.tmp": ("removed", 0),  # writer dead, no lock
        f".t.csv.{mine}-0123456789ab.tmp": ("kept", 0),  # writer alive
        f".t.csv.{mine}-abcdefabcdef.tmp": ("removed", stale),  # untouched for too long
        ".t.csv.0123456789ab.tmp": ("kept", 0),  # an older release's, still fresh
        ".t.csv.ba9876543210.tmp": ("removed", stale),  # an older release's, stale
        ".t.csv.0-0123456789ab.tmp": ("kept", 0),  # not a process id
        f".u.csv.{gone}-0123456789ab.tmp": ("kept", stale),  # another target's
        f".t.csv.{gone}-0123456789ab.bak": ("kept", stale),
        f"t.csv.{gone}-0123456789ab.tmp": ("kept", stale),
        f".t.csv.{gone}-0123456789AB.tmp": ("kept", stale),
        f".t.csv.x.{gone}-0123456789ab.tmp": ("kept", stale),
        "t.csv": ("kept", stale),
    }
    for name, (_, seconds) in files.items():
        (tmp_path / name).write_bytes(b"x")
        age(tmp_path / name, seconds)
    removed = remove_stale_temporaries(target)
    expected = sorted(name for name, (fate, _) in files.items() if fate == "kept")
    assert files_in(tmp_path) == expected
    assert sorted(p.name for p in removed) == sorted(set(files) - set(expected))


def test_sweep_keeps_a_locked_temporary_however_old(tmp_path: Path) -> None:
    temp = tmp_path / f".t.csv.{dead_pid()}-0123456789ab.tmp"
    temp.write_bytes(b"x")
    age(temp, STALE_AFTER * 10)
    with temp.open("rb") as held:  # a writer in another pid namespace holds its lock
        fcntl.flock(held, fcntl.LOCK_EX)
        assert remove_stale_temporaries(tmp_path / "t.csv") == []
    assert temp.exists()


def test_sweep_never_removes_or_follows_a_link_or_a_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    victim = elsewhere / "victim"
    victim.write_bytes(b"x")
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    gone = dead_pid()
    link = outputs / f".t.csv.{gone}-0123456789ab.tmp"
    link.symlink_to(victim)
    folder = outputs / f".t.csv.{gone}-abcdefabcdef.tmp"
    folder.mkdir()
    age(link, STALE_AFTER * 2)
    age(folder, STALE_AFTER * 2)
    assert remove_stale_temporaries(outputs / "t.csv") == []
    assert link.is_symlink() and folder.is_dir() and victim.read_bytes() == b"x"


# --------------------------------------------------------------------------------------------
# the SIGTERM handler


def test_the_sigterm_handler_is_installed_only_while_writing(tmp_path: Path) -> None:
    seen: list[Any] = []

    def chunks() -> Iterator[list[Any]]:
        seen.append(signal.getsignal(signal.SIGTERM))
        yield [{"n": 1}]

    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    write_dataset(chunks(), tmp_path / "out.jsonl", schema=SCHEMA)
    assert callable(seen[0]) and seen[0] is not signal.SIG_DFL
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_programs_own_sigterm_handler_is_left_alone(tmp_path: Path) -> None:
    def own(signum: int, frame: Any) -> None:
        raise AssertionError("not called")

    seen: list[Any] = []

    def chunks() -> Iterator[list[Any]]:
        seen.append(signal.getsignal(signal.SIGTERM))
        yield [{"n": 1}]

    previous = signal.signal(signal.SIGTERM, own)
    try:
        write_dataset(chunks(), tmp_path / "out.jsonl", schema=SCHEMA)
        assert seen == [own] and signal.getsignal(signal.SIGTERM) is own
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_writing_from_another_thread_leaves_signals_alone(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def write() -> None:
        try:
            write_dataset([[{"n": 1}]], tmp_path / "out.jsonl", schema=SCHEMA)
        except BaseException as error:  # handed to the main thread's assertion
            errors.append(error)

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    assert errors == []
    assert (tmp_path / "out.jsonl").read_bytes() == b'{"n":1}\n'


def wait_for_a_signal() -> None:
    signal.pause()


def test_processes_forked_while_writing_still_end_by_sigterm(tmp_path: Path) -> None:
    # A worker pool forked by the chunk iterator must end on SIGTERM as it would without the
    # writer's handler: not raise in the worker, and not lose a SIGTERM sent right after the
    # fork (Python forgets a signal that arrives before the child is set up).
    exit_codes: list[int | None] = []

    def chunks() -> Iterator[list[Any]]:
        context = multiprocessing.get_context("fork")
        for _ in range(20):
            child = context.Process(target=wait_for_a_signal)
            child.start()
            child.terminate()
            child.join(60)  # bounds a failure: a child that missed the signal waits forever
            if child.is_alive():
                child.kill()
                child.join()
            exit_codes.append(child.exitcode)
        yield [{"n": 1}]

    write_dataset(chunks(), tmp_path / "out.jsonl", schema=SCHEMA)
    assert exit_codes == [-signal.SIGTERM] * 20
