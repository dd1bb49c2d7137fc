"""One call of the function: the door it came in by, its session, who asked, its request id."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from synthdata_sdk.cloud.failures import refuse
from synthdata_sdk.cloud.ids import check_id
from synthdata_sdk.errors import RequestError

#: a requester label, as recorded in the generation history
_LABEL_UNSAFE = re.compile(r"[^0-9A-Za-z._:@/+=-]")
MAX_LABEL = 200


@dataclass(frozen=True)
class Invocation:
    """One call of the function: the door it came in by, its session and who asked."""

    door: str
    session_id: str
    requester: str
    request_id: str


def request_id_of(context: Any) -> str:
    """The Lambda request id, or a fresh one when called without a Lambda context."""
    value = getattr(context, "aws_request_id", None)
    return value if isinstance(value, str) and value else uuid.uuid4().hex


def checked_session_id(value: object) -> str:
    """A session id safe to put in an S3 key (``ids.check_id``); a 400 says what fits."""
    try:
        return check_id("session id", value)
    except RequestError as error:
        raise refuse(400, "invalid_request", str(error), "session_id") from None


def requester_label(*parts: object) -> str:
    """A requester label from ``parts`` (agent id, alias...): unsafe characters replaced."""
    text = ":".join(str(part) for part in parts if part not in (None, ""))
    return _LABEL_UNSAFE.sub("_", text)[:MAX_LABEL] or "unknown"
