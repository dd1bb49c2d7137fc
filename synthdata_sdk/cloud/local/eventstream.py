"""Frames of the AWS event stream (``application/vnd.amazon.eventstream``), as services send them.

A frame is a prelude (total length, headers length, the prelude's CRC32), the headers, the
payload and the CRC32 of everything before it, all lengths and CRCs big-endian. Headers here
are strings (type 7): ``:message-type`` (``event`` or ``exception``), ``:event-type`` or
``:exception-type``, and ``:content-type``. An event's payload is the JSON of the event's
members (a blob member in base64), an exception's ``{"message": ...}``: what botocore's
``EventStreamJSONParser`` reads back into ``{"chunk": {"bytes": b"..."}}`` or an
``EventStreamError``.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Mapping
from typing import Any

CONTENT_TYPE = "application/vnd.amazon.eventstream"
_STRING = 7
#: the largest frame a service sends (16 MiB); botocore refuses longer ones
MAX_FRAME = 16 * 1024 * 1024
_PRELUDE = 12
_CRC = 4


def frame(headers: Mapping[str, str], payload: bytes) -> bytes:
    """One frame carrying ``headers`` (string values) and ``payload``."""
    encoded = b"".join(_header(name, value) for name, value in headers.items())
    total = _PRELUDE + len(encoded) + len(payload) + _CRC
    if total > MAX_FRAME:
        raise ValueError(f"an event-stream frame of {total} bytes is over {MAX_FRAME}")
    prelude = struct.pack(">II", total, len(encoded))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + encoded + payload
    return body + struct.pack(">I", zlib.crc32(body))


def event(event_type: str, members: Mapping[str, Any]) -> bytes:
    """An event frame whose payload is the JSON of ``members``."""
    headers = {
        ":event-type": event_type,
        ":content-type": "application/json",
        ":message-type": "event",
    }
    return frame(headers, _json(members))


def exception(exception_type: str, message: str, **members: Any) -> bytes:
    """An exception frame (``validationException``...) with ``message`` and other members."""
    headers = {
        ":exception-type": exception_type,
        ":content-type": "application/json",
        ":message-type": "exception",
    }
    return frame(headers, _json({"message": message, **members}))


def _header(name: str, value: str) -> bytes:
    key, text = name.encode("utf-8"), value.encode("utf-8")
    if len(key) > 255 or len(text) > 65535:
        raise ValueError(f"event-stream header {name!r} is too long")
    return struct.pack(">B", len(key)) + key + struct.pack(">BH", _STRING, len(text)) + text


def _json(members: Mapping[str, Any]) -> bytes:
    return json.dumps(members, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
