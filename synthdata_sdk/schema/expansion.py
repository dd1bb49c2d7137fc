"""How far normalisation inlines ``$ref``s: a bound on the work a schema can cause.

Inlining copies a definition wherever it is referenced, so definitions that refer to each
other multiply: sixteen properties referring to one recursive ``oneOf`` definition inlined
to tens of megabytes and took minutes to plan, and a graph of definitions referring to one
another has exponentially many paths even without recursion. So normalisation runs with the
most generous :class:`Limits` first and, whenever the inlined schema would pass
:data:`MAX_SUBSCHEMAS` subschemas, nest what a ``$ref`` inlined deeper than
:data:`MAX_INLINED_DEPTH`, or take more than :data:`MAX_MERGES` merges, starts again with
tighter ones: recursion cut at its first
repetition, then chains of ``$ref``s ever shorter. A cut ``$ref`` becomes the ``false``
schema, so the structure ends there (an absent optional property, an empty array, a branch
not taken); a required property that needs what was cut makes the schema refused. A schema
too large even with one level of ``$ref``s is refused with a SchemaError naming the limit.
Every attempt stops at the limit, so the work is bounded whatever the schema. An attempt
that would cut no ``$ref`` the failed one followed would do the very same work again, so it
is skipped: a schema without ``$ref``s is normalised once, however large.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from synthdata_sdk.errors import SchemaError

#: how many times one ``$ref`` target may appear in a chain before recursion is cut
MAX_REF_DEPTH = 3
#: the most subschemas a normalised schema may hold
MAX_SUBSCHEMAS = 20_000
#: the most merges (of ``allOf`` parts, ``if``/``then``/``else`` branches, ``anyOf`` pairs
#: and what they hold) one attempt may do: about three seconds of work
MAX_MERGES = 1_200_000
#: the chain length the next attempt starts at after one that passed MAX_MERGES (each
#: attempt in between would do as many merges before failing)
CHAIN_AFTER_MERGES = 3
#: the deepest pointer (in parts) a subschema may have once ``$ref``s are inlined; below the
#: nesting depth limit's default (``synthdata_sdk.limits``), which refuses instead of
#: retrying. These two are constants, never settings: they decide the normalised schema,
#: which the fingerprint covers.
MAX_INLINED_DEPTH = 48

_T = TypeVar("_T")


@dataclass(frozen=True)
class Limits:
    """How deep one attempt inlines: repeats of one target, ``$ref``s in a chain, and
    whether what a ``$ref`` inlines may nest past MAX_INLINED_DEPTH."""

    recursion: int
    chain: int | None = None
    deep: bool = False


#: the attempts, most generous first
ATTEMPTS = (
    Limits(MAX_REF_DEPTH),
    Limits(1),
    Limits(1, 8),
    Limits(1, 5),
    Limits(1, 3),
    Limits(1, 2),
    Limits(1, 1),
    # a schema nested deep as written, not by its $refs: the nesting depth limit decides
    Limits(1, 1, deep=True),
)


class TooLarge(Exception):  # noqa: N818 - a control-flow signal: try tighter limits
    """This attempt passed a bound (``merges`` when it was MAX_MERGES, ``deep`` when it was
    MAX_INLINED_DEPTH)."""

    def __init__(self, pointer: str, merges: bool = False, deep: bool = False) -> None:
        super().__init__(pointer)
        self.pointer = pointer
        self.merges = merges
        self.deep = deep


class Expansion:
    """The subschemas one attempt has produced so far, the limits it runs under and the
    longest chain and most repeats of the ``$ref``s it followed."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.subschemas = 0
        self.merges = 0
        self.longest_chain = -1
        self.most_repeats = -1

    def count(self, pointer: str) -> None:
        """Count one subschema; TooLarge past MAX_SUBSCHEMAS or MAX_INLINED_DEPTH."""
        self.subschemas += 1
        if self.subschemas > MAX_SUBSCHEMAS:
            raise TooLarge(pointer)
        inlined = "/$ref" in pointer or "/$dynamicRef" in pointer
        if inlined and not self.limits.deep and pointer.count("/") >= MAX_INLINED_DEPTH:
            raise TooLarge(pointer, deep=True)

    def merged(self, pointer: str) -> None:
        """Count one merge; TooLarge past MAX_MERGES (inlined definitions merged again and
        again, as ``if``/``then``/``else`` over large ``$ref``s does)."""
        self.merges += 1
        if self.merges > MAX_MERGES:
            raise TooLarge(pointer, merges=True)

    def follows(self, repeats: int, chain: int) -> bool:
        """Whether a ``$ref`` is inlined: its target already ``repeats`` times in a chain of
        ``chain`` references."""
        if repeats >= self.limits.recursion:
            return False
        if self.limits.chain is not None and chain >= self.limits.chain:
            return False
        self.longest_chain = max(self.longest_chain, chain)
        self.most_repeats = max(self.most_repeats, repeats)
        return True

    def repeated_by(self, limits: Limits, failure: TooLarge) -> bool:
        """Whether an attempt under ``limits`` would repeat this one, which ended in
        ``failure``: it follows every ``$ref`` this one followed (it is never looser), and
        stops at the same bound."""
        if self.most_repeats >= limits.recursion:
            return False
        if limits.chain is not None and self.longest_chain >= limits.chain:
            return False
        return not (failure.deep and limits.deep != self.limits.deep)


def inline(attempt: Callable[[Expansion], _T]) -> _T:
    """The result of the first attempt that stays within MAX_SUBSCHEMAS, or SchemaError."""
    pointer = ""
    skip_to_chain: int | None = None
    failed: tuple[Expansion, TooLarge] | None = None
    for limits in ATTEMPTS:
        if skip_to_chain is not None and (limits.chain or skip_to_chain + 1) > skip_to_chain:
            continue
        if failed is not None and failed[0].repeated_by(limits, failed[1]):
            continue
        expansion = Expansion(limits)
        try:
            return attempt(expansion)
        except TooLarge as too_large:
            pointer = too_large.pointer
            failed = expansion, too_large
            if too_large.merges:
                skip_to_chain = CHAIN_AFTER_MERGES
    raise SchemaError(
        pointer,
        "schema",
        f"too expensive: more than {MAX_SUBSCHEMAS:,} subschemas, nested more than"
        f" {MAX_INLINED_DEPTH} levels or {MAX_MERGES:,} merges, even with its $refs inlined"
        " only one level deep",
        "a smaller schema, or fewer references to large definitions",
    )
