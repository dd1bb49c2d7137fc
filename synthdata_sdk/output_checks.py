"""What generation checks on its own output before handing it out, for the manifest.

The compliance scan runs whenever the request names profiles and fails loudly on a
violation; the quality measure runs when asked for (it costs many times the generation).
Both see every chunk on its way to memory, a file or stdout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from synthdata_sdk.dataset import default_table_name
from synthdata_sdk.generation.request import DatasetRequest

if TYPE_CHECKING:
    from synthdata_sdk.quality.output_quality import OutputQuality
    from synthdata_sdk.quality.own_output import OwnOutputCheck

#: a chunk of records on its way out of generation
Chunk = TypeVar("Chunk", bound=Sequence[Mapping[str, Any]])


class OutputChecks:
    """The compliance scan (when the request names profiles) and, when asked, the quality
    measure of one generated table."""

    def __init__(self, request: DatasetRequest, *, quality: bool, table: str | None = None) -> None:
        self.table = table or default_table_name(request)
        schema = request.normalized_schema
        self.compliance: OwnOutputCheck | None = None
        self.quality: OutputQuality | None = None
        if request.compliance:
            from synthdata_sdk.quality.own_output import OwnOutputCheck

            self.compliance = OwnOutputCheck(request.compliance, table=self.table, schema=schema)
        if quality:
            from synthdata_sdk.quality.output_quality import OutputQuality

            self.quality = OutputQuality(table=self.table, schema=schema)

    def wrap(self, chunks: Iterable[Chunk]) -> Iterable[Chunk]:
        """``chunks``, scanned (failing on the first violation) and measured on their way."""
        if self.compliance is not None:
            chunks = self.compliance.wrap(chunks)
        if self.quality is not None:
            chunks = self.quality.wrap(chunks)
        return chunks

    def compliance_summary(self) -> dict[str, Any] | None:
        """The manifest's ``compliance`` summary (None: not scanned)."""
        return self.compliance.summary() if self.compliance else None

    def quality_summary(self) -> dict[str, Any] | None:
        """The manifest's ``quality`` summary (None: not measured)."""
        return self.quality.summary() if self.quality else None
