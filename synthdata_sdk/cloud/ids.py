"""Names that callers choose and that become parts of S3 keys or DynamoDB keys.

Session ids arrive from agents and other callers, so they are checked before they are used
in a key: letters, digits, ``.``, ``_``, ``:`` and ``-`` (the characters Bedrock allows in a
session id), starting with a letter or digit, without ``..``, at most 100 characters. No
path traversal, no ``/``, nothing that an S3 console or a shell would read differently.
"""

from __future__ import annotations

import re

from synthdata_sdk.errors import RequestError

MAX_ID = 100
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")


def check_id(kind: str, value: object) -> str:
    """``value`` if it is a safe id; RequestError naming ``kind`` (``session id``) otherwise."""
    if not isinstance(value, str):
        raise RequestError(f"{kind} must be a string, not {type(value).__name__}")
    if not 0 < len(value) <= MAX_ID or not _SAFE.fullmatch(value) or ".." in value:
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise RequestError(
            f"{kind} {shown!r} is not allowed (expected 1 to {MAX_ID} letters, digits, '.', "
            "'_', ':' or '-', starting with a letter or digit, without '..')"
        )
    return value
