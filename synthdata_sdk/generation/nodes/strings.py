"""String columns: semantic values, dates and times, regex patterns and plain text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import Context, DomainNode, Node
from synthdata_sdk.generation.nodes.pattern_draw import PatternDraw, Uniforms
from synthdata_sdk.generation.semantics.base import Semantic
from synthdata_sdk.generation.semantics.dates import WINDOW_DAYS, WINDOW_START
from synthdata_sdk.generation.semantics.render import clock_times, iso_dates, join
from synthdata_sdk.schema.pattern_syntax import compile_pattern


@dataclass
class LengthRule:
    """``minLength``/``maxLength`` of a string subschema (code points, as JSON Schema counts)."""

    min_length: int = 0
    max_length: int | None = None

    def admits(self, length: int) -> bool:
        """Whether a string of ``length`` code points is allowed."""
        return length >= self.min_length and (self.max_length is None or length <= self.max_length)

    def check(self, values: list[Any], pointer: str, what: str) -> None:
        """Raise ``SchemaError`` if a generated string breaks the length rule."""
        for value in values:
            if isinstance(value, str) and not self.admits(len(value)):
                raise SchemaError(
                    pointer,
                    "minLength/maxLength",
                    f"{what} produced {value!r} ({len(value)} characters)",
                    f"lengths in [{self.min_length}, {self.max_length}] that fit {what} values,"
                    " or drop the length limits",
                )


@dataclass
class SemanticNode(DomainNode):
    """Values of a semantic type (``email``, ``ssn``...) in the request's locale."""

    semantic: Semantic
    options: dict[str, Any]
    lengths: LengthRule
    locale: str
    pointer: str = ""
    unique: bool = False

    def domain_size(self) -> int:
        return self.semantic.domain_size(self.locale, self.options)

    def values_at(self, indices: npt.NDArray[np.int64], ctx: Context) -> list[Any]:
        values = self.semantic.values(indices, self.locale, self.options)
        if self.lengths.min_length or self.lengths.max_length is not None:
            self.lengths.check(values, self.pointer, f"semantic {self.semantic.name!r}")
        return values

    def describe(self) -> dict[str, Any]:
        return {"generator": "semantic", "semantic": self.semantic.name, "unique": self.unique}


# dates and times fall in the window before the fixed reference date (semantics.dates)
_EPOCH_DAY = WINDOW_START
_EPOCH_SECOND = WINDOW_START.astype("datetime64[s]")
_DATE_DAYS = WINDOW_DAYS
_DATETIME_SECONDS = WINDOW_DAYS * 86400
_DATETIME_DAYS = WINDOW_DAYS


@dataclass
class TemporalNode(DomainNode):
    """RFC 3339 ``date`` or ``date-time`` (UTC) in the ten years before the reference date
    (2015-01-01..2024-12-31, ``semantics.dates``), or ``time`` (UTC)."""

    format: str
    pointer: str = ""
    unique: bool = False

    #: the fixed length of each format, checked against minLength/maxLength when planning
    LENGTHS = {"date": 10, "date-time": 20, "time": 9}  # noqa: RUF012

    def domain_size(self) -> int:
        return {"date": _DATE_DAYS, "date-time": _DATETIME_SECONDS, "time": 86400}[self.format]

    def values_at(self, indices: npt.NDArray[np.int64], ctx: Context) -> list[Any]:
        if self.format == "date":
            return iso_dates(_EPOCH_DAY, indices, _DATE_DAYS).tolist()  # type: ignore[no-any-return]
        days, seconds = np.divmod(indices, 86400)
        if self.format == "time":
            return join(clock_times(seconds), "Z")
        return join(iso_dates(_EPOCH_SECOND, days, _DATETIME_DAYS), "T", clock_times(seconds), "Z")

    def describe(self) -> dict[str, Any]:
        return {"generator": "temporal", "format": self.format, "unique": self.unique}


@cache
def _words() -> tuple[str, ...]:
    from faker.providers.lorem.en_US import Provider

    return tuple(sorted({w.lower() for w in Provider.word_list if w.isascii() and w.isalpha()}))


def text_pool() -> tuple[str, ...]:
    """The word pool plain text is drawn from (hashed into the engine data version)."""
    return _words()


@dataclass
class TextNode(DomainNode):
    """Plain text: lorem words cut to a length in [minLength, maxLength]."""

    lengths: LengthRule
    pointer: str = ""
    unique: bool = False

    def domain_size(self) -> int:
        # unique text is a fixed-width base-26 code, wide enough for 26**width values
        return 2**53

    def _bounds(self) -> tuple[int, int]:
        low = self.lengths.min_length
        # a typical length, not maxLength: up to 20 characters more than minLength (3..24
        # without limits), so ``maxLength: 100000`` does not make every value 50,000 long
        typical = max(low, 1) + 20 if low else 24
        high = self.lengths.max_length
        if high is None:
            return low or 3, typical
        return low, min(high, typical)

    def generate(self, ctx: Context, n: int) -> list[Any]:
        if self.unique:
            return super().generate(ctx, n)
        low, high = self._bounds()
        stream = ctx.stream(self.pointer, "text")
        targets = (low + stream.integers(n, high - low + 1)).tolist()
        words = _words()
        draws = stream.integers(n * 8, len(words)).reshape(n, 8).tolist()
        out = []
        for target, picks in zip(targets, draws, strict=True):
            text = " ".join(words[i] for i in picks)
            while len(text) < target:
                text += " " + text
            text = text[:target]
            if text.endswith(" "):
                text = text[:-1] + "s"
            out.append(text)
        return out

    def values_at(self, indices: npt.NDArray[np.int64], ctx: Context) -> list[Any]:
        low, high = self._bounds()
        width = max(low, 12)
        if width > high:
            width = high
        if 26**width < len(indices):
            raise SchemaError(
                self.pointer,
                "maxLength",
                f"{high} characters cannot hold this many unique values",
                "a larger maxLength",
            )
        out = []
        for index in indices.tolist():
            letters = []
            for _ in range(width):
                index, digit = divmod(index, 26)
                letters.append(chr(97 + digit))
            out.append("".join(reversed(letters)))
        return out


@dataclass
class PatternNode(Node):
    """Strings matching ``pattern`` (JSON Schema semantics: ``re.search``), within the lengths.

    Candidates come from :class:`~synthdata_sdk.generation.nodes.pattern_draw.PatternDraw`;
    each is kept only if ``re.search`` finds the pattern in it and its length fits.
    """

    pattern: str
    lengths: LengthRule
    pointer: str = ""

    #: how many candidate strings one value may take before the pattern is declared unusable
    ATTEMPTS = 200

    def __post_init__(self) -> None:
        self._compiled = compile_pattern(self.pattern, self.pointer)
        self._draw = PatternDraw(self.pattern, self.pointer)

    def generate(self, ctx: Context, n: int) -> list[Any]:
        uniforms = Uniforms(ctx.stream(self.pointer, "pattern"))
        low, high = self.lengths.min_length, self.lengths.max_length
        out = []
        for _ in range(n):
            for _attempt in range(self.ATTEMPTS):
                candidate = self._draw.draw(uniforms, low, high)
                if (
                    candidate is not None
                    and self.lengths.admits(len(candidate))
                    and self._compiled.search(candidate)
                ):
                    out.append(candidate)
                    break
            else:
                raise SchemaError(
                    self.pointer,
                    "pattern",
                    f"could not produce a string matching {self.pattern!r} within lengths"
                    f" [{low}, {high}] in {self.ATTEMPTS} draws",
                    "a pattern whose matches fit the length limits",
                )
        return out

    def describe(self) -> dict[str, Any]:
        return {"generator": "pattern", "pattern": self.pattern}


#: formats generated from small fixed pools (valid by construction)
FIXED_FORMATS: dict[str, tuple[str, ...]] = {
    "duration": ("P1D", "PT1H", "P3Y6M4DT12H30M5S", "PT15M", "P2W", "P1M", "PT36H", "P0D"),
    "json-pointer": ("", "/a", "/a/0", "/items/1/name", "/properties/id", "/a~1b", "/m~0n"),
    "relative-json-pointer": ("0", "1", "0/a", "1/items/0", "2#", "0#"),
    "regex": ("^[a-z]+$", "[0-9]{3}", "^abc", "x|y", "(foo)?bar"),
    "uri-template": ("https://example.com/{id}", "https://example.org/users{?q}", "/items/{item}"),
}


@dataclass
class FixedFormatNode(DomainNode):
    """A format with no realistic variety to offer, drawn from a small pool of valid values."""

    format: str
    pointer: str = ""
    unique: bool = False

    def domain_size(self) -> int:
        return len(FIXED_FORMATS[self.format])

    def values_at(self, indices: npt.NDArray[np.int64], ctx: Context) -> list[Any]:
        pool = FIXED_FORMATS[self.format]
        return [pool[i] for i in indices.tolist()]
