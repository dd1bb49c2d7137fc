"""The shared S3 cache through the plugin: options, pulls, signatures, offline, xdist.

Runs reach a moto server on 127.0.0.1 (``loopback_aws.py``) through ``SYNTHDATA_ENDPOINT_URL``,
with fake credentials; nothing leaves the machine.
"""

from __future__ import annotations

import importlib.util
import json
import re
import socket
from collections.abc import Iterator

import pytest

pytest.importorskip("moto", reason="needs the [test] extra (moto)")

import boto3
from botocore.retries.standard import ExponentialBackoff

# Loaded here, outside the inner runs: pytester drops what an inner run imports, and the
# compiled part of cryptography cannot be loaded twice in one process.
import synthdata_sdk.cloud.signing  # noqa: F401
from tests.plugin.helpers import REFUSE_CONNECTIONS, entries, shared_hits, summary
from tests.plugin.loopback_aws import LoopbackAws

BUCKET = "synthdata-ci"
SHARED = f"s3://{BUCKET}/ci"
REGION = "us-east-1"
USAGE_ERROR = pytest.ExitCode.USAGE_ERROR

TESTS = """
import pytest

@pytest.mark.synthdata("customer", rows=10, seed=1)
def test_a(synthdata):
    assert synthdata.rows == 10

@pytest.mark.synthdata("customer", rows=10, seed=1)
def test_b(synthdata):
    assert synthdata.rows == 10

@pytest.mark.synthdata("order", rows=5, seed=2)
def test_c(synthdata):
    assert synthdata.rows == 5
"""


@pytest.fixture(scope="module")
def loopback() -> Iterator[LoopbackAws]:
    server = LoopbackAws()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def aws(
    loopback: LoopbackAws,
    project: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> LoopbackAws:
    """An empty moto server holding the bucket, fake credentials, the endpoint in the env."""
    loopback.reset()
    folder = tmp_path_factory.mktemp("aws")
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": str(folder / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(folder / "no-aws-credentials"),
        "SYNTHDATA_ENDPOINT_URL": loopback.url,
    }.items():
        monkeypatch.setenv(name, value)
    boto3.client("s3", endpoint_url=loopback.url, region_name=REGION).create_bucket(Bucket=BUCKET)
    return loopback


@pytest.fixture
def signing_key(aws: LoopbackAws) -> str:
    kms = boto3.client("kms", endpoint_url=aws.url, region_name=REGION)
    created = kms.create_key(KeyUsage="SIGN_VERIFY", KeySpec="ECC_NIST_P256")
    return str(created["KeyMetadata"]["Arn"])


def no_retry_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore retries a refused connection as configured, without the waits in between."""
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)


def record(project: pytest.Pytester, *options: str) -> pytest.RunResult:
    """The CI job that fills the shared cache, with its own local cache folder."""
    result = project.runpytest(
        f"--synthdata-shared-cache={SHARED}",
        "--synthdata-shared-cache-write",
        "--synthdata-cache-dir=writer-cache",
        *options,
    )
    result.assert_outcomes(passed=3)
    return result


def stored(aws: LoopbackAws) -> list[str]:
    s3 = boto3.client("s3", endpoint_url=aws.url, region_name=REGION)
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="ci/datasets/")
    return sorted(item["Key"].split("/", 2)[-1] for item in listed.get("Contents", []))


# --------------------------------------------------------------------------------------------
# Settings


@pytest.mark.parametrize(
    ("args", "env", "ini", "message"),
    [
        (["--synthdata-shared-cache=https://example.org/x"], {}, "", "is not an S3 URI"),
        (["--synthdata-shared-cache=s3://Team_Bucket/x"], {}, "", "is not an S3 bucket name"),
        ([], {"SYNTHDATA_SHARED_CACHE": "s3://team-bucket/a/../b"}, "", "is not a plain path"),
        ([], {}, "synthdata_shared_cache = /tmp/cache", "is not an S3 URI"),
        (["--synthdata-shared-cache-write"], {}, "", "needs a shared cache"),
        (
            [f"--synthdata-shared-cache={SHARED}", "--synthdata-require-signed"],
            {},
            "",
            "needs the key whose signatures count",
        ),
        ([], {"SYNTHDATA_OFFLINE": "maybe"}, "", "is not a yes/no value"),
    ],
    ids=["not s3", "bucket", "env prefix", "ini path", "write alone", "unsigned key", "env flag"],
)
def test_a_bad_setting_stops_the_run_with_one_line(
    project: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    ini: str,
    message: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    project.makeini(f"[pytest]\n{ini}\n")
    project.makepyfile(test_plain="def test_plain():\n    pass\n")
    result = project.runpytest(*args)
    assert result.ret == USAGE_ERROR
    assert message in result.stderr.str()
    assert "Traceback" not in result.stderr.str()
    assert "1 passed" not in result.stdout.str()


@pytest.mark.parametrize("missing", ["boto3", "cryptography"])
def test_a_shared_cache_without_the_aws_extra_stops_the_run(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == missing else find_spec(name, *args),
    )
    project.makepyfile(test_plain="def test_plain():\n    pass\n")
    result = project.runpytest(f"--synthdata-shared-cache={SHARED}")
    assert result.ret == USAGE_ERROR
    assert (
        f"--synthdata-shared-cache: the shared cache needs the aws extra ({missing} missing): "
        "pip install 'synthdata[aws]'"
    ) in result.stderr.str()
    offline = project.runpytest(f"--synthdata-shared-cache={SHARED}", "--synthdata-offline")
    offline.assert_outcomes(passed=1)  # offline, the shared cache is never opened


def test_where_the_setting_came_from_is_named(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makepyfile(test_plain="def test_plain():\n    pass\n")
    monkeypatch.setenv("SYNTHDATA_SHARED_CACHE", "ftp://x")
    assert "$SYNTHDATA_SHARED_CACHE: 'ftp://x' is not" in project.runpytest().stderr.str()
    project.makeini("[pytest]\nsynthdata_shared_cache = s3://ok-bucket\n")
    bad_option = project.runpytest("--synthdata-shared-cache=s3://x")
    assert "--synthdata-shared-cache: 'x' is not an S3 bucket name" in bad_option.stderr.str()


def test_the_command_line_beats_the_ini_file_which_beats_the_environment(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makepyfile(test_plain="def test_plain():\n    pass\n")
    monkeypatch.setenv("SYNTHDATA_SHARED_CACHE", "s3://from-env/ci")
    project.runpytest().stdout.fnmatch_lines(["synthdata: *, shared cache s3://from-env/ci (*"])
    project.makeini("[pytest]\nsynthdata_shared_cache = s3://from-ini/ci/\n")
    project.runpytest().stdout.fnmatch_lines(["synthdata: *, shared cache s3://from-ini/ci (*"])
    from_option = project.runpytest("--synthdata-shared-cache=s3://from-option")
    from_option.stdout.fnmatch_lines(["synthdata: *, shared cache s3://from-option (read-only)"])


def test_the_header_says_how_the_shared_cache_is_used(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makepyfile(test_plain="def test_plain():\n    pass\n")
    cache = f"--synthdata-shared-cache={SHARED}"
    project.runpytest(cache).stdout.fnmatch_lines([f"*, shared cache {SHARED} (read-only)"])
    monkeypatch.setenv("SYNTHDATA_SIGNING_KEY", "alias/synthdata-cache")
    monkeypatch.setenv("SYNTHDATA_SHARED_CACHE_WRITE", "true")
    project.runpytest(cache).stdout.fnmatch_lines(
        [f"*, shared cache {SHARED} (read-write, signatures checked)"]
    )
    project.makeini("[pytest]\nsynthdata_require_signed = true\nsynthdata_offline = true\n")
    project.runpytest(cache).stdout.fnmatch_lines(
        [f"synthdata: *, offline, cache *, shared cache {SHARED} (skipped: offline)"]
    )


# --------------------------------------------------------------------------------------------
# Pulling what the writing job recorded


def test_a_reading_job_pulls_what_the_writing_job_recorded(
    project: pytest.Pytester, aws: LoopbackAws, signing_key: str
) -> None:
    project.makepyfile(test_data=TESTS)
    writer = record(project, f"--synthdata-signing-key={signing_key}")
    writer.stdout.fnmatch_lines([f"*shared cache {SHARED} (read-write, signatures checked)"])
    assert summary(writer) == (2, 1, 0, 2, 25)
    assert shared_hits(writer) == 0
    fingerprints = entries(project.path / "writer-cache")
    assert stored(aws) == sorted(
        f"{fingerprint}/{name}"
        for fingerprint in fingerprints
        for name in ("manifest.json", "manifest.json.sig", "records.json")
    )

    reader_options = (
        f"--synthdata-shared-cache={SHARED}",
        f"--synthdata-signing-key={signing_key}",
        "--synthdata-require-signed",
        "--synthdata-mode=none",
        "--synthdata-cache-dir=reader-cache",
    )
    reader = project.runpytest(*reader_options, "-v")
    reader.assert_outcomes(passed=3)
    assert summary(reader) == (0, 3, 0, 2, 25)
    assert shared_hits(reader) == 2
    dataset_line = re.compile(r"\s+[0-9a-f]{12}  template '\w+'  \d+ rows  ")
    lines = [line for line in reader.outlines if dataset_line.match(line)]
    assert len(lines) == 2
    assert all("  shared cache  " in line for line in lines)
    assert entries(project.path / "reader-cache") == fingerprints

    again = project.runpytest(*reader_options)
    assert summary(again) == (0, 3, 0, 2, 25)
    assert shared_hits(again) == 0  # the local copies now


def test_mode_none_names_both_caches_and_the_command_that_records_into_the_shared_one(
    project: pytest.Pytester, aws: LoopbackAws
) -> None:
    project.makepyfile(test_data=TESTS)
    result = project.runpytest(f"--synthdata-shared-cache={SHARED}", "--synthdata-mode=none")
    result.assert_outcomes(errors=3)
    output = result.stdout.str()
    assert f"nor the shared cache at {SHARED}, and mode 'none' never generates" in output
    assert f"in neither the cache at {project.path / '.synthdata'}" in output
    assert (
        f"pytest --synthdata-mode=new --synthdata-shared-cache={SHARED} "
        "--synthdata-shared-cache-write test_data.py::test_a"
    ) in output
    assert shared_hits(result) == 0


def test_an_unsigned_entry_is_an_error_under_require_signed_and_a_warning_otherwise(
    project: pytest.Pytester, aws: LoopbackAws, signing_key: str
) -> None:
    project.makepyfile(test_data=TESTS)
    record(project)  # a writer without the signing key
    reader = (f"--synthdata-shared-cache={SHARED}", f"--synthdata-signing-key={signing_key}")
    strict = project.runpytest(
        *reader, "--synthdata-require-signed", "--synthdata-mode=none", "--synthdata-cache-dir=a"
    )
    strict.assert_outcomes(errors=3)
    strict.stdout.fnmatch_lines(["*is not trusted: s3://*has no manifest.json.sig*"])
    assert "Traceback" not in strict.stdout.str()
    assert entries(project.path / "a") == []

    lenient = project.runpytest(*reader, "--synthdata-cache-dir=b")
    lenient.assert_outcomes(passed=3, warnings=2)
    lenient.stdout.fnmatch_lines(["*UnsignedEntryWarning: dataset * is not signed*"])
    assert shared_hits(lenient) == 2


def test_a_tampered_entry_is_regenerated_with_a_warning_in_mode_once(
    project: pytest.Pytester, aws: LoopbackAws, signing_key: str
) -> None:
    project.makepyfile(test_data=TESTS)
    record(project, f"--synthdata-signing-key={signing_key}")
    s3 = boto3.client("s3", endpoint_url=aws.url, region_name=REGION)
    (fingerprint, _) = entries(project.path / "writer-cache")
    key = f"ci/datasets/{fingerprint}/manifest.json"
    manifest = json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    manifest["created_at"] = "2020-01-01T00:00:00Z"  # any change breaks the signature
    s3.delete_object(Bucket=BUCKET, Key=key)
    s3.put_object(Bucket=BUCKET, Key=key, Body=json.dumps(manifest).encode())

    result = project.runpytest(
        f"--synthdata-shared-cache={SHARED}", f"--synthdata-signing-key={signing_key}"
    )
    result.assert_outcomes(passed=3, warnings=1)
    result.stdout.fnmatch_lines(
        [
            f"*SynthdataCacheWarning: synthdata: {fingerprint[:12]} *: the shared cache's entry "
            "was not served, so the dataset was generated locally: *not trusted*"
        ]
    )
    assert (summary(result)[0], shared_hits(result)) == (1, 1)


# --------------------------------------------------------------------------------------------
# Offline, and a shared cache out of reach


def test_offline_makes_no_connection_at_all(
    project: pytest.Pytester, aws: LoopbackAws, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makepyfile(test_data=TESTS)
    record(project)  # the shared cache holds both datasets
    no_retry_wait(monkeypatch)
    # restored after the test even if the inner run does not get to restore them
    monkeypatch.setattr(socket.socket, "connect", socket.socket.connect)
    monkeypatch.setattr(socket.socket, "connect_ex", socket.socket.connect_ex)
    project.makeconftest(REFUSE_CONNECTIONS)
    shared = f"--synthdata-shared-cache={SHARED}"

    offline = project.runpytest(shared, "--synthdata-offline")
    offline.assert_outcomes(passed=3)
    offline.stdout.fnmatch_lines([f"*shared cache {SHARED} (skipped: offline)"])
    assert json.loads((project.path / "connections.json").read_text()) == []
    assert summary(offline)[0] == 2  # generated locally, not pulled
    assert shared_hits(offline) is None

    # The check sees connections: the same run online tries the shared cache and is refused.
    (project.path / ".synthdata").rename(project.path / "offline-cache")
    online = project.runpytest(shared)
    online.assert_outcomes(passed=3, warnings=2)
    attempts = json.loads((project.path / "connections.json").read_text())
    assert attempts and all("127.0.0.1" in address for address in attempts)
    online.stdout.fnmatch_lines(["*the shared cache at s3://* could not be read, so the dataset*"])


def test_offline_in_mode_none_says_the_shared_cache_was_skipped(
    project: pytest.Pytester,
) -> None:
    project.makepyfile(test_data=TESTS)
    result = project.runpytest(
        f"--synthdata-shared-cache={SHARED}", "--synthdata-offline", "--synthdata-mode=none"
    )
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(
        [f"*is not in the cache at * (the shared cache {SHARED} is skipped offline), and mode*"]
    )


def test_an_unreachable_shared_cache_in_mode_none_is_a_test_error_without_a_traceback(
    project: pytest.Pytester, aws: LoopbackAws, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as closed:  # bound, never listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        monkeypatch.setenv("SYNTHDATA_ENDPOINT_URL", f"http://127.0.0.1:{closed.getsockname()[1]}")
        no_retry_wait(monkeypatch)
        project.makepyfile(test_data=TESTS)
        result = project.runpytest(f"--synthdata-shared-cache={SHARED}", "--synthdata-mode=none")
    result.assert_outcomes(errors=3)
    output = result.stdout.str()
    assert (
        "the shared cache could not be read, and mode 'none' never generates: S3 GetObject"
        in output
    )
    assert "Could not connect to the endpoint URL" in output
    assert "Traceback" not in output


# --------------------------------------------------------------------------------------------
# pytest-xdist


def _many_tests(tests: int, datasets: int) -> str:
    return "import pytest\n" + "\n".join(
        f"""
@pytest.mark.synthdata("customer", rows=20, seed={i % datasets})
def test_{i}(synthdata):
    assert synthdata.rows == 20
"""
        for i in range(tests)
    )


@pytest.mark.slow
def test_xdist_workers_pull_each_dataset_once(project: pytest.Pytester, aws: LoopbackAws) -> None:
    project.makepyfile(test_many=_many_tests(tests=8, datasets=2))
    writer = project.runpytest(
        f"--synthdata-shared-cache={SHARED}",
        "--synthdata-shared-cache-write",
        "--synthdata-cache-dir=writer-cache",
    )
    writer.assert_outcomes(passed=8)
    fingerprints = entries(project.path / "writer-cache")
    assert len(fingerprints) == 2
    aws.reset_requests()

    reader = project.runpytest(
        "-n",
        "2",
        "-p",
        "no:randomly",
        f"--synthdata-shared-cache={SHARED}",
        "--synthdata-mode=none",
    )
    reader.assert_outcomes(passed=8)
    assert summary(reader) == (0, 8, 0, 2, 160)
    assert shared_hits(reader) == 2
    pulled = aws.gets("/records.json")
    assert sorted(pulled) == sorted(
        f"/{BUCKET}/ci/datasets/{fingerprint}/records.json" for fingerprint in fingerprints
    )
    assert entries(project.path / ".synthdata") == fingerprints


def test_the_shared_cache_options_are_in_the_help(project: pytest.Pytester) -> None:
    help_text = project.runpytest("--help").stdout.str()
    for option in (
        "--synthdata-shared-cache=S3_URI",
        "--synthdata-shared-cache-write",
        "--synthdata-signing-key=KMS_KEY",
        "--synthdata-require-signed",
        "--synthdata-offline",
    ):
        assert option in help_text


TABLE_SET_TESTS = """
import pytest

@pytest.mark.synthdata("retail", rows=4, seed=3)
def test_orders_belong_to_customers(synthdata):
    customers = {row["id"] for row in synthdata.tables["customers"]}
    assert synthdata.tables["orders"]
    assert all(row["customer_id"] in customers for row in synthdata.tables["orders"])
"""


def test_a_table_set_recorded_by_the_writing_job_is_replayed_in_mode_none_without_generation(
    project: pytest.Pytester, aws: LoopbackAws, signing_key: str
) -> None:
    project.makepyfile(test_sets=TABLE_SET_TESTS)
    writer = project.runpytest(
        f"--synthdata-shared-cache={SHARED}",
        "--synthdata-shared-cache-write",
        f"--synthdata-signing-key={signing_key}",
        "--synthdata-cache-dir=writer-cache",
    )
    writer.assert_outcomes(passed=1)
    assert summary(writer)[0] == 1  # generated once, by the writing job
    (fingerprint,) = entries(project.path / "writer-cache")
    assert stored(aws) == sorted(
        f"{fingerprint}/{name}"
        for name in (
            "manifest.json",
            "manifest.json.sig",
            *(
                f"table-{table}.json"
                for table in ("customers", "products", "orders", "order_items")
            ),
        )
    )

    reader = project.runpytest(
        f"--synthdata-shared-cache={SHARED}",
        f"--synthdata-signing-key={signing_key}",
        "--synthdata-require-signed",
        "--synthdata-mode=none",
        "--synthdata-cache-dir=reader-cache",
    )
    reader.assert_outcomes(passed=1)
    assert summary(reader)[0] == 0  # nothing generated
    assert shared_hits(reader) == 1
    assert entries(project.path / "reader-cache") == [fingerprint]
    written = project.path / "writer-cache" / "datasets" / fingerprint
    read = project.path / "reader-cache" / "datasets" / fingerprint
    assert sorted(path.name for path in read.iterdir()) == sorted(
        path.name for path in written.iterdir()
    )
    for path in written.glob("table-*.json"):
        assert (read / path.name).read_bytes() == path.read_bytes()
