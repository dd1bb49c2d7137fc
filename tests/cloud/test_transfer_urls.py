"""Presigned URLs: ``presign`` writes them, a pull through them needs only ``requests``, and
a URL file is untrusted input (checked before anything is fetched).

The URLs are served over real HTTP on 127.0.0.1: moto's S3 server, behind a proxy that can
drop a connection or answer with an error status.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import MANIFEST, RECORDS
from synthdata_sdk.cache.names import partial_name
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.cloud.presign import presign
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.transfer import CORRUPT, FAILED, MISSING, PRESIGNED, PULLED
from synthdata_sdk.cloud.url_file import (
    MAX_URL_LENGTH,
    UrlEntry,
    check_url,
    read_url_file,
    render_url_file,
)
from synthdata_sdk.cloud.url_source import UrlSource
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import RequestError, UrlFileError
from tests.cloud.conftest import BUCKET, PREFIX, REGION
from tests.cloud.http_servers import DroppingProxy, moto_server
from tests.cloud.transfer_helpers import folder_names, pull, records_bytes, statuses, store_behind

FINGERPRINT = "ab" * 32
SHA = "cd" * 32


@pytest.fixture(scope="module")
def dataset(client: SynthDataClient) -> Dataset:
    return client.generate("customer", rows=40, seed=21)


@pytest.fixture
def proxy(aws_session: boto3.Session) -> Iterator[DroppingProxy]:
    """moto's S3 over HTTP behind a proxy, with the bucket made."""
    with moto_server() as endpoint, DroppingProxy(endpoint).running() as proxy:
        yield proxy


@pytest.fixture
def store(proxy: DroppingProxy, aws_session: boto3.Session, dataset: Dataset) -> S3Store:
    """The shared cache, reached through the proxy, holding ``dataset``."""
    shared = store_behind(proxy.url, aws_session, BUCKET, PREFIX, REGION)
    shared.put(dataset)
    return shared


@pytest.fixture
def local(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "cache")


def url_file(store: S3Store, fingerprints: list[str], path: Path) -> dict[str, UrlEntry]:
    """Presign ``fingerprints``, write the URL file and read it back."""
    signed = list(presign(store, fingerprints, expires=600))
    entries = {outcome.fingerprint: entry for outcome, entry in signed if entry is not None}
    path.write_text(render_url_file(entries, expires_at="2030-01-01T00:00:00+00:00"))
    return read_url_file(path)


def edited(path: Path, edit: Callable[[dict[str, Any]], None]) -> dict[str, UrlEntry]:
    document = json.loads(path.read_text())
    edit(document)
    path.write_text(json.dumps(document))
    return read_url_file(path)


# --------------------------------------------------------------------------------------------
# presign and pull --urls


def test_presign_lists_each_file_with_the_manifests_digest_and_size(
    store: S3Store, dataset: Dataset, tmp_path: Path
) -> None:
    missing = "ee" * 32
    signed = list(presign(store, [dataset.fingerprint, missing], expires=600))

    assert [outcome.status for outcome, _ in signed] == [PRESIGNED, MISSING]
    entry = signed[0][1]
    assert entry is not None and signed[1][1] is None
    manifest = store.manifest(dataset.fingerprint)
    [link] = entry.files
    assert (link.path, link.sha256, link.size) == (
        RECORDS,
        manifest["files"][0]["sha256"],
        manifest["files"][0]["size"],
    )
    assert "X-Amz-Expires=600" in link.url and "X-Amz-Signature=" in link.url


def test_presign_refuses_an_expiry_over_seven_days(store: S3Store, dataset: Dataset) -> None:
    with pytest.raises(RequestError, match="7 days"):
        list(presign(store, [dataset.fingerprint], expires=8 * 24 * 3600))


def test_a_pull_through_presigned_urls_needs_no_credentials(
    store: S3Store,
    dataset: Dataset,
    local: LocalStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = url_file(store, [dataset.fingerprint], tmp_path / "urls.json")
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)

    outcomes = pull(UrlSource(entries, "urls.json"), local, [dataset.fingerprint])

    assert statuses(outcomes) == [PULLED]
    assert local.load(dataset.fingerprint).records == dataset.records
    generated = LocalStore(tmp_path / "generated")
    generated.put(dataset)
    assert records_bytes(local, dataset.fingerprint) == records_bytes(
        generated, dataset.fingerprint
    )


def test_a_presigned_download_dropped_mid_file_resumes_with_a_range_request(
    store: S3Store, proxy: DroppingProxy, dataset: Dataset, local: LocalStore, tmp_path: Path
) -> None:
    entries = url_file(store, [dataset.fingerprint], tmp_path / "urls.json")
    proxy.drops[RECORDS] = 700
    proxy.seen.clear()

    outcomes = pull(UrlSource(entries, "urls.json"), local, [dataset.fingerprint])

    assert statuses(outcomes) == [PULLED]
    assert [seen.range for seen in proxy.gets(RECORDS)] == [None, "bytes=700-"]
    local.verify(dataset.fingerprint)


def test_a_presigned_pull_stopped_after_a_break_goes_on_from_its_bytes_in_the_next_run(
    store: S3Store, proxy: DroppingProxy, dataset: Dataset, local: LocalStore, tmp_path: Path
) -> None:
    entries = url_file(store, [dataset.fingerprint], tmp_path / "urls.json")
    proxy.drops[RECORDS] = 700
    proxy.after_drop = 403
    proxy.seen.clear()

    first = pull(UrlSource(entries, "urls.json"), local, [dataset.fingerprint])

    assert statuses(first) == [FAILED]
    assert local.fingerprints() == []
    partial = local.datasets_dir / partial_name(dataset.fingerprint) / RECORDS
    assert partial.stat().st_size == 700
    proxy.after_drop = None
    proxy.seen.clear()

    second = pull(UrlSource(entries, "urls.json"), local, [dataset.fingerprint])

    assert statuses(second) == [PULLED]
    assert [seen.range for seen in proxy.gets(RECORDS)] == ["bytes=700-"]
    local.verify(dataset.fingerprint)
    assert not partial.parent.exists()


def test_a_url_file_digest_that_disagrees_with_the_manifest_refuses_the_entry(
    store: S3Store, proxy: DroppingProxy, dataset: Dataset, local: LocalStore, tmp_path: Path
) -> None:
    path = tmp_path / "urls.json"
    url_file(store, [dataset.fingerprint], path)
    entries = edited(
        path, lambda d: d["datasets"][dataset.fingerprint]["files"][0].update(sha256=SHA)
    )
    proxy.seen.clear()

    outcomes = pull(UrlSource(entries, "urls.json"), local, [dataset.fingerprint])

    assert statuses(outcomes) == [CORRUPT]
    assert "the URL file urls.json and manifest.json disagree about records.json" in (
        outcomes[0].detail
    )
    assert proxy.gets(RECORDS) == []  # refused before the data was fetched
    assert folder_names(local) == []


def test_a_manifest_that_is_not_the_one_the_url_file_names_is_refused(
    store: S3Store, dataset: Dataset, local: LocalStore, tmp_path: Path
) -> None:
    path = tmp_path / "urls.json"
    url_file(store, [dataset.fingerprint], path)
    entries = edited(
        path, lambda d: d["datasets"][dataset.fingerprint]["manifest"].update(sha256=SHA)
    )

    outcomes = pull(UrlSource(entries, "urls.json"), local, [dataset.fingerprint])

    assert statuses(outcomes) == [CORRUPT]
    assert "manifest.json does not match its sha256" in outcomes[0].detail
    assert folder_names(local) == []


def test_a_url_file_listing_a_file_the_manifest_does_not_is_refused(
    store: S3Store, dataset: Dataset, local: LocalStore, tmp_path: Path
) -> None:
    path = tmp_path / "urls.json"
    url_file(store, [dataset.fingerprint], path)

    def add_part(document: dict[str, Any]) -> None:
        files = document["datasets"][dataset.fingerprint]["files"]
        files.append({**files[0], "path": "records-00000.json"})

    entries = edited(path, add_part)
    outcomes = pull(UrlSource(entries, "urls.json"), local, [dataset.fingerprint])

    assert statuses(outcomes) == [CORRUPT]
    assert "lists records-00000.json, which manifest.json does not" in outcomes[0].detail


@pytest.mark.parametrize(
    ("status", "outcome", "says"),
    [
        (403, FAILED, "presigned URLs expire: write the URL file again"),
        (404, MISSING, "records.json of"),
    ],
)
def test_a_refused_or_missing_file_is_reported_and_leaves_nothing(
    store: S3Store,
    proxy: DroppingProxy,
    dataset: Dataset,
    local: LocalStore,
    tmp_path: Path,
    status: int,
    outcome: str,
    says: str,
) -> None:
    entries = url_file(store, [dataset.fingerprint], tmp_path / "urls.json")
    proxy.status[RECORDS] = status

    outcomes = pull(UrlSource(entries, "urls.json"), local, [dataset.fingerprint])

    assert statuses(outcomes) == [outcome]
    assert says in outcomes[0].detail
    assert folder_names(local) == []


def test_a_fingerprint_the_url_file_lacks_is_missing(local: LocalStore) -> None:
    outcomes = pull(UrlSource({}, "urls.json"), local, [FINGERPRINT])
    assert statuses(outcomes) == [MISSING]
    assert outcomes[0].detail == "not in the URL file urls.json"


# --------------------------------------------------------------------------------------------
# Hostile URL files


def link(**changes: Any) -> dict[str, Any]:
    return {"url": "https://bucket.example/key", "sha256": SHA, "size": 10, **changes}


def document(**entry_changes: Any) -> dict[str, Any]:
    entry = {"manifest": link(), "files": [link(path=RECORDS)], **entry_changes}
    return {"version": 1, "datasets": {FINGERPRINT: entry}}


def with_file(**changes: Any) -> dict[str, Any]:
    return document(files=[link(**{"path": RECORDS, **changes})])


HOSTILE = {
    "parent path": (with_file(path="../records.json"), "not a data file name"),
    "nested path": (with_file(path="x/../../etc/passwd"), "not a data file name"),
    "absolute path": (with_file(path="/etc/passwd"), "not a data file name"),
    "manifest as data": (with_file(path=MANIFEST), "not a data file name"),
    "other name": (with_file(path="notes.txt"), "not a data file name"),
    "odd part name": (with_file(path="records-1.json"), "not a data file name"),
    "path not a string": (with_file(path=7), "not a data file name"),
    "listed twice": (document(files=[link(path=RECORDS), link(path=RECORDS)]), "listed twice"),
    "http to a host": (with_file(url="http://example.com/x"), "only https"),
    "http to a look-alike": (with_file(url="http://127.0.0.1.evil.example/x"), "only https"),
    "http to localhost.x": (with_file(url="http://localhost.evil.example/x"), "only https"),
    "file scheme": (with_file(url="file:///etc/passwd"), "only https"),
    "no scheme": (with_file(url="//example.com/x"), "only https"),
    "user in url": (with_file(url="https://me:pw@example.com/x"), "a user name"),
    "space in url": (with_file(url="https://example.com/a b"), "white space"),
    "bad port": (with_file(url="https://example.com:99999999/x"), "cannot be parsed"),
    "long url": (with_file(url="https://e.com/" + "a" * MAX_URL_LENGTH), "characters long"),
    "url not a string": (with_file(url=["https://e.com"]), "a list, not a URL string"),
    "huge size": (with_file(size=10**20), "is not a whole number 0 to"),
    "negative size": (with_file(size=-1), "is not a whole number 0 to"),
    "size as text": (with_file(size="10"), "is not a whole number 0 to"),
    "size as bool": (with_file(size=True), "is not a whole number 0 to"),
    "huge manifest": (document(manifest=link(size=10**9)), "manifest: size"),
    "sha256 too short": (with_file(sha256="abc"), "is not 64 lowercase hex digits"),
    "sha256 upper case": (with_file(sha256=SHA.upper()), "is not 64 lowercase hex digits"),
    "no files": (document(files=[]), "'files' is not a list"),
    "files not a list": (document(files={"path": RECORDS}), "'files' is not a list"),
    "file not an object": (document(files=["records.json"]), "not a data file name"),
    "manifest missing": (document(manifest=None), "manifest is null"),
    "entry not an object": ({"version": 1, "datasets": {FINGERPRINT: []}}, "not an object"),
    "key not a fingerprint": ({"version": 1, "datasets": {"../x": {}}}, "not a fingerprint"),
    "datasets a list": ({"version": 1, "datasets": []}, "has no 'datasets' object"),
    "not an object": ([1, 2], "has no 'datasets' object"),
    "other version": ({"version": 2, "datasets": {}}, "has version 2"),
    "version as bool": ({"version": True, "datasets": {}}, "has version True"),
}


@pytest.mark.parametrize(("content", "problem"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_url_file_is_refused_naming_the_problem(
    tmp_path: Path, content: Any, problem: str
) -> None:
    path = tmp_path / "urls.json"
    path.write_text(json.dumps(content))

    with pytest.raises(UrlFileError) as raised:
        read_url_file(path)

    assert problem in str(raised.value)
    assert str(raised.value).startswith(f"{path}: ")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{", "is not JSON"),
        ("[" * 100_000 + "]" * 100_000, "cannot be parsed"),
        ("\udcff", "is not JSON"),
    ],
    ids=["truncated", "nested too deeply", "not UTF-8"],
)
def test_a_url_file_that_is_not_json_is_refused(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "urls.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(UrlFileError, match=problem):
        read_url_file(path)


def test_a_url_file_that_is_a_link_a_folder_too_large_or_absent_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real.json"
    real.write_text(json.dumps(document()))
    (tmp_path / "link.json").symlink_to(real)
    (tmp_path / "folder.json").mkdir()
    monkeypatch.setattr("synthdata_sdk.cloud.url_file.MAX_URL_FILE_BYTES", 100)

    for name, problem in [
        ("link.json", "is a symbolic link"),
        ("folder.json", "is not a regular file"),
        ("real.json", "more than 100"),
        ("absent.json", "does not exist"),
    ]:
        with pytest.raises(UrlFileError, match=problem):
            read_url_file(tmp_path / name)


@pytest.mark.parametrize(
    "url",
    [
        "https://bucket.s3.eu-west-1.amazonaws.com/k?X-Amz-Signature=abc",
        "http://127.0.0.1:9000/bucket/key",
        "http://127.8.0.1/key",
        "http://[::1]:9000/key",
        "http://localhost:4566/key",
    ],
)
def test_https_and_loopback_http_urls_are_accepted(url: str) -> None:
    assert check_url(url) == url


def test_a_well_formed_url_file_reads_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "urls.json"
    path.write_text(json.dumps(document()))
    entries = read_url_file(path)
    path.write_text(render_url_file(entries, expires_at="2030-01-01T00:00:00+00:00"))
    assert read_url_file(path) == entries
    assert [link.path for link in entries[FINGERPRINT].files] == [RECORDS]
