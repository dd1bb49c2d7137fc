"""How the quality metrics see one value: its JSON type, its equality key, its canonical text."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Hashable, Mapping
from typing import Any

from synthdata_sdk.formats.base import json_type_of

#: a value as a dict key: JSON-equal values share one key (``1 == 1.0``, ``true != 1``)
ValueKey = Hashable


def json_type(value: Any) -> str:
    """The JSON type name of ``value`` (``integer`` apart from ``number``, bools apart), or
    ``other`` for a value JSON cannot hold."""
    if value is None or isinstance(value, (bool, int, float, str, Mapping, list, tuple)):
        return json_type_of(value)
    return "other"


def is_number(value: Any) -> bool:
    """Whether ``value`` is a finite JSON number (bools are not numbers)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):  # a huge integer has no float: it is left out of the statistics
        return -sys.float_info.max <= value <= sys.float_info.max
    return isinstance(value, float) and math.isfinite(value)


def canonical_json(value: Any) -> str:
    """Compact JSON text with sorted keys: equal records give equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def value_key(value: Any) -> ValueKey:
    """A hashable key under which JSON-equal values meet."""
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, (str, int, float)):
        return value
    return ("json", canonical_json(value))


def key_value(key: ValueKey) -> Any:
    """The value a key stands for, as plain JSON data (arrays and objects as their JSON text)."""
    if isinstance(key, tuple):
        return key[1]
    return key
