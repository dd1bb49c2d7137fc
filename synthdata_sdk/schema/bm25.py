"""Okapi BM25 ranking over a handful of short documents, with a tokenizer that folds plurals.

Small on purpose: the template library has tens of documents, so the index is a dict of
term counts per document, scored exactly (no approximation, no external library).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["BM25", "stem", "tokens"]

#: words that say nothing about which data is meant ("500 rows of patients for my tests")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "by",
        "data",
        "dataset",
        "datasets",
        "for",
        "from",
        "fake",
        "generate",
        "give",
        "i",
        "in",
        "into",
        "is",
        "it",
        "list",
        "make",
        "me",
        "mock",
        "my",
        "of",
        "on",
        "or",
        "record",
        "records",
        "row",
        "rows",
        "sample",
        "set",
        "some",
        "synthetic",
        "table",
        "tables",
        "test",
        "tests",
        "the",
        "their",
        "them",
        "these",
        "this",
        "to",
        "with",
        "without",
    ]
)
#: a word: letters and digits of any script (an accented word is one word, not its ASCII
#: letters)
_WORD = re.compile(r"[^\W_]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def stem(word: str) -> str:
    """``word`` with its plural (and ``-sis`` singular) folded: diagnoses and diagnosis agree.

    Not a full stemmer: only the endings that make a singular and its plural differ.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("sses"):
        return word[:-2]  # addresses -> address
    if word.endswith("ies"):
        return word[:-3] + "y"  # categories -> category
    if word.endswith("uses"):
        return word[:-2]  # statuses -> status
    if word.endswith(("gnoses", "yses")):
        return word[:-2]  # diagnoses -> diagnos, analyses -> analys
    if word.endswith("sis"):
        return word[:-2]  # diagnosis -> diagnos
    if word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("s"):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """The stemmed words of ``text``, stopwords left out; ``camelCase`` and ``snake_case`` split."""
    words = _WORD.findall(_CAMEL.sub(" ", text).lower())
    return [stem(word) for word in words if word not in STOPWORDS]


@dataclass(frozen=True)
class BM25:
    """An index of documents (lists of terms), scored with Okapi BM25.

    ``idf`` is the non-negative form ``ln(1 + (N - df + 0.5) / (df + 0.5))``, so every score
    is >= 0, and a term no document holds adds nothing to any score.
    """

    documents: Sequence[Mapping[str, int]]
    lengths: Sequence[int]
    average_length: float
    frequency: Mapping[str, int]
    k1: float = 1.2
    b: float = 0.75

    @classmethod
    def build(cls, documents: Iterable[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> BM25:
        counts = [Counter(document) for document in documents]
        lengths = [sum(count.values()) for count in counts]
        frequency: Counter[str] = Counter()
        for count in counts:
            frequency.update(count.keys())
        average = sum(lengths) / len(lengths) if lengths else 0.0
        return cls(counts, lengths, average or 1.0, frequency, k1, b)

    def idf(self, term: str) -> float:
        total, df = len(self.documents), self.frequency.get(term, 0)
        return math.log(1 + (total - df + 0.5) / (df + 0.5))

    def scores(self, query: Sequence[str]) -> list[float]:
        """One score per document; a query term counts as often as it is written."""
        out = []
        for count, length in zip(self.documents, self.lengths, strict=True):
            norm = self.k1 * (1 - self.b + self.b * length / self.average_length)
            score = 0.0
            for term in query:
                tf = count.get(term, 0)
                if tf:
                    score += self.idf(term) * tf * (self.k1 + 1) / (tf + norm)
            out.append(score)
        return out
