"""Table sets through the lambda and agent backends (the action function in this process,
S3 and DynamoDB in moto): the tables local generation gives, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cloud.agent_input import SESSION_KEY
from tests.cloud.backends.remote_clients import agent_client, lambda_client, same_tables
from tests.cloud.backends.routes import FakeAgent, LambdaFunction

#: a hand-made table set: a per_parent child and a nullable reference
TABLE_SET: dict[str, Any] = {
    "tables": {
        "teams": {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            "required": ["id", "name"],
        },
        "people": {
            "type": "object",
            "x-synthdata": {"per_parent": {"min": 1, "max": 4}},
            "properties": {
                "id": {"type": "integer"},
                "team_id": {"type": "integer", "x-synthdata": {"ref": "teams.id"}},
                "email": {"type": "string", "format": "email"},
            },
            "required": ["id", "team_id", "email"],
        },
        "badges": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "owner_id": {
                    "type": ["integer", "null"],
                    "x-synthdata": {"ref": "people.id", "null_rate": 0.3},
                },
            },
            "required": ["id", "owner_id"],
        },
    }
}

REQUESTS: dict[str, tuple[Any, dict[str, Any]]] = {
    "bundle": ("retail", {"rows": 7, "seed": 3, "compliance": ("gdpr",)}),
    "inline": (TABLE_SET, {"rows": {"teams": 5, "badges": 9}, "seed": 8}),
}


def sent_request(backend: str, function: LambdaFunction, agent: FakeAgent) -> dict[str, Any]:
    if backend == "agent":
        attributes = agent.calls[-1][3]["sessionState"]["sessionAttributes"]
        return json.loads(attributes[SESSION_KEY])["request"]  # type: ignore[no-any-return]
    return function.events[-1]["request"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", REQUESTS)
@pytest.mark.parametrize("backend", ["lambda", "agent"])
def test_both_backends_give_the_tables_of_local_generation_byte_for_byte(
    lambda_function: LambdaFunction,
    agent: FakeAgent,
    tmp_path: Path,
    backend: str,
    kind: str,
) -> None:
    source, request = REQUESTS[kind]
    local = SynthDataClient(backend="local").generate(source, **request)
    client = (lambda_client if backend == "lambda" else agent_client)(tmp_path)

    remote = client.generate(source, **request)

    same_tables(remote, local)
    sent = sent_request(backend, lambda_function, agent)
    # a bundle travels by name; rows travel per table, as the set was prepared
    assert sent.get("template") == ("retail" if kind == "bundle" else None)
    assert "rows" not in sent
    assert sent["table_rows"] == dict(local.request.table_rows or {})


def test_a_table_set_already_stored_is_served_again_and_equals_a_local_write(
    lambda_function: LambdaFunction, tmp_path: Path
) -> None:
    client = lambda_client(tmp_path)
    first = client.generate("banking", rows=4, seed=2)
    second = client.generate("banking", rows=4, seed=2)
    same_tables(second, first)
    assert len(lambda_function.events) == 2
    client.write("banking", tmp_path / "remote", rows=4, seed=2, format="csv")
    SynthDataClient().write("banking", tmp_path / "local", rows=4, seed=2, format="csv")
    written = sorted(path.name for path in (tmp_path / "local").iterdir())
    assert sorted(path.name for path in (tmp_path / "remote").iterdir()) == written
    for name in written:
        assert (tmp_path / "remote" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
