"""Frames of the AWS event stream encoding (``application/vnd.amazon.eventstream``), as
Bedrock's InvokeAgent answers: botocore's own decoder parses what this writes.

A frame is a prelude (total length, headers length, both big-endian uint32, and the CRC32
of those 8 bytes), the headers (name length as one byte, the name, value type 7 for a
string, value length as uint16, the value), the payload, and the CRC32 of everything before.
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from collections.abc import Mapping
from typing import Any

_STRING = 7


def frame(headers: Mapping[str, str], payload: bytes) -> bytes:
    """One encoded frame."""
    encoded = b"".join(
        struct.pack("!B", len(name.encode()))
        + name.encode()
        + struct.pack("!BH", _STRING, len(value.encode()))
        + value.encode()
        for name, value in headers.items()
    )
    total = 12 + len(encoded) + len(payload) + 4
    prelude = struct.pack("!II", total, len(encoded))
    prelude += struct.pack("!I", zlib.crc32(prelude))
    message = prelude + encoded + payload
    return message + struct.pack("!I", zlib.crc32(message))


def event(event_type: str, payload: Mapping[str, Any]) -> bytes:
    """An event frame (``chunk``, ``trace``, ``returnControl``...) with a JSON payload."""
    headers = {
        ":message-type": "event",
        ":event-type": event_type,
        ":content-type": "application/json",
    }
    return frame(headers, json.dumps(payload).encode())


def chunk(text: str) -> bytes:
    """A ``chunk`` frame: part of the agent's text (its bytes base64-encoded in the JSON)."""
    return event("chunk", {"bytes": base64.b64encode(text.encode()).decode()})


def exception(exception_type: str, message: str) -> bytes:
    """An exception frame (``throttlingException``...), which ends the stream."""
    headers = {
        ":message-type": "exception",
        ":exception-type": exception_type,
        ":content-type": "application/json",
    }
    return frame(headers, json.dumps({"message": message}).encode())
