"""The largest values a plan can draw, held to the limits before anything is drawn.

Planning is cheap whatever the bounds say; drawing is not: ``maxLength: 1000000000`` plans
in microseconds and then builds strings of up to a billion characters, ``minItems: 10**8``
arrays of a hundred million items. ``check_plan`` walks the plan once and refuses, with a
``LimitError`` at the subschema responsible:

- a string column that may build a string longer than the string length limit (plain text
  up to its ``maxLength``, a pattern expanded up to its repeat counts);
- an array that may hold more items than the array size limit;
- an object with more properties than the property count limit;
- a record whose JSON text may exceed the record size limit, and a dataset (rows times
  that) the dataset size limit. The record estimate is an upper bound: strings at their
  longest, arrays at their largest, the largest branch of a union.

The bound of each node follows what its generator can draw (``TextNode`` draws lengths up
to its ``maxLength``, ``ArrayNode`` up to ``max_items``); a generator that draws
differently must be measured differently here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from synthdata_sdk.generation.nodes.base import Node
from synthdata_sdk.generation.nodes.combinators import GuardNode, NullableNode, UnionNode
from synthdata_sdk.generation.nodes.containers import ArrayNode, ObjectNode, canonical
from synthdata_sdk.generation.nodes.pattern_domain import UniquePatternNode
from synthdata_sdk.generation.nodes.pattern_draw import longest_draw
from synthdata_sdk.generation.nodes.scalars import (
    BooleanNode,
    ConstNode,
    EnumNode,
    IntegerNode,
    MultipleNode,
    NumberNode,
)
from synthdata_sdk.generation.nodes.strings import (
    FIXED_FORMATS,
    FixedFormatNode,
    PatternNode,
    SemanticNode,
    TemporalNode,
    TextNode,
)
from synthdata_sdk.limits import ARRAY_ITEMS, DATASET_SIZE, PROPERTIES, RECORD_SIZE, STRING_LENGTH

#: characters allowed for a value whose generator has no length of its own to report
#: (semantic values are names, addresses, identifiers: all far shorter)
_SHORT_VALUE = 256
#: characters of a number's JSON text, at most (a double's repr is at most 24)
_NUMBER = 24
#: characters allowed for a value of a node this module does not know
_OPAQUE = 64


def check_plan(root: Node, rows: int) -> int:
    """Refuse a plan that could draw past a limit; returns the record size estimate."""
    sizes = _Sizes()
    size = sizes.of(root)
    if size > RECORD_SIZE.value():
        pointer = sizes.culprit(root)
        raise RECORD_SIZE.error(
            pointer=pointer,
            keyword="schema",
            subject=f"a record may take up to {size:,} characters"
            + (f", mostly at {pointer}" if pointer else ""),
        )
    if rows * size > DATASET_SIZE.value():
        raise DATASET_SIZE.error(
            pointer="",
            keyword="rows",
            subject=f"{rows:,} rows of up to {size:,} characters each"
            f" may take {rows * size:,} characters",
        )
    return size


@dataclass
class _Sizes:
    """Upper bounds of the JSON text of one value of each node (by id), checked on the way."""

    known: dict[int, int] = field(default_factory=dict)

    def of(self, node: Node) -> int:
        size = self._measure(node)
        self.known[id(node)] = size
        return size

    def culprit(self, node: Node) -> str:
        """The pointer of the deepest node that holds most of ``node``'s size."""
        while True:
            children = _children(node)
            if not children:
                return node.pointer
            biggest = max(children, key=lambda child: self.known.get(id(child), 0))
            if 2 * self.known.get(id(biggest), 0) < self.known.get(id(node), 0):
                return node.pointer
            node = biggest

    def _measure(self, node: Node) -> int:
        if isinstance(node, ObjectNode):
            PROPERTIES.check(
                len(node.properties),
                pointer=node.pointer,
                keyword="properties",
                subject=f"the object has {len(node.properties):,} properties",
            )
            return 2 + sum(len(name) + 4 + self.of(child) for name, child in node.properties)
        if isinstance(node, ArrayNode):
            return self._array(node)
        if isinstance(node, UnionNode):
            return max((self.of(branch) for branch in node.branches), default=4)
        if isinstance(node, NullableNode | GuardNode):
            return max(4, self.of(node.inner))
        return self._leaf(node)

    def _array(self, node: ArrayNode) -> int:
        if node.min_items > ARRAY_ITEMS.value():
            keyword, subject = "minItems", f"arrays of at least {node.min_items:,} items"
        else:
            keyword, subject = "maxItems", f"arrays of up to {node.max_items:,} items"
        ARRAY_ITEMS.check(node.max_items, pointer=node.pointer, keyword=keyword, subject=subject)
        size = 2 + sum(self.of(child) + 1 for child in node.prefix)
        rest = max(node.max_items - len(node.prefix), 0)
        item = max(
            (self.of(child) for child in (node.items, node.contains) if child is not None),
            default=0,
        )
        return size + rest * (item + 1)

    def _leaf(self, node: Node) -> int:
        if isinstance(node, TextNode):
            _, high = node._bounds()  # the lengths it draws from (its private rule)
            declared = node.lengths.max_length is not None
            keyword = "maxLength" if declared and node.lengths.min_length < high else "minLength"
            return self._string(node, high, keyword)
        if isinstance(node, PatternNode):
            longest = longest_draw(node.pattern, node.lengths.min_length, node.pointer)
            self._string(node, longest, "pattern")
            limit = node.lengths.max_length
            return 2 + (longest if limit is None else min(longest, limit))
        if isinstance(node, UniquePatternNode):
            language = node.language
            longest = len(language.head) + len(language.tail)
            longest += max(language.counts, default=0) * len(language.body)
            return self._string(node, longest, "pattern")
        if isinstance(node, SemanticNode):
            limit = node.lengths.max_length
            return 2 + (_SHORT_VALUE if limit is None else min(limit, _SHORT_VALUE))
        if isinstance(node, TemporalNode):
            return 2 + max(TemporalNode.LENGTHS.values())
        if isinstance(node, FixedFormatNode):
            return 2 + max(len(value) for value in FIXED_FORMATS[node.format])
        if isinstance(node, ConstNode):
            return len(canonical(node.value))
        if isinstance(node, EnumNode):
            return max((len(canonical(choice)) for choice in node.choices), default=4)
        if isinstance(node, BooleanNode):
            return 5
        if isinstance(node, IntegerNode):
            high = node.low + (node.count - 1) * node.step
            return _digits(max(abs(node.low), abs(high)))
        if isinstance(node, MultipleNode) and isinstance(node.multiple, int):
            last = node.first + node.count - 1
            return _digits(max(abs(node.first), abs(last)) * abs(node.multiple))
        if isinstance(node, NumberNode | MultipleNode):
            return _NUMBER
        return _OPAQUE

    @staticmethod
    def _string(node: Any, longest: int, keyword: str) -> int:
        STRING_LENGTH.check(
            longest,
            pointer=node.pointer,
            keyword=keyword,
            subject=f"strings of up to {longest:,} characters",
        )
        return longest + 2


def _digits(magnitude: int) -> int:
    """Characters of an integer of at most ``magnitude``, sign included (a bound)."""
    return magnitude.bit_length() * 3 // 10 + 2


def _children(node: Node) -> list[Node]:
    if isinstance(node, ObjectNode):
        return [child for _, child in node.properties]
    if isinstance(node, ArrayNode):
        return [*node.prefix, *(c for c in (node.items, node.contains) if c is not None)]
    if isinstance(node, UnionNode):
        return list(node.branches)
    if isinstance(node, NullableNode | GuardNode):
        return [node.inner]
    return []
