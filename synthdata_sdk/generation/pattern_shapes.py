"""Whether a pattern's strings can spell an identifier: decided once, from its parse tree.

A ``pattern`` on a field whose name implies nothing still draws real-looking identifiers when
its strings have their shape: ``^\\d{3}-\\d{2}-\\d{4}$`` gives issuable SSNs and ``^4\\d{15}$``
Luhn-valid card numbers. Those columns have their values judged by the scan's detectors
(``safe_shapes``); this module tells them apart cheaply, so that every other pattern costs
nothing more.

The test over-approximates what ``nodes.pattern_draw`` can build (the same characters per
position, ``char_classes.position_chars``): a string can hold an identifier only if it can
hold ``@`` or ``:`` (e-mail, URL, IPv6, MAC), or a run of the characters an identifier is
written with that is long enough for the shortest one (:data:`SHAPES`). Each run is measured
by the most "weighing" characters (digits, say) a run of weighing or joining characters
(separators) can hold: ``^[A-Z]{3}-\\d{4}$`` holds at most four digits in a row of digits and
separators, too few for any identifier the scan finds.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from synthdata_sdk.generation.nodes.char_classes import position_chars
from synthdata_sdk.schema.pattern_syntax import ONE_CHARACTER, REPEATS, parse_pattern, sre

_DIGITS = frozenset(string.digits)
_ALNUM = frozenset(string.ascii_letters + string.digits)
_HEX = frozenset(string.hexdigits)
#: a run longer than any string (an unbounded repeat of characters that all count)
_ENDLESS = 1 << 40


@dataclass(frozen=True)
class Measure:
    """Characters that count (``weigh``) and characters that only continue a run (``join``)."""

    weigh: frozenset[str]
    join: frozenset[str]


def _measure(weigh: frozenset[str], join: str) -> Measure:
    return Measure(weigh, frozenset(join))


#: every identifier shape the default scan finds, as the least each measure must reach
#: together: (measure, least) pairs, all of which a pattern must be able to reach
SHAPES: dict[str, tuple[tuple[Measure, int], ...]] = {
    # e-mail "@", URL "://", IPv6 "::" or "1:2:...", MAC "aa:bb:..."
    "an e-mail, URL, IPv6 or MAC address": ((_measure(frozenset("@:"), ""), 1),),
    # SSN and ITIN (9 digits), NHS (10), phone numbers (8 or more: "+" and 7), cards (13-19)
    "a phone, SSN, NHS or card number": ((_measure(_DIGITS, " -./()+"), 8),),
    "an IPv4 address": (
        (_measure(_DIGITS, "."), 4),
        (_measure(frozenset("."), string.digits), 3),
    ),
    # IBANs: 15 to 34 letters and digits, in groups of four or none
    "an IBAN": (
        (_measure(_ALNUM, " "), 15),
        (_measure(_DIGITS, string.ascii_letters + " "), 2),
    ),
    # NI numbers "AB123456C" or "AB 12 34 56 C"
    "an NI number": (
        (_measure(_ALNUM, " "), 9),
        (_measure(_DIGITS, string.ascii_letters + " "), 6),
    ),
    # Medicare MBIs "1EG4TE5MK73" or "1EG4-TE5-MK73"
    "a Medicare MBI": (
        (_measure(_ALNUM, "-"), 11),
        (_measure(_DIGITS, string.ascii_letters + "-"), 5),
    ),
    # "aa-bb-cc-dd-ee-ff" or "aabb.ccdd.eeff" (colons count above)
    "a MAC address": (
        (_measure(_HEX, "-."), 12),
        (_measure(frozenset("-."), string.hexdigits), 2),
    ),
}


@dataclass(frozen=True)
class _Runs:
    """The heaviest runs in a part's strings: the whole part (None: never all in the run),
    its start, its end and anywhere in it."""

    whole: int | None
    head: int
    tail: int
    best: int


_EMPTY = _Runs(0, 0, 0, 0)
_BREAK = _Runs(None, 0, 0, 0)


def identifier_shape(pattern: str, max_length: int | None, pointer: str) -> str | None:
    """The first identifier shape (of :data:`SHAPES`) ``pattern``'s strings may hold, or None."""
    items = list(parse_pattern(pattern, pointer))
    limit = _ENDLESS if max_length is None else max_length
    for shape, needs in SHAPES.items():
        if all(
            min(_Walk(measure).sequence(items).best, limit) >= least for measure, least in needs
        ):
            return shape
    return None


class _Walk:
    """Measures the runs of one :class:`Measure` over a parse tree (an upper bound)."""

    def __init__(self, measure: Measure) -> None:
        self._measure = measure
        self._groups: dict[int, _Runs] = {}

    def sequence(self, items: Sequence[Any]) -> _Runs:
        runs = _EMPTY
        for item in items:
            runs = _then(runs, self._item(item))
        return runs

    def _item(self, item: Any) -> _Runs:
        op, arg = item
        if op in ONE_CHARACTER:
            chars = set(position_chars(op, arg, _ignore))
            if chars & self._measure.weigh:
                return _Runs(1, 1, 1, 1)
            return _Runs(0, 0, 0, 0) if chars & self._measure.join else _BREAK
        if op in REPEATS:
            high = _ENDLESS if arg[1] == sre.MAXREPEAT else int(arg[1])
            return _repeat(self.sequence(arg[2]), high)
        if op == sre.SUBPATTERN:
            runs = self.sequence(arg[-1])
            if arg[0] is not None:
                self._groups[arg[0]] = runs
            return runs
        if op == sre.BRANCH:
            return _either([self.sequence(alt) for alt in arg[1]])
        if op == getattr(sre, "ATOMIC_GROUP", None):
            return self.sequence(arg)
        if op == sre.GROUPREF:
            return self._groups.get(arg, _EMPTY)
        if op == sre.GROUPREF_EXISTS:
            return _either([self.sequence(arg[1]), self.sequence(arg[2] or [])])
        return _EMPTY  # anchors and look-arounds: the drawer builds nothing for them


def _ignore(op: Any, arg: Any) -> None:
    """A class item the drawer cannot list adds no character (as ``pattern_draw``)."""


def _then(first: _Runs, second: _Runs) -> _Runs:
    whole = None if first.whole is None or second.whole is None else first.whole + second.whole
    head = first.head if first.whole is None else max(first.head, first.whole + second.head)
    tail = second.tail if second.whole is None else max(second.tail, second.whole + first.tail)
    best = max(first.best, second.best, first.tail + second.head, head, tail)
    return _Runs(whole, head, tail, best)


def _either(options: Sequence[_Runs]) -> _Runs:
    wholes = [o.whole for o in options if o.whole is not None]
    return _Runs(
        max(wholes) if wholes else None,
        max(o.head for o in options),
        max(o.tail for o in options),
        max(o.best for o in options),
    )


def _repeat(body: _Runs, high: int) -> _Runs:
    if high == 0:
        return _EMPTY
    if body.whole is not None:
        # a run may cover every copy: at most ``high`` times the heaviest run of one
        most = min(_ENDLESS, high * max(body.best, body.whole))
        return _Runs(min(_ENDLESS, high * body.whole), most, most, most)
    best = max(body.best, body.tail + body.head) if high > 1 else body.best
    return _Runs(None, body.head, body.tail, best)
