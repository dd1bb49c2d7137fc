"""``synthdata backend serve`` as a user runs it: a real process, real boto3 clients over HTTP,
then Ctrl-C (SIGINT) or SIGTERM."""

from __future__ import annotations

import json
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import boto3
import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cli import main
from synthdata_sdk.cloud.local import StackSettings
from tests.cloud.stack_support import aws, direct, structured
from tests.cloud.test_core_imports import imported_after
from tests.conftest import ROOT

__all__ = ["aws"]

#: how long a start may take on a loaded machine before the test gives up
START_TIMEOUT = 120


class Served:
    """A running ``synthdata backend serve``: its process and every line it printed."""

    def __init__(self, data_dir: Path) -> None:
        command = [sys.executable, "-m", "synthdata_sdk", "backend", "serve", "--port", "0"]
        self.process = subprocess.Popen(
            [*command, "--data-dir", str(data_dir)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.printed: list[str] = []
        self.errors: list[str] = []
        assert self.process.stdout is not None and self.process.stderr is not None
        # read both pipes to the end, so the server never blocks on a full one
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, True), daemon=True),
            threading.Thread(target=self._read, args=(self.process.stderr, False), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, pipe: IO[str], forward: bool) -> None:
        for line in pipe:
            (self.printed if forward else self.errors).append(line)
            if forward:
                self.lines.put(line)
        if forward:
            self.lines.put(None)

    def ready(self) -> str:
        """The endpoint URL of the 'ready at URL' line."""
        while True:
            line = self.lines.get(timeout=START_TIMEOUT)
            if line is None:
                self.process.wait(timeout=START_TIMEOUT)
                raise AssertionError(f"serve ended before it was ready: {''.join(self.errors)}")
            if line.startswith("ready at "):
                return line.split()[2]

    def stop(self, number: signal.Signals) -> int:
        self.process.send_signal(number)
        code = self.process.wait(timeout=START_TIMEOUT)
        for reader in self._readers:
            reader.join(timeout=START_TIMEOUT)
        return code


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    running = Served(tmp_path / "stack")
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()


def client(endpoint: str, service: str) -> Any:
    return boto3.Session(region_name="us-east-1").client(service, endpoint_url=endpoint)


def port_of(endpoint: str) -> int:
    return int(endpoint.rsplit(":", 1)[1])


def refuses_connections(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_serve_answers_every_service_and_stops_cleanly_on_ctrl_c(
    served: Served, tmp_path: Path
) -> None:
    endpoint = served.ready()
    settings = StackSettings.read(tmp_path / "stack")
    assert settings.endpoint_url == endpoint
    assert endpoint.startswith("http://127.0.0.1:")
    printed = "".join(served.printed)
    for name, value in settings.as_dict().items():
        assert f"{name:<24}{value}\n" in printed

    s3 = client(endpoint, "s3")
    s3.put_object(Bucket=settings.bucket, Key="hello.txt", Body=b"hi")
    assert s3.get_object(Bucket=settings.bucket, Key="hello.txt")["Body"].read() == b"hi"

    local = SynthDataClient().generate("payment", rows=10, seed=4)
    answer = client(endpoint, "lambda").invoke(
        FunctionName=settings.function_name,
        Payload=direct("generate", template="payment", rows=10, seed=4),
    )
    assert json.loads(answer["Payload"].read())["body"]["fingerprint"] == local.fingerprint

    completion = client(endpoint, "bedrock-agent-runtime").invoke_agent(
        agentId=settings.agent_id,
        agentAliasId=settings.agent_alias_id,
        sessionId="served-1",
        inputText="Generate it.",
        sessionState=structured("lookup_dataset", fingerprint=local.fingerprint),
    )["completion"]
    text = b"".join(event["chunk"]["bytes"] for event in completion)
    assert json.loads(text)["fingerprint"] == local.fingerprint

    assert served.stop(signal.SIGINT) == 0
    assert "synthdata backend serve: stopped\n" in served.errors
    assert refuses_connections(port_of(endpoint))
    assert not (tmp_path / "stack" / "stack.json").exists()


def test_serve_stops_cleanly_on_sigterm(served: Served) -> None:
    endpoint = served.ready()
    assert client(endpoint, "s3").list_buckets()["Buckets"]
    assert served.stop(signal.SIGTERM) == 0
    assert refuses_connections(port_of(endpoint))


@pytest.mark.parametrize(
    "arguments",
    [["--host", "0.0.0.0"], ["--bind", "0.0.0.0"], ["--port", "-1"], ["--port", "http"]],
)
def test_serve_offers_no_other_address_and_refuses_bad_ports(
    arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backend", "serve", *arguments]) == 2
    assert "synthdata: error:" in capsys.readouterr().err


def test_serve_without_moto_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "moto.moto_server.werkzeug_app", None)  # not installed
    assert main(["backend", "serve", "--port", "0"]) == 2
    assert "pip install 'synthdata[aws-local]'" in capsys.readouterr().err


def test_serve_s_help_loads_no_cloud_library() -> None:
    code = """
        import contextlib, io
        from synthdata_sdk.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["backend", "serve", "--help"]) == 0
    """
    assert imported_after(code) == []
