"""``Dataset``: generated records with their fingerprint, schema, request and manifest."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from synthdata_sdk.generation.request import DatasetRequest

if TYPE_CHECKING:
    import pyarrow as pa
    from pydantic import BaseModel

Model = TypeVar("Model", bound="BaseModel")

#: records handed to writers at a time, so writing stays streamed
WRITE_BATCH = 10_000


@dataclass
class Dataset:
    """A generated dataset held in memory."""

    records: list[dict[str, Any]]
    request: DatasetRequest
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """sha256 hex of the request (see ``DatasetRequest.fingerprint``)."""
        return str(self.manifest.get("fingerprint") or self.request.fingerprint())

    @property
    def schema(self) -> dict[str, Any]:
        """The normalised JSON Schema every record is valid against."""
        return self.request.normalized_schema

    @property
    def rows(self) -> int:
        """Number of records."""
        return len(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.records)

    @property
    def read_only(self) -> bool:
        """Whether the records refuse changes (datasets served to tests are shared)."""
        from synthdata_sdk.frozen import FrozenList

        return isinstance(self.records, FrozenList)

    def copy_records(self) -> list[dict[str, Any]]:
        """A mutable deep copy of the records, to change freely."""
        from synthdata_sdk.frozen import thaw

        return thaw(self.records)  # type: ignore[no-any-return]

    def frozen(self) -> Dataset:
        """This dataset with read-only records and manifest (no copy if already read-only)."""
        from synthdata_sdk.frozen import freeze

        return Dataset(freeze(self.records), self.request, freeze(self.manifest))

    def batches(self, size: int = WRITE_BATCH) -> Iterator[list[dict[str, Any]]]:
        """The records in consecutive slices of at most ``size``."""
        for start in range(0, len(self.records), size):
            yield self.records[start : start + size]

    def write(
        self,
        path: str | Path,
        *,
        format: str | None = None,
        table: str | None = None,
        dialect: str = "sqlite",
        if_table_exists: str = "fail",
    ) -> Path:
        """Write the records to ``path`` atomically; the format comes from the suffix if not given.

        ``table``, ``dialect`` and ``if_table_exists`` apply to SQL (see docs/formats.md). A
        device or FIFO at ``path`` is written through, not replaced.
        """
        from synthdata_sdk.formats import write_dataset

        return write_dataset(
            self.batches(),
            Path(path),
            schema=self.schema,
            format=format,
            table=table or default_table_name(self.request),
            dialect=dialect,
            if_table_exists=if_table_exists,
        )

    def as_models(self, model: type[Model]) -> list[Model]:
        """The records as instances of the pydantic ``model``, each validated as the JSON it
        is (so a strict model takes its dates and UUIDs); ModelRejectedError names the first
        record the model rejects."""
        from synthdata_sdk.schema.model_check import ModelCheck

        return ModelCheck(model).instances(self.records)

    def to_arrow(self) -> pa.Table:
        """The records as a pyarrow Table with typed (nested) columns (needs pyarrow)."""
        from synthdata_sdk.formats import to_arrow

        return to_arrow(self.batches(), self.schema)


def default_table_name(request: DatasetRequest) -> str:
    """The dataset name as a SQL-friendly identifier, or ``data``."""
    if not request.name:
        return "data"
    name = "".join(c if c.isalnum() else "_" for c in request.name.lower()).strip("_")
    return name or "data"
