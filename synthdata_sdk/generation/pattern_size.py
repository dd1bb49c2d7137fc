"""How long the strings of a pattern's parse tree are, measured before any is built.

``(((a{100}){100}){100}){100}`` is 28 characters and expands to 10**8, so the generators that
build a pattern's strings walk its parse tree (``schema.pattern_syntax``) here first: the
random drawer (``nodes.pattern_draw``) leaves each part room for the shortest the rest can be
and bounds its draws, and the numbering of unique patterns (``nodes.pattern_domain``) bounds
what it writes out. Each builder says how many times it runs a repeat; this module adds up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from synthdata_sdk.schema.pattern_syntax import ONE_CHARACTER, REPEATS, sre

#: how many times a builder runs a repeat of ``low`` to ``high`` (None: unbounded) times
RepeatCount = Callable[[int, int | None], int]


def shortest(items: Sequence[Any]) -> int:
    """The fewest characters a match of the parse tree ``items`` has."""
    return sum(shortest_item(item) for item in items)


def shortest_item(item: Any) -> int:
    """The fewest characters one part matches (0 for anchors, look-arounds, back-references)."""
    op, arg = item
    if op in ONE_CHARACTER:
        return 1
    if op in REPEATS:
        return int(arg[0]) * shortest(arg[2])
    if op == sre.SUBPATTERN:
        return shortest(arg[-1])
    if op == sre.BRANCH:
        return min(shortest(alt) for alt in arg[1])
    if op == sre.ATOMIC_GROUP:
        return shortest(arg)
    if op == sre.GROUPREF_EXISTS:
        return min(shortest(arg[1]), shortest(arg[2]) if arg[2] is not None else 0)
    return 0


def longest(items: Sequence[Any], repeats: RepeatCount, *, lookarounds: bool = False) -> int:
    """The longest string built from the parse tree ``items`` when each repeat runs
    ``repeats(low, high)`` times.

    The longest alternative counts, and a back-reference counts its group's length. A
    look-around matches no character; ``lookarounds`` counts its body all the same (the
    numbering's guard does, so that a pattern too long to number is refused for its length).
    """
    groups: dict[int, int] = {}

    def length(sequence: Sequence[Any]) -> int:
        total = 0
        for op, arg in sequence:
            if op in ONE_CHARACTER:
                total += 1
            elif op in REPEATS:
                low, high = int(arg[0]), int(arg[1])
                count = repeats(low, None if high == sre.MAXREPEAT else high)
                total += count * length(arg[2])
            elif op == sre.SUBPATTERN:
                inner = length(arg[-1])
                if arg[0] is not None:
                    groups[arg[0]] = inner
                total += inner
            elif op == sre.BRANCH:
                total += max((length(alt) for alt in arg[1]), default=0)
            elif op == sre.ATOMIC_GROUP:
                total += length(arg)
            elif op == sre.GROUPREF:
                total += groups.get(arg, 0)
            elif op == sre.GROUPREF_EXISTS:
                total += max(length(arg[1]), length(arg[2]) if arg[2] is not None else 0)
            elif lookarounds and op in (sre.ASSERT, sre.ASSERT_NOT):
                total += length(arg[1])
        return total

    return length(items)
