"""Pattern strings shaped like identifiers: judged by the scan's detectors, redrawn, or refused.

An identifier-named field keeps to its safe values whatever its pattern (``safe_patterns``).
Any other pattern is drawn as written, and when its strings can spell an identifier
(``pattern_shapes``: ``^\\d{3}-\\d{2}-\\d{4}$`` on a field named ``code``) each value drawn is
judged by the detectors the default scan runs (``gdpr`` and ``pci_dss``: every identifier
detector), read under the field's name as a scan of the output reads it. A value they flag
is drawn again from the same seeded stream, so the records still depend only on the seed.

Before that, a probe of :data:`PROBE` values (drawn with a fixed seed) decides whether
redrawing can work: when fewer than :data:`MIN_SHARE` of them are safe (a pattern that
admits only live card numbers), the schema is refused with a SchemaError naming the ways
out: the identifier's semantic, whose safe values are drawn to match the pattern, a
pattern that cannot spell one, or ``x-synthdata: {"semantic": "none"}`` to keep the values
as drawn. A unique pattern column is numbered, so a value cannot be drawn again: it is
refused when the probe finds an unsafe value, and, when a rarer one turns up later, at that
chunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import Context, Node
from synthdata_sdk.generation.nodes.combinators import GuardNode
from synthdata_sdk.generation.pattern_shapes import identifier_shape
from synthdata_sdk.quality.detectors.base import Detector
from synthdata_sdk.quality.detectors.fields import Field, field_for
from synthdata_sdk.quality.detectors.verdicts import Verdict, profile_detectors, unsafe_values
from synthdata_sdk.quality.profiles import DEFAULT_PROFILES
from synthdata_sdk.schema.inference import NO_SEMANTIC

#: a space or dash between two digits
_GROUPED_DIGITS = re.compile(r"(?<=\d)[ -](?=\d)")
_DIGIT_GROUPS = re.compile(r"\d+(?:[ -]\d+)+")
#: the lengths of a payment card number (ISO/IEC 7812)
_CARD_LENGTHS = range(13, 20)


def _card_runs(value: str) -> list[str]:
    """``value`` with its digit groups joined, and every run of consecutive groups of a card
    number's length, joined."""
    runs = [_GROUPED_DIGITS.sub("", value)]
    for found in _DIGIT_GROUPS.finditer(value):
        groups = re.split(r"[ -]", found[0])
        for start in range(len(groups)):
            length = 0
            for end in range(start, len(groups)):
                length += len(groups[end])
                if length > _CARD_LENGTHS.stop - 1:
                    break
                if length in _CARD_LENGTHS and (start, end) != (0, len(groups) - 1):
                    runs.append("".join(groups[start : end + 1]))
    return runs


#: values drawn (with a fixed seed) to decide whether redrawing the unsafe ones can work
PROBE = 512
#: the least share of safe values in the probe: below it the pattern is refused. At that
#: share a value is unsafe after every one of :data:`REDRAWS` draws with probability
#: below 1e-20, and a column costs at most ~32 draws per value on average
MIN_SHARE = 1 / 32
REDRAWS = 1500
#: the semantic whose safe values a detector's identifiers are drawn from
SEMANTIC_OF = {
    "payment_card": "credit_card",
    "us_ssn": "ssn",
    "us_itin": "ssn",
    "nhs_number": "nhs_number",
    "uk_nino": "national_insurance_number",
    "medicare_mbi": "medicare_mbi",
    "ipv4": "ipv4",
    "ipv6": "ipv6",
    "mac_address": "mac_address",
    "email": "email",
    "url": "url",
    "phone": "phone",
    "iban": "iban",
}


@dataclass(frozen=True)
class ShapeCheck:
    """The default scan's detectors, reading the values of one field."""

    detectors: tuple[Detector, ...]
    field: Field

    @classmethod
    def for_field(cls, name: str | None) -> ShapeCheck:
        """The check of the values stored under property ``name`` (a bare value: None)."""
        field = field_for(name or "")
        return cls(profile_detectors(DEFAULT_PROFILES, field), field)

    def unsafe(self, values: list[Any]) -> dict[int, Verdict]:
        """The values (by position) that a default scan would report."""
        strings = [(i, v) for i, v in enumerate(values) if isinstance(v, str)]
        found = unsafe_values([v for _, v in strings], self.field, self.detectors)
        # a card number is one however its digits are grouped ("4539-14-8803436467"): the
        # digits joined by spaces or dashes are judged again as one run
        # digits joined by spaces or dashes are judged again as one run, and so is every run of
        # consecutive groups a card number could fill ("5841 6335 5917 2309" inside five groups)
        grouped = [(i, v) for i, (_, v) in enumerate(strings) if _GROUPED_DIGITS.search(v)]
        if grouped and self.cards:
            owners: list[int] = []
            joined: list[str] = []
            for i, value in grouped:
                for candidate in _card_runs(value):
                    owners.append(i)
                    joined.append(candidate)
            for k, verdict in unsafe_values(joined, self.field, self.cards).items():
                found.setdefault(owners[k], verdict)
        return {strings[i][0]: verdict for i, verdict in found.items()}

    @property
    def cards(self) -> tuple[Detector, ...]:
        """The card-number detector, if the check runs it."""
        return tuple(d for d in self.detectors if d.name == "payment_card")


@dataclass
class ShapeGuardNode(GuardNode):
    """Redraws the values of a pattern column that the default scan would report."""

    pattern: str = ""
    shape: str = ""
    unique: bool = False
    #: the first unsafe value of the last check, for the refusal
    _last: Verdict | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # a unique column's value depends on its row only: drawing it again changes nothing
        self.ATTEMPTS = 0 if self.unique else REDRAWS

    def failing(self, values: list[Any]) -> list[int]:
        found = self.validator.unsafe(values)
        if found:
            self._last = found[min(found)]
        return sorted(found)

    def spend(self, ctx: Context) -> None:
        """Not counted against the chunk's budget: a redraw draws one pattern column again,
        and :data:`REDRAWS` bounds them."""

    def refusal(self, value: Any) -> SchemaError:
        return refusal(self.pattern, self.shape, self._last, None, self.unique, self.pointer)

    def describe(self) -> dict[str, Any]:
        return {**self.inner.describe(), "judged_by": "default scan"}


def guard_shapes(
    node: Node,
    schema: dict[str, Any],
    name: str | None,
    max_length: int | None,
    locale: str,
    pointer: str,
    unique: bool,
) -> tuple[Node, bool]:
    """``node`` (a pattern column) guarded against identifier-shaped values, and whether it is.

    Unguarded when the pattern cannot spell an identifier or the field declares semantic
    ``none``; refused (SchemaError) when too few of its values are safe.
    """
    pattern = schema["pattern"]
    ext = schema.get("x-synthdata") or {}
    if ext.get("semantic") == NO_SEMANTIC:
        return node, False
    shape = identifier_shape(pattern, max_length, pointer)
    if shape is None:
        return node, False
    check = ShapeCheck.for_field(name)
    probe = node.generate(Context(seed=0, chunk=0, locale=locale, row_start=0), PROBE)
    found = check.unsafe(probe)
    if found and (unique or len(probe) - len(found) < MIN_SHARE * len(probe)):
        first = found[min(found)]
        raise refusal(pattern, shape, first, (len(found), len(probe)), unique, pointer)
    guarded = ShapeGuardNode(node, check, "pattern", pointer, pattern, shape, unique)
    return guarded, True


def refusal(
    pattern: str,
    shape: str,
    verdict: Verdict | None,
    counts: tuple[int, int] | None,
    unique: bool,
    pointer: str,
) -> SchemaError:
    """The SchemaError for a pattern whose values a default scan would report."""
    found = ""
    semantic = "ssn"
    if verdict is not None:
        semantic = SEMANTIC_OF.get(verdict.detector, semantic)
        found = f", such as {verdict.masked} ({verdict.detector}: {verdict.rule})"
    if unique:
        why = "a unique pattern column is numbered, so an unsafe value cannot be drawn again"
    elif counts is not None:
        why = (
            f"{counts[0]} of {counts[1]} values drawn were unsafe, and redrawing keeps a"
            f" column only when at least 1 in {round(1 / MIN_SHARE)} is safe"
        )
    else:
        why = f"a value stayed unsafe after {REDRAWS} redraws"
    return SchemaError(
        pointer,
        "pattern",
        f"pattern {pattern!r} can spell {shape}, and a scan reports some of its values{found};"
        f" {why}",
        f'x-synthdata {{"semantic": "{semantic}"}} to draw safe {semantic} values matching'
        " the pattern; a pattern whose values are safe; or, to keep the values as drawn,"
        f' x-synthdata {{"semantic": "{NO_SEMANTIC}"}}',
    )
