"""CSV writer: a header from the schema, nested objects flattened to dotted columns."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from typing import Any

from synthdata_sdk.formats.base import Chunk, TextFormatWriter
from synthdata_sdk.formats.flatten import column_cells, csv_columns


class CsvWriter(TextFormatWriter):
    """Writes RFC 4180 CSV (``\\r\\n`` line ends, minimal quoting); see docs/formats.md."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        # Computed up front so that a bad schema fails before any file is created.
        self._columns = csv_columns(schema)

    def start(self) -> None:
        self._writer = csv.writer(self.text)
        self._writer.writerow([column.name for column in self._columns])

    def write_chunk(self, records: Chunk) -> None:
        cells = [column_cells(records, column) for column in self._columns]
        self._writer.writerows(zip(*cells, strict=True))
