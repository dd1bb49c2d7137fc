"""The local stack's event-stream frames, read back by botocore's own decoder and parser."""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from botocore.eventstream import ChecksumMismatch, EventStream, EventStreamBuffer
from botocore.exceptions import EventStreamError
from botocore.parsers import EventStreamJSONParser

from synthdata_sdk.cloud.local import eventstream


@pytest.fixture(autouse=True)
def aws() -> None:
    """No AWS at all here: frames are parsed in memory."""


class Raw:
    """A response body that hands botocore the bytes ``size`` at a time."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size = data, size

    def stream(self) -> Iterator[bytes]:
        for start in range(0, len(self.data), self.size):
            yield self.data[start : start + self.size]

    def close(self) -> None:
        pass


def completion(data: bytes, size: int = 1 << 16) -> EventStream:
    """``data`` as the ``completion`` stream of an InvokeAgent answer, as boto3 reads it."""
    model = botocore.session.get_session().get_service_model("bedrock-agent-runtime")
    shape = model.operation_model("InvokeAgent").output_shape.members["completion"]
    return EventStream(Raw(data, size), shape, EventStreamJSONParser(), "InvokeAgent")


def b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def test_a_frame_has_the_prelude_headers_payload_and_crcs_botocore_decodes() -> None:
    payload = b'{"bytes":"aGk="}'
    data = eventstream.event("chunk", {"bytes": "aGk="})
    total, headers_length, prelude_crc = struct.unpack(">III", data[:12])
    assert total == len(data)
    assert prelude_crc == zlib.crc32(data[:8])
    assert struct.unpack(">I", data[-4:])[0] == zlib.crc32(data[:-4])
    assert data[12 + headers_length : -4] == payload

    buffer = EventStreamBuffer()
    buffer.add_data(data)
    [message] = list(buffer)
    assert message.headers == {
        ":event-type": "chunk",
        ":content-type": "application/json",
        ":message-type": "event",
    }
    assert message.payload == payload
    assert message.prelude.total_length == len(data)


def test_chunk_and_trace_events_parse_into_what_invoke_agent_returns() -> None:
    trace = {
        "agentId": "SYNTHDATA1",
        "sessionId": "s-1",
        "eventTime": "2026-01-02T03:04:05.000Z",
        "trace": {"orchestrationTrace": {"observation": {"type": "FINISH"}}},
    }
    data = (
        eventstream.event("trace", trace)
        + eventstream.event("chunk", {"bytes": b64("héllo, ")})
        + eventstream.event("chunk", {"bytes": b64("wörld")})
    )
    events = list(completion(data, size=7))  # frames split across reads, as a socket does
    assert [list(event) for event in events] == [["trace"], ["chunk"], ["chunk"]]
    assert events[0]["trace"]["trace"] == trace["trace"]
    assert events[0]["trace"]["eventTime"].year == 2026
    text = b"".join(event["chunk"]["bytes"] for event in events[1:]).decode("utf-8")
    assert text == "héllo, wörld"


def test_an_exception_frame_mid_stream_raises_botocore_s_event_stream_error() -> None:
    data = eventstream.event("chunk", {"bytes": b64("partial")}) + eventstream.exception(
        "internalServerException", "the agent failed", reason="oops"
    )
    events = iter(completion(data))
    assert next(events) == {"chunk": {"bytes": b"partial"}}
    with pytest.raises(EventStreamError) as raised:
        next(events)
    error: Any = raised.value
    assert error.response["Error"] == {
        "Code": "internalServerException",
        "Message": "the agent failed",
    }


def test_botocore_checks_the_crcs_so_a_damaged_frame_is_refused() -> None:
    data = bytearray(eventstream.event("chunk", {"bytes": b64("hello")}))
    data[-8] ^= 0x01  # a payload byte
    with pytest.raises(ChecksumMismatch):
        list(completion(bytes(data)))


def test_frames_refuse_headers_and_payloads_over_the_format_s_limits() -> None:
    with pytest.raises(ValueError, match="too long"):
        eventstream.frame({"x" * 256: "v"}, b"")
    with pytest.raises(ValueError, match="over"):
        eventstream.frame({":message-type": "event"}, b"x" * eventstream.MAX_FRAME)
