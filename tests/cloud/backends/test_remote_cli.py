"""``synthdata generate --backend lambda|agent``: the same bytes as local generation, to a file
or to stdout, with the settings from flags, the environment or pyproject.toml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synthdata_sdk.cli import main
from tests.cloud.backends.remote_clients import AGENT_ID, ALIAS_ID, FUNCTION
from tests.cloud.backends.routes import FakeAgent, LambdaFunction
from tests.cloud.conftest import BUCKET, PREFIX, REGION

REQUEST = ["--rows", "25", "--seed", "6", "--compliance", "gdpr"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_generate_through_lambda_writes_the_local_bytes(
    lambda_function: LambdaFunction,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    flags = ["--backend", "lambda", "--function-name", FUNCTION, "--bucket", BUCKET]
    flags += ["--prefix", PREFIX, "--region", REGION]
    assert run(capsys, "generate", "customer", *REQUEST, "--out", "local.csv")[0] == 0
    code, _, err = run(capsys, "generate", "customer", *REQUEST, *flags, "--out", "remote.csv")
    assert code == 0, err
    assert Path("remote.csv").read_bytes() == Path("local.csv").read_bytes()
    assert "wrote 25 rows to remote.csv" in err

    local = run(capsys, "generate", "customer", *REQUEST)[1]
    code, remote, _ = run(capsys, "generate", "customer", *REQUEST, *flags)
    assert (code, remote) == (0, local)
    assert len(lambda_function.events) == 2


def test_generate_through_the_agent_from_pyproject_and_environment(
    agent: FakeAgent,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pyproject.toml").write_text(
        f'[tool.synthdata]\nbackend = "agent"\nagent_id = "{AGENT_ID}"\n'
        f'agent_alias_id = "{ALIAS_ID}"\nregion = "{REGION}"\nprefix = "{PREFIX}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("SYNTHDATA_PREFIX", PREFIX)  # where the function stores its datasets
    local = run(capsys, "generate", "order", *REQUEST, "--backend", "local")[1]
    code, remote, err = run(capsys, "generate", "order", *REQUEST, "--trace")
    assert code == 0, err
    assert remote == local
    assert agent.calls[-1][:2] == (AGENT_ID, ALIAS_ID)
    traces = [line for line in err.splitlines() if line.startswith("synthdata: trace: ")]
    assert len(traces) == 2
    assert json.loads(traces[0].removeprefix("synthdata: trace: "))["agentId"] == AGENT_ID
