"""Partitions of a large generate request: which chunks each draws, and the event it runs on.

A request of more rows than one invocation draws (``SYNTHDATA_PARTITION_ROWS``) is split
into partitions of whole engine chunks: partition ``i`` draws chunks ``i * k`` to
``(i + 1) * k - 1`` (``k`` chunks a partition), each seeded from (seed, chunk index) as
local generation seeds it, so the records do not depend on how the request is split. Each
partition runs as an asynchronous invocation of the function, on the event made here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from synthdata_sdk.cloud.models import FINGERPRINT_PATTERN, GenerateRequest
from synthdata_sdk.generation.engine import CHUNK_ROWS, chunk_count

#: the key of a partition's event (a direct request has ``action``, an agent event
#: ``messageVersion``): the handler runs the partition on what it holds
PARTITION_KEY = "synthdata_partition"


class PartitionTask(BaseModel):
    """One partition of a generation: which, of how many, and the request it is part of."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    generation_id: str = Field(min_length=1, max_length=100)
    #: the generation's attempt (a failed generation retried counts its parts afresh)
    attempt: int = Field(ge=1)
    index: int = Field(ge=0)
    partitions: int = Field(ge=2)
    partition_rows: int = Field(ge=CHUNK_ROWS, multiple_of=CHUNK_ROWS)
    fingerprint: str = Field(pattern=FINGERPRINT_PATTERN)
    session_id: str = Field(min_length=1, max_length=100)
    requester: str = Field(min_length=1, max_length=200)
    request: GenerateRequest

    def chunks(self) -> range:
        """The engine chunks this partition draws."""
        return partition_chunks(self.request.rows, self.partition_rows, self.index)


def partition_count(rows: int, partition_rows: int) -> int:
    """How many partitions ``rows`` rows take, ``partition_rows`` (whole chunks) each."""
    _check_rows(partition_rows)
    return max(1, -(-rows // partition_rows))


def partition_chunks(rows: int, partition_rows: int, index: int) -> range:
    """The chunks of a ``rows``-row dataset that partition ``index`` draws."""
    _check_rows(partition_rows)
    per_partition = partition_rows // CHUNK_ROWS
    last = chunk_count(rows)
    return range(min(index * per_partition, last), min((index + 1) * per_partition, last))


def partition_event(task: PartitionTask) -> dict[str, Any]:
    """The event a partition's invocation receives."""
    return {PARTITION_KEY: task.model_dump(mode="json")}


def _check_rows(partition_rows: int) -> None:
    if partition_rows < CHUNK_ROWS or partition_rows % CHUNK_ROWS:
        raise ValueError(f"partition_rows must be a multiple of {CHUNK_ROWS}, got {partition_rows}")
