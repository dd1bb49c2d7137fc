"""Writing the URL file of ``synthdata cache presign``: its URLs are bearer credentials until
they expire, so the file is its owner's alone (0600, whatever the umask), and a link or
anything but a regular file at its path is refused and left as it is."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cli import main
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.url_file import read_url_file, write_url_file
from synthdata_sdk.errors import OutputPathError
from tests.cloud.conftest import BUCKET, PREFIX

TEXT = '{"version": 1, "datasets": {}}\n'


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets everyone read new files, as many machines have."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_a_new_url_file_is_readable_by_its_owner_alone(open_umask: None, tmp_path: Path) -> None:
    target = tmp_path / "urls.json"

    write_url_file(target, TEXT)

    assert target.read_text() == TEXT
    assert mode(target) == 0o600
    assert sorted(path.name for path in tmp_path.iterdir()) == ["urls.json"]


def test_a_url_file_written_over_a_readable_one_becomes_the_owners_alone(
    open_umask: None, tmp_path: Path
) -> None:
    target = tmp_path / "urls.json"
    target.write_text("old")
    target.chmod(0o644)

    write_url_file(target, TEXT)

    assert (target.read_text(), mode(target)) == (TEXT, 0o600)


@pytest.mark.parametrize("dangling", [False, True], ids=["to-a-file", "to-nowhere"])
def test_a_link_at_the_url_files_path_is_refused_and_neither_it_nor_its_target_changes(
    tmp_path: Path, dangling: bool
) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    if not dangling:
        elsewhere.write_text("someone else's")
    link = tmp_path / "urls.json"
    link.symlink_to(elsewhere)

    with pytest.raises(OutputPathError, match="symbolic link"):
        write_url_file(link, TEXT)

    assert link.is_symlink() and link.readlink() == elsewhere
    if dangling:
        assert not elsewhere.exists()
    else:
        assert elsewhere.read_text() == "someone else's"
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        {"urls.json", *(["elsewhere.txt"] if not dangling else [])}
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_anything_but_a_regular_file_at_the_path_is_refused(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "urls.json"
    if kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)

    with pytest.raises(OutputPathError, match="not a regular file"):
        write_url_file(target, TEXT)

    assert target.is_dir() if kind == "folder" else stat.S_ISFIFO(target.lstat().st_mode)


def test_presign_writes_a_url_file_of_mode_0600_and_refuses_a_link_before_signing(
    open_umask: None,
    s3_store: S3Store,
    client: SynthDataClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in [name for name in os.environ if name.startswith("SYNTHDATA_")]:
        monkeypatch.delenv(name)
    dataset = client.generate("customer", rows=5, seed=31)
    s3_store.put(dataset)
    shared = f"s3://{BUCKET}/{PREFIX}"
    out = tmp_path / "urls.json"
    argv = ["cache", "presign", "--shared-cache", shared, "--all", "--out", str(out)]

    assert main(argv) == 0
    assert mode(out) == 0o600
    assert list(read_url_file(out)) == [dataset.fingerprint]

    out.unlink()
    out.symlink_to(tmp_path / "stolen.json")
    capsys.readouterr()
    assert main(argv) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert not (tmp_path / "stolen.json").exists()
