"""Reading a schema's regular expressions: one place that compiles or parses a pattern and
turns ``re.error`` into the SchemaError every caller gives.

The parse tree is the standard library's own (``re._parser``), the one ``re`` compiles, so
what is generated from it means what validators match.
"""

from __future__ import annotations

import re
from importlib import import_module
from typing import Any

from synthdata_sdk.errors import SchemaError

#: the standard library's regex parser and its opcodes (untyped)
sre: Any = import_module("re._constants")
sre_parse: Any = import_module("re._parser")
#: the repeat opcodes (possessive repeats exist from Python 3.11)
REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
#: the opcodes that match exactly one character (a literal, ``.``, a class or a category)
ONE_CHARACTER = {sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN}


def invalid_pattern(pattern: str, pointer: str, error: re.error, keyword: str) -> SchemaError:
    """The SchemaError for a pattern ``re`` cannot read."""
    return SchemaError(
        pointer,
        keyword,
        f"{pattern!r} is not a valid regular expression: {error}",
        "a regular expression",
    )


def compile_pattern(pattern: str, pointer: str, keyword: str = "pattern") -> re.Pattern[str]:
    """``re.compile(pattern)``, or a SchemaError naming the pointer and keyword."""
    try:
        return re.compile(pattern)
    except re.error as error:
        raise invalid_pattern(pattern, pointer, error, keyword) from None


def parse_pattern(pattern: str, pointer: str) -> Any:
    """The parse tree of ``pattern`` (``re._parser``), or a SchemaError."""
    try:
        return sre_parse.parse(pattern)
    except re.error as error:
        raise invalid_pattern(pattern, pointer, error, "pattern") from None
