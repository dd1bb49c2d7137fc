"""``synthdata cache``: list, verify, prune and clear over a real ``LocalStore``.

Entries are generated and saved with the real SDK; the CLI runs in-process through ``main``.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache import CACHE_DIR_ENV, LocalStore, LockEntry, write_lock
from tests.sdk.cli_support import WIDGET_SCHEMA, FakeTTY, Run

Save = Callable[..., str]


@pytest.fixture(autouse=True)
def _no_cache_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "cache")


@pytest.fixture
def cache_dir(store: LocalStore) -> str:
    return str(store.root)


@pytest.fixture
def client() -> SynthDataClient:
    return SynthDataClient()


@pytest.fixture
def widget_schema(tmp_path: Path) -> Path:
    path = tmp_path / "widget.json"
    path.write_text(json.dumps(WIDGET_SCHEMA), encoding="utf-8")
    return path


@pytest.fixture
def save(store: LocalStore, client: SynthDataClient, widget_schema: Path) -> Save:
    """Generate and store one dataset; returns its fingerprint."""

    def save_one(source: str = "widget", *, rows: int = 5, seed: int = 1) -> str:
        prepared = client.prepare(
            widget_schema if source == "widget" else source, rows=rows, seed=seed
        )
        manifest = store.save_dataset(client.generate_prepared(prepared))
        fingerprint = str(manifest["fingerprint"])
        assert fingerprint == prepared.fingerprint
        return fingerprint

    return save_one


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def assert_one_line_error(err: str) -> None:
    assert err.startswith("synthdata: error: "), err
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err


# --------------------------------------------------------------------------------------------
# help and usage


def test_help_lists_the_cache_group(run: Run) -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "cache" in out and "local dataset cache" in out
    code, out, _ = run("cache", "--help")
    assert code == 0
    for subcommand in ("list", "verify", "prune", "clear"):
        assert subcommand in out


@pytest.mark.parametrize("subcommand", ["list", "verify", "prune", "clear"])
def test_every_subcommand_takes_cache_dir(run: Run, subcommand: str) -> None:
    code, out, _ = run("cache", subcommand, "--help")
    assert code == 0
    assert "--cache-dir DIR" in out and CACHE_DIR_ENV in out


def test_cache_without_subcommand_is_a_usage_error(run: Run) -> None:
    code, out, err = run("cache")
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert "synthdata cache --help" in err


# --------------------------------------------------------------------------------------------
# list


def test_list_prints_one_line_per_entry_and_a_total(
    run: Run, save: Save, store: LocalStore, cache_dir: str
) -> None:
    first = save("customer", rows=5, seed=1)
    second = save("customer", rows=7, seed=2)
    code, out, err = run("cache", "list", "--cache-dir", cache_dir)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 3
    entries = {entry.fingerprint: entry for entry in store.entries()}
    # one line per entry, sorted by fingerprint
    expected = sorted([(first, 5), (second, 7)])
    for (fingerprint, rows), line in zip(expected, lines[:2], strict=True):
        entry = entries[fingerprint]
        assert line.startswith(fingerprint[:12] + " ")
        assert fingerprint[12:] not in line
        assert f"{rows} rows" in line
        assert "KiB" in line or " B " in line
        assert entry.created_at in line
        assert line.endswith("template 'customer'")
    total = sum(entry.size for entry in entries.values())
    assert lines[2] == (f"2 entries, 12 rows, {total:,} bytes ({_human_kib(total)}) in {cache_dir}")


def _human_kib(size: int) -> str:
    assert 1024 <= size < 1024 * 1024
    return f"{size / 1024:.1f} KiB"


def test_list_json(run: Run, save: Save, store: LocalStore, cache_dir: str) -> None:
    fingerprints = sorted([save("customer", rows=3, seed=1), save("widget", rows=4, seed=1)])
    code, out, err = run("cache", "list", "--json", "--cache-dir", cache_dir)
    assert (code, err) == (0, "")
    listed = json.loads(out)
    assert [item["fingerprint"] for item in listed] == fingerprints
    entries = {entry.fingerprint: entry for entry in store.entries()}
    for item in listed:
        entry = entries[item["fingerprint"]]
        assert set(item) == {
            "fingerprint",
            "rows",
            "size",
            "created_at",
            "source",
            "name",
            "quality",
        }
        assert item["quality"] is None  # not measured
        assert item["rows"] == entry.rows
        assert item["size"] == entry.size > 0
        assert item["created_at"] == entry.created_at
        assert item["source"] == entry.source
    names = {item["name"] for item in listed}
    assert names == {"customer", "Widget"}


def test_list_shows_the_quality_recorded_with_an_entry(
    run: Run, save: Save, store: LocalStore, client: SynthDataClient, cache_dir: str
) -> None:
    plain = save("customer", rows=5, seed=1)
    prepared = client.prepare("customer", rows=6, seed=1)
    measured = store.save_dataset(client.generate_prepared(prepared, quality=True))

    table = run("cache", "list", "--cache-dir", cache_dir)[1].splitlines()
    listed = {
        item["fingerprint"]: item
        for item in json.loads(run("cache", "list", "--json", "--cache-dir", cache_dir)[1])
    }

    line = next(line for line in table if line.startswith(prepared.fingerprint[:12]))
    assert line.endswith("template 'customer'  quality 100.00")
    assert next(line for line in table if line.startswith(plain[:12])).endswith("'customer'")
    assert listed[prepared.fingerprint]["quality"] == measured["quality"]
    assert listed[plain]["quality"] is None


def test_list_empty_or_missing_cache(run: Run, store: LocalStore, cache_dir: str) -> None:
    assert run("cache", "list", "--cache-dir", cache_dir) == (
        0,
        f"no cached datasets in {cache_dir}\n",
        "",
    )
    assert run("cache", "list", "--json", "--cache-dir", cache_dir) == (0, "[]\n", "")
    store.datasets_dir.mkdir(parents=True)
    assert run("cache", "list", "--cache-dir", cache_dir)[:2] == (
        0,
        f"no cached datasets in {cache_dir}\n",
    )


def test_list_notes_entries_with_an_unreadable_manifest(
    run: Run, save: Save, store: LocalStore, cache_dir: str
) -> None:
    good = save()
    bad = save(seed=2)
    (store.path_for(bad) / "manifest.json").write_text("{not json", encoding="utf-8")
    code, out, err = run("cache", "list", "--cache-dir", cache_dir)
    assert code == 0
    assert good[:12] in out and bad[:12] not in out
    assert out.splitlines()[-1].startswith("1 entry, 5 rows, ")
    assert bad[:12] in err and "synthdata cache verify" in err


# --------------------------------------------------------------------------------------------
# verify


def test_verify_all_ok(run: Run, save: Save, cache_dir: str) -> None:
    fingerprints = sorted([save(seed=1), save(seed=2, rows=20)])
    code, out, err = run("cache", "verify", "--cache-dir", cache_dir)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"ok {fingerprints[0][:12]}",
        f"ok {fingerprints[1][:12]}",
        "verified 2 entries: 2 ok, 0 corrupt",
    ]


def test_verify_reports_a_flipped_byte(
    run: Run, save: Save, store: LocalStore, cache_dir: str
) -> None:
    good = save(seed=1)
    bad = save(seed=2)
    flip_a_byte(store.path_for(bad) / "records.json")
    code, out, err = run("cache", "verify", "--cache-dir", cache_dir)
    assert code == 1
    lines = out.splitlines()
    assert f"ok {good[:12]}" in lines
    assert f"corrupt {bad[:12]}: records.json does not match its sha256" in lines
    assert lines[-1] == "verified 2 entries: 1 ok, 1 corrupt"
    assert_one_line_error(err)
    assert "1 of 2 cache entries failed verification" in err


def test_verify_reports_a_missing_file(
    run: Run, save: Save, store: LocalStore, cache_dir: str
) -> None:
    fingerprint = save()
    (store.path_for(fingerprint) / "records.json").unlink()
    code, out, _ = run("cache", "verify", "--cache-dir", cache_dir)
    assert code == 1
    assert f"corrupt {fingerprint[:12]}: records.json is missing" in out


def test_verify_selects_by_prefix_or_full_fingerprint(
    run: Run, save: Save, store: LocalStore, cache_dir: str
) -> None:
    chosen = save(seed=1)
    other = save(seed=2)
    flip_a_byte(store.path_for(other) / "records.json")  # not selected, so not reported
    code, out, err = run("cache", "verify", chosen[:6], "--cache-dir", cache_dir)
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"ok {chosen[:12]}", "verified 1 entry: 1 ok, 0 corrupt"]
    code, out, _ = run("cache", "verify", chosen, chosen[:8].upper(), "--cache-dir", cache_dir)
    assert code == 0
    assert out.splitlines() == [f"ok {chosen[:12]}", "verified 1 entry: 1 ok, 0 corrupt"]
    code, out, _ = run("cache", "verify", other[:10], "--cache-dir", cache_dir)
    assert code == 1
    assert out.splitlines()[0].startswith(f"corrupt {other[:12]}: ")


def test_verify_unknown_prefix_is_exit_2(run: Run, save: Save, cache_dir: str) -> None:
    fingerprint = save()
    unknown = "ffffff" if not fingerprint.startswith("ffffff") else "000000"
    code, out, err = run("cache", "verify", unknown, "--cache-dir", cache_dir)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert f"no cached dataset matches '{unknown}' in {cache_dir}" in err


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("abc12", "prefix 'abc12' is too short (expected at least 6 hex digits)"),
        ("xyz123", "'xyz123' is not a fingerprint"),
        ("a" * 65, "is not a fingerprint"),
    ],
)
def test_verify_malformed_prefix_is_exit_2(
    run: Run, save: Save, cache_dir: str, argument: str, message: str
) -> None:
    save()
    code, out, err = run("cache", "verify", argument, "--cache-dir", cache_dir)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert message in err


def test_verify_ambiguous_prefix_is_exit_2(
    run: Run, save: Save, store: LocalStore, cache_dir: str
) -> None:
    fingerprint = save()
    # a copy under a name sharing the first 8 digits: an entry whose manifest names another
    twin = fingerprint[:8] + ("0" if fingerprint[8] != "0" else "1") + fingerprint[9:]
    shutil.copytree(store.path_for(fingerprint), store.path_for(twin))
    code, out, err = run("cache", "verify", fingerprint[:8], "--cache-dir", cache_dir)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert "ambiguous" in err and fingerprint[:12] in err and twin[:12] in err
    code, out, _ = run("cache", "verify", fingerprint[:9], "--cache-dir", cache_dir)
    assert code == 0 and f"ok {fingerprint[:12]}" in out
    code, out, _ = run("cache", "verify", twin[:9], "--cache-dir", cache_dir)
    assert code == 1
    assert f"corrupt {twin[:12]}: manifest.json names fingerprint" in out


def test_verify_empty_cache_is_ok(run: Run, cache_dir: str) -> None:
    assert run("cache", "verify", "--cache-dir", cache_dir) == (
        0,
        f"no cached datasets in {cache_dir}\n",
        "",
    )


def test_verify_keeps_the_schema_property_order(run: Run, save: Save, cache_dir: str) -> None:
    # customer's properties are not in alphabetical order, and their order is part of the
    # fingerprint: a manifest written with sorted keys would fail here
    fingerprint = save("customer")
    code, out, err = run("cache", "verify", "--cache-dir", cache_dir)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"ok {fingerprint[:12]}"


# --------------------------------------------------------------------------------------------
# prune


@pytest.fixture
def locked_pair(save: Save, tmp_path: Path) -> tuple[str, str, Path]:
    """Two entries and a lock file listing only the first: (kept, dropped, lock path)."""
    kept = save("customer", rows=5, seed=1)
    dropped = save("customer", rows=5, seed=2)
    lock = tmp_path / "synthdata.lock"
    write_lock(
        lock,
        [LockEntry(kept, "template 'customer'", rows=5, seed=1, name="customer")],
    )
    return kept, dropped, lock


def test_prune_removes_what_the_lock_does_not_list(
    run: Run, store: LocalStore, cache_dir: str, locked_pair: tuple[str, str, Path]
) -> None:
    kept, dropped, lock = locked_pair
    code, out, err = run("cache", "prune", "--lock", str(lock), "--cache-dir", cache_dir)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"removed {dropped[:12]}  template 'customer'"
    assert lines[1].startswith("pruned 1 entry (") and lines[1].endswith(f"not in {lock}; kept 1")
    assert store.fingerprints() == [kept]
    # again: nothing left to prune
    code, out, _ = run("cache", "prune", "--lock", str(lock), "--cache-dir", cache_dir)
    assert code == 0
    assert out == f"pruned 0 entries (0 B) not in {lock}; kept 1\n"


def test_prune_dry_run_deletes_nothing(
    run: Run, store: LocalStore, cache_dir: str, locked_pair: tuple[str, str, Path]
) -> None:
    kept, dropped, lock = locked_pair
    code, out, err = run(
        "cache", "prune", "--dry-run", "--lock", str(lock), "--cache-dir", cache_dir
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"would remove {dropped[:12]}  template 'customer'"
    assert lines[1].startswith("would prune 1 entry (")
    assert lines[1].endswith("kept 1 (dry run: nothing deleted)")
    assert store.fingerprints() == sorted([kept, dropped])


def test_prune_uses_the_lock_in_the_current_directory(
    run: Run,
    store: LocalStore,
    cache_dir: str,
    locked_pair: tuple[str, str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept, _, lock = locked_pair
    assert lock.parent == tmp_path
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("cache", "prune", "--cache-dir", cache_dir)
    assert code == 0
    assert "not in synthdata.lock; kept 1" in out
    assert store.fingerprints() == [kept]


def test_prune_without_a_lock_file_is_exit_2(
    run: Run, save: Save, store: LocalStore, cache_dir: str, tmp_path: Path
) -> None:
    fingerprint = save()
    missing = tmp_path / "nowhere" / "synthdata.lock"
    code, out, err = run("cache", "prune", "--lock", str(missing), "--cache-dir", cache_dir)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert f"no lock file at {missing}; nothing pruned" in err
    assert "pytest --synthdata-update-lock" in err
    assert store.fingerprints() == [fingerprint]


def test_prune_with_a_malformed_lock_file_is_exit_2(
    run: Run, save: Save, store: LocalStore, cache_dir: str, tmp_path: Path
) -> None:
    fingerprint = save()
    lock = tmp_path / "synthdata.lock"
    lock.write_text('{"version": 1}\n', encoding="utf-8")
    code, out, err = run("cache", "prune", "--lock", str(lock), "--cache-dir", cache_dir)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert "no 'datasets' object" in err
    assert store.fingerprints() == [fingerprint]


# --------------------------------------------------------------------------------------------
# clear


def test_clear_yes_deletes_everything(
    run: Run, save: Save, store: LocalStore, cache_dir: str
) -> None:
    save(seed=1)
    save(seed=2)
    code, out, err = run("cache", "clear", "--yes", "--cache-dir", cache_dir)
    assert (code, err) == (0, "")
    assert out.startswith("cleared 2 entries (") and out.endswith(f") from {cache_dir}\n")
    assert store.fingerprints() == []
    assert run("cache", "clear", "-y", "--cache-dir", cache_dir) == (
        0,
        f"no cached datasets in {cache_dir}\n",
        "",
    )


def test_clear_without_yes_off_a_terminal_refuses(
    run: Run, save: Save, store: LocalStore, cache_dir: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fingerprint = save()
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # piped input: not a terminal
    code, out, err = run("cache", "clear", "--cache-dir", cache_dir)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert "--yes" in err
    assert store.fingerprints() == [fingerprint]


@pytest.mark.parametrize(
    ("answer", "deleted"),
    [("y\n", True), ("YES\n", True), ("n\n", False), ("\n", False), ("", False)],
)
def test_clear_asks_on_a_terminal(
    run: Run,
    save: Save,
    store: LocalStore,
    cache_dir: str,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    deleted: bool,
) -> None:
    save()
    monkeypatch.setattr("sys.stdin", FakeTTY(answer))
    code, out, err = run("cache", "clear", "--cache-dir", cache_dir)
    assert err.startswith("delete 1 cached dataset (")
    assert f"in {cache_dir}? [y/N] " in err
    if deleted:
        assert code == 0
        assert out.startswith("cleared 1 entry (")
        assert store.fingerprints() == []
    else:
        assert (code, out) == (1, "")
        assert err.endswith("synthdata: nothing deleted\n")
        assert len(store.fingerprints()) == 1


# --------------------------------------------------------------------------------------------
# default cache folder


def test_cache_dir_comes_from_the_environment(
    run: Run, save: Save, store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    fingerprint = save()
    monkeypatch.setenv(CACHE_DIR_ENV, str(store.root))
    code, out, _ = run("cache", "list")
    assert code == 0
    assert out.startswith(fingerprint[:12])
    assert out.splitlines()[-1].endswith(f"in {store.root}")
    code, out, _ = run("cache", "verify")
    assert (code, out.splitlines()[0]) == (0, f"ok {fingerprint[:12]}")
    assert run("cache", "clear", "--yes")[0] == 0
    assert store.fingerprints() == []


def test_cache_dir_defaults_to_dot_synthdata_in_the_cwd(
    run: Run,
    client: SynthDataClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    local = LocalStore(tmp_path / ".synthdata")
    local.save_dataset(client.generate_prepared(client.prepare("customer", rows=3, seed=1)))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("cache", "list", "--json")
    assert code == 0
    assert [item["fingerprint"] for item in json.loads(out)] == local.fingerprints()


def test_explicit_cache_dir_beats_the_environment(
    run: Run, save: Save, cache_dir: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save()
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "elsewhere"))
    assert run("cache", "list")[1] == f"no cached datasets in {tmp_path / 'elsewhere'}\n"
    assert len(json.loads(run("cache", "list", "--json", "--cache-dir", cache_dir)[1])) == 1


# --------------------------------------------------------------------------------------------
# a cache folder that cannot be used, links inside it, entries being written


@pytest.mark.parametrize(
    "argv",
    [
        ("list",),
        ("list", "--json"),
        ("verify",),
        ("clear", "--yes"),
        ("prune", "--dry-run"),
        ("prune",),
    ],
    ids=" ".join,
)
def test_a_file_as_the_cache_folder_is_exit_2_not_an_empty_cache(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...]
) -> None:
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("x")
    monkeypatch.setenv(CACHE_DIR_ENV, str(not_a_folder))
    monkeypatch.chdir(tmp_path)
    write_lock(tmp_path / "synthdata.lock", [])
    code, out, err = run("cache", *argv)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    # shown relative to the current folder, as every cache folder below it is
    assert "error: cache folder problem: cache-file is a file, not a folder; choose" in err
    assert not_a_folder.read_text() == "x"


def tree(root: Path) -> dict[str, bytes | str]:
    return {
        p.relative_to(root).as_posix(): "folder" if p.is_dir() else p.read_bytes()
        for p in sorted(root.rglob("*"))
    }


def test_clear_refuses_a_linked_datasets_folder_and_deletes_nothing_outside(
    run: Run, save: Save, store: LocalStore, cache_dir: str, tmp_path: Path
) -> None:
    save()
    outside = tmp_path / "outside"
    store.datasets_dir.rename(outside)
    (outside / ("e" * 64)).mkdir()  # a folder with no manifest, as in the report
    (outside / ".tmp-0123456789ab-abcdef").mkdir()
    store.datasets_dir.symlink_to(outside, target_is_directory=True)
    before = tree(outside)
    for argv in (("clear", "--yes"), ("prune", "--lock", str(tmp_path / "l.lock"))):
        write_lock(tmp_path / "l.lock", [])
        code, out, err = run("cache", *argv, "--cache-dir", cache_dir)
        assert (code, out) == (2, "")
        assert_one_line_error(err)
        assert f"{store.datasets_dir} is a symbolic link, not a folder" in err
        assert tree(outside) == before


def test_clear_leaves_a_linked_entry_says_so_and_exits_1(
    run: Run, save: Save, store: LocalStore, cache_dir: str, tmp_path: Path
) -> None:
    linked, plain = save(seed=1), save(seed=2)
    target = tmp_path / "moved"
    store.path_for(linked).rename(target)
    store.path_for(linked).symlink_to(target, target_is_directory=True)
    before = tree(target)
    code, out, err = run("cache", "clear", "--yes", "--cache-dir", cache_dir)
    assert code == 1
    assert out.startswith("cleared 1 entry (")
    assert err == (
        "synthdata: left 1 entry in place:\n"
        f"  {linked[:12]}: is a symbolic link, not an entry folder: left alone, and so is "
        "what it points to\n"
    )
    assert store.path_for(linked).is_symlink()
    assert not store.path_for(plain).exists()
    assert tree(target) == before
    assert sorted(p.name for p in store.datasets_dir.iterdir()) == [linked]  # no trash links


def test_prune_leaves_a_folder_being_written_and_names_its_writer(
    run: Run,
    save: Save,
    store: LocalStore,
    cache_dir: str,
    client: SynthDataClient,
    tmp_path: Path,
) -> None:
    import threading

    save(seed=1)
    prepared = client.prepare("customer", rows=12, seed=9)
    records = client.generate_prepared(prepared).records
    paused, resume = threading.Event(), threading.Event()
    outcome: list[object] = []

    def chunks() -> Any:
        yield records[:4]
        paused.set()
        assert resume.wait(120)
        yield records[4:]

    def write() -> None:
        outcome.append(store.save(prepared.request, chunks()))

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert paused.wait(120)
        (temp,) = [p.name for p in store.datasets_dir.iterdir() if p.name.startswith(".tmp-")]
        write_lock(tmp_path / "empty.lock", [])
        code, out, err = run(
            "cache", "prune", "--lock", str(tmp_path / "empty.lock"), "--cache-dir", cache_dir
        )
        assert code == 0
        assert out.splitlines()[-1].startswith("pruned 1 entry (")
        assert err == (
            "synthdata: left 1 temporary folder:\n"
            f"  {temp}: being written by process {os.getpid()}\n"
        )
    finally:
        resume.set()
        writer.join(120)
    assert len(outcome) == 1
    assert store.load(prepared.fingerprint, prepared.request).rows == 12


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"version": 999, "datasets": {}}', "has version 999; this synthdata reads"),
        ("<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> x\n", "has an unresolved merge conflict"),
        (
            '{"version": 1, "datasets": {"' + "a" * 64 + '": {"source": "s", "rows": 1e999, '
            '"seed": 0}}}',
            "rows is inf",
        ),
        ("[" * 100_000, "nested too deeply"),
    ],
    ids=["version 999", "conflicted", "rows 1e999", "nested 100k deep"],
)
def test_prune_with_a_bad_lock_deletes_nothing_and_exits_2(
    run: Run, save: Save, store: LocalStore, cache_dir: str, tmp_path: Path, text: str, problem: str
) -> None:
    fingerprint = save()
    lock = tmp_path / "synthdata.lock"
    lock.write_text(text)
    code, out, err = run("cache", "prune", "--lock", str(lock), "--cache-dir", cache_dir)
    assert (code, out) == (2, "")
    assert_one_line_error(err)
    assert f"error: {lock}: " in err and problem in err
    assert store.fingerprints() == [fingerprint]
