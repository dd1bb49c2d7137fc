"""synthdata.lock: rendering, reading back, malformed files and atomic writes."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.lockfile import (
    LOCK_VERSION,
    MAX_LOCK_BYTES,
    LockEntry,
    check_entries,
    read_lock,
    render_lock,
    write_lock,
)
from synthdata_sdk.errors import CacheError, LockFileError
from synthdata_sdk.options import MAX_ROWS, MAX_SEED

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
    path.write_text(
        json.dumps({"version": 1, "datasets": {FP_A: {"source": "s", "rows": 4, "seed": 2}}})
    )
    assert read_lock(path) == {FP_A: LockEntry(FP_A, "s", 4, 2, "en_US", None, ())}


def lock_text(entry: object, key: str = FP_A, version: object = 1) -> str:
    return json.dumps({"version": version, "datasets": {key: entry}})


GOOD = {"source": "s", "rows": 1, "seed": 0}
INF_ROWS = lock_text(GOOD).replace('"rows": 1', '"rows": 1e999')

MALFORMED = {
    "not JSON": ('{"datasets": {', "is not JSON: line 1 column"),
    "empty file": ("", "is not JSON"),
    "a list": ("[]", "has no 'datasets' object"),
    "no datasets": ('{"version": 1}', "has no 'datasets' object"),
    "datasets a list": ('{"version": 1, "datasets": []}', "has no 'datasets' object"),
    "datasets null": ('{"version": 1, "datasets": null}', "has no 'datasets' object"),
    "no version": (
        json.dumps({"datasets": {FP_A: GOOD}}),
        "has no version; this synthdata reads lock files of version 1; write it again with "
        "pytest --synthdata-update-lock",
    ),
    "version 999": (lock_text(GOOD, version=999), "has version 999; this synthdata reads"),
    "version a string": (lock_text(GOOD, version="1"), "has version '1'; this synthdata"),
    "version true": (lock_text(GOOD, version=True), "has version True; this synthdata"),
    "entry without rows": (
        lock_text({"source": "s", "seed": 0}),
        rf"datasets.{FP_A} is malformed: no rows \(expected source, rows and seed\)",
    ),
    "entry without source": (lock_text({"rows": 1, "seed": 0}), "is malformed: no source"),
    "entry without seed": (lock_text({"source": "s", "rows": 1}), "is malformed: no seed"),
    "rows not a number": (
        lock_text({**GOOD, "rows": "many"}),
        r"is malformed: rows is 'many' \(expected an integer from 0 to 100,000,000\)",
    ),
    "rows a numeric string": (lock_text({**GOOD, "rows": "4"}), "rows is '4'"),
    "rows null": (lock_text({**GOOD, "rows": None}), "rows is None"),
    "rows 1e999": (INF_ROWS, "rows is inf"),
    "rows a float": (lock_text({**GOOD, "rows": 4.0}), "rows is 4.0"),
    "rows a boolean": (lock_text({**GOOD, "rows": True}), "rows is True"),
    "rows negative": (lock_text({**GOOD, "rows": -1}), "rows is -1"),
    "rows above the limit": (lock_text({**GOOD, "rows": 10**8 + 1}), "rows is 100000001"),
    "seed above the limit": (lock_text({**GOOD, "seed": 2**63}), "seed is 9223372036854775808"),
    "seed NaN": (lock_text({**GOOD, "seed": float("nan")}), "seed is nan"),
    "source a number": (lock_text({**GOOD, "source": 5}), r"source is 5 \(expected a string\)"),
    "locale a list": (lock_text({**GOOD, "locale": ["en_US"]}), r"locale is \['en_US'\]"),
    "name a number": (lock_text({**GOOD, "name": 5}), r"name is 5 \(expected a string or null"),
    "compliance a string": (lock_text({**GOOD, "compliance": "gdpr"}), "compliance is 'gdpr'"),
    "compliance with a number": (lock_text({**GOOD, "compliance": [1]}), r"compliance is \[1\]"),
    "key not a fingerprint": (
        lock_text(GOOD, key="customer"),
        "key 'customer' of 'datasets' is not a fingerprint",
    ),
    "key in capitals": (lock_text(GOOD, key=FP_A.upper()), "is not a fingerprint"),
    "entry a string": (lock_text("x"), r"is malformed \(expected an object"),
    "entry a list": (lock_text([1]), r"is malformed \(expected an object"),
    "entry null": (lock_text(None), r"is malformed \(expected an object"),
    "nested 100k deep": ("[" * 100_000 + "]" * 100_000, "its JSON is nested too deeply"),
    "an integer of 5000 digits": (
        '{"version": 1, "datasets": {}, "x": ' + "9" * 5000 + "}",
        "is not a lock file: .*digits",
    ),
}


@pytest.mark.parametrize(("text", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_lock_raises_a_lock_file_error_naming_the_path(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "synthdata.lock"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LockFileError, match=message) as info:
        read_lock(path)
    assert str(info.value).startswith(f"{path}: ")
    assert info.value.path == str(path)
    assert isinstance(info.value, CacheError)


CONFLICTED = f"""{{
  "datasets": {{
<<<<<<< HEAD
    "{FP_A}": {{"rows": 4, "seed": 1, "source": "template 'customer'"}}
=======
    "{FP_B}": {{"rows": 5, "seed": 1, "source": "template 'customer'"}}
>>>>>>> feature
  }},
  "version": 1
}}
"""


def test_a_lock_with_merge_conflict_markers_is_refused_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "synthdata.lock"
    path.write_text(CONFLICTED, encoding="utf-8")
    with pytest.raises(LockFileError) as info:
        read_lock(path)
    assert info.value.problem == "has an unresolved merge conflict (line 3 starts with '<<<<<<<')"
    assert "pytest --synthdata-update-lock" in str(info.value)


def test_a_lock_larger_than_the_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "synthdata.lock"
    with path.open("wb") as stream:
        stream.truncate(MAX_LOCK_BYTES + 1)  # sparse: no disk needed
    with pytest.raises(LockFileError, match=r"is 8,388,609 bytes, more than a lock file may be"):
        read_lock(path)


def test_a_lock_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "synthdata.lock"
    path.write_bytes(b'{"datasets": {"\xff": {}}}')
    with pytest.raises(LockFileError, match=r"is not UTF-8 text \(byte 15"):
        read_lock(path)


def test_a_folder_in_place_of_the_lock_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.lock"
    folder.mkdir()
    with pytest.raises(LockFileError, match="is a folder, not a lock file") as info:
        read_lock(folder)
    assert str(folder) in str(info.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_in_place_of_the_lock_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "synthdata.lock"
    os.mkfifo(fifo)
    with pytest.raises(LockFileError, match="is a special file, not a lock file"):
        read_lock(fifo)
    with pytest.raises(LockFileError, match="is a special file"):
        write_lock(fifo, ENTRIES)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_lock_below_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(LockFileError, match="cannot be read: Not a directory"):
        read_lock(tmp_path / "file" / "synthdata.lock")


LINKS = {
    "to a lock file": "real.lock",
    "dangling": "missing.lock",
    "to itself": "synthdata.lock",
}


@pytest.mark.parametrize("target", LINKS.values(), ids=LINKS.keys())
def test_a_symlinked_lock_is_neither_read_nor_written_through(tmp_path: Path, target: str) -> None:
    real = tmp_path / "real.lock"
    write_lock(real, ENTRIES)
    before = real.read_bytes()
    path = tmp_path / "synthdata.lock"
    path.symlink_to(target)
    with pytest.raises(LockFileError, match="is a symbolic link; synthdata reads and writes"):
        read_lock(path)
    with pytest.raises(LockFileError, match="replace the link with the file it points to"):
        write_lock(path, ENTRIES[:1])
    assert path.is_symlink() and path.readlink() == Path(target)
    assert real.read_bytes() == before
    assert not (tmp_path / "missing.lock").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real.lock", "synthdata.lock"]


def test_differences_compare_the_fingerprinted_fields_only() -> None:
    entry = LockEntry(FP_A, "template 'customer'", 4, 1, "en_US", "customer", ("gdpr", "hipaa"))
    same = LockEntry(FP_A, "file 'c.json'", 4, 1, "en_US", "other", ("hipaa", "gdpr"))
    assert entry.differences(same) == []
    edited = LockEntry(FP_A, "template 'customer'", 7, 1, "de_DE", "customer", ())
    assert entry.differences(edited) == [
        "rows is 4 in the lock, 7 in the request",
        "locale is 'en_US' in the lock, 'de_DE' in the request",
        "compliance is ['gdpr', 'hipaa'] in the lock, [] in the request",
    ]
    problems = check_entries("synthdata.lock", {FP_A: entry, FP_B: ENTRIES[0]}, {FP_A: edited})
    assert problems == [
        f"synthdata.lock: datasets.{FP_A[:12]} does not match its fingerprint: "
        + "; ".join(entry.differences(edited))
    ]


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


def test_a_folder_in_place_of_the_lock_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "synthdata.lock"
    path.mkdir()
    (path / "keep").write_text("x")
    with pytest.raises(LockFileError, match="is a folder, not a lock file"):
        write_lock(path, ENTRIES)
    assert _files(tmp_path) == ["synthdata.lock"]
    assert _files(path) == ["keep"]


FINGERPRINTS = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
LOCK_ENTRIES = st.lists(
    st.builds(
        LockEntry,
        fingerprint=FINGERPRINTS,
        source=st.text(),
        rows=st.integers(min_value=0, max_value=MAX_ROWS),
        seed=st.integers(min_value=0, max_value=MAX_SEED),
        locale=st.sampled_from(["en_US", "en_GB", "de_DE", "fr_FR"]),
        name=st.none() | st.text(),
        compliance=st.lists(st.text(min_size=1), max_size=3).map(tuple),
    ),
    unique_by=lambda entry: entry.fingerprint,
    max_size=6,
)


# No deadline: each example fsyncs a file, which a busy disk can make slow.
@pytest.mark.slow
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
