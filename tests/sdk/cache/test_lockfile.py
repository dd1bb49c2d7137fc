"""synthdata.lock: rendering, reading back, malformed files and atomic writes."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.lockfile import LOCK_VERSION, LockEntry, read_lock, render_lock, write_lock
from synthdata_sdk.errors import CacheError, OutputPathError

FP_A = "a" * 64
FP_B = "b" * 64
FP_C = "0123456789abcdef" * 4

ENTRIES = [
    LockEntry(FP_B, "template 'order'", 7, 1, name="order"),
    LockEntry(FP_C, "file 'x.json'", 3, 0, locale="de_DE", compliance=("gdpr", "hipaa")),
    LockEntry(FP_A, "template 'customer'", 20, 3, name="customer"),
]


class BoomError(Exception):
    pass


def test_render_is_sorted_indented_and_newline_terminated() -> None:
    text = render_lock(ENTRIES)
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")
    data = json.loads(text)
    assert data["version"] == LOCK_VERSION
    assert list(data) == ["datasets", "version"]
    assert list(data["datasets"]) == [FP_C, FP_A, FP_B]  # "0..." < "a..." < "b..."
    assert text == json.dumps(data, indent=2, sort_keys=True) + "\n"
    assert text.splitlines()[1] == '  "datasets": {'
    assert data["datasets"][FP_A] == {
        "locale": "en_US",
        "name": "customer",
        "rows": 20,
        "seed": 3,
        "source": "template 'customer'",
    }
    # no name and no compliance are left out; compliance is a list
    assert data["datasets"][FP_C] == {
        "compliance": ["gdpr", "hipaa"],
        "locale": "de_DE",
        "rows": 3,
        "seed": 0,
        "source": "file 'x.json'",
    }


def test_render_does_not_depend_on_the_input_order() -> None:
    assert render_lock(ENTRIES) == render_lock(reversed(ENTRIES))
    assert render_lock(iter(ENTRIES)) == render_lock(sorted(ENTRIES, key=lambda e: e.source))


def test_render_of_nothing() -> None:
    assert json.loads(render_lock([])) == {"datasets": {}, "version": LOCK_VERSION}


def test_write_then_read_round_trips_and_render_is_stable(tmp_path: Path) -> None:
    path = tmp_path / "synthdata.lock"
    assert write_lock(path, ENTRIES) == path
    assert path.read_text(encoding="utf-8") == render_lock(ENTRIES)
    read = read_lock(path)
    assert read == {entry.fingerprint: entry for entry in ENTRIES}
    assert read is not None
    assert render_lock(read.values()) == render_lock(ENTRIES)
    # writing what was read changes nothing
    write_lock(path, read.values())
    assert path.read_text(encoding="utf-8") == render_lock(ENTRIES)


def test_entries_for_real_requests_round_trip(tmp_path: Path) -> None:
    client = SynthDataClient()
    entries = []
    for template, rows, seed in (("customer", 20, 3), ("order", 5, 0)):
        request = client.prepare(template, rows=rows, seed=seed).request
        entries.append(
            LockEntry(
                request.fingerprint(),
                request.source,
                request.rows,
                request.seed,
                request.locale,
                request.name,
                request.compliance,
            )
        )
    path = write_lock(tmp_path / "synthdata.lock", entries)
    assert read_lock(path) == {entry.fingerprint: entry for entry in entries}


def test_write_creates_missing_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "synthdata.lock"
    write_lock(path, ENTRIES[:1])
    assert read_lock(path) == {ENTRIES[0].fingerprint: ENTRIES[0]}


def test_read_of_a_missing_file_is_none(tmp_path: Path) -> None:
    assert read_lock(tmp_path / "synthdata.lock") is None
    assert read_lock(tmp_path / "missing" / "synthdata.lock") is None


def test_read_of_an_empty_datasets_object(tmp_path: Path) -> None:
    path = tmp_path / "synthdata.lock"
    path.write_text('{"version": 1, "datasets": {}}')
    assert read_lock(path) == {}


def test_read_fills_defaults(tmp_path: Path) -> None:
    path = tmp_path / "synthdata.lock"
    path.write_text(json.dumps({"datasets": {FP_A: {"source": "s", "rows": "4", "seed": 2}}}))
    assert read_lock(path) == {FP_A: LockEntry(FP_A, "s", 4, 2, "en_US", None, ())}


MALFORMED = {
    "not JSON": ('{"datasets": {', "is not JSON: line 1 column"),
    "empty file": ("", "is not JSON"),
    "a list": ("[]", "has no 'datasets' object"),
    "no datasets": ('{"version": 1}', "has no 'datasets' object"),
    "datasets a list": ('{"datasets": []}', "has no 'datasets' object"),
    "datasets null": ('{"datasets": null}', "has no 'datasets' object"),
    "entry without rows": (
        json.dumps({"datasets": {FP_A: {"source": "s", "seed": 0}}}),
        f"datasets.{FP_A} is malformed .*expected source, rows and seed",
    ),
    "entry without source": (
        json.dumps({"datasets": {FP_A: {"rows": 1, "seed": 0}}}),
        f"datasets.{FP_A} is malformed",
    ),
    "entry without seed": (
        json.dumps({"datasets": {FP_A: {"source": "s", "rows": 1}}}),
        f"datasets.{FP_A} is malformed",
    ),
    "rows not a number": (
        json.dumps({"datasets": {FP_A: {"source": "s", "rows": "many", "seed": 0}}}),
        f"datasets.{FP_A} is malformed",
    ),
    "rows null": (
        json.dumps({"datasets": {FP_A: {"source": "s", "rows": None, "seed": 0}}}),
        f"datasets.{FP_A} is malformed",
    ),
    "entry a string": (json.dumps({"datasets": {FP_A: "x"}}), f"datasets.{FP_A} is malformed"),
    "entry a list": (json.dumps({"datasets": {FP_A: [1]}}), f"datasets.{FP_A} is malformed"),
    "entry null": (json.dumps({"datasets": {FP_A: None}}), f"datasets.{FP_A} is malformed"),
}


@pytest.mark.parametrize(("text", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_lock_raises_cache_error_naming_the_path(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "synthdata.lock"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CacheError, match=message) as info:
        read_lock(path)
    assert str(path) in str(info.value)


def test_an_unreadable_lock_raises_cache_error_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "synthdata.lock"
    path.write_bytes(b'{"datasets": {"\xff": {}}}')
    with pytest.raises(CacheError, match="cannot read") as info:
        read_lock(path)
    assert str(path) in str(info.value)

    folder = tmp_path / "folder.lock"
    folder.mkdir()
    with pytest.raises(CacheError, match="cannot read") as info:
        read_lock(folder)
    assert str(folder) in str(info.value)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_replaces_the_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "synthdata.lock"
    path.write_text("old\n")
    write_lock(path, ENTRIES)
    assert _files(tmp_path) == ["synthdata.lock"]
    write_lock(path, ENTRIES[:1])
    assert _files(tmp_path) == ["synthdata.lock"]
    assert read_lock(path) == {ENTRIES[0].fingerprint: ENTRIES[0]}


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX file modes")
def test_write_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "synthdata.lock"
    path.write_text("old\n")
    path.chmod(0o640)
    write_lock(path, ENTRIES)
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_failure_while_rendering_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "synthdata.lock"
    write_lock(path, ENTRIES)
    before = path.read_bytes()

    def entries() -> Iterator[LockEntry]:
        yield ENTRIES[0]
        raise BoomError("midway")

    with pytest.raises(BoomError):
        write_lock(path, entries())
    assert path.read_bytes() == before
    assert _files(tmp_path) == ["synthdata.lock"]


def test_a_folder_at_the_lock_path_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "synthdata.lock"
    path.mkdir()
    (path / "keep").write_text("x")
    with pytest.raises(OutputPathError, match="is a directory"):
        write_lock(path, ENTRIES)
    assert _files(tmp_path) == ["synthdata.lock"]
    assert _files(path) == ["keep"]


FINGERPRINTS = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
LOCK_ENTRIES = st.lists(
    st.builds(
        LockEntry,
        fingerprint=FINGERPRINTS,
        source=st.text(),
        rows=st.integers(min_value=0, max_value=10**9),
        seed=st.integers(min_value=0, max_value=2**63),
        locale=st.sampled_from(["en_US", "en_GB", "de_DE", "fr_FR"]),
        name=st.none() | st.text(),
        compliance=st.lists(st.text(min_size=1), max_size=3).map(tuple),
    ),
    unique_by=lambda entry: entry.fingerprint,
    max_size=6,
)


# No deadline: each example fsyncs a file, which a busy disk can make slow.
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=LOCK_ENTRIES)
def test_any_entries_round_trip(tmp_path: Path, entries: list[LockEntry]) -> None:
    path = tmp_path / "synthdata.lock"
    write_lock(path, entries)
    read = read_lock(path)
    assert read == {entry.fingerprint: entry for entry in entries}
    assert read is not None
    assert render_lock(read.values()) == render_lock(entries)
    assert render_lock(entries) == render_lock(reversed(entries))
    assert _files(tmp_path) == ["synthdata.lock"]
