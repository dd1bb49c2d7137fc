"""The detector contract, the text and field context detectors read, and the registry.

A detector finds *candidates* in a ``Text`` and *judges* each one: ``None`` when it is safe
or not an identifier at all (a failed checksum, a documentation range), otherwise the
one-line safe rule it breaks. The judge sees only the candidate's characters and its field,
so a second opinion (Presidio) can reuse it on spans it found itself.

Speed: the scanner joins the values of one field with newlines and scans them in one pass
per detector, so no candidate may span a newline and keyword context ("SSN", "born")
counts per line. Python's ``re`` is fast only when a pattern starts with a literal, so
number-shaped detectors search ``Text.shape`` (every digit written ``9``, every letter
``a`` or ``A``): ``999-99-9999`` is a literal prefix, a digit class is not.
Boundary checks come after the literal, as look-behinds.
"""

from __future__ import annotations

import re
import string
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import import_module
from types import MappingProxyType
from typing import ClassVar, TypeVar

from synthdata_sdk.quality.detectors.fields import Field
from synthdata_sdk.quality.masking import mask_middle

#: the modules that define detectors, one per family of identifiers
FAMILIES = ("cards", "national_ids", "contact", "network", "banking", "hipaa")

_SHAPE = str.maketrans(
    {
        **dict.fromkeys(string.digits, "9"),
        **dict.fromkeys(string.ascii_lowercase, "a"),
        **dict.fromkeys(string.ascii_uppercase, "A"),
    }
)


_NON_DIGITS = re.compile(r"[^0-9]+")
#: every byte but the ASCII digits, for ``bytes.translate`` to delete
_NON_DIGIT_BYTES = bytes(b for b in range(256) if not chr(b).isdigit() or b >= 128)


def digits_of(text: str) -> str:
    """Only the ASCII digits of ``text``."""
    if text.isascii():  # bytes.translate deletes by table lookup, faster than str's
        return text.encode().translate(None, _NON_DIGIT_BYTES).decode()
    return _NON_DIGITS.sub("", text)


def spans_at(
    pattern: re.Pattern[str], text: str, positions: Iterable[int]
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` anchored at each of ``positions`` (``pattern.match``)."""
    for position in positions:
        match = pattern.match(text, position)
        if match is not None:
            yield match


class Text:
    """What a detector scans: one value, or many joined by newlines.

    ``raw`` is the text itself and ``shape`` the same text with every ASCII digit written
    ``9``, lowercase letter ``a`` and uppercase letter ``A`` (same length, same offsets).
    ``lower`` and ``reversed`` are computed on first use.
    """

    __slots__ = ("_lower", "_reversed", "raw", "shape")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.shape = raw.translate(_SHAPE)
        self._lower: str | None = None
        self._reversed: str | None = None

    @property
    def lower(self) -> str:
        """``raw`` in lowercase (same offsets for ASCII)."""
        if self._lower is None:
            self._lower = self.raw.lower()
            if len(self._lower) != len(self.raw):  # a few non-ASCII letters grow
                self._lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in self.raw)
        return self._lower

    @property
    def reversed(self) -> str:
        """``raw`` back to front, to extend a match leftwards with a forward regex."""
        if self._reversed is None:
            self._reversed = self.raw[::-1]
        return self._reversed

    def line(self, position: int) -> tuple[int, int]:
        """The ``(start, end)`` of the line holding ``position``."""
        start = self.raw.rfind("\n", 0, position) + 1
        end = self.raw.find("\n", position)
        return start, len(self.raw) if end < 0 else end

    def keyword_lines(
        self, keywords: Iterable[str], pattern: re.Pattern[str]
    ) -> list[tuple[int, int]]:
        """The lines where ``pattern`` finds a keyword; ``keywords`` (lowercase) prefilter them."""
        lines: dict[tuple[int, int], None] = {}
        for position in self.finds(*keywords):
            line = self.line(position)
            if line not in lines and pattern.search(self.raw, *line):
                lines[line] = None
        return list(lines)

    def finds(self, *keywords: str) -> list[int]:
        """Every offset where one of ``keywords`` (lowercase) starts, in order."""
        lower = self.lower
        found: set[int] = set()
        for keyword in keywords:
            position = lower.find(keyword)
            while position >= 0:
                found.add(position)
                position = lower.find(keyword, position + 1)
        return sorted(found)


class Detector(ABC):
    """Finds and judges one kind of identifier.

    ``needles``: at least one must occur in a text for it to hold a candidate (a cheap
    prefilter the scanner checks first). ``numeric`` detectors also read integer values
    (a card number stored as an int).
    """

    name: ClassVar[str]
    #: the safe values, for documentation tables
    description: ClassVar[str]
    needles: ClassVar[tuple[str, ...]] = ()
    numeric: ClassVar[bool] = False
    #: whether a canonical UUID (8-4-4-4-12 hex) can hold a candidate: only field modes
    #: that read short digit runs (ages, birth years) can; the scanner skips the others
    #: on batches of UUIDs, and a test holds every detector to its flag
    reads_uuids: ClassVar[bool] = False

    def active(self, field: Field) -> bool:
        """Whether this detector reads values of ``field`` at all (field-gated detectors)."""
        return True

    @abstractmethod
    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        """The ``(start, end)`` span of each candidate in ``text``, none across a newline."""

    @abstractmethod
    def judge(self, value: str, field: Field) -> str | None:
        """``None`` if ``value`` is safe or not this identifier, else the safe rule it breaks.

        Must accept any string (a second opinion passes spans of its own) without raising.
        """

    def mask(self, value: str) -> str:
        """``value`` with all but a few characters hidden."""
        return mask_middle(value)

    def find(self, value: str, field: Field | None = None) -> list[tuple[int, int, str | None]]:
        """Candidates in one value and their verdicts: ``(start, end, rule or None)``."""
        field = field or Field()
        return [
            (start, end, self.judge(value[start:end], field))
            for start, end in self.candidates(Text(value), field)
        ]


def distinct(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` in order, dropping any that overlaps one kept before it (longest first)."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
        elif start == kept[-1][0]:  # same start, longer (sorted after): keep the longer
            kept[-1] = (start, end)
    return kept


_REGISTRY: dict[str, Detector] = {}
_D = TypeVar("_D", bound=type[Detector])


def register(cls: _D) -> _D:
    """Class decorator: add one instance of the detector to the registry."""
    if cls.name in _REGISTRY:
        raise ValueError(f"detector {cls.name!r} is registered twice")
    _REGISTRY[cls.name] = cls()
    return cls


@cache
def detectors() -> Mapping[str, Detector]:
    """Every detector by name (read-only), loading the family modules on first use."""
    for family in FAMILIES:
        import_module(f"{__package__}.{family}")
    return MappingProxyType(dict(_REGISTRY))
