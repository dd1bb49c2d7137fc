"""What the fan-out tests share: a request of several partitions, the function's services
with the partitions' events caught instead of sent, and their delivery."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from synthdata_sdk.cache.entry_format import encode_records
from synthdata_sdk.cloud.config import ActionLimits, BackendSettings
from synthdata_sdk.cloud.services import Services, services_for
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.generation import engine
from synthdata_sdk.generation.engine import CHUNK_ROWS
from tests.cloud.actions_support import lambda_context
from tests.cloud.conftest import BUCKET, PREFIX, TABLE

#: a small record, so that many chunks stay fast
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 0, "maximum": 1_000_000},
        "active": {"type": "boolean"},
        "email": {"type": "string", "format": "email"},
    },
    "required": ["id", "active"],
}
#: one chunk a partition; 8 partitions, the last one short (not a whole chunk)
PARTITION_ROWS = CHUNK_ROWS
ROWS = 7 * CHUNK_ROWS + 1_234
PARTITIONS = 8
REQUEST: dict[str, Any] = {"json_schema": SCHEMA, "rows": ROWS, "seed": 7, "name": "fanned"}

Handler = Callable[[Any, Any], Any]


def fan_out_services(session: Any, sent: list[dict[str, Any]]) -> Services:
    """The function's services over the test bucket and table; partitions go to ``sent``."""
    settings = BackendSettings(
        bucket=BUCKET, prefix=PREFIX, table=TABLE, function_name="synthdata-actions"
    )
    limits = ActionLimits(partition_rows=PARTITION_ROWS)
    return services_for(settings, session=session, limits=limits, invoke=sent.append)


def context(request_id: str = "partition") -> Any:
    """A Lambda context with the time left, which the idempotency records expire with."""
    made = lambda_context(request_id)
    made.get_remaining_time_in_millis = lambda: 900_000
    return made


def deliver(
    handler: Handler, events: list[dict[str, Any]], *, seed: int = 5, twice: int | None = None
) -> list[Any]:
    """Run ``events`` through ``handler`` in a shuffled order; event ``twice`` (an index
    into ``events``) is delivered again right after itself, as a retried invocation is."""
    order = list(range(len(events)))
    random.Random(seed).shuffle(order)
    answers = []
    for position in order:
        for _ in range(2 if position == twice else 1):
            answers.append(handler(events[position], context(f"partition-{position}")))
    return answers


def count_draws(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The index of every chunk the engine draws from now on, in order."""
    chunks: list[int] = []
    draw = engine.generate_chunk

    def counting(*args: Any, **kwargs: Any) -> list[Any]:
        chunks.append(kwargs["chunk"])
        return draw(*args, **kwargs)

    monkeypatch.setattr(engine, "generate_chunk", counting)
    return chunks


def record_bytes(dataset: Dataset) -> bytes:
    """The records as one JSON file, as a store writes them."""
    return encode_records(dataset.batches())[0]
