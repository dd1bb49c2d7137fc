"""How long the strings expanded from a regular expression can get, before expanding any.

``(((a{100}){100}){100}){100}`` is 28 characters and expands to 10**8. The unique-pattern
numbering writes fixed repeats out in full, so its strings are bounded by the product of the
repeat counts along the pattern's nesting, which is computed here from the parse tree. (The
random pattern walker measures its own draws: ``pattern_draw.longest_draw``.)
"""

from __future__ import annotations

from typing import Any

from synthdata_sdk.schema.pattern_syntax import REPEATS, parse_pattern, sre

_ONE = {sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN, sre.CATEGORY}


def expanded_length(pattern: str, pointer: str, *, cap: int | None, unbounded: int) -> int:
    """The longest string an expander of ``pattern`` may build.

    Each repeat counts its maximum, at most ``cap`` when given; an unbounded one (``+``,
    ``*``, ``{n,}``) counts ``unbounded`` beyond its minimum.
    """
    parsed = parse_pattern(pattern, pointer)
    groups: dict[int, int] = {}

    def length(items: Any) -> int:
        total = 0
        for op, arg in items:
            if op in _ONE:
                total += 1
            elif op == sre.SUBPATTERN:
                inner = length(arg[-1])
                if arg[0] is not None:
                    groups[arg[0]] = inner
                total += inner
            elif op == sre.BRANCH:
                total += max((length(branch) for branch in arg[1]), default=0)
            elif op in REPEATS:
                low, high, body = arg
                count = low + unbounded if high == sre.MAXREPEAT else high
                if cap is not None:
                    count = min(count, cap)
                total += count * length(body)
            elif op == sre.GROUPREF:
                total += groups.get(arg, 0)
            elif op == sre.GROUPREF_EXISTS:
                total += max(length(arg[1]), length(arg[2]) if arg[2] else 0)
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                total += length(arg[1])
            elif op == getattr(sre, "ATOMIC_GROUP", None):
                total += length(arg)
        return total

    return length(parsed)
