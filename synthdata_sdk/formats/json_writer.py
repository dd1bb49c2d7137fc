"""JSON writer: one array of records, streamed so that only one chunk is in memory."""

from __future__ import annotations

from synthdata_sdk.formats.base import Chunk, TextFormatWriter, dumps_json


class JsonWriter(TextFormatWriter):
    """Writes ``[``, the records separated by ``,\\n``, then ``]``; an empty dataset is ``[]``."""

    def __init__(self) -> None:
        self._first = True

    def start(self) -> None:
        self._first = True
        self.text.write("[")

    def write_chunk(self, records: Chunk) -> None:
        for record in records:
            # Serialise before writing so that a bad record never leaves half a separator.
            line = dumps_json(record)
            self.text.write(line if self._first else ",\n" + line)
            self._first = False

    def finish(self) -> None:
        self.text.write("]")
