"""The ``format`` checker synthdata validates data with: jsonschema's, with ``regex`` bounded.

jsonschema checks a ``regex`` value by compiling it with ``re``, whose parser recurses once
a nested group: a value of 5,000 nested groups in a user's file raised RecursionError out of
``synthdata quality``. Here a value nested deeper than the nesting depth limit
(``SYNTHDATA_MAX_DEPTH``, which bounds a schema's own patterns alike) is not a regex synthdata
accepts, so it is reported invalid, like any value ``re`` cannot compile.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jsonschema import FormatChecker

from synthdata_sdk.limits import DEPTH
from synthdata_sdk.schema.document import group_depth


@cache
def format_checker(base: FormatChecker) -> FormatChecker:
    """``base`` (a validator class's ``FORMAT_CHECKER``) with the bounded ``regex`` check."""
    checker = FormatChecker(())
    checker.checkers = dict(base.checkers)
    if "regex" in base.checkers:
        checker.checks("regex", raises=re.error)(is_regex)
    return checker


def is_regex(instance: Any) -> bool:
    """Whether ``instance`` is a regex ``re`` compiles (True for non-strings, as jsonschema)."""
    if not isinstance(instance, str):
        return True
    depth = group_depth(instance)
    if depth > DEPTH.value():
        raise re.error(f"groups nested {depth} deep, over the nesting depth limit")
    re.compile(instance)
    return True
