"""Measuring generated output's quality as it streams, for the manifest's ``quality`` summary.

Generation asks for it with ``quality=True``. The records pass through unchanged; the
measure costs far more than generating them (each record is validated with jsonschema), which
is why it is opt-in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from synthdata_sdk.quality.coherence import CoherenceMeter
from synthdata_sdk.quality.metrics import QualityReport, report_of, table_schema
from synthdata_sdk.quality.metrics_table import TableMeter

Chunk = TypeVar("Chunk", bound=Sequence[Any])


class OutputQuality:
    """Measures the records of one table chunk by chunk against their ``schema``."""

    def __init__(self, *, table: str, schema: Mapping[str, Any]) -> None:
        loaded = table_schema(dict(schema))
        self._meter = TableMeter(table, loaded)
        self._coherence = CoherenceMeter(table, loaded.fields if loaded else None)

    def wrap(self, chunks: Iterable[Chunk]) -> Iterator[Chunk]:
        """Pass ``chunks`` on, each one measured first."""
        add, agree = self._meter.add, self._coherence.add
        for chunk in chunks:
            for record in chunk:
                add(record)
                agree(record)
            yield chunk

    def report(self) -> QualityReport:
        """The quality of every record that went through."""
        return replace(report_of([self._meter.finish()]), coherence=[self._coherence.result])

    def summary(self) -> dict[str, Any]:
        """The report's summary, for the manifest."""
        return self.report().summary()
