"""Identifier fields with a user ``pattern``: safe values that match it, or a refusal.

A string property whose semantic is an identifier (``Semantic.identifier``: e-mail, phone,
URL, SSN, card number, IBAN, IP and MAC addresses, NHS, NI and Medicare numbers) takes that
semantic's safe values even when the schema gives a ``pattern``; the semantic is the one the
property declares in ``x-synthdata``, else the one its ``format`` or its name implies
(``patient_ssn``: ssn). Expanding the pattern instead would give real-looking identifiers:
``^\\d{3}-\\d{2}-\\d{4}$`` gives issuable SSNs, ``^\\d{16}$`` Luhn-valid card numbers.

The safe values are written the way the pattern asks where that keeps the identifier the
same (an SSN without dashes, a card number in groups of four, a phone number in E.164), and
only those matching the pattern and length limits are drawn. When none does, the schema is
refused with a SchemaError that says how to go on: loosen the pattern, or declare
``x-synthdata: {"semantic": "none"}`` for a field that holds no such identifier.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import Context, DomainNode, Node
from synthdata_sdk.generation.nodes.combinators import GuardNode
from synthdata_sdk.generation.nodes.strings import LengthRule, SemanticNode
from synthdata_sdk.generation.semantics import SEMANTICS, Semantic
from synthdata_sdk.generation.semantics.contact import e164
from synthdata_sdk.generation.semantics.mixing import scramble
from synthdata_sdk.schema.inference import FORMAT_SEMANTICS, NO_SEMANTIC, semantic_for_name
from synthdata_sdk.schema.pattern_syntax import compile_pattern

#: domains up to this size are checked value by value against the pattern
ENUMERATE_LIMIT = 1 << 17
#: larger domains are probed with this many spread indices ...
PROBE = 1 << 12
#: ... and, when the pattern keeps only part of them, drawn from the matches among this many
KEEP = 1 << 16
#: a share of matches at which redrawing the rest is reliable (a value fails 31 draws in a
#: row with probability below 1e-18), so the whole domain is kept
GUARD_RATE = 0.75

Values = list[str]
_Domain = TypeVar("_Domain", bound=DomainNode)


@dataclass(frozen=True)
class Rendering:
    """One way of writing a semantic's values that keeps each identifier the same."""

    name: str
    apply: Callable[[Values, str], Values]

    def __call__(self, values: Values, locale: str) -> Values:
        return self.apply(values, locale)


def _strip(chars: str) -> Callable[[Values, str], Values]:
    table = str.maketrans("", "", chars)
    return lambda values, locale: [v.translate(table) for v in values]


def _swap(old: str, new: str) -> Callable[[Values, str], Values]:
    return lambda values, locale: [v.replace(old, new) for v in values]


def _groups(size: int, separator: str) -> Callable[[Values, str], Values]:
    def apply(values: Values, locale: str) -> Values:
        return [separator.join(v[i : i + size] for i in range(0, len(v), size)) for v in values]

    return apply


def _upper(values: Values, locale: str) -> Values:
    return [v.upper() for v in values]


def _phone_dashed(values: Values, locale: str) -> Values:
    return ["-".join(v.replace("(", "").replace(")", "").split()) for v in values]


def _mbi_dashed(values: Values, locale: str) -> Values:
    return [f"{v[:4]}-{v[4:7]}-{v[7:]}" for v in values]


def _nino_spaced(values: Values, locale: str) -> Values:
    return [f"{v[:2]} {v[2:4]} {v[4:6]} {v[6:8]} {v[8:]}" for v in values]


AS_DRAWN = Rendering("as drawn", lambda values, locale: values)

#: semantic -> the other ways its values may be written, tried when the pattern needs them
RENDERINGS: dict[str, tuple[Rendering, ...]] = {
    # not "123 45 6789" or IBANs in groups: a scanner reads their digit groups as phone numbers
    "ssn": (Rendering("digits only", _strip("-")),),
    "phone": (
        Rendering("digits only", _strip("()- ")),
        Rendering("dashes", _phone_dashed),
        Rendering("E.164", e164),
    ),
    "credit_card": (
        Rendering("groups of four, spaces", _groups(4, " ")),
        Rendering("groups of four, dashes", _groups(4, "-")),
    ),
    "nhs_number": (Rendering("digits only", _strip(" ")), Rendering("dashes", _swap(" ", "-"))),
    "national_insurance_number": (Rendering("pairs", _nino_spaced),),
    "medicare_mbi": (Rendering("dashes", _mbi_dashed),),
    "mac_address": (
        Rendering("upper case", _upper),
        Rendering("dashes", _swap(":", "-")),
        Rendering("dashes, upper case", lambda v, loc: _upper(_swap(":", "-")(v, loc), loc)),
        Rendering("hex digits only", _strip(":")),
    ),
    "ipv6": (Rendering("upper case", _upper),),
}


def renderings(semantic: str) -> tuple[Rendering, ...]:
    """Every way ``semantic``'s values may be written, as drawn first."""
    return (AS_DRAWN, *RENDERINGS.get(semantic, ()))


@dataclass(frozen=True)
class Implied:
    """An identifier semantic a property holds, and what says so (for messages)."""

    semantic: Semantic
    because: str


def implied_identifier(ext: dict[str, Any], name: str | None, fmt: str | None) -> Implied | None:
    """The identifier semantic a string property holds: declared, else by format, else by name.

    ``None`` for ``semantic: "none"``, a non-identifier semantic, an unknown one (the planner
    reports it), or a format that is no identifier's (``date``: the name then says nothing).
    """
    declared = ext.get("semantic")
    if declared == NO_SEMANTIC:
        return None
    if declared is not None:
        semantic = SEMANTICS.get(declared)
        if semantic is None or not semantic.identifier:
            return None
        return Implied(semantic, f"x-synthdata semantic {declared!r}")
    if fmt is not None:
        implied = FORMAT_SEMANTICS.get(fmt)
        semantic = SEMANTICS.get(implied) if implied else None
        if semantic is None or not semantic.identifier:
            return None
        return Implied(semantic, f"format {fmt!r}")
    implied = semantic_for_name(name)
    semantic = SEMANTICS.get(implied) if implied else None
    if semantic is None or not semantic.identifier:
        return None
    return Implied(semantic, f"the property name {name!r}")


@dataclass
class SafePatternNode(DomainNode):
    """A semantic's values written by ``rendering``, drawn from ``allowed`` indices only."""

    semantic: Semantic
    options: dict[str, Any]
    locale: str
    rendering: Rendering
    #: the domain indices whose values fit the pattern; ``None``: every one does
    allowed: npt.NDArray[np.int64] | None
    pointer: str = ""
    unique: bool = False

    def domain_size(self) -> int:
        if self.allowed is None:
            return self.semantic.domain_size(self.locale, self.options)
        return len(self.allowed)

    def values_at(self, indices: npt.NDArray[np.int64], ctx: Context) -> list[Any]:
        chosen = indices if self.allowed is None else self.allowed[indices]
        return self.rendering(self.semantic.values(chosen, self.locale, self.options), self.locale)

    def describe(self) -> dict[str, Any]:
        return {
            "generator": "semantic",
            "semantic": self.semantic.name,
            "unique": self.unique,
            "written": self.rendering.name,
            "restricted_by": "pattern",
        }


#: builds a semantic's column: (semantic, options, lengths, locale, pointer, unique) -> node
PlainNode = Callable[[Semantic, dict[str, Any], LengthRule, str, str, bool], DomainNode]


def plan_identifier(
    implied: Implied,
    schema: dict[str, Any],
    ext: dict[str, Any],
    lengths: LengthRule,
    locale: str,
    pointer: str,
    rows: int,
    plain: PlainNode = SemanticNode,
) -> Node:
    """Safe values of ``implied.semantic`` that satisfy the schema's ``pattern``, or SchemaError.

    ``plain`` builds the column of the semantic's own values, when the pattern keeps them as
    drawn (the planner passes one that joins the record's coherent groups).
    """
    semantic = implied.semantic
    options = {k: v for k, v in ext.items() if k in ("luhn", "checksum")}
    semantic.check_options(options, pointer)
    fmt = schema.get("format")
    if fmt is not None and FORMAT_SEMANTICS.get(fmt) != semantic.name and semantic.format != fmt:
        raise SchemaError(
            pointer,
            "format",
            f"semantic {semantic.name!r} does not produce format {fmt!r}",
            f"format {semantic.format!r}" if semantic.format else "no format",
        )
    unique = bool(ext.get("unique"))
    pattern = compile_pattern(schema["pattern"], pointer)

    fit = _Fits(pattern, lengths)

    def fits(values: Values) -> npt.NDArray[np.bool_]:
        return np.array([fit.is_valid(v) for v in values], dtype=bool)

    size = semantic.domain_size(locale, options)
    whole = size <= ENUMERATE_LIMIT
    probe = np.arange(size, dtype=np.int64) if size <= PROBE else spread(size, PROBE)
    drawn = semantic.values(probe, locale, options)
    rendering, hits = _choose(semantic.name, drawn, fits, locale)
    indices = probe
    if whole and size > PROBE:
        # small enough to check every value: the chosen writing first, then the others
        indices = np.arange(size, dtype=np.int64)
        everything = semantic.values(indices, locale, options)
        for candidate in (rendering, *renderings(semantic.name)):
            rendering, hits = candidate, fits(candidate(everything, locale))
            if hits.any():
                break
    if not hits.any():
        raise _refusal(implied, schema, lengths, drawn[0], whole, pointer)
    node: DomainNode
    if whole:
        if hits.all() and rendering is AS_DRAWN:
            node = plain(semantic, options, lengths, locale, pointer, unique)
        else:
            allowed = None if hits.all() else indices[hits]
            node = SafePatternNode(semantic, options, locale, rendering, allowed, pointer, unique)
        return enough(node, rows, pointer)
    if hits.mean() >= GUARD_RATE and (hits.all() or not unique):
        # nearly every value fits: keep the whole domain and redraw the rare misfits
        if rendering is AS_DRAWN:
            node = plain(semantic, options, LengthRule(), locale, pointer, unique)
        else:
            node = SafePatternNode(semantic, options, locale, rendering, None, pointer, unique)
        return GuardNode(enough(node, rows, pointer), fit, "pattern", pointer)
    kept = spread(size, KEEP)
    matches = fits(rendering(semantic.values(kept, locale, options), locale))
    allowed = np.unique(kept[matches])
    node = SafePatternNode(semantic, options, locale, rendering, allowed, pointer, unique)
    return enough(node, rows, pointer)


@dataclass(frozen=True)
class _Fits:
    """A string subschema's own checks (pattern and length), as a validator for GuardNode.

    The semantic's values are strings of its ``format``, so these are all that is left to
    check: a full JSON Schema validator would cost far more per value for the same answer.
    """

    pattern: re.Pattern[str]
    lengths: LengthRule

    def is_valid(self, value: Any) -> bool:
        """Whether ``value`` matches the pattern within the length limits."""
        return (
            isinstance(value, str)
            and self.lengths.admits(len(value))
            and self.pattern.search(value) is not None
        )


def _choose(
    semantic: str,
    drawn: Values,
    fits: Callable[[Values], npt.NDArray[np.bool_]],
    locale: str,
) -> tuple[Rendering, npt.NDArray[np.bool_]]:
    """The writing that fits most values: as drawn whenever it fits often enough, so a
    pattern its values already match changes none of them."""
    hits = fits(drawn)
    if hits.mean() >= GUARD_RATE:
        return AS_DRAWN, hits
    best = (AS_DRAWN, hits)
    for rendering in renderings(semantic)[1:]:
        other = fits(rendering(drawn, locale))
        if other.mean() > best[1].mean():
            best = (rendering, other)
    return best


def spread(size: int, count: int) -> npt.NDArray[np.int64]:
    """``count`` indices scattered over ``[0, size)`` by a fixed bijective hash (no RNG)."""
    mixed = scramble(np.arange(count, dtype=np.uint64), 64, salt=7)
    return (mixed % np.uint64(size)).astype(np.int64)


def enough(
    node: _Domain,
    rows: int,
    pointer: str,
    fit: str = "the pattern",
    looser: str = "a looser pattern",
) -> _Domain:
    """Refuse a unique column with fewer safe values that fit ``fit`` than rows."""
    if node.unique and node.domain_size() < rows:
        raise SchemaError(
            pointer,
            "x-synthdata/unique",
            f"only {node.domain_size()} distinct safe values fit {fit}"
            f" but {rows} rows were requested",
            f"fewer rows, {looser}, or no unique",
        )
    return node


def _writings(semantic: Semantic) -> str:
    others = [r.name for r in renderings(semantic.name)[1:]]
    return f", written as drawn or {' or '.join(others)}" if others else ""


def _refusal(
    implied: Implied,
    schema: dict[str, Any],
    lengths: LengthRule,
    example: str,
    whole: bool,
    pointer: str,
) -> SchemaError:
    semantic = implied.semantic
    limits = " and length limits" if lengths.min_length or lengths.max_length is not None else ""
    checked = "none of them" if whole else f"none of {PROBE:,} of them (spread over all)"
    return SchemaError(
        pointer,
        "pattern",
        f"{implied.because} says this field holds {semantic.name} values, which are drawn only"
        f" from safe ones ({semantic.safe_rule}){_writings(semantic)};"
        f" {checked} matches pattern {schema['pattern']!r}{limits}",
        f"a pattern that safe values such as {example!r} match; or, if the field holds no"
        f' {semantic.name}, x-synthdata {{"semantic": "{NO_SEMANTIC}"}}',
    )
