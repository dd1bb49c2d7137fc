"""JSON Lines writer: one compact JSON object per line."""

from __future__ import annotations

from synthdata_sdk.formats.base import Chunk, TextFormatWriter, dumps_json


class JsonlWriter(TextFormatWriter):
    """Writes each record as compact JSON followed by ``\\n``."""

    def write_chunk(self, records: Chunk) -> None:
        self.text.write("".join(dumps_json(record) + "\n" for record in records))
