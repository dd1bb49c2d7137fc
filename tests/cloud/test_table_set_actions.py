"""The generate action on table sets (moto in-process): one object per table and the manifest,
the session pointer and the history item, as for one table; a set that does not fit one
invocation is refused (413), since a table set is never split into partitions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.cache.entry_format import MANIFEST, table_file_name
from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.cloud import budget
from synthdata_sdk.cloud.config import ActionLimits, BackendSettings
from synthdata_sdk.cloud.handler import make_handler
from synthdata_sdk.cloud.history import COMPLETED, GenerationHistory
from synthdata_sdk.cloud.pointer import read_pointer
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.services import services_for
from synthdata_sdk.generation import engine
from tests.cloud.actions_support import (
    agent_answer,
    agent_event,
    as_agent_strings,
    direct_answer,
    lambda_context,
)
from tests.cloud.conftest import BUCKET, PREFIX, TABLE

RETAIL = ("customers", "products", "orders", "order_items")


class SlowClock:
    """Each reading ``step`` seconds after the last: a chunk timed between two took ``step``."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def sent() -> list[dict[str, Any]]:
    """The partitions' events the function sent (a table set sends none)."""
    return []


def handler_with(
    aws_session: Any, sent: list[dict[str, Any]], limits: ActionLimits | None = None
) -> Any:
    """The deployed function's handler over the test bucket and table, fan-out included."""
    settings = BackendSettings(
        bucket=BUCKET, prefix=PREFIX, table=TABLE, function_name="synthdata-actions"
    )
    return make_handler(
        services_for(settings, session=aws_session, limits=limits, invoke=sent.append)
    )


@pytest.fixture
def handler(
    aws_session: Any, bucket: str, history: GenerationHistory, sent: list[dict[str, Any]]
) -> Any:
    return handler_with(aws_session, sent)


def generate(handler: Any, request: dict[str, Any], session_id: str = "s-1") -> Any:
    event = {"action": "generate", "request": request, "session_id": session_id}
    return direct_answer(handler(event, lambda_context()))


def entry_names(s3: Any, fingerprint: str) -> list[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/datasets/{fingerprint}/")
    return sorted(item["Key"].rsplit("/", 1)[-1] for item in listed.get("Contents", []))


def test_a_bundle_is_stored_one_object_per_table_with_its_pointer_and_history_item(
    handler: Any,
    s3: Any,
    s3_store: S3Store,
    history: GenerationHistory,
    sent: list[dict[str, Any]],
    tmp_path: Any,
) -> None:
    local = SynthDataClient().generate("retail", rows=6, seed=2)
    fingerprint = local.fingerprint

    status, body = generate(handler, {"template": "retail", "rows": 6, "seed": 2})

    assert status == 200, body
    assert (body["fingerprint"], body["status"], body["partitions"]) == (
        fingerprint,
        "completed",
        1,
    )
    assert body["rows"] == local.rows
    assert sent == []
    assert entry_names(s3, fingerprint) == sorted([MANIFEST, *map(table_file_name, RETAIL)])
    kept = LocalStore(tmp_path / "cache")
    kept.put(local)
    for name in map(table_file_name, RETAIL):
        stored = s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}/datasets/{fingerprint}/{name}")
        assert stored["Body"].read() == (kept.path_for(fingerprint) / name).read_bytes()
    pointer = read_pointer(s3_store, "s-1")
    assert pointer is not None and pointer["fingerprint"] == fingerprint
    (item,) = history.by_fingerprint(fingerprint)
    assert (item["status"], item["rows"]) == (COMPLETED, local.rows)

    again = generate(handler, {"template": "retail", "rows": 6, "seed": 2}, "s-2")[1]
    assert (again["fingerprint"], again["reused"]) == (fingerprint, True)
    lookup = {"action": "lookup_dataset", "request": {"fingerprint": fingerprint}}
    assert direct_answer(handler(lookup, lambda_context()))[1]["rows"] == local.rows
    measure = {"action": "calculate_quality_metrics", "request": {"fingerprint": fingerprint}}
    status, measured = direct_answer(handler(measure, lambda_context()))
    assert (status, measured["quality"]["referential_integrity_rate"]) == (200, 1.0)


def test_an_inline_table_set_with_rows_per_table_has_the_clients_fingerprint(
    handler: Any, s3_store: S3Store
) -> None:
    from synthdata_sdk.schema.templates import load_bundle

    document = load_bundle("saas")
    prepared = SynthDataClient().prepare(document, rows=3, seed=4)
    rows = dict(prepared.request.table_rows or {})

    status, body = generate(handler, {"json_schema": document, "table_rows": rows, "seed": 4})

    assert status == 200, body
    assert body["fingerprint"] == prepared.fingerprint
    local = SynthDataClient().generate_prepared(prepared)
    assert dict(s3_store.load(prepared.fingerprint).tables) == dict(local.tables)


def test_table_rows_in_the_agents_map_notation_are_read(handler: Any, s3_store: S3Store) -> None:
    arguments = as_agent_strings({"template": "retail", "seed": 5})
    arguments["table_rows"] = "{customers=3, products=2}"

    status, body = agent_answer(handler(agent_event("generate", arguments), lambda_context()))

    assert status == 200, body
    expected = SynthDataClient().prepare("retail", rows={"customers": 3, "products": 2}, seed=5)
    assert body["fingerprint"] == expected.fingerprint


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            {"template": "retail", "rows": 3, "table_rows": {"customers": 3, "products": 3}},
            "give rows or table_rows, not both",
        ),
        ({"template": "retail", "table_rows": {"../x": 3}}, "expected table names"),
        ({"template": "retail", "table_rows": {"customers": -1}}, "customers:"),
        ({"template": "retail", "table_rows": {"orders": 3}}, "per_parent"),
        ({"template": "customer", "table_rows": {"customers": 3}}, "needs a table set"),
    ],
    ids=["both", "name", "count", "child", "single table"],
)
def test_bad_rows_per_table_are_a_4xx_naming_the_problem(
    handler: Any, request_: dict[str, Any], message: str
) -> None:
    status, body = generate(handler, request_)
    assert 400 <= status < 500, body
    assert message in body["error"]["message"]


def test_rows_per_table_over_the_request_limit_are_refused_413(
    aws_session: Any, bucket: str, history: GenerationHistory, sent: list[dict[str, Any]]
) -> None:
    handler = handler_with(aws_session, sent, ActionLimits(max_rows=50))
    status, body = generate(
        handler, {"template": "retail", "table_rows": {"customers": 30, "products": 30}}
    )
    assert status == 413, body
    assert body["error"]["field"] == "table_rows"
    assert "60 is over the limit of 50 rows" in body["error"]["message"]


def test_a_table_set_over_one_invocations_rows_is_refused_413_naming_the_limit(
    aws_session: Any,
    bucket: str,
    s3: Any,
    history: GenerationHistory,
    sent: list[dict[str, Any]],
) -> None:
    limits = ActionLimits(partition_rows=engine.CHUNK_ROWS)
    handler = handler_with(aws_session, sent, limits)
    prepared = SynthDataClient().prepare("retail", rows=400, seed=1)
    assert sum(budget.table_set_bounds(prepared).values()) > engine.CHUNK_ROWS

    status, body = generate(handler, {"template": "retail", "rows": 400, "seed": 1})

    assert status == 413, body
    error = body["error"]
    assert (error["code"], error["field"]) == ("limit_exceeded", "rows")
    assert "up to 12,800 rows" in error["message"]
    assert "SYNTHDATA_PARTITION_ROWS" in error["message"]
    assert "never split into partitions" in error["message"]
    assert "synthdata cache push" in error["message"]
    assert sent == []
    assert entry_names(s3, prepared.fingerprint) == []


def test_a_table_set_stored_already_is_served_even_over_one_invocations_rows(
    aws_session: Any,
    bucket: str,
    s3_store: S3Store,
    history: GenerationHistory,
    sent: list[dict[str, Any]],
) -> None:
    local = SynthDataClient().generate("retail", rows=400, seed=1)
    s3_store.put(local)  # as a CI job's cache push leaves it
    handler = handler_with(aws_session, sent, ActionLimits(partition_rows=engine.CHUNK_ROWS))

    status, body = generate(handler, {"template": "retail", "rows": 400, "seed": 1})

    assert status == 200, body
    assert (body["fingerprint"], body["reused"]) == (local.fingerprint, True)


@pytest.mark.parametrize(("step", "status"), [(40.0, 413), (1.0, 200)])
def test_a_table_set_is_held_to_the_time_budget_measured_on_each_tables_first_chunk(
    aws_session: Any,
    bucket: str,
    history: GenerationHistory,
    sent: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    step: float,
    status: int,
) -> None:
    # four tables of one chunk each: 160 s at 40 s a chunk (over 100 s), 4 s at 1 s a chunk
    monkeypatch.setattr(budget, "CLOCK", SlowClock(step))
    limits = ActionLimits(partition_rows=100 * engine.CHUNK_ROWS, partition_seconds=100)
    handler = handler_with(aws_session, sent, limits)

    answer, body = generate(handler, {"template": "retail", "rows": 400, "seed": 1})

    assert answer == status, body
    if status == 413:
        message = body["error"]["message"]
        assert "about 160 s" in message and "SYNTHDATA_PARTITION_SECONDS" in message
    assert sent == []


def test_the_lambda_backend_raises_the_413_as_a_validation_error(
    aws_session: Any, bucket: str, history: GenerationHistory, sent: list[dict[str, Any]]
) -> None:
    from synthdata_sdk.cloud.lambda_backend import _answer_body
    from synthdata_sdk.errors import BackendValidationError

    handler = handler_with(aws_session, sent, ActionLimits(partition_rows=engine.CHUNK_ROWS))
    event = {"action": "generate", "request": {"template": "retail", "rows": 400}}
    answer = handler(event, lambda_context())
    with pytest.raises(BackendValidationError, match="does not fit one invocation") as raised:
        _answer_body(json.loads(json.dumps(answer)), "synthdata-actions", "req-1")
    assert raised.value.code == "limit_exceeded"
