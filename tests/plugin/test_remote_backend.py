"""The plugin with a remote backend, end to end against the local stack on 127.0.0.1.

A marker resolves through the local cache, the shared S3 cache, then the backend (the agent
or the function), which writes to S3 and the history table; the records a test receives are
the bytes local generation gives. One stack serves the whole module.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("moto", reason="needs the [test] extra (moto)")

# Loaded here, outside the inner runs: pytester drops what an inner run imports.
import synthdata_sdk.cloud.agent_backend
import synthdata_sdk.cloud.lambda_backend
import synthdata_sdk.cloud.signing  # noqa: F401
from synthdata_sdk import SynthDataClient
from synthdata_sdk.cloud.local import LocalStack
from tests.plugin.helpers import REFUSE_CONNECTIONS, entries, shared_hits, summary

SHARED_PREFIX = "ci"


def digest(records: Any) -> str:
    """The sha256 of the records as canonical JSON."""
    text = json.dumps(list(records), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def suite(source: str, rows: int, seed: int) -> str:
    """A test that checks its dataset against the digest of local generation."""
    expected = digest(SynthDataClient().generate(source, rows=rows, seed=seed).copy_records())
    return f"""
import hashlib
import json

import pytest


@pytest.mark.synthdata({source!r}, rows={rows}, seed={seed})
def test_records_are_local_generations(synthdata):
    text = json.dumps(synthdata.copy_records(), sort_keys=True, separators=(",", ":"), default=str)
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == {expected!r}
"""


class Counted:
    """The stack's handler, counting the invocations of the action function by front door."""

    def __init__(self, handler: Any) -> None:
        self.handler = handler
        self.agent = 0
        self.direct = 0

    def __call__(self, event: Any, context: Any) -> Any:
        if isinstance(event, dict) and "agent" in event:
            self.agent += 1
        else:
            self.direct += 1
        return self.handler(event, context)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    folder = tmp_path_factory.mktemp("aws")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_REGION"):
            patch.delenv(name, raising=False)
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(folder / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(folder / "no-aws-credentials"),
        }.items():
            patch.setenv(name, value)
        with LocalStack(port=0) as running:
            yield running


@pytest.fixture
def counted(stack: LocalStack) -> Iterator[Counted]:
    original = stack.handler
    counter = Counted(original)
    stack.handler = counter
    try:
        yield counter
    finally:
        stack.handler = original


def agent_options(stack: LocalStack) -> list[str]:
    settings = stack.settings
    return [
        "--synthdata-backend=agent",
        "--synthdata-agent-id=SYNTHDATA1",
        "--synthdata-agent-alias-id=LOCALALIAS",
        f"--synthdata-endpoint-url={settings.endpoint_url}",
        f"--synthdata-region={settings.region}",
        f"--synthdata-bucket={settings.bucket}",
        f"--synthdata-prefix={settings.prefix}",
    ]


def history(stack: LocalStack) -> list[dict[str, Any]]:
    items = stack.client("dynamodb").scan(TableName=stack.settings.table)["Items"]
    return [{key: next(iter(value.values())) for key, value in item.items()} for item in items]


def keys(stack: LocalStack, prefix: str) -> list[str]:
    listed = stack.client("s3").list_objects_v2(Bucket=stack.settings.bucket, Prefix=prefix)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_a_marker_resolves_through_every_tier_with_local_bytes(
    project: pytest.Pytester,
    stack: LocalStack,
    counted: Counted,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project.makepyfile(test_data=suite("customer", rows=200, seed=3))
    bucket = stack.settings.bucket
    shared = f"--synthdata-shared-cache=s3://{bucket}/{SHARED_PREFIX}"
    monkeypatch.setenv("SYNTHDATA_ENDPOINT_URL", stack.settings.endpoint_url)  # the shared tier

    # 1. Nothing cached anywhere: the agent has the function generate.
    first = project.runpytest(
        *agent_options(stack), shared, "--synthdata-shared-cache-write", "--synthdata-cache-dir=one"
    )
    first.assert_outcomes(passed=1)
    first.stdout.fnmatch_lines(
        ["synthdata: backend agent (agent SYNTHDATA1, alias LOCALALIAS), mode once (default), *"]
    )
    assert summary(first)[:3] == (1, 0, 0)
    assert counted.agent == 1
    (fingerprint,) = entries(project.path / "one")
    (item,) = [item for item in history(stack) if item["fingerprint"] == fingerprint]
    assert item["status"] == "completed"
    assert item["s3_uri"] == f"s3://{bucket}/{stack.settings.prefix}/datasets/{fingerprint}/"
    assert f"{stack.settings.prefix}/datasets/{fingerprint}/manifest.json" in keys(
        stack, f"{stack.settings.prefix}/datasets/"
    )
    assert f"{SHARED_PREFIX}/datasets/{fingerprint}/manifest.json" in keys(
        stack, f"{SHARED_PREFIX}/"
    )

    # 2. A fresh local cache: served from the shared cache, the backend never asked.
    second = project.runpytest(*agent_options(stack), shared, "--synthdata-cache-dir=two")
    second.assert_outcomes(passed=1)
    assert summary(second)[:3] == (0, 1, 0)
    assert shared_hits(second) == 1
    assert (counted.agent, counted.direct) == (1, 0)
    assert entries(project.path / "two") == [fingerprint]

    # 3. Offline in mode none with that local cache: not one connection.
    monkeypatch.setattr(socket.socket, "connect", socket.socket.connect)
    monkeypatch.setattr(socket.socket, "connect_ex", socket.socket.connect_ex)
    project.makeconftest(REFUSE_CONNECTIONS)
    third = project.runpytest(
        *agent_options(stack),
        shared,
        "--synthdata-mode=none",
        "--synthdata-offline",
        "--synthdata-cache-dir=two",
    )
    third.assert_outcomes(passed=1)
    assert json.loads((project.path / "connections.json").read_text()) == []
    assert summary(third)[:3] == (0, 1, 0)


def test_offline_a_remote_backend_refuses_to_generate_without_a_connection(
    project: pytest.Pytester, stack: LocalStack, counted: Counted, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makepyfile(test_data=suite("order", rows=5, seed=9))
    monkeypatch.setattr(socket.socket, "connect", socket.socket.connect)
    monkeypatch.setattr(socket.socket, "connect_ex", socket.socket.connect_ex)
    project.makeconftest(REFUSE_CONNECTIONS)
    result = project.runpytest(*agent_options(stack), "--synthdata-offline")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*cannot generate the dataset: the agent backend needs the network and this run is "
            "offline*"
        ]
    )
    assert json.loads((project.path / "connections.json").read_text()) == []
    assert (counted.agent, counted.direct) == (0, 0)


def test_the_lambda_backend_gives_local_bytes(
    project: pytest.Pytester, stack: LocalStack, counted: Counted
) -> None:
    project.makepyfile(test_data=suite("order", rows=50, seed=11))
    settings = stack.settings
    result = project.runpytest(
        "--synthdata-backend=lambda",
        f"--synthdata-function-name={settings.function_name}",
        f"--synthdata-endpoint-url={settings.endpoint_url}",
        f"--synthdata-bucket={settings.bucket}",
        f"--synthdata-region={settings.region}",
    )
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [f"synthdata: backend lambda (function {settings.function_name}), *"]
    )
    assert summary(result)[:3] == (1, 0, 0)
    assert (counted.agent, counted.direct) == (0, 1)


# --------------------------------------------------------------------------------------------
# Where the settings come from


def test_a_bad_backend_setting_stops_the_run_with_one_line(project: pytest.Pytester) -> None:
    project.makepyfile(test_plain="def test_plain():\n    pass\n")
    typo = project.runpytest("--synthdata-backend=lamda")
    assert typo.ret == pytest.ExitCode.USAGE_ERROR
    assert (
        "ERROR: synthdata: --synthdata-backend: unknown backend 'lamda' (did you mean "
        "'lambda'?); expected one of local, lambda, agent"
    ) in typo.stderr.lines
    missing = project.runpytest("--synthdata-backend=agent", "--synthdata-agent-id=A1")
    assert missing.ret == pytest.ExitCode.USAGE_ERROR
    assert "needs agent_alias_id" in missing.stderr.str()
    assert "(on the command line --synthdata-agent-alias-id)" in missing.stderr.str()
    project.makeini("[pytest]\nsynthdata_bucket = Not_A_Bucket\n")
    from_ini = project.runpytest("--synthdata-backend=lambda", "--synthdata-function-name=f")
    assert "synthdata: ini option synthdata_bucket: expected an S3 bucket name" in (
        from_ini.stderr.str()
    )


def test_command_line_beats_ini_beats_pyproject_beats_environment(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makepyfile(test_plain="def test_plain():\n    pass\n")
    remote = ("--synthdata-function-name=f", "--synthdata-bucket=b-1")
    monkeypatch.setenv("SYNTHDATA_BACKEND", "agent")
    from_env = project.runpytest(*remote, "--synthdata-agent-id=A", "--synthdata-agent-alias-id=B")
    from_env.stdout.fnmatch_lines(["synthdata: backend agent (agent A, alias B), *"])
    project.path.joinpath("pyproject.toml").write_text('[tool.synthdata]\nbackend = "lambda"\n')
    project.runpytest(*remote).stdout.fnmatch_lines(["synthdata: backend lambda (function f), *"])
    project.makeini("[pytest]\nsynthdata_backend = local\n")
    project.runpytest().stdout.fnmatch_lines(["synthdata: backend local, *"])
    option = project.runpytest("--synthdata-backend=lambda", *remote)
    option.stdout.fnmatch_lines(["synthdata: backend lambda (function f), *"])


# --------------------------------------------------------------------------------------------
# The agent's trace, and what the header names


def test_the_agent_trace_option_attaches_the_agents_trace_to_the_tests_report(
    project: pytest.Pytester, stack: LocalStack, counted: Counted
) -> None:
    project.makepyfile(test_data=suite("order", rows=6, seed=23))

    result = project.runpytest(*agent_options(stack), "--synthdata-agent-trace", "-rP")

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "synthdata: backend agent (agent SYNTHDATA1, alias LOCALALIAS, trace), *",
            "*Captured synthdata agent trace * setup*",
            '*"orchestrationTrace": {"invocationInput": *',
        ]
    )
    assert counted.agent == 1


def test_without_the_agent_trace_option_no_trace_is_asked_for(
    project: pytest.Pytester, stack: LocalStack, counted: Counted
) -> None:
    project.makepyfile(test_data=suite("order", rows=6, seed=24))

    result = project.runpytest(*agent_options(stack), "-rP")

    result.assert_outcomes(passed=1)
    assert "synthdata agent trace" not in result.stdout.str()
    result.stdout.fnmatch_lines(
        ["synthdata: backend agent (agent SYNTHDATA1, alias LOCALALIAS), *"]
    )


AGENT = ("--synthdata-backend=agent", "--synthdata-agent-id=A1", "--synthdata-agent-alias-id=B2")


def test_the_agent_trace_has_an_ini_twin_that_beats_the_environment(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makepyfile(test_plain="def test_plain():\n    pass\n")
    monkeypatch.setenv("SYNTHDATA_TRACE", "1")
    from_env = project.runpytest(*AGENT, "--synthdata-bucket=b-1")
    from_env.stdout.fnmatch_lines(["synthdata: backend agent (agent A1, alias B2, trace), *"])

    project.makeini("[pytest]\nsynthdata_agent_trace = false\n")
    from_ini = project.runpytest(*AGENT, "--synthdata-bucket=b-1")
    from_ini.stdout.fnmatch_lines(["synthdata: backend agent (agent A1, alias B2), mode *"])

    option = project.runpytest(*AGENT, "--synthdata-bucket=b-1", "--synthdata-agent-trace")
    option.stdout.fnmatch_lines(["synthdata: backend agent (agent A1, alias B2, trace), *"])


def test_the_header_names_the_function_or_the_agent_and_the_shared_cache(
    project: pytest.Pytester,
) -> None:
    project.makepyfile(test_plain="def test_plain():\n    pass\n")
    shared = "--synthdata-shared-cache=s3://team-cache/ci"

    function = project.runpytest(
        "--synthdata-backend=lambda",
        "--synthdata-function-name=synthdata-generate",
        "--synthdata-bucket=b-1",
        shared,
    )
    agent = project.runpytest(*AGENT, "--synthdata-bucket=b-1", shared)

    function.stdout.fnmatch_lines(
        [
            "synthdata: backend lambda (function synthdata-generate), mode once (default), "
            "cache *, shared cache s3://team-cache/ci (read-only)"
        ]
    )
    agent.stdout.fnmatch_lines(
        [
            "synthdata: backend agent (agent A1, alias B2), mode once (default), cache *, "
            "shared cache s3://team-cache/ci (read-only)"
        ]
    )


# --------------------------------------------------------------------------------------------
# pytest-xdist with the remote backend and a shared cache


class Requests:
    """The stack's WSGI application, noting each request as ``(method, path)``."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self._lock:
            self.seen.append((str(environ["REQUEST_METHOD"]), str(environ.get("PATH_INFO", ""))))
        return self.app(environ, start_response)

    def gets(self, suffix: str) -> list[str]:
        with self._lock:
            return sorted(
                path for method, path in self.seen if method == "GET" and path.endswith(suffix)
            )


@pytest.fixture
def requests_seen(stack: LocalStack) -> Iterator[Requests]:
    server = stack._server  # the werkzeug server: it looks its application up per request
    assert server is not None
    noting = Requests(server.app)
    server.app = noting
    try:
        yield noting
    finally:
        server.app = noting.app


def shared_suite(datasets: list[tuple[str, int, int]], uses: int) -> str:
    """``uses`` tests per dataset, each checking its records against local generation's."""
    tests = ["import hashlib\nimport json\n\nimport pytest\n"]
    for index, (source, rows, seed) in enumerate(datasets):
        expected = digest(SynthDataClient().generate(source, rows=rows, seed=seed).copy_records())
        for use in range(uses):
            tests.append(
                f"""
@pytest.mark.synthdata({source!r}, rows={rows}, seed={seed})
def test_dataset_{index}_use_{use}(synthdata):
    text = json.dumps(synthdata.copy_records(), sort_keys=True, separators=(",", ":"), default=str)
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == {expected!r}
"""
            )
    return "\n".join(tests)


@pytest.mark.slow
def test_xdist_workers_generate_then_pull_each_dataset_once_through_the_agent(
    project: pytest.Pytester,
    stack: LocalStack,
    counted: Counted,
    requests_seen: Requests,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("xdist")
    datasets = [("customer", 40, 31), ("order", 30, 32)]
    project.makepyfile(test_shared=shared_suite(datasets, uses=4))
    shared = f"--synthdata-shared-cache=s3://{stack.settings.bucket}/{SHARED_PREFIX}"
    monkeypatch.setenv("SYNTHDATA_ENDPOINT_URL", stack.settings.endpoint_url)  # the shared tier
    workers = ("-n", "2", "-p", "no:randomly")

    # Two workers, one local cache, nothing cached: the agent is asked once per dataset.
    recording = project.runpytest(
        *workers, *agent_options(stack), shared, "--synthdata-shared-cache-write"
    )

    recording.assert_outcomes(passed=8)
    assert summary(recording) == (2, 6, 0, 2, 280)
    assert (counted.agent, counted.direct) == (2, 0)
    fingerprints = entries(project.path / ".synthdata")
    assert len(fingerprints) == 2
    for fingerprint in fingerprints:
        assert f"{SHARED_PREFIX}/datasets/{fingerprint}/manifest.json" in keys(
            stack, f"{SHARED_PREFIX}/"
        )

    # Two workers, a new local cache: each dataset pulled from the shared cache once.
    requests_seen.seen.clear()
    reading = project.runpytest(
        *workers, *agent_options(stack), shared, "--synthdata-cache-dir=fresh"
    )

    reading.assert_outcomes(passed=8)
    assert summary(reading) == (0, 8, 0, 2, 280)
    assert shared_hits(reading) == 2
    assert (counted.agent, counted.direct) == (2, 0)  # the backend never asked again
    bucket = stack.settings.bucket
    assert requests_seen.gets("/records.json") == sorted(
        f"/{bucket}/{SHARED_PREFIX}/datasets/{fingerprint}/records.json"
        for fingerprint in fingerprints
    )
    assert entries(project.path / "fresh") == fingerprints
