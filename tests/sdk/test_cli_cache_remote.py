"""``synthdata cache pull``, ``push`` and ``presign`` through ``main``, against moto (in-process,
or its server on 127.0.0.1 where URLs are fetched), with fake credentials.

What the transfers do in depth (resuming, refusing, hostile URL files) is tested in
tests/cloud/test_transfer_*.py; here: what the commands print, their exit codes, where they
take the shared cache and the datasets from, and that they need no more than they say.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("moto", reason="needs the [test] extra (moto)")

import boto3
from moto import mock_aws

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache import LocalStore, LockEntry, write_lock
from synthdata_sdk.cache.defaults import (
    CACHE_DIR_ENV,
    REQUIRE_SIGNED_ENV,
    SHARED_CACHE_ENV,
    SIGNING_KEY_ENV,
)
from synthdata_sdk.cache.entry_format import MANIFEST, RECORDS, SIGNATURE, manifest_bytes
from synthdata_sdk.cli import main
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.dataset import Dataset
from tests.cloud.cloud_helpers import serialize_moto_calls
from tests.cloud.http_servers import moto_server
from tests.cloud.test_core_imports import imported_after
from tests.conftest import ROOT
from tests.sdk.cli_support import FakeTTY, Run

BUCKET = "synthdata-ci"
SHARED = f"s3://{BUCKET}/team/ci"
ABSENT = "ab" * 32


@pytest.fixture(scope="module")
def datasets() -> list[Dataset]:
    client = SynthDataClient()
    found = [client.generate("customer", rows=rows, seed=2) for rows in (5, 15, 25)]
    # sorted as the cache lists them: which one comes first depends on the engine version
    return sorted(found, key=lambda dataset: dataset.fingerprint)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake credentials and region, no config files, no synthdata settings from outside."""
    for name in list(os.environ):
        if name.startswith("AWS_") or name.startswith("SYNTHDATA_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def aws(aws_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """moto in-process, with the bucket made."""
    serialize_moto_calls(monkeypatch)
    with mock_aws():
        boto3.client("s3").create_bucket(Bucket=BUCKET)
        yield


@pytest.fixture
def shared(aws: None, datasets: list[Dataset]) -> S3Store:
    """The shared cache holding every dataset."""
    store = S3Store.from_uri(SHARED, boto3.client("s3"))
    for dataset in datasets:
        store.put(dataset)
    return store


@pytest.fixture
def local(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / ".synthdata")


def lock(*fingerprints: str, path: str = "synthdata.lock") -> None:
    write_lock(path, [LockEntry(fp, "template 'customer'", 1, 2) for fp in fingerprints])


def lines(text: str) -> list[str]:
    return text.splitlines()


def prefixes(datasets: list[Dataset]) -> list[str]:
    return [dataset.fingerprint[:12] for dataset in datasets]


def pull_without_aws(folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """``synthdata cache pull ARGV`` in a new process in ``folder`` where boto3 and botocore
    cannot be imported and no AWS or synthdata variable is set; it prints, last, its exit code
    and the cloud libraries it imported."""
    script = textwrap.dedent(
        f"""
        import json, sys
        sys.modules["boto3"] = sys.modules["botocore"] = None  # not installed
        from synthdata_sdk.cli import main
        code = main(["cache", "pull", *{list(argv)!r}])
        cloud = {{"boto3", "botocore", "s3transfer", "moto"}}
        loaded = {{name.split(".")[0] for name, module in sys.modules.items() if module}}
        print(json.dumps([code, sorted(cloud & loaded)]))
        """
    )
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("AWS_") and not name.startswith("SYNTHDATA_")
    }
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --------------------------------------------------------------------------------------------
# pull


def test_pull_fetches_exactly_the_locked_datasets(
    run: Run, shared: S3Store, datasets: list[Dataset], local: LocalStore
) -> None:
    first, second = prefixes(datasets)[:2]
    lock(datasets[1].fingerprint, datasets[0].fingerprint)

    code, out, err = run("cache", "pull", "--shared-cache", SHARED)

    assert (code, err) == (0, "")
    assert lines(out)[:2] == [
        f"pulled {first} ({datasets[0].rows} rows, {_size(local, datasets[0])})",
        f"pulled {second} ({datasets[1].rows} rows, {_size(local, datasets[1])})",
    ]
    assert lines(out)[2].startswith("pull: 2 pulled; ") and lines(out)[2].endswith(" MB/s)")
    assert local.fingerprints() == sorted(d.fingerprint for d in datasets[:2])
    assert local.load(datasets[0].fingerprint).records == datasets[0].records


def _size(local: LocalStore, dataset: Dataset) -> str:
    from synthdata_sdk.cli.common import human_size

    size = (local.path_for(dataset.fingerprint) / "records.json").stat().st_size
    return human_size(size)


def test_pull_takes_the_shared_cache_from_the_environment_and_all_of_it_with_all(
    run: Run, shared: S3Store, datasets: list[Dataset], local: LocalStore, monkeypatch: Any
) -> None:
    monkeypatch.setenv(SHARED_CACHE_ENV, SHARED)
    code, out, _ = run("cache", "pull", "--all", "--quiet")

    assert code == 0
    assert lines(out) == [lines(out)[0]] and lines(out)[0].startswith("pull: 3 pulled; ")
    assert local.fingerprints() == [dataset.fingerprint for dataset in datasets]


def test_a_second_pull_skips_what_is_already_local(
    run: Run, shared: S3Store, datasets: list[Dataset]
) -> None:
    lock(datasets[0].fingerprint)
    run("cache", "pull", "--shared-cache", SHARED)
    code, out, _ = run("cache", "pull", "--shared-cache", SHARED)

    assert code == 0
    assert lines(out) == [f"already local {prefixes(datasets)[0]}", "pull: 1 already local"]


def test_a_locked_dataset_the_shared_cache_lacks_is_named_and_exits_1(
    run: Run, shared: S3Store, datasets: list[Dataset], local: LocalStore
) -> None:
    lock(datasets[0].fingerprint, ABSENT)

    code, out, err = run("cache", "pull", "--shared-cache", SHARED)

    assert code == 1
    assert f"missing {ABSENT[:12]}: not in {SHARED}/datasets/{ABSENT}/" in lines(out)
    assert lines(out)[-1].startswith("pull: 1 pulled, 1 missing; ")
    assert err.startswith(f"synthdata: error: pull left 1 dataset behind: missing {ABSENT} (")
    assert "synthdata cache push" in err and err.count("\n") == 1
    assert local.fingerprints() == [datasets[0].fingerprint]


def test_a_tampered_shared_dataset_is_reported_corrupt_and_exits_1(
    run: Run, shared: S3Store, datasets: list[Dataset], local: LocalStore
) -> None:
    fingerprint = datasets[0].fingerprint
    key = shared.entry_key(fingerprint, "records.json")
    s3 = shared.objects.client
    data = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    s3.put_object(Bucket=BUCKET, Key=key, Body=data.replace(b"a", b"b", 1))
    lock(fingerprint)

    code, out, err = run("cache", "pull", "--shared-cache", SHARED)

    assert code == 1
    assert lines(out)[0].startswith(f"corrupt {fingerprint[:12]}: records.json does not match")
    assert f"corrupt {fingerprint}" in err
    assert local.fingerprints() == []


def test_the_bar_is_drawn_on_a_terminal_and_the_lines_come_after_it(
    shared: S3Store, datasets: list[Dataset], monkeypatch: Any, capsys: Any
) -> None:
    lock(datasets[0].fingerprint)
    terminal = FakeTTY()
    monkeypatch.setattr(sys, "stderr", terminal)

    assert main(["cache", "pull", "--shared-cache", SHARED]) == 0

    drawn = terminal.getvalue()
    assert drawn.startswith("\r[") and " MB" in drawn and "100.0%" in drawn
    assert drawn.endswith("\n") and drawn.count("\n") == 1
    assert lines(capsys.readouterr().out)[0].startswith(f"pulled {prefixes(datasets)[0]}")


def test_no_bar_off_a_terminal_nor_when_quiet(
    run: Run, shared: S3Store, datasets: list[Dataset], monkeypatch: Any
) -> None:
    lock(datasets[0].fingerprint)
    code, _, err = run("cache", "pull", "--shared-cache", SHARED)
    assert (code, err) == (0, "")

    monkeypatch.setattr(sys, "stderr", FakeTTY())
    code, out, _ = run("cache", "pull", "--shared-cache", SHARED, "--quiet")
    assert code == 0 and sys.stderr.getvalue() == ""
    assert lines(out) == ["pull: 1 already local"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["pull"],
            f"no shared cache: pass --shared-cache s3://bucket/prefix or set {SHARED_CACHE_ENV}",
        ),
        (["pull", "--shared-cache", SHARED], "no lock file at synthdata.lock"),
        (["pull", "--shared-cache", "https://x/y"], "is not an S3 URI"),
        (
            ["pull", "--urls", "u.json", "--shared-cache", SHARED],
            "--urls and --shared-cache exclude",
        ),
        (["pull", "--lock", "x.lock", "--all"], "not allowed with argument"),
        (["pull", "--urls", "u.json"], "u.json: does not exist"),
        (["pull", "--all", "--shared-cache", SHARED, "--cache-dir", "lock.txt"], "not a folder"),
        (["push", "--jobs", "0"], "expected an integer >= 1"),
        (["presign", "--shared-cache", SHARED], "the following arguments are required: --out"),
        (["presign", "--shared-cache", SHARED, "--out", "u.json", "--expires", "604801"], "7 days"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    run: Run, aws: None, argv: list[str], message: str, tmp_path: Path
) -> None:
    (tmp_path / "lock.txt").write_text("a file, not a cache folder")
    code, _, err = run("cache", *argv)

    assert code == 2
    assert err.startswith("synthdata: error: ") and err.count("\n") == 1
    assert message in err


@pytest.mark.parametrize("command", ["pull", "push", "presign"])
def test_without_the_aws_extra_the_error_names_the_install_command(
    run: Run, aws_env: None, monkeypatch: Any, command: str
) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # import boto3 now fails

    code, _, err = run(
        "cache",
        command,
        "--shared-cache",
        SHARED,
        *(["--out", "u.json"] if command == "presign" else []),
    )

    assert code == 2
    assert f"'synthdata cache {command}' needs boto3, which is not installed: " in err
    assert "pip install 'synthdata[aws]'" in err


def test_the_commands_help_imports_no_cloud_library() -> None:
    code = """
        import contextlib, io
        from synthdata_sdk.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            for command in ("pull", "push", "presign", "public-key"):
                assert main(["cache", command, "--help"]) == 0
    """
    assert imported_after(code) == []


# --------------------------------------------------------------------------------------------
# push


def test_push_uploads_every_local_dataset_then_finds_them_there(
    run: Run, aws: None, datasets: list[Dataset], local: LocalStore
) -> None:
    for dataset in datasets:
        local.put(dataset)

    code, out, err = run("cache", "push", "--shared-cache", SHARED)

    assert (code, err) == (0, "")
    assert [line.split(" (")[0] for line in lines(out)[:3]] == [
        f"pushed {prefix}" for prefix in prefixes(datasets)
    ]
    assert lines(out)[3].startswith("push: 3 pushed; ")
    remote = S3Store.from_uri(SHARED, boto3.client("s3"))
    assert remote.fingerprints() == [dataset.fingerprint for dataset in datasets]

    code, out, _ = run("cache", "push", "--shared-cache", SHARED)
    assert code == 0
    assert lines(out)[0] == (
        f"already there {prefixes(datasets)[0]}: {SHARED}/datasets/{datasets[0].fingerprint}/"
    )
    assert lines(out)[3] == "push: 3 already there"


def test_push_with_a_lock_uploads_only_its_datasets_and_names_those_not_local(
    run: Run, aws: None, datasets: list[Dataset], local: LocalStore
) -> None:
    local.put(datasets[0])
    local.put(datasets[1])
    lock(datasets[1].fingerprint, ABSENT)

    code, out, err = run("cache", "push", "--shared-cache", SHARED, "--lock", "synthdata.lock")

    assert code == 1
    shown = {line.split(" ")[1].rstrip(":"): line for line in lines(out)[:2]}
    assert list(shown) == sorted([datasets[1].fingerprint[:12], ABSENT[:12]])  # the lock's order
    assert shown[ABSENT[:12]].startswith(f"missing {ABSENT[:12]}: not in the local cache ")
    assert shown[prefixes(datasets)[1]].startswith(
        f"pushed {prefixes(datasets)[1]} ({datasets[1].rows} rows"
    )
    assert f"missing {ABSENT} (record them first" in err
    remote = S3Store.from_uri(SHARED, boto3.client("s3"))
    assert remote.fingerprints() == [datasets[1].fingerprint]


# --------------------------------------------------------------------------------------------
# presign, and pull --urls with no AWS library at all


def test_presigned_urls_pull_without_credentials_or_boto3(
    run: Run, aws_env: None, datasets: list[Dataset], tmp_path: Path, monkeypatch: Any
) -> None:
    with moto_server() as endpoint:
        monkeypatch.setenv("SYNTHDATA_ENDPOINT_URL", endpoint)
        s3 = boto3.client("s3", endpoint_url=endpoint)
        s3.create_bucket(Bucket=BUCKET)
        store = S3Store.from_uri(SHARED, s3)
        for dataset in datasets[:2]:
            store.put(dataset)
        lock(datasets[0].fingerprint, datasets[1].fingerprint, ABSENT)

        code, out, _ = run("cache", "presign", "--shared-cache", SHARED, "--out", "urls.json")

        assert code == 1  # one dataset missing: the others are presigned all the same
        assert f"missing {ABSENT[:12]}: not in {SHARED}/datasets/{ABSENT}/" in out
        assert "wrote urls.json: URLs of 2 datasets, valid until " in out
        written = json.loads((tmp_path / "urls.json").read_text())
        assert sorted(written["datasets"]) == [datasets[0].fingerprint, datasets[1].fingerprint]

        done = pull_without_aws(tmp_path, "--urls", "urls.json", "--cache-dir", "elsewhere")

    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert json.loads(printed[-1]) == [0, []]
    assert printed[-2].startswith("pull: 2 pulled; ")
    elsewhere = LocalStore(tmp_path / "elsewhere")
    for dataset in datasets[:2]:
        assert elsewhere.load(dataset.fingerprint).records == dataset.records


def test_a_table_set_is_pushed_presigned_and_pulled_without_boto3_one_file_per_table(
    run: Run, aws_env: None, tmp_path: Path, monkeypatch: Any
) -> None:
    dataset = SynthDataClient().generate("banking", rows=3, seed=4)
    tables = list(dataset.tables)
    local = LocalStore(tmp_path / ".synthdata")
    local.put(dataset)
    prefix = dataset.fingerprint[:12]
    with moto_server() as endpoint:
        monkeypatch.setenv("SYNTHDATA_ENDPOINT_URL", endpoint)
        s3 = boto3.client("s3", endpoint_url=endpoint)
        s3.create_bucket(Bucket=BUCKET)

        code, out, err = run("cache", "push", "--shared-cache", SHARED)
        assert (code, err) == (0, "")
        assert lines(out)[0].startswith(f"pushed {prefix} ({dataset.rows} rows, ")
        entry = f"team/ci/datasets/{dataset.fingerprint}/"
        listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=entry)
        assert sorted(item["Key"].rsplit("/", 1)[-1] for item in listed["Contents"]) == sorted(
            [MANIFEST, *(f"table-{name}.json" for name in tables)]
        )

        lock(dataset.fingerprint)
        code, out, _ = run("cache", "presign", "--shared-cache", SHARED, "--out", "urls.json")
        assert code == 0, out
        written = json.loads((tmp_path / "urls.json").read_text())
        files = written["datasets"][dataset.fingerprint]["files"]
        assert sorted(item["path"] for item in files) == sorted(f"table-{n}.json" for n in tables)

        done = pull_without_aws(tmp_path, "--urls", "urls.json", "--cache-dir", "elsewhere")

    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert json.loads(printed[-1]) == [0, []]
    assert printed[0].startswith(f"pulled {prefix} ({dataset.rows} rows, ")
    pulled = LocalStore(tmp_path / "elsewhere").load(dataset.fingerprint)
    assert {name: list(rows) for name, rows in pulled.tables.items()} == dataset.tables


def test_pull_urls_with_a_lock_takes_only_the_locked_datasets(
    run: Run, aws_env: None, tmp_path: Path
) -> None:
    (tmp_path / "urls.json").write_text(json.dumps({"version": 1, "datasets": {}}))
    lock(ABSENT)

    code, out, _ = run("cache", "pull", "--urls", "urls.json", "--lock", "synthdata.lock")

    assert code == 1
    assert lines(out)[0] == f"missing {ABSENT[:12]}: not in the URL file urls.json"


def test_a_hostile_url_file_exits_2_naming_the_problem(
    run: Run, aws_env: None, tmp_path: Path
) -> None:
    entry = {
        "manifest": {"url": "https://e.example/m", "sha256": "0" * 64, "size": 10},
        "files": [{"path": "../../x", "url": "https://e.example/r", "sha256": "0" * 64, "size": 1}],
    }
    (tmp_path / "urls.json").write_text(json.dumps({"version": 1, "datasets": {ABSENT: entry}}))

    code, _, err = run("cache", "pull", "--urls", "urls.json")

    assert code == 2
    assert err == (
        f"synthdata: error: urls.json: dataset {ABSENT[:12]}: file 0 has path '../../x', not a "
        "data file name (records.json, records-00000.json, records-00001.json... or "
        "table-<name>.json)\n"
    )
    assert not (tmp_path / ".synthdata").exists()


def test_pull_and_push_use_the_cache_dir_option_and_environment(
    run: Run, shared: S3Store, datasets: list[Dataset], tmp_path: Path, monkeypatch: Any
) -> None:
    lock(datasets[0].fingerprint)
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "from-env"))
    assert run("cache", "pull", "--shared-cache", SHARED)[0] == 0
    assert run("cache", "pull", "--shared-cache", SHARED, "--cache-dir", "from-option")[0] == 0
    for folder in ("from-env", "from-option"):
        assert LocalStore(tmp_path / folder).fingerprints() == [datasets[0].fingerprint]


# --------------------------------------------------------------------------------------------
# signed manifests


@pytest.fixture
def signing_key(aws: None) -> str:
    """A new ECC signing key in moto's KMS; its ARN."""
    created = boto3.client("kms").create_key(KeyUsage="SIGN_VERIFY", KeySpec="ECC_NIST_P256")
    return str(created["KeyMetadata"]["Arn"])


def signed_push(run: Run, local: LocalStore, datasets: list[Dataset], key: str) -> None:
    for dataset in datasets:
        local.put(dataset)
    push = ("cache", "push", "--cache-dir", str(local.root), "--shared-cache", SHARED)
    code, _, err = run(*push, "--signing-key", key)
    assert (code, err) == (0, "")


def shared_key(fingerprint: str, name: str) -> str:
    return f"team/ci/datasets/{fingerprint}/{name}"


def test_push_with_a_signing_key_signs_every_manifest_and_pull_checks_them(
    run: Run, signing_key: str, datasets: list[Dataset], tmp_path: Path, monkeypatch: Any
) -> None:
    signed_push(run, LocalStore(tmp_path / "origin"), datasets, signing_key)
    s3 = boto3.client("s3")
    for dataset in datasets:
        signature = s3.get_object(Bucket=BUCKET, Key=shared_key(dataset.fingerprint, SIGNATURE))
        assert json.loads(signature["Body"].read())["algorithm"] == "ECDSA_SHA_256"
    monkeypatch.setenv(SIGNING_KEY_ENV, signing_key)  # the plugin's variable

    code, out, err = run("cache", "pull", "--shared-cache", SHARED, "--all", "--require-signed")

    assert (code, err) == (0, "")
    assert lines(out)[-1].startswith("pull: 3 pulled; ")


def test_push_takes_the_signing_key_from_the_environment(
    run: Run, signing_key: str, datasets: list[Dataset], local: LocalStore, monkeypatch: Any
) -> None:
    local.put(datasets[0])
    monkeypatch.setenv(SIGNING_KEY_ENV, signing_key)

    assert run("cache", "push", "--shared-cache", SHARED)[0] == 0

    key = shared_key(datasets[0].fingerprint, SIGNATURE)
    assert boto3.client("s3").head_object(Bucket=BUCKET, Key=key)["ContentLength"] > 0


def test_a_tampered_signed_dataset_is_refused_fetching_no_data_and_exits_1(
    run: Run,
    signing_key: str,
    datasets: list[Dataset],
    local: LocalStore,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    signed_push(run, LocalStore(tmp_path / "origin"), datasets[:1], signing_key)
    fingerprint = datasets[0].fingerprint
    _tamper(fingerprint)
    lock(fingerprint)
    fetched: list[str] = []
    _watch(monkeypatch, "s3", "provide-client-params.s3.GetObject", fetched)

    code, out, err = run("cache", "pull", "--shared-cache", SHARED, "--signing-key", signing_key)

    assert code == 1
    assert lines(out)[0].startswith(f"refused {fingerprint[:12]}: {SIGNATURE} in {SHARED}/")
    assert lines(out)[1] == "pull: 1 refused"
    assert err == f"synthdata: error: pull left 1 dataset behind: refused {fingerprint}\n"
    assert [key.rsplit("/", 1)[-1] for key in fetched] == [MANIFEST, SIGNATURE]
    assert local.fingerprints() == []


def test_an_unsigned_dataset_is_refused_under_require_signed_else_pulled_with_a_warning(
    run: Run,
    shared: S3Store,
    signing_key: str,
    datasets: list[Dataset],
    local: LocalStore,
    monkeypatch: Any,
) -> None:
    lock(datasets[0].fingerprint)
    pull = ("cache", "pull", "--shared-cache", SHARED, "--signing-key", signing_key)
    monkeypatch.setenv(REQUIRE_SIGNED_ENV, "yes")

    code, out, _ = run(*pull)

    assert code == 1
    assert "and signed entries are required" in lines(out)[0]
    assert local.fingerprints() == []

    monkeypatch.setenv(REQUIRE_SIGNED_ENV, "no")
    code, out, err = run(*pull)

    assert code == 0
    assert lines(out)[0].startswith(f"pulled {datasets[0].fingerprint[:12]} ")
    assert err == (
        f"synthdata: warning: dataset {datasets[0].fingerprint[:12]} in "
        f"{SHARED}/datasets/{datasets[0].fingerprint}/ is not signed ({SIGNATURE} is missing); "
        "it was served because signed entries are not required\n"
    )
    assert local.fingerprints() == [datasets[0].fingerprint]


def test_public_key_writes_the_pem_that_pull_checks_with_instead_of_kms(
    run: Run,
    signing_key: str,
    datasets: list[Dataset],
    local: LocalStore,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    signed_push(run, LocalStore(tmp_path / "origin"), datasets[:1], signing_key)

    code, out, err = run("cache", "public-key", "--signing-key", signing_key, "--out", "key.pem")

    assert (code, err) == (0, "")
    assert out.startswith("wrote key.pem: the public key of ") and "(ECDSA_SHA_256)" in out
    assert "-----BEGIN PUBLIC KEY-----" in (tmp_path / "key.pem").read_text()
    lock(datasets[0].fingerprint)
    kms_calls: list[str] = []
    _watch(monkeypatch, "kms", "before-call.kms.*", kms_calls)
    code, out, err = run(
        "cache", "pull", "--shared-cache", SHARED, "--public-key", "key.pem", "--require-signed"
    )
    assert (code, err) == (0, "")
    assert kms_calls == []
    assert local.fingerprints() == [datasets[0].fingerprint]


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["pull", "--shared-cache", SHARED, "--require-signed"], {}, "--require-signed needs"),
        (["pull", "--shared-cache", SHARED], {REQUIRE_SIGNED_ENV: "maybe"}, "not a yes/no value"),
        (["pull", "--shared-cache", SHARED, "--public-key", "absent.pem"], {}, "does not exist"),
        (["public-key", "--out", "key.pem"], {}, "no signing key"),
    ],
)
def test_bad_signing_input_exits_2_with_one_line(
    run: Run, aws: None, argv: list[str], env: dict[str, str], message: str, monkeypatch: Any
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    lock(ABSENT)

    code, _, err = run("cache", *argv)

    assert code == 2
    assert err.startswith("synthdata: error: ") and err.count("\n") == 1
    assert message in err


def test_signed_presigned_urls_pull_offline_with_the_public_key_without_credentials(
    run: Run, aws_env: None, datasets: list[Dataset], tmp_path: Path, monkeypatch: Any
) -> None:
    with moto_server() as endpoint:
        monkeypatch.setenv("SYNTHDATA_ENDPOINT_URL", endpoint)
        s3 = boto3.client("s3", endpoint_url=endpoint)
        s3.create_bucket(Bucket=BUCKET)
        kms = boto3.client("kms", endpoint_url=endpoint)
        key = str(
            kms.create_key(KeyUsage="SIGN_VERIFY", KeySpec="ECC_NIST_P256")["KeyMetadata"]["Arn"]
        )
        signed_push(run, LocalStore(tmp_path / "origin"), datasets[:2], key)
        bad = datasets[1].fingerprint
        _tamper(bad, s3)
        lock(datasets[0].fingerprint, bad)
        assert run("cache", "public-key", "--signing-key", key, "--out", "key.pem")[0] == 0
        assert run("cache", "presign", "--shared-cache", SHARED, "--out", "urls.json")[0] == 0
        written = json.loads((tmp_path / "urls.json").read_text())
        assert all("signature" in entry for entry in written["datasets"].values())

        done = pull_without_aws(
            tmp_path,
            *("--urls", "urls.json", "--public-key", "key.pem", "--require-signed"),
            *("--cache-dir", "elsewhere"),
        )

    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert json.loads(printed[-1]) == [1, []]  # the tampered dataset is refused
    assert printed[-2].startswith("pull: 1 pulled, 1 refused")
    assert f"refused {bad[:12]}: {SIGNATURE} in the URL file urls.json " in done.stdout
    elsewhere = LocalStore(tmp_path / "elsewhere")
    assert elsewhere.fingerprints() == [datasets[0].fingerprint]


def _tamper(fingerprint: str, s3: Any = None) -> None:
    """Change a value in the shared ``records.json`` and recompute its sha256 and size in the
    manifest, leaving the signature as it was: what someone without the key can do."""
    s3 = s3 or boto3.client("s3")

    def read(name: str) -> bytes:
        answer = s3.get_object(Bucket=BUCKET, Key=shared_key(fingerprint, name))
        return answer["Body"].read()  # type: ignore[no-any-return]

    def replace(name: str, data: bytes) -> None:
        s3.delete_object(Bucket=BUCKET, Key=shared_key(fingerprint, name))
        s3.put_object(Bucket=BUCKET, Key=shared_key(fingerprint, name), Body=data)

    records = json.loads(read(RECORDS))
    records[0]["first_name"] = "tampered"
    data = json.dumps(records, separators=(",", ":")).encode()
    manifest = json.loads(read(MANIFEST))
    for item in manifest["files"]:
        item.update(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    replace(RECORDS, data)
    replace(MANIFEST, manifest_bytes(manifest))


def _watch(monkeypatch: Any, service: str, event: str, seen: list[str]) -> None:
    """Note ``event`` (its S3 key, else the service) of every client of ``service`` made from
    now on, for the rest of the test."""
    original = boto3.session.Session.client

    def created(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        client = original(self, name, *args, **kwargs)
        if name == service:
            client.meta.events.register(
                event, lambda params=None, **_: seen.append(str((params or {}).get("Key", name)))
            )
        return client

    monkeypatch.setattr(boto3.session.Session, "client", created)
