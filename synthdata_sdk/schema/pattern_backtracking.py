"""Which patterns a backtracking matcher can take exponential time on.

Python's ``re`` (which ``jsonschema`` and synthdata run every ``pattern`` and
``patternProperties`` name with) backtracks: when a string fails, it tries every way the
pattern could have matched a prefix of it. ``^(a+)+$`` can match a string of *n* ``a`` s in
2**(n-1) ways, so checking fifty ``a`` s and a ``!`` never ends. No setting of ``re``
bounds this, and a timeout would make a record's validity depend on the machine's speed,
so a pattern that can do it is refused where the schema is read, before any string meets
it.

The test looks for the cause itself, not for a rule of thumb such as nested quantifiers:
exponential backtracking needs a loop of the pattern that can read the same
text along two different paths (the automaton's "exponential degree of ambiguity", Weber
and Seidl 1991; the criterion ReDoS checkers use). ``^(\\w+\\.)*\\w+$`` nests repeats but
each iteration must end at a dot, so it is accepted; ``^(a|aa)+$`` nests nothing, but ``aa``
is one iteration or two, so it is refused. The pattern becomes a position automaton (one
state a character class) whose transitions count the ways ``re`` can take them (an optional
part that can also match empty doubles them); it is refused if a transition inside a loop
can be taken two ways, or if two different paths through a loop can read the same
characters (found in the product of the automaton with itself). Character classes are
compared on a small alphabet that stands for all of Unicode: every ASCII character and
every character the pattern names, asked of ``re`` itself, and for each stretch of
non-ASCII code points between them one stand-in for each kind it holds (decimal digits,
other word characters, spaces, the rest), as this Python's Unicode database says; under
IGNORECASE a stand-in may match any class, as case folding crosses stretches.
Lookarounds are checked as patterns of their own; a back-reference is read as "any text";
counted repeats are written out in full up to ``MAX_WRITTEN`` positions, and read as
unbounded past that.
All of these can only find more ambiguity, never less, so a pattern accepted here takes
time at most polynomial in the string's length.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Any

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.schema.pattern_syntax import REPEATS, parse_pattern, sre

#: positions one counted repeat may be written out to (``[a-f]{64}`` is 64); past that it is
#: read as unbounded (``x{1000}`` of a 10-position ``x`` as ``x+``)
MAX_WRITTEN = 4_096
#: positions of the automaton, and steps of the whole check (a character class compared with
#: a letter, a pair of transitions compared), before the pattern is refused as too large to
#: check: about a second of work
MAX_STATES = 50_000
MAX_STEPS = 2_000_000
#: the steps one pair of positions counts for (stored, explored, placed in a component)
_PAIR_STEPS = 8

_FLAG_I = sre.SRE_FLAG_IGNORECASE
_FLAG_S = sre.SRE_FLAG_DOTALL
_FLAG_A = sre.SRE_FLAG_ASCII
#: the classes of a stand-in for a stretch of non-ASCII code points
_DIGIT, _WORD, _SPACE, _OTHER = "digit", "word", "space", "other"
_ASCII_END = 0x80
_MAX_CODE = 0x110000


class TooComplex(Exception):  # noqa: N818 - a signal turned into a SchemaError below
    """The pattern's automaton passed MAX_STATES, or its check MAX_STEPS."""


class _Steps:
    """The steps one check has taken."""

    def __init__(self) -> None:
        self.taken = 0

    def take(self, count: int) -> None:
        self.taken += count
        if self.taken > MAX_STEPS:
            raise TooComplex


def check_backtracking(pattern: str, pointer: str, keyword: str) -> None:
    """Raise SchemaError if matching ``pattern`` can take exponential time."""
    try:
        automaton = _read(pattern, pointer)
        found = automaton.ambiguous_loop()
    except TooComplex:
        raise SchemaError(
            pointer,
            keyword,
            f"the pattern {_shown(pattern)} is too large to check for exponential"
            f" backtracking (more than {MAX_STATES:,} character positions once its counted"
            f" repeats are written out, or {MAX_STEPS:,} steps to compare them)",
            "a shorter pattern, or fewer alternatives and counted repeats inside repeats",
        ) from None
    if found:
        counted = (
            f" (reading a counted repeat of more than {MAX_WRITTEN:,} characters as unbounded)"
            if automaton.approximated
            else ""
        )
        raise SchemaError(
            pointer,
            keyword,
            f"the pattern {_shown(pattern)} can take time exponential in a string's length"
            f" to match{counted}: a repeated part of it can match the same text in more than"
            " one way (as in (a+)+, (a|aa)* or (a*b?)*), so a string that almost matches,"
            " such as 50 a's and a '!' against ^(a+)+$, keeps Python's re (and the"
            " validators built on it) busy for years",
            "a pattern whose repeats match each text one way only: (a+)+ as a+, (a|aa)* as a*",
        )


def exponential_part(pattern: str, pointer: str = "") -> bool:
    """Whether ``pattern`` has a loop that reads some text along two different paths.

    Raises TooComplex past the size bounds; SchemaError if ``re`` cannot parse it.
    """
    return _read(pattern, pointer).ambiguous_loop()


def _read(pattern: str, pointer: str) -> _Automaton:
    """The automaton of ``pattern`` and of each of its lookarounds, side by side."""
    tree = parse_pattern(pattern, pointer)
    steps = _Steps()
    automaton = _Automaton(_Alphabet(tree, steps), steps)
    pending = [(tree, tree.state.flags)]
    while pending:
        # a lookaround is matched on its own, at each position: a pattern of its own
        subtree, flags = pending.pop()
        automaton.build(subtree, flags)
        pending.extend(automaton.lookarounds)
        automaton.lookarounds = []
    return automaton


def _shown(pattern: str) -> str:
    return repr(pattern if len(pattern) <= 60 else pattern[:57] + "...")


# --------------------------------------------------------------------------- the alphabet


@dataclass(frozen=True)
class _Symbol:
    """One letter of the alphabet: a real character, or a stand-in of ``kind`` for the
    non-ASCII code points ``low`` to ``high`` (exclusive)."""

    char: str | None
    low: int = 0
    high: int = 0
    kind: str = ""


class _Alphabet:
    """The letters classes are compared on: each ASCII character, each non-ASCII character
    the pattern names, and four stand-ins for each stretch of non-ASCII code points between."""

    def __init__(self, tree: Any, steps: _Steps) -> None:
        self.steps = steps
        cuts = {_ASCII_END, _MAX_CODE}
        for code in _named_codes(tree):
            if code >= _ASCII_END:
                cuts.update((code, code + 1))
        self.symbols = [_Symbol(chr(code)) for code in range(_ASCII_END)]
        #: each stretch's first code point, and the bits of its stand-ins
        self._stretch_lows: list[int] = []
        self._stretch_bits: list[int] = []
        self._kind_bits = dict.fromkeys(_KINDS, 0)
        edges = sorted(cuts)
        for low, high in pairwise(edges):
            if high - low == 1:
                self.symbols.append(_Symbol(chr(low)))
                continue
            bits = 0
            for kind in _kinds_between(low, high):
                bit = 1 << len(self.symbols)
                self.symbols.append(_Symbol(None, low, high, kind))
                self._kind_bits[kind] |= bit
                bits |= bit
            self._stretch_lows.append(low)
            self._stretch_bits.append(bits)
        self._all_stand_ins = sum(self._stretch_bits)
        self._chars = [(1 << i, s.char) for i, s in enumerate(self.symbols) if s.char]
        self._index = {char: bit.bit_length() - 1 for bit, char in self._chars}
        self._cache: dict[tuple[str, int], int] = {}

    def letters(self, op: Any, av: Any, flags: int) -> int:
        """The letters an item matches, as a bit set."""
        if op is sre.LITERAL and not flags & _FLAG_I:
            return 1 << self._index[chr(av)]  # the most common item, answered at once
        key = (repr((op, av)), flags)
        found = self._cache.get(key)
        if found is None:
            self.steps.take(len(self._chars) + (len(av) if op is sre.IN else 1))
            source = _item_source(op, av, flags)
            check = re.compile(source).fullmatch if source is not None else None
            found = self._stand_ins(op, av, flags)
            for bit, char in self._chars:
                if check is None or check(char) is not None:
                    found |= bit
            self._cache[key] = found
        return found

    def _stand_ins(self, op: Any, av: Any, flags: int) -> int:
        """The stand-ins an item may match: exact by kind and stretch, all when unsure."""
        if op is sre.LITERAL and not flags & _FLAG_I:
            return 0  # a named non-ASCII character is a stretch of its own
        if op is not sre.IN or flags & _FLAG_I:
            # any character, all but one, unknown items, and case folding, which crosses
            # stretches (the Kelvin sign folds to k): some code point of each may match
            return self._all_stand_ins
        negate = bool(av) and av[0][0] is sre.NEGATE
        hit = 0
        for m_op, m_av in av[1:] if negate else av:
            if m_op is sre.RANGE:
                # stretches are cut at every range's ends: one is wholly inside or outside
                first = bisect_left(self._stretch_lows, m_av[0])
                last = bisect_right(self._stretch_lows, m_av[1])
                for stretch in range(first, last):
                    hit |= self._stretch_bits[stretch]
            elif m_op is sre.CATEGORY:
                hit |= self._category_bits(str(m_av), flags)
        return self._all_stand_ins & ~hit if negate else hit

    def _category_bits(self, name: str, flags: int) -> int:
        kinds = _CATEGORY_KINDS.get(name)
        if kinds is None:
            return self._all_stand_ins  # a class this reading does not know
        negated = "NOT_" in name
        if flags & _FLAG_A:
            # ASCII classes hold no non-ASCII code point, so their complements hold all
            return self._all_stand_ins if negated else 0
        chosen = [kind for kind in _KINDS if (kind in kinds) != negated]
        return sum(self._kind_bits[kind] for kind in chosen)


_KINDS = (_DIGIT, _WORD, _SPACE, _OTHER)


def _kinds_between(low: int, high: int) -> list[str]:
    """The kinds of the code points ``low`` to ``high`` (exclusive), in _KINDS order."""
    if low == _ASCII_END and high == _MAX_CODE:
        return list(_KINDS)  # all of non-ASCII: the table need not be built
    starts, kinds = _kind_runs()
    found: set[str] = set()
    run = bisect_right(starts, low) - 1
    while run < len(starts) and starts[run] < high and len(found) < len(_KINDS):
        found.add(kinds[run])
        run += 1
    return [kind for kind in _KINDS if kind in found]


@cache
def _kind_runs() -> tuple[list[int], list[str]]:
    """Where each run of non-ASCII code points of one kind starts, and its kind, as this
    Python's Unicode database says (built once: about 0.2 s)."""
    text = "".join(map(chr, range(_ASCII_END, _MAX_CODE)))
    starts: list[int] = []
    kinds: list[str] = []
    for match in re.finditer(r"(\d+)|([^\W\d]+)|(\s+)|([^\w\s]+)", text):
        starts.append(match.start() + _ASCII_END)
        kinds.append(_KINDS[(match.lastindex or 4) - 1])
    return starts, kinds


_NAMING = (sre.LITERAL, sre.NOT_LITERAL)


def _named_codes(tree: Any) -> Iterator[int]:
    """Every code point the pattern names (literals and the ends of ranges)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple) and len(node) == 2 and any(node[0] is op for op in _NAMING):
            yield node[1]
        elif isinstance(node, tuple) and len(node) == 2 and node[0] is sre.RANGE:
            yield node[1][0]
            yield node[1][1]
        elif isinstance(node, list | tuple) or hasattr(node, "data"):
            stack.extend(getattr(node, "data", node))


#: the stand-in kinds of each class (its NOT_ form holds the others)
_CATEGORY_KINDS = {
    f"CATEGORY_{negation}{name}": kinds
    for negation in ("", "NOT_")
    for name, kinds in (
        ("DIGIT", (_DIGIT,)),
        ("SPACE", (_SPACE,)),
        ("WORD", (_DIGIT, _WORD)),
    )
}
_CATEGORY_SOURCES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


def _item_source(op: Any, av: Any, flags: int) -> str | None:
    """A pattern matching one character as the item does, with its flags (None if the
    item is one this reading does not know)."""
    prefix = "".join(
        letter for flag, letter in ((_FLAG_I, "i"), (_FLAG_S, "s"), (_FLAG_A, "a")) if flags & flag
    )
    prefix = f"(?{prefix})" if prefix else ""
    if op is sre.ANY:
        return prefix + "."
    if op is sre.LITERAL:
        return f"{prefix}[{_code(av)}]"
    if op is sre.NOT_LITERAL:
        return f"{prefix}[^{_code(av)}]"
    if op is not sre.IN:
        return None
    parts = []
    for m_op, m_av in av:
        if m_op is sre.NEGATE:
            parts.append("^")
        elif m_op is sre.LITERAL:
            parts.append(_code(m_av))
        elif m_op is sre.RANGE:
            parts.append(f"{_code(m_av[0])}-{_code(m_av[1])}")
        elif m_op is sre.CATEGORY and str(m_av) in _CATEGORY_SOURCES:
            parts.append(_CATEGORY_SOURCES[str(m_av)])
        else:
            return None
    return f"{prefix}[{''.join(parts)}]"


def _code(code: int) -> str:
    return f"\\U{code:08x}"


# --------------------------------------------------------------------------- the automaton


def _times(x: int, y: int) -> int:
    """Ways counted up to 2: two is all the test needs to know."""
    return min(x * y, 2)


def _add(into: dict[int, int], items: dict[int, int], factor: int = 1) -> None:
    if factor:
        for key, ways in items.items():
            into[key] = min(into.get(key, 0) + ways * factor, 2)


@dataclass
class _Part:
    """A piece of the pattern as positions: those it can start and end with (and in how many
    ways), and in how many ways it can match the empty string."""

    first: dict[int, int] = field(default_factory=dict)
    last: dict[int, int] = field(default_factory=dict)
    empty: int = 1


class _Automaton:
    """The position automaton of a pattern: ``letters[p]`` is what position p reads and
    ``follow[p][q]`` the ways (1 or 2) to read q right after p."""

    def __init__(self, alphabet: _Alphabet, steps: _Steps) -> None:
        self.alphabet = alphabet
        self.steps = steps
        self.letters: list[int] = []
        self.follow: list[dict[int, int]] = []
        self.lookarounds: list[tuple[Any, int]] = []
        #: whether a counted repeat was read as unbounded
        self.approximated = False

    def build(self, tree: Any, flags: int) -> _Part:
        return self._sequence(list(tree), flags)

    def _sequence(self, items: list[Any], flags: int) -> _Part:
        out = _Part()
        for op, av in items:
            out = self._then(out, self._item(op, av, flags))
        return out

    def _then(self, a: _Part, b: _Part) -> _Part:
        for p, ways in a.last.items():
            for q, more in b.first.items():
                self._link(p, q, _times(ways, more))
        first = dict(a.first)
        _add(first, b.first, a.empty)
        last = dict(b.last)
        _add(last, a.last, b.empty)
        return _Part(first, last, _times(a.empty, b.empty))

    def _link(self, p: int, q: int, ways: int) -> None:
        if ways:
            row = self.follow[p]
            row[q] = min(row.get(q, 0) + ways, 2)

    def _position(self, letters: int) -> _Part:
        if len(self.letters) >= MAX_STATES:
            raise TooComplex
        self.letters.append(letters)
        self.follow.append({})
        p = len(self.letters) - 1
        return _Part({p: 1}, {p: 1}, 0)

    def _item(self, op: Any, av: Any, flags: int) -> _Part:
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
            return self._position(self.alphabet.letters(op, av, flags))
        if op is sre.SUBPATTERN:
            _group, add, remove, inner = av
            return self._sequence(list(inner), (flags | add) & ~remove)
        if op is getattr(sre, "ATOMIC_GROUP", None):
            return self._sequence(list(av), flags)
        if op is sre.BRANCH:
            out = _Part({}, {}, 0)
            for branch in av[1]:
                part = self._sequence(list(branch), flags)
                _add(out.first, part.first)
                _add(out.last, part.last)
                out.empty = min(out.empty + part.empty, 2)
            return out
        if op in REPEATS:
            low, high, inner = av
            return self._repeat(list(inner), flags, low, high)
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            self.lookarounds.append((av[1], flags))
            return _Part()
        if op is sre.GROUPREF_EXISTS:
            _group, yes, no = av
            out = self._sequence(list(yes), flags)
            other = self._sequence(list(no), flags) if no is not None else _Part()
            _add(out.first, other.first)
            _add(out.last, other.last)
            out.empty = min(out.empty + other.empty, 2)
            return out
        if op is sre.GROUPREF:
            # a back-reference repeats a group's text: read as any text at all
            return self._loop(self._position(-1), low=0)
        return _Part()  # anchors and other zero-width items

    def _repeat(self, inner: list[Any], flags: int, low: int, high: int) -> _Part:
        unbounded = high is sre.MAXREPEAT
        before = len(self.letters)
        first = self._sequence(inner, flags)
        size = max(len(self.letters) - before, 1)
        if size * (low if unbounded else high) > MAX_WRITTEN:
            # too many copies to write out: read as unbounded, which has every path the
            # counted repeat has and more (so it can only find more ambiguity)
            self.approximated = True
            return self._loop(first, low=min(low, 1))
        if unbounded and low == 0:
            return self._loop(first, low=0)
        # x{n,} as x{n-1} x+, and x{n,m} as x{n} (x(x(x)?)?)? with m - n levels: one path
        # per count, as re's counted loop has
        copies = [first] + [self._sequence(inner, flags) for _ in range(low - 1)]
        if not unbounded and low == 0:
            copies = []  # the first copy is the innermost optional level instead
        out = _Part()
        for copy in copies[:-1] if unbounded else copies:
            out = self._then(out, copy)
        if unbounded:
            return self._then(out, self._loop(copies[-1], low=1))
        optional = _Part()
        for level in range(high - low):
            body = first if low == 0 and level == 0 else self._sequence(inner, flags)
            optional = self._optional(self._then(body, optional))
        return self._then(out, optional)

    def _loop(self, body: _Part, low: int) -> _Part:
        for p, ways in body.last.items():
            for q, more in body.first.items():
                self._link(p, q, _times(ways, more))
        # re ends a loop at an iteration that matched nothing: one empty way at most
        return _Part(body.first, body.last, 1 if low == 0 else body.empty)

    def _optional(self, part: _Part) -> _Part:
        return _Part(part.first, part.last, min(part.empty + 1, 2))

    # ----------------------------------------------------------------------- the test

    def ambiguous_loop(self) -> bool:
        """Whether some loop reads one text along two paths (see the module's docstring)."""
        component = _components(self.follow)
        for p, row in enumerate(self.follow):
            for q, ways in row.items():
                if ways > 1 and component[p] == component[q] and self.letters[q]:
                    return True  # one transition of a loop taken two ways
        return self._two_paths(component)

    def _two_paths(self, component: list[int]) -> bool:
        """Whether, from a pair (p, p) inside a loop, the product automaton reaches a pair
        of different positions that leads back to (p, p)."""
        # each position's successors inside its loop, grouped by the letters they read, so a
        # pair of positions compares groups, not every pair of successors
        inside: list[list[tuple[int, list[int]]]] = []
        for p, row in enumerate(self.follow):
            by_letters: dict[int, list[int]] = {}
            for q in row:
                if component[q] == component[p]:
                    by_letters.setdefault(self.letters[q], []).append(q)
            inside.append(list(by_letters.items()))
        pairs: dict[tuple[int, int], int] = {}
        edges: list[list[int]] = []
        diagonal: list[bool] = []
        pending: list[tuple[int, int]] = []

        def index(pair: tuple[int, int]) -> int:
            found = pairs.get(pair)
            if found is None:
                self.steps.take(_PAIR_STEPS)
                found = pairs[pair] = len(edges)
                edges.append([])
                diagonal.append(pair[0] == pair[1])
                pending.append(pair)
            return found

        for p, successors in enumerate(inside):
            if successors:
                index((p, p))
        while pending:
            a, b = pending.pop()
            out = edges[pairs[(a, b)]]
            self.steps.take(1 + len(inside[a]) * len(inside[b]))
            for read_x, xs in inside[a]:
                for read_y, ys in inside[b]:
                    if read_x & read_y:
                        out.extend(index((x, y) if x <= y else (y, x)) for x in xs for y in ys)
        groups = _components(edges)
        mixed: dict[int, set[bool]] = {}
        for node, group in enumerate(groups):
            mixed.setdefault(group, set()).add(diagonal[node])
        return any(len(kinds) == 2 for kinds in mixed.values())


def _components(graph: list[dict[int, int]] | list[list[int]]) -> list[int]:
    """The strongly connected component of each node (Tarjan's algorithm, without
    recursion); a node on no cycle is a component of its own."""
    count = len(graph)
    order = [-1] * count
    low = [0] * count
    component = [-1] * count
    on_stack = [False] * count
    stack: list[int] = []
    counter = 0
    groups = 0
    for root in range(count):
        if order[root] != -1:
            continue
        work: list[tuple[int, Iterator[int]]] = [(root, iter(graph[root]))]
        order[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if order[nxt] == -1:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack[nxt] = True
                    work.append((nxt, iter(graph[nxt])))
                    advanced = True
                    break
                if on_stack[nxt]:
                    low[node] = min(low[node], order[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == order[node]:
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component[member] = groups
                    if member == node:
                        break
                groups += 1
    return component
