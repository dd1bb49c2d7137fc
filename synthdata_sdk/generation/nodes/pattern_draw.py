"""Random strings for a ``pattern``, drawn from the seeded stream and within the lengths.

The pattern is parsed by Python's own regex parser (the one ``re`` compiles), and each part
draws from the request's random stream, so the strings depend on nothing but the seed:
character classes are listed in code point order (a set's order would follow the hash seed).

Repeats take typical counts, not their bounds: a repeat of ``lo`` to ``hi`` runs ``lo`` plus
0 to :data:`EXTRA_REPEATS` more times (``+``, ``*`` and ``{2,}`` alike), within ``hi``. And
the string is built to fit the length limits: a repeat never runs so long that the rest
could not fit ``maxLength``, and runs long enough to reach ``minLength`` when the parts after
it are short. What cannot be steered this way (look-arounds, which draw nothing,
back-references, ``\\b``) is left to the check: the caller keeps a draw only if ``re.search``
finds the pattern in it and its length fits, and draws again otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from synthdata_sdk.generation.nodes.char_classes import position_chars
from synthdata_sdk.generation.pattern_size import longest, shortest, shortest_item
from synthdata_sdk.generation.random import RandomStream
from synthdata_sdk.schema.pattern_syntax import ONE_CHARACTER, REPEATS, parse_pattern, sre

#: bump when the same pattern and seed would draw other strings (part of the data version)
PATTERN_DRAW_VERSION = "1"
#: how many repeats a repeat may run beyond its least count
EXTRA_REPEATS = 10
_UNBOUNDED = 1 << 62


class Uniforms:
    """Uniform draws from one random stream, fetched a block at a time."""

    def __init__(self, stream: RandomStream) -> None:
        self._stream = stream
        self._block: list[float] = []
        self._next = 0

    def below(self, size: int) -> int:
        """An integer uniform in ``[0, size)``."""
        if self._next == len(self._block):
            self._block = self._stream.uniform(self._stream.prefetch).tolist()
            self._next = 0
        value = self._block[self._next]
        self._next += 1
        return min(int(value * size), size - 1)


class _Unsatisfiable(Exception):  # noqa: N818 - a control-flow signal inside one draw
    """This draw reached a part that cannot produce a character (an empty class)."""


class PatternDraw:
    """Draws strings for one pattern; ``draw`` gives a candidate the caller checks."""

    def __init__(self, pattern: str, pointer: str) -> None:
        self._items = list(parse_pattern(pattern, pointer))
        self._classes: dict[int, str] = {}
        # the least length of each part and of what follows it, per sequence (the parse
        # tree lives as long as the drawer, so its parts' ids are stable keys)
        self._rests: dict[int, list[int]] = {}
        self._shortest: dict[int, int] = {}

    def draw(self, uniforms: Uniforms, min_length: int, max_length: int | None) -> str | None:
        """A string aimed at the pattern and the lengths, or None when a part cannot draw."""
        budget = _UNBOUNDED if max_length is None else max_length
        groups: dict[int, str] = {}
        try:
            return self._sequence(self._items, uniforms, budget, min_length, groups)
        except _Unsatisfiable:
            return None

    # ------------------------------------------------------------------ parts

    def _sequence(
        self,
        items: Sequence[Any],
        uniforms: Uniforms,
        budget: int,
        need: int,
        groups: dict[int, str],
    ) -> str:
        """The parts one after another, each left room for the least the rest needs."""
        rest = self._rests.get(id(items))
        if rest is None:
            rest = [0] * (len(items) + 1)
            for i in range(len(items) - 1, -1, -1):
                rest[i] = rest[i + 1] + shortest_item(items[i])
            self._rests[id(items)] = rest
        out: list[str] = []
        used = 0
        for i, item in enumerate(items):
            room = max(0, budget - used - rest[i + 1])
            text = self._item(item, uniforms, room, max(0, need - used - rest[i + 1]), groups)
            out.append(text)
            used += len(text)
        return "".join(out)

    def _item(
        self, item: Any, uniforms: Uniforms, room: int, need: int, groups: dict[int, str]
    ) -> str:
        op, arg = item
        if op == sre.LITERAL:
            return chr(arg)
        if op in (sre.NOT_LITERAL, sre.ANY, sre.IN):
            chars = self._chars(item)
            if not chars:
                raise _Unsatisfiable
            return chars[uniforms.below(len(chars))]
        if op in REPEATS:
            return self._repeat(arg, uniforms, room, need, groups)
        if op == sre.SUBPATTERN:
            text = self._sequence(arg[-1], uniforms, room, need, groups)
            if arg[0] is not None:
                groups[arg[0]] = text
            return text
        if op == sre.BRANCH:
            fitting = [alt for alt in arg[1] if self._least(alt) <= room] or list(arg[1])
            return self._sequence(
                fitting[uniforms.below(len(fitting))], uniforms, room, need, groups
            )
        if op == getattr(sre, "ATOMIC_GROUP", None):
            return self._sequence(arg, uniforms, room, need, groups)
        if op == sre.GROUPREF:
            return groups.get(arg, "")
        if op == sre.GROUPREF_EXISTS:
            branch = arg[1] if arg[0] in groups else arg[2]
            return "" if branch is None else self._sequence(branch, uniforms, room, need, groups)
        # anchors (^, $, \b) and look-arounds draw nothing; the caller's check decides
        return ""

    def _repeat(
        self, arg: Any, uniforms: Uniforms, room: int, need: int, groups: dict[int, str]
    ) -> str:
        low, high, body = int(arg[0]), int(arg[1]), arg[2]
        if high == sre.MAXREPEAT:
            high = _UNBOUNDED
        least = self._least(body)
        width = max(least, 1)
        # enough repeats to reach minLength, within the pattern's and maxLength's limits
        fewest = min(high, max(low, -(-need // width)))
        most = min(high, fewest + EXTRA_REPEATS, max(fewest, room // width))
        count = fewest + uniforms.below(most - fewest + 1)
        if len(body) == 1 and body[0][0] in ONE_CHARACTER:
            # one character per repeat (``\\d{3}``): what the loop below draws, without it
            if body[0][0] == sre.LITERAL:
                return chr(body[0][1]) * count
            chars = self._chars(body[0])
            if count and not chars:
                raise _Unsatisfiable
            below, size = uniforms.below, len(chars)
            return "".join([chars[below(size)] for _ in range(count)])
        parts = []
        used = 0
        for done in range(count):
            left = count - done - 1
            share = max(0, room - used - left * least)
            text = self._sequence(body, uniforms, share, 0, groups)
            parts.append(text)
            used += len(text)
        return "".join(parts)

    def _least(self, items: Sequence[Any]) -> int:
        """``shortest(items)``, cached per part."""
        key = id(items)
        if key not in self._shortest:
            self._shortest[key] = shortest(items)
        return self._shortest[key]

    def _chars(self, item: Any) -> str:
        """The characters one position may take, in code point order (cached per item)."""
        key = id(item)
        if key not in self._classes:
            op, arg = item
            self._classes[key] = position_chars(op, arg, _draw_nothing)
        return self._classes[key]


def _draw_nothing(op: Any, arg: Any) -> None:
    """An item of a class that cannot be listed adds no character (the check rejects misses)."""


def longest_draw(pattern: str, min_length: int, pointer: str) -> int:
    """The longest string :meth:`PatternDraw.draw` can build for ``pattern`` (a bound).

    A repeat of ``lo`` to ``hi`` runs at most ``min(hi, max(lo, minLength) + EXTRA_REPEATS)``
    times (reaching ``minLength`` asks at most ``minLength`` repeats of a part); ``maxLength``
    does not shorten the bound, since a fixed repeat (``{1000}``) is built before the length
    check rejects it.
    """

    def count(low: int, high: int | None) -> int:
        return min(_UNBOUNDED if high is None else high, max(low, min_length) + EXTRA_REPEATS)

    return longest(parse_pattern(pattern, pointer), count)
