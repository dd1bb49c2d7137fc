"""Resolve a short request in words ("500 patients with diagnoses") to a template and a count.

The count is the first number the prompt writes: digits (``500``, ``10,000``, ``10_000``,
``1e6``), digits with a suffix (``1k``, ``2.5k``, ``1m``, ``10 thousand``) or words (``a
thousand``, ``two hundred``, ``twelve``); a negative count, a power (``10**9``) or one past
``10**12`` is a ``RequestError``. The rest of the prompt is searched (``template_search``); the
best template wins if it scores at least ``MIN_SCORE``, else ``UnresolvedPromptError`` names
the nearest ones. Reads the library's JSON only: nothing of the generation engine is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from synthdata_sdk.errors import RequestError, UnresolvedPromptError
from synthdata_sdk.schema.template_search import Kind, search

__all__ = ["MIN_SCORE", "ResolvedPrompt", "parse_rows", "resolve_prompt"]

#: the lowest BM25 score that resolves a prompt: one specific word ("employees", "drugs")
#: scores about 3 or more; a word several templates share ("names", "dates", "addresses")
#: scores under 2.8 (measured on this library: tests/sdk/test_template_search.py pins both)
MIN_SCORE = 2.8
#: how many of the nearest names an answer or an error lists
NEAREST = 3

_SMALL = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_SMALL.update(
    {
        word: 10 * value
        for value, word in enumerate(
            ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2
        )
    }
)
_SMALL.update({"a": 1, "an": 1, "a dozen": 12, "dozen": 12})
_SCALE = {
    "hundred": 100,
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "m": 1_000_000,
    "billion": 1_000_000_000,
}

_SMALL_WORDS = "|".join(sorted((re.escape(w) for w in _SMALL), key=len, reverse=True))
_NUMBER = re.compile(
    r"(?<![\w.,-])"
    r"(?:(?P<digits>\d{1,3}(?:[,_]\d{3})+|\d+(?:\.\d+)?(?:e\+?\d{1,4})?)|(?P<words>"
    + _SMALL_WORDS
    + r"))"
    r"(?P<scales>(?:\s*(?:k|m)\b|\s+(?:hundred|thousand|million|billion)\b)*)"
    r"(?![\w-])",
    re.IGNORECASE,
)

#: a number with a minus sign (ASCII or U+2212) that starts a word: "-5", not "x-5" or "10-20"
_NEGATIVE = re.compile(r"(?<![\w.,])[-\u2212]\s?\d[\d,_.]*")
#: counts past this are refused as they are read (the request's own limit is lower)
_MOST = 10**12
#: how much of a prompt an error message quotes
_QUOTED = 120


@dataclass(frozen=True)
class ResolvedPrompt:
    """What a prompt asks for: a template (or bundle), how many rows, and how sure that is."""

    prompt: str
    #: the template's (or bundle's) name
    name: str
    kind: Kind
    #: the count the prompt writes, or None when it writes none (the caller's default applies)
    rows: int | None
    #: the BM25 score of ``name`` for the prompt's words
    score: float
    #: the next best names, best first
    alternatives: tuple[str, ...]


def parse_rows(text: str) -> tuple[int | None, str]:
    """The first count ``text`` writes, and ``text`` without it (None and ``text`` if none).

    A lone "a"/"an" is an article, not a count; a count that is not a whole number
    (``2.5 patients``) is a ``RequestError``.
    """
    negative = _NEGATIVE.search(text)
    for match in _NUMBER.finditer(text):
        words, scales = match.group("words"), match.group("scales").lower().split()
        scales = [part for chunk in scales for part in re.findall(r"[a-z]+", chunk)]
        if words is not None and words.lower() in ("a", "an") and not scales:
            continue
        _refuse_negative(negative, match.start())
        if text[match.end() :].lstrip().startswith(("**", "^")):
            raise RequestError(
                f"prompt count {text[match.start() :].split()[0]!r} is a power: write the"
                " number it makes (1000000, 1e6, a million)"
            )
        base = (
            Decimal(match.group("digits").replace(",", "").replace("_", ""))
            if words is None
            else _SMALL[words.lower()]
        )
        value = base
        for scale in scales:
            value *= _SCALE[scale]
        if value > _MOST:  # before int(): "1e999" or a thousand nines are no row count
            raise RequestError(
                f"prompt count {_quoted(match.group(0).strip())} is more rows than a dataset"
                f" can have (at most {_MOST:,})"
            )
        if value != int(value):
            raise RequestError(
                f"prompt count {match.group(0).strip()!r} is not a whole number of rows"
            )
        rest = " ".join(f"{text[: match.start()]} {text[match.end() :]}".split())
        return int(value), rest
    _refuse_negative(negative, len(text))
    return None, text


def _refuse_negative(negative: re.Match[str] | None, before: int) -> None:
    """A count written with a minus sign, before the first count read, is an error: a
    sign would otherwise hide the number, and the default rows apply without a word."""
    if negative is not None and negative.start() < before:
        raise RequestError(f"prompt count {negative.group(0)!r} is negative: write a count of rows")


def resolve_prompt(
    text: str,
    *,
    kinds: tuple[Kind, ...] = ("template", "bundle"),
    min_score: float = MIN_SCORE,
) -> ResolvedPrompt:
    """The template or bundle and the row count ``text`` asks for.

    A bundle (related tables) is chosen only when the prompt names two or more of its tables
    ("patients with diagnoses"); a prompt naming one kind of record gets that template.
    Raises ``UnresolvedPromptError`` listing the nearest names when nothing scores
    ``min_score`` or more.
    """
    if not isinstance(text, str) or not text.strip():
        raise RequestError("prompt must be a non-empty string, e.g. '500 patients with diagnoses'")
    rows, rest = parse_rows(text)
    hits = [
        hit
        for hit in search(rest, kinds=kinds)
        if hit.kind != "bundle" or _tables_named(hit.name, rest) >= 2
    ]
    nearest = tuple(hit.name for hit in hits[:NEAREST])
    if not hits or hits[0].score < min_score:
        best = (
            f"; the best, {hits[0].name!r}, scores {hits[0].score:.2f} < {min_score}"
            if hits
            else ""
        )
        near = f"nearest: {', '.join(nearest)}" if nearest else "no word of it is in the library"
        raise UnresolvedPromptError(
            text,
            nearest,
            f"prompt {_quoted(text)} names no template clearly ({near}{best}): name a template, "
            "or see `synthdata templates search WORDS`",
        )
    best_hit = hits[0]
    return ResolvedPrompt(
        prompt=text,
        name=best_hit.name,
        kind=best_hit.kind,
        rows=rows,
        score=best_hit.score,
        alternatives=tuple(hit.name for hit in hits[1 : NEAREST + 1]),
    )


def _quoted(text: str) -> str:
    """``text`` quoted for a message, cut when long."""
    return repr(text) if len(text) <= _QUOTED else f"{text[:_QUOTED]!r}... ({len(text)} characters)"


def _tables_named(bundle: str, text: str) -> int:
    """How many of ``bundle``'s tables ``text`` names, by table or template name; a name
    inside a longer one that is named ("order" in "order items") does not count apart."""
    from synthdata_sdk.schema.bm25 import tokens
    from synthdata_sdk.schema.templates import bundle_info

    said = set(tokens(text))
    named: list[frozenset[str]] = []
    for table, template in bundle_info(bundle).tables:
        spelled = [frozenset(tokens(name.replace("_", " "))) for name in (table, template)]
        found = [words for words in spelled if words and words <= said]
        if found:
            named.append(max(found, key=len))
    return sum(1 for words in named if not any(words < other for other in named))
