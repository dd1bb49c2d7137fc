"""Measuring generated output's quality as it streams, for the manifest's ``quality`` summary.

Generation asks for it with ``quality=True``. The records pass through unchanged; the
measure costs far more than generating them (each record is validated with jsonschema), which
is why it is opt-in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from synthdata_sdk.quality.metrics import QualityReport, report_of, table_schema
from synthdata_sdk.quality.metrics_table import TableMeter

Chunk = TypeVar("Chunk", bound=Sequence[Any])


class OutputQuality:
    """Measures the records of one table chunk by chunk against their ``schema``."""

    def __init__(self, *, table: str, schema: Mapping[str, Any]) -> None:
        self._meter = TableMeter(table, table_schema(dict(schema)))

    def wrap(self, chunks: Iterable[Chunk]) -> Iterator[Chunk]:
        """Pass ``chunks`` on, each one measured first."""
        add = self._meter.add
        for chunk in chunks:
            for record in chunk:
                add(record)
            yield chunk

    def report(self) -> QualityReport:
        """The quality of every record that went through."""
        return report_of([self._meter.finish()])

    def summary(self) -> dict[str, Any]:
        """The report's summary, for the manifest."""
        return self.report().summary()
