"""Parquet writer: typed columns through ``pyarrow.parquet.ParquetWriter``."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import IO, Any, Final

from synthdata_sdk.errors import RequestError
from synthdata_sdk.formats.arrow_schema import ArrowConverter, require_pyarrow
from synthdata_sdk.formats.base import Chunk, FormatWriter

#: Chunks smaller than this are merged into one row group: many tiny row groups make
#: Parquet files slow to read. Larger chunks become one row group each.
MIN_ROW_GROUP_ROWS: Final = 10_000


class ParquetWriter(FormatWriter):
    """Writes one row group per chunk (small chunks merged), typed by the schema."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        require_pyarrow()
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:  # a pyarrow build without Parquet support
            raise RequestError(
                f"pyarrow cannot write Parquet: {exc} (expected a pyarrow build with Parquet: "
                "pip install 'synthdata[parquet]')"
            ) from exc

        self._pq = pq
        # Built up front so that a bad schema fails before any file is created.
        self._converter = ArrowConverter(schema)
        if not self._converter.schema.names:
            raise RequestError("schema has no properties (expected at least one Parquet column)")
        self._writer: Any = None
        self._pending: list[Any] = []
        self._pending_rows = 0

    def open(self, stream: IO[bytes]) -> None:
        self._writer = self._pq.ParquetWriter(stream, self._converter.schema)

    def write_chunk(self, records: Chunk) -> None:
        if not records:
            return
        batch = self._converter.record_batch(records)
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        if self._pending_rows >= MIN_ROW_GROUP_ROWS:
            self._flush()

    def close(self) -> None:
        self._flush()
        # Writes the footer; the stream itself stays open because the caller owns it.
        self._writer.close()
        self._writer = None

    def abort(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
            self._writer = None
        self._pending = []

    def _flush(self) -> None:
        if not self._pending:
            return
        pa = require_pyarrow()
        table = pa.Table.from_batches(self._pending, schema=self._converter.schema)
        # row_group_size covers the whole table, so the merged chunks become one row group.
        self._writer.write_table(table, row_group_size=max(table.num_rows, 1))
        self._pending = []
        self._pending_rows = 0
