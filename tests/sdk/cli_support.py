"""What the command-line tests share: a fake terminal and a small schema."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

#: ``run(*argv)`` -> (exit code, stdout, stderr); the ``run`` fixture in conftest.py
Run = Callable[..., tuple[int, str, str]]

WIDGET_SCHEMA: dict[str, Any] = {
    "title": "Widget",
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 1, "maximum": 1_000_000},
        "label": {"type": "string", "minLength": 3, "maxLength": 12},
    },
    "required": ["id", "label"],
    "additionalProperties": False,
}


class FakeTTY(io.StringIO):
    """A text stream that claims to be a terminal."""

    def isatty(self) -> bool:
        return True
