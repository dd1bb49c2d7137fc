"""``Dataset``: generated records with their fingerprint, schema, request and manifest."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from synthdata_sdk.errors import RequestError, TableSetError, UnknownTableError
from synthdata_sdk.generation.request import DatasetRequest
from synthdata_sdk.suggest import did_you_mean

if TYPE_CHECKING:
    import pyarrow as pa
    from pydantic import BaseModel

Model = TypeVar("Model", bound="BaseModel")

#: records handed to writers at a time, so writing stays streamed
WRITE_BATCH = 10_000


class Dataset:
    """A generated dataset held in memory: one table (``records``) or a table set
    (``tables``, a mapping of table name to records, parents first)."""

    def __init__(
        self,
        records: list[dict[str, Any]] | None,
        request: DatasetRequest,
        manifest: dict[str, Any] | None = None,
        *,
        tables: Mapping[str, list[dict[str, Any]]] | None = None,
    ) -> None:
        self._records = records if records is not None else []
        self._tables = tables._tables if isinstance(tables, _Tables) else tables
        self.request = request
        self.manifest: dict[str, Any] = manifest if manifest is not None else {}

    @property
    def records(self) -> list[dict[str, Any]]:
        """The records of a single table; a table set raises TableSetError (use ``tables``)."""
        if self._tables is not None:
            raise TableSetError(
                f"this dataset is a table set ({', '.join(self._tables)}): use"
                f" dataset.tables[name], e.g. dataset.tables[{next(iter(self._tables))!r}]"
            )
        return self._records

    @records.setter
    def records(self, records: list[dict[str, Any]]) -> None:
        # reassignable, as the field it was: a caller's wrapper is its own
        if self._tables is not None:
            raise TableSetError("this dataset is a table set: it has tables, not records")
        self._records = records

    @property
    def tables(self) -> Mapping[str, list[dict[str, Any]]]:
        """A table set's records by table name; a single table raises TableSetError."""
        if self._tables is None:
            raise TableSetError("this dataset is a single table: use dataset.records")
        return _Tables(self._tables)

    @property
    def is_table_set(self) -> bool:
        """Whether the dataset is a table set (``tables``) rather than one table (``records``)."""
        return self._tables is not None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return (self._records, self._tables, self.request, self.manifest) == (
            other._records,
            other._tables,
            other.request,
            other.manifest,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaced

    def __repr__(self) -> str:
        shape = (
            f"tables={ {name: len(rows) for name, rows in self._tables.items()} }"
            if self._tables is not None
            else f"rows={len(self._records)}"
        )
        return f"Dataset({shape}, fingerprint={self.fingerprint[:12]}...)"

    @property
    def fingerprint(self) -> str:
        """sha256 hex of the request (see ``DatasetRequest.fingerprint``)."""
        return str(self.manifest.get("fingerprint") or self.request.fingerprint())

    @property
    def schema(self) -> dict[str, Any]:
        """The normalised JSON Schema every record is valid against (a set: ``{"tables":
        {name: schema}}``)."""
        return self.request.normalized_schema

    @property
    def rows(self) -> int:
        """Number of records (of every table, in a table set)."""
        if self._tables is not None:
            return sum(len(rows) for rows in self._tables.values())
        return len(self._records)

    def __len__(self) -> int:
        return self.rows

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.records)

    @property
    def read_only(self) -> bool:
        """Whether the records refuse changes (datasets served to tests are shared)."""
        from synthdata_sdk.frozen import FrozenList

        if self._tables is not None:
            return all(isinstance(rows, FrozenList) for rows in self._tables.values())
        return isinstance(self._records, FrozenList)

    def copy_records(self) -> list[dict[str, Any]]:
        """A mutable deep copy of the records, to change freely."""
        from synthdata_sdk.frozen import thaw

        return thaw(self.records)  # type: ignore[no-any-return]

    def copy_tables(self) -> dict[str, list[dict[str, Any]]]:
        """A mutable deep copy of a table set's tables."""
        from synthdata_sdk.frozen import thaw

        return {name: thaw(rows) for name, rows in self.tables.items()}

    def frozen(self) -> Dataset:
        """This dataset with read-only records and manifest (no copy if already read-only)."""
        from synthdata_sdk.frozen import freeze

        if self._tables is not None:
            tables = MappingProxyType({name: freeze(rows) for name, rows in self._tables.items()})
            return Dataset(None, self.request, freeze(self.manifest), tables=tables)
        return Dataset(freeze(self._records), self.request, freeze(self.manifest))

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
        device or FIFO at ``path`` is written through, not replaced. A table set writes one
        SQL script (``.sql``) or a folder holding ``<table>.<ext>`` per table (docs/tables.md).
        """
        from synthdata_sdk.formats import write_dataset

        if self._tables is not None:
            self.write_tables(path, format=format, dialect=dialect, if_table_exists=if_table_exists)
            return Path(path)

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

        if not isinstance(model, type):
            raise RequestError(
                f"as_models takes a pydantic model class (class MyModel(BaseModel)), got "
                f"{type(model).__name__} {model!r:.80}"
            )
        return ModelCheck(model).instances(self.records)

    def write_tables(
        self,
        path: str | Path,
        *,
        format: str | None = None,
        dialect: str = "sqlite",
        if_table_exists: str = "fail",
    ) -> list[dict[str, Any]]:
        """Write a table set (see ``write``); returns the manifest items of the files."""
        from synthdata_sdk.formats import SUFFIXES
        from synthdata_sdk.formats.table_set_writer import write_table_set
        from synthdata_sdk.schema.table_set import read_table_set

        fmt = format or SUFFIXES.get(Path(path).suffix.lower())
        if fmt is None:
            raise RequestError(
                f"cannot choose a format for the table set at {str(path)!r}: give format= (sql"
                " for one script; json, jsonl, csv or parquet for a folder of one file per"
                " table)"
            )
        tables = read_table_set(self.schema, normalised=True)
        return write_table_set(
            tables,
            self.tables,
            path,
            format=fmt,
            dialect=dialect,
            if_table_exists=if_table_exists,
        )

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


class _Tables(Mapping[str, list[dict[str, Any]]]):
    """A table set's tables, read-only; an unknown name says which names there are."""

    __slots__ = ("_tables",)

    def __init__(self, tables: Mapping[str, list[dict[str, Any]]]) -> None:
        self._tables = tables

    def __getitem__(self, name: str) -> list[dict[str, Any]]:
        try:
            return self._tables[name]
        except KeyError:
            shown = repr(name)[:80]
            raise UnknownTableError(
                f"no table {shown} in this table set{did_you_mean(str(name), self._tables)};"
                f" its tables are {', '.join(self._tables)}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def __repr__(self) -> str:
        return repr(self._tables)
