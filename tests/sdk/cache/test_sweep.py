"""Prune and clear delete only temporary folders whose writer is provably gone.

A writer holds a lock on ``locks/<temp>.lock`` from before its temporary folder exists until
the folder is renamed into place; the races are made deterministic by pausing the writer on
an event while it holds its temporary folder, never by sleeping.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk.cache import locks
from synthdata_sdk.cache.folder import Folder
from synthdata_sdk.cache.housekeeping import STALE_AFTER
from synthdata_sdk.cache.locks import WriterLock
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.client import PreparedRequest, SynthDataClient
from synthdata_sdk.dataset import Dataset
from tests.sdk.cache.cache_helpers import save_paused

pytestmark = pytest.mark.skipif(locks.fcntl is None, reason="needs flock (POSIX)")

WAIT = 120  # seconds: a safety net for a broken test, never a timing assumption


def temporaries(store: LocalStore) -> list[str]:
    return sorted(p.name for p in (store.root / "datasets").iterdir() if p.name.startswith("."))


def lock_files(store: LocalStore) -> list[str]:
    folder = store.root / "locks"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


class PausedWriter:
    """``store.save`` in a thread, stopped after its first chunk until ``resume``."""

    def __init__(self, store: LocalStore, prepared: PreparedRequest, records: Any) -> None:
        self.paused = threading.Event()
        self._resume = threading.Event()
        self.outcome: dict[str, Any] = {}

        def chunks() -> Iterator[Any]:
            yield records[:5]
            self.paused.set()
            assert self._resume.wait(WAIT)
            yield records[5:]

        def write() -> None:
            try:
                self.outcome["manifest"] = store.save(prepared.request, chunks())
            except BaseException as error:
                self.outcome["error"] = error

        self._thread = threading.Thread(target=write)
        self._thread.start()
        assert self.paused.wait(WAIT)

    def finish(self) -> dict[str, Any]:
        self._resume.set()
        self._thread.join(WAIT)
        assert not self._thread.is_alive()
        return self.outcome


@pytest.mark.parametrize("operation", ["prune", "clear"])
def test_a_sweep_leaves_an_entry_being_written_by_a_thread_and_the_writer_finishes(
    store: LocalStore,
    generated: Dataset,
    prepared: PreparedRequest,
    client: SynthDataClient,
    other_prepared: PreparedRequest,
    operation: str,
) -> None:
    store.save_dataset(client.generate_prepared(other_prepared))  # something to delete
    writer = PausedWriter(store, prepared, generated.records)
    (temp,) = temporaries(store)
    assert lock_files(store) == [f"{temp}.lock"]

    result = store.prune([]) if operation == "prune" else store.clear()

    assert result.removed == [other_prepared.fingerprint]
    assert result.swept == []
    assert [(item.name, item.reason) for item in result.skipped] == [
        (temp, f"being written by process {os.getpid()}")
    ]
    assert result.entries_left == []
    assert temporaries(store) == [temp]
    outcome = writer.finish()
    assert "error" not in outcome, outcome
    assert outcome["manifest"]["fingerprint"] == prepared.fingerprint
    assert store.load(prepared.fingerprint, prepared.request).records == generated.records
    assert temporaries(store) == []
    assert lock_files(store) == []


@pytest.fixture
def spawn() -> Any:
    return multiprocessing.get_context("spawn")


def test_a_prune_leaves_an_entry_another_process_is_writing(
    store: LocalStore, client: SynthDataClient, spawn: Any
) -> None:
    paused, resume, results = spawn.Event(), spawn.Event(), spawn.Queue()
    writer = spawn.Process(
        target=save_paused, args=(str(store.root), 30, 4, paused, resume, results)
    )
    writer.start()
    try:
        assert paused.wait(WAIT), results.get(timeout=WAIT)
        (temp,) = temporaries(store)
        result = store.prune([])
        assert [(item.name, item.reason) for item in result.skipped] == [
            (temp, f"being written by process {writer.pid}")
        ]
        assert temporaries(store) == [temp]
        resume.set()
        assert results.get(timeout=WAIT) == ("saved", writer.pid)
    finally:
        resume.set()
        writer.join(WAIT)
    assert writer.exitcode == 0
    prepared = client.prepare("customer", rows=30, seed=4)
    assert store.load(prepared.fingerprint, prepared.request).rows == 30
    assert temporaries(store) == []
    assert lock_files(store) == []


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_a_killed_writers_folder_and_lock_are_swept(store: LocalStore, spawn: Any) -> None:
    paused, resume, results = spawn.Event(), spawn.Event(), spawn.Queue()
    writer = spawn.Process(
        target=save_paused, args=(str(store.root), 30, 5, paused, resume, results)
    )
    writer.start()
    assert paused.wait(WAIT)
    (temp,) = temporaries(store)
    os.kill(writer.pid, signal.SIGKILL)  # the kernel drops its lock as it dies
    writer.join(WAIT)
    assert writer.exitcode == -signal.SIGKILL
    assert temporaries(store) == [temp]
    assert lock_files(store) == [f"{temp}.lock"]

    result = store.prune([])

    assert result.swept == [temp]
    assert result.skipped == []
    assert temporaries(store) == []
    assert lock_files(store) == []


def test_a_temporary_without_a_writer_lock_is_kept_until_it_is_stale(store: LocalStore) -> None:
    # Left by an older synthdata, which took no writer lock: only its age can tell.
    folder = store.root / "datasets" / ".tmp-0123456789ab-abcdef"
    folder.mkdir(parents=True)
    written = folder.stat().st_mtime

    young = store.prune([], now=written + 60)
    assert [(item.name, item.reason) for item in young.skipped] == [
        (folder.name, "no writer lock, and only 60 s old (left until 24 h old)")
    ]
    assert folder.is_dir()

    stale = store.prune([], now=written + STALE_AFTER)
    assert stale.swept == [folder.name]
    assert stale.skipped == []
    assert not folder.exists()


def test_a_free_writer_lock_proves_the_writer_gone_whatever_the_age(store: LocalStore) -> None:
    store.root.joinpath("datasets", ".tmp-0123456789ab-abcdef").mkdir(parents=True)
    store.root.joinpath("locks").mkdir()
    store.root.joinpath("locks", ".tmp-0123456789ab-abcdef.lock").write_text("1 elsewhere\n")
    result = store.prune([])
    assert result.swept == [".tmp-0123456789ab-abcdef"]
    assert lock_files(store) == []


def test_without_file_locks_a_dead_owner_pid_proves_the_writer_gone(
    store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locks, "_try_flock", lambda fd: None)  # a file system without flock
    datasets, lock_folder = store.root / "datasets", store.root / "locks"
    datasets.mkdir(parents=True)
    lock_folder.mkdir()
    host = socket.gethostname()
    owners = {
        ".tmp-aaaaaaaaaaaa-000000": f"{os.getpid()} {host}",  # alive: this process
        ".tmp-bbbbbbbbbbbb-000000": f"999999999 {host}",  # above any pid_max: gone
        ".tmp-cccccccccccc-000000": "999999999 another-host",  # cannot tell: kept
    }
    for name, owner in owners.items():
        (datasets / name).mkdir()
        (lock_folder / f"{name}.lock").write_text(owner + "\n")

    result = store.prune([])

    assert result.swept == [".tmp-bbbbbbbbbbbb-000000"]
    assert [(item.name, item.reason) for item in result.skipped] == [
        (".tmp-aaaaaaaaaaaa-000000", f"being written by process {os.getpid()}"),
        (".tmp-cccccccccccc-000000", "being written by process 999999999 on another-host"),
    ]


def test_lonely_writer_locks_are_swept_unless_held(store: LocalStore, generated: Dataset) -> None:
    store.save_dataset(generated)
    lock_folder = store.root / "locks"
    (lock_folder / ".tmp-dead00000000-000000.lock").write_text("1 gone\n")
    with Folder(lock_folder, os.open(lock_folder, os.O_RDONLY)) as folder:
        held = WriterLock.take(folder, ".tmp-live00000000-000000.lock")
        assert held is not None
        try:
            store.prune([generated.fingerprint])
            assert lock_files(store) == [".tmp-live00000000-000000.lock"]
        finally:
            held.release()
    assert lock_files(store) == []


def test_a_writer_whose_new_lock_a_sweep_deleted_picks_another_name(
    store: LocalStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The window between creating the lock file and locking it: a sweep may take the file
    # for a dead writer's and delete it. The writer must notice and not go on unlocked.
    folder_path = tmp_path / "locks"
    folder_path.mkdir()
    real_flock = locks.fcntl.flock
    calls: list[str] = []

    def sweep_first(fd: int, operation: int) -> None:
        if not calls:
            calls.append("swept")
            (folder_path / "first.lock").unlink()
        real_flock(fd, operation)

    monkeypatch.setattr(locks.fcntl, "flock", sweep_first)
    with Folder(folder_path, os.open(folder_path, os.O_RDONLY)) as folder:
        assert WriterLock.take(folder, "first.lock") is None
        second = WriterLock.take(folder, "second.lock")
        assert second is not None
        second.release()
    assert calls == ["swept"]
    assert list(folder_path.iterdir()) == []
