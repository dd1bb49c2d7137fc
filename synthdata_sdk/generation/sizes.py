"""Typical sizes: how often optional properties appear, and how long arrays and text run.

A schema's bounds say what is allowed, not what is typical: ``maxItems: 20000`` allows a long
array, it does not make one usual, and an object with forty optional properties is rarely
written with all forty. Drawing at the bounds made records huge (an array of up to 20,000
items inside an array of 60) and left no room for constraints that need a property absent
(``oneOf: [{required: [a]}, {required: [b]}]``). So sizes follow small typical distributions
within the bounds, documented in ``docs/schema.md``:

- an optional property is present in a record with probability :data:`OPTIONAL_PRESENCE`
  (always when ``minProperties`` needs it);
- an array has ``minItems`` plus 0 to :data:`EXTRA_ITEMS` items without ``maxItems``, and
  with it up to ``maxItems`` but at most :data:`MAX_EXTRA_ITEMS` more than ``minItems``
  (uniformly): a small ``maxItems`` is the author's typical range, a large one a limit;
- plain text has ``minLength`` plus 0 to 20 characters (3 to 24 without limits), never more
  than ``maxLength`` (``TextNode``); pattern repeats are bounded likewise (``pattern_draw``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: the chance that an optional property is present in a record
OPTIONAL_PRESENCE = 0.5
#: how many items an array without ``maxItems`` may have beyond ``minItems``
EXTRA_ITEMS = 3
#: how many items an array with ``maxItems`` may have beyond ``minItems``
MAX_EXTRA_ITEMS = 10


def optional_presence(
    fields: Sequence[tuple[str, Any]], required: set[str], schema: Mapping[str, Any]
) -> list[float]:
    """Each field's chance to be present: 1 when required, else :data:`OPTIONAL_PRESENCE`.

    ``minProperties`` counts the properties present, so the first optional fields it needs
    are always present. An object with no optional field gives ``[]`` (all present).
    """
    optional = [name for name, _ in fields if name not in required]
    if not optional:
        return []
    needed = max(0, int(schema.get("minProperties", 0)) - (len(fields) - len(optional)))
    always = set(optional[:needed])
    return [1.0 if name in required or name in always else OPTIONAL_PRESENCE for name, _ in fields]


def typical_max_items(least: int, max_items: int | None) -> int:
    """The most items an array is drawn with, when it needs at least ``least``."""
    if max_items is None:
        return least + EXTRA_ITEMS
    return min(max_items, least + MAX_EXTRA_ITEMS)
