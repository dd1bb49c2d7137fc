"""Downloads that break off: resumed from the bytes written, started again when the server
ignores the range, given up after too many breaks without progress; never a partial entry.

The source here is in memory and breaks where a test says, so each case is exact; the
same over real HTTP is in test_transfer_pull.py and test_transfer_urls.py.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import MANIFEST, RECORDS, part_name
from synthdata_sdk.cache.names import partial_name
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.cloud.transfer import (
    CORRUPT,
    FAILED,
    FIRST_WAIT,
    PULLED,
    RESUME_ATTEMPTS,
    Body,
    DroppedError,
    download,
)
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import BackendUnavailableError, CorruptCacheError
from tests.cloud.transfer_helpers import folder_names, pull, statuses


@dataclass
class Answer:
    """How the source answers one request: from which byte, and where it breaks off."""

    start: int | None = None  # None: from the offset asked for
    cut_after: int | None = None  # bytes sent before the connection drops
    refuse: bool = False  # drop before any byte


@dataclass
class FakeSource:
    """Files in memory, answering each request as the next scripted Answer says."""

    files: dict[str, bytes]
    script: list[Answer] = field(default_factory=list)
    asked: list[tuple[str, int]] = field(default_factory=list)
    during: Any = None  # called between chunks

    def location(self, fingerprint: str) -> str:
        return "memory"

    def manifest(self, fingerprint: str) -> bytes | None:
        return self.files.get(MANIFEST)

    def check(self, fingerprint: str, manifest: Mapping[str, Any]) -> None:
        pass

    @contextmanager
    def open(self, fingerprint: str, name: str, offset: int) -> Iterator[Body]:
        self.asked.append((name, offset))
        answer = self.script.pop(0) if self.script else Answer()
        if answer.refuse:
            raise DroppedError("connection refused")
        start = offset if answer.start is None else answer.start
        data = self.files[name][start:]
        yield Body(start, self._chunks(data, answer.cut_after))

    def _chunks(self, data: bytes, cut_after: int | None) -> Iterator[bytes]:
        sent = data if cut_after is None else data[:cut_after]
        for index in range(0, len(sent), 100):
            if self.during is not None:
                self.during()
            yield sent[index : index + 100]
        if cut_after is not None:
            raise DroppedError("connection reset by peer")


@pytest.fixture(scope="module")
def dataset(client: SynthDataClient) -> Dataset:
    return client.generate("customer", rows=20, seed=5)


@pytest.fixture
def entry(dataset: Dataset, tmp_path: Path) -> dict[str, bytes]:
    """The files of the dataset's entry, as any store holds them."""
    store = LocalStore(tmp_path / "origin")
    store.put(dataset)
    folder = store.path_for(dataset.fingerprint)
    return {name: (folder / name).read_bytes() for name in (MANIFEST, RECORDS)}


@pytest.fixture
def local(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "cache")


def fetch(source: FakeSource, data: bytes, sleeps: list[float]) -> tuple[bytes, list[int]]:
    """Download RECORDS from ``source``: the bytes written and the progress reported."""
    stream = io.BytesIO()
    counts: list[int] = []
    download(
        source, "f" * 64, RECORDS, len(data), stream, progress=counts.append, sleep=sleeps.append
    )
    return stream.getvalue(), counts


def test_a_download_that_breaks_off_goes_on_from_the_bytes_written(
    entry: dict[str, bytes],
) -> None:
    data, sleeps = entry[RECORDS], []
    source = FakeSource(entry, [Answer(cut_after=250), Answer(cut_after=300)])

    written, counts = fetch(source, data, sleeps)

    assert written == data
    assert source.asked == [(RECORDS, 0), (RECORDS, 250), (RECORDS, 550)]
    assert sum(counts) == len(data)
    assert sleeps == []  # each break came after new bytes: asked again at once


def test_a_server_that_ignores_the_range_is_read_again_from_the_first_byte(
    entry: dict[str, bytes],
) -> None:
    data, sleeps = entry[RECORDS], []
    source = FakeSource(entry, [Answer(cut_after=250), Answer(start=0)])

    written, counts = fetch(source, data, sleeps)

    assert written == data
    assert source.asked == [(RECORDS, 0), (RECORDS, 250)]
    assert -250 in counts and sum(counts) == len(data)


def test_an_answer_from_another_offset_counts_as_a_break(entry: dict[str, bytes]) -> None:
    data, sleeps = entry[RECORDS], []
    source = FakeSource(entry, [Answer(cut_after=250), Answer(start=100)])

    written, _ = fetch(source, data, sleeps)

    assert written == data
    assert source.asked == [(RECORDS, 0), (RECORDS, 250), (RECORDS, 250)]
    assert sleeps == [FIRST_WAIT]


def test_breaks_without_progress_are_given_up_after_backing_off(
    entry: dict[str, bytes],
) -> None:
    data, sleeps = entry[RECORDS], []
    source = FakeSource(entry, [Answer(cut_after=250)] + [Answer(refuse=True)] * 20)

    with pytest.raises(
        BackendUnavailableError, match="broke off 6 times in a row without a new byte"
    ) as raised:
        fetch(source, data, sleeps)

    assert raised.value.code == "Dropped"
    assert len(source.asked) == 1 + RESUME_ATTEMPTS + 1
    assert sleeps == [FIRST_WAIT * 2**n for n in range(RESUME_ATTEMPTS)]


def test_more_bytes_than_the_manifest_says_are_refused(entry: dict[str, bytes]) -> None:
    source = FakeSource(entry)
    with pytest.raises(CorruptCacheError, match="more bytes than the manifest's 10"):
        download(source, "f" * 64, RECORDS, 10, io.BytesIO(), sleep=lambda s: None)


# --------------------------------------------------------------------------------------------
# The local cache while and after a pull


def test_no_entry_is_visible_while_its_files_arrive(
    dataset: Dataset, entry: dict[str, bytes], local: LocalStore
) -> None:
    seen: list[tuple[bool, list[str]]] = []
    source = FakeSource(entry, [Answer(cut_after=250)])
    source.during = lambda: seen.append((local.contains(dataset.fingerprint), local.fingerprints()))

    outcomes = pull(source, local, [dataset.fingerprint], sleep=lambda s: None)

    assert statuses(outcomes) == [PULLED]
    assert seen and all(found == (False, []) for found in seen)
    assert local.load(dataset.fingerprint).records == dataset.records


def partial_file(local: LocalStore, fingerprint: str, name: str = RECORDS) -> Path:
    return local.datasets_dir / partial_name(fingerprint) / name


def test_a_pull_that_gives_up_leaves_no_entry_and_the_next_pull_asks_only_for_the_rest(
    dataset: Dataset, entry: dict[str, bytes], local: LocalStore
) -> None:
    source = FakeSource(entry, [Answer(cut_after=250)] + [Answer(refuse=True)] * 20)

    outcomes = pull(source, local, [dataset.fingerprint], sleep=lambda s: None)

    assert statuses(outcomes) == [FAILED]
    assert "broke off" in outcomes[0].detail and "retry later" in outcomes[0].detail
    assert (local.contains(dataset.fingerprint), local.fingerprints()) == (False, [])
    assert folder_names(local) == [partial_name(dataset.fingerprint)]
    assert partial_file(local, dataset.fingerprint).read_bytes() == entry[RECORDS][:250]

    again = FakeSource(entry)
    assert statuses(pull(again, local, [dataset.fingerprint])) == [PULLED]

    assert again.asked == [(RECORDS, 250)]
    assert local.load(dataset.fingerprint).records == dataset.records
    assert folder_names(local) == [dataset.fingerprint]


def test_an_interrupted_pull_leaves_no_entry_and_the_next_one_goes_on_from_its_bytes(
    dataset: Dataset, entry: dict[str, bytes], local: LocalStore
) -> None:
    source = FakeSource(entry)
    calls = iter(range(100))

    def interrupt() -> None:
        if next(calls) == 2:  # after two chunks of 100 bytes
            raise KeyboardInterrupt

    source.during = interrupt

    with pytest.raises(KeyboardInterrupt):
        pull(source, local, [dataset.fingerprint])

    assert local.fingerprints() == []
    assert folder_names(local) == [partial_name(dataset.fingerprint)]
    again = FakeSource(entry)
    assert statuses(pull(again, local, [dataset.fingerprint])) == [PULLED]
    assert again.asked == [(RECORDS, 200)]
    local.verify(dataset.fingerprint)


def test_a_kept_partial_that_does_not_verify_is_downloaded_anew(
    dataset: Dataset, entry: dict[str, bytes], local: LocalStore
) -> None:
    source = FakeSource(entry, [Answer(cut_after=250)] + [Answer(refuse=True)] * 20)
    pull(source, local, [dataset.fingerprint], sleep=lambda s: None)
    kept = partial_file(local, dataset.fingerprint)
    kept.write_bytes(b"[" + b"x" * 249)  # not the beginning of the file

    again = FakeSource(entry)
    outcomes = pull(again, local, [dataset.fingerprint])

    assert statuses(outcomes) == [PULLED]
    assert again.asked == [(RECORDS, 250), (RECORDS, 0)]
    assert local.load(dataset.fingerprint).records == dataset.records
    assert folder_names(local) == [dataset.fingerprint]


def test_a_fresh_download_that_does_not_verify_is_corrupt_and_not_kept(
    dataset: Dataset, entry: dict[str, bytes], local: LocalStore
) -> None:
    damaged = {**entry, RECORDS: entry[RECORDS].replace(b'"', b"'", 1)}

    outcomes = pull(FakeSource(damaged), local, [dataset.fingerprint])

    assert statuses(outcomes) == [CORRUPT]
    assert "does not match its sha256" in outcomes[0].detail
    assert local.fingerprints() == []
    assert not partial_file(local, dataset.fingerprint).exists()


def test_files_an_earlier_pull_left_that_the_manifest_does_not_list_are_not_kept(
    dataset: Dataset, entry: dict[str, bytes], local: LocalStore
) -> None:
    stray = partial_file(local, dataset.fingerprint, part_name(0))
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"[]")

    assert statuses(pull(FakeSource(entry), local, [dataset.fingerprint])) == [PULLED]

    folder = local.path_for(dataset.fingerprint)
    assert sorted(path.name for path in folder.iterdir()) == [MANIFEST, RECORDS]


def test_a_link_in_place_of_the_partial_folder_is_refused_and_left_alone(
    dataset: Dataset, entry: dict[str, bytes], local: LocalStore, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    local.datasets_dir.mkdir(parents=True)
    link = local.datasets_dir / partial_name(dataset.fingerprint)
    link.symlink_to(elsewhere)

    outcomes = pull(FakeSource(entry), local, [dataset.fingerprint])

    assert statuses(outcomes) == [FAILED]
    assert "symbolic link" in outcomes[0].detail
    assert link.is_symlink() and list(elsewhere.iterdir()) == []


def test_prune_deletes_the_partial_folders_of_datasets_not_kept_and_clear_deletes_all(
    dataset: Dataset, entry: dict[str, bytes], local: LocalStore
) -> None:
    other = "ab" * 32
    for fingerprint in (dataset.fingerprint, other):
        partial_file(local, fingerprint).parent.mkdir(parents=True)
        partial_file(local, fingerprint).write_bytes(b"[")

    pruned = local.prune([dataset.fingerprint])

    assert pruned.swept == [partial_name(other)]
    assert folder_names(local) == [partial_name(dataset.fingerprint)]
    assert local.clear().swept == [partial_name(dataset.fingerprint)]
    assert folder_names(local) == []
