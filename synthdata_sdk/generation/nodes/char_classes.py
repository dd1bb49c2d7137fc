"""What characters one position of a pattern may take (a literal, ``.``, a class, a category),
for the generators that draw or number a pattern's strings (``pattern_draw``,
``pattern_domain``).

Characters are listed in code point order: a set's order would follow the hash seed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synthdata_sdk.schema.pattern_syntax import sre

#: characters drawn for ``.``, negated classes and negated categories: printable ASCII
PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
_DIGITS = "0123456789"
_WORD = "".join(sorted(set(_DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")))
#: what each category contributes (a subset of what it matches; \s gives a plain space)
CATEGORIES = {
    sre.CATEGORY_DIGIT: _DIGITS,
    sre.CATEGORY_WORD: _WORD,
    sre.CATEGORY_SPACE: " ",
    sre.CATEGORY_NOT_DIGIT: "".join(c for c in PRINTABLE if c not in _DIGITS),
    sre.CATEGORY_NOT_WORD: "".join(c for c in PRINTABLE if c not in _WORD),
    sre.CATEGORY_NOT_SPACE: PRINTABLE.replace(" ", ""),
}


def position_chars(op: Any, arg: Any, unlisted: Callable[[Any, Any], None]) -> str:
    """The characters one single-character item (``ONE_CHARACTER``) may match, in code point
    order: a literal, ``.`` (printable ASCII), a negated literal or a class (``class_chars``)."""
    if op == sre.LITERAL:
        return chr(arg)
    if op == sre.NOT_LITERAL:
        return PRINTABLE.replace(chr(arg), "")
    if op == sre.ANY:
        return PRINTABLE
    return class_chars(arg, unlisted)


def class_chars(items: Any, unlisted: Callable[[Any, Any], None]) -> str:
    """The characters a ``[...]`` class contributes, in code point order.

    ``unlisted(op, arg)`` is called for an item this cannot list (a category outside
    ``CATEGORIES``, an unusual opcode): the caller ignores it or refuses the pattern.
    """
    chars: set[str] = set()
    negate = False
    for op, arg in items:
        if op == sre.NEGATE:
            negate = True
        elif op == sre.LITERAL:
            chars.add(chr(arg))
        elif op == sre.RANGE:
            # lone surrogates cannot be encoded in any output format
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1) if not 0xD800 <= c <= 0xDFFF)
        elif op == sre.CATEGORY and arg in CATEGORIES:
            chars.update(CATEGORIES[arg])
        else:
            unlisted(op, arg)
    if negate:
        return "".join(c for c in PRINTABLE if c not in chars)
    return "".join(sorted(chars))
