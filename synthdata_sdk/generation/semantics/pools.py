"""Faker's locale data as ordered, de-duplicated pools, loaded lazily once per locale.

Faker's lists are read as data only: ``Faker()`` is never instantiated and none of its random
functions is called, so a value depends only on these pools (hashed into the data version)
and on the index. Pools are de-duplicated in first-seen order (``dict.fromkeys``), never
through a set, so the order is the same in every process.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from abc import abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from synthdata_sdk.generation.semantics.base import Indices, Semantic
from synthdata_sdk.generation.semantics.render import ObjectArray
from synthdata_sdk.options import SUPPORTED_LOCALES

#: Faker has no en_GB company or job provider; these locales borrow en_US's
_FALLBACK_LOCALE = "en_US"
#: a "simple" name is letters with inner apostrophes (O'Neill): no space, hyphen or "&",
#: so names joined by those characters split back unambiguously
_SIMPLE_NAME = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_LOWER_ASCII_WORD = re.compile(r"[a-z]+")
# letters NFKD does not decompose into ASCII
_FOLD_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d"})
# the German convention for umlauts in e-mail addresses and user names
_FOLD_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


@dataclass(frozen=True)
class Pool:
    """An ordered, non-empty pool of distinct strings, with an object array to index into."""

    items: tuple[str, ...]
    array: ObjectArray = field(repr=False, compare=False)

    @classmethod
    def of(cls, values: Iterable[str]) -> Pool:
        """The distinct ``values`` in first-seen order."""
        items = tuple(dict.fromkeys(values))
        if not items:
            raise ValueError("a semantic pool must not be empty")
        array = np.array(items, dtype=object)
        array.setflags(write=False)  # shared by every call: nobody may change a pool
        return cls(items, array)

    def __len__(self) -> int:
        return len(self.items)

    def take(self, indices: Indices) -> ObjectArray:
        """``items[i]`` for each index."""
        return self.array[indices]

    def texts(self, indices: Indices) -> list[str]:
        """``items[i]`` for each index, as a list."""
        picked: list[str] = self.array[indices].tolist()
        return picked


class PoolSemantic(Semantic):
    """A semantic whose values are exactly one pool, in order."""

    @abstractmethod
    def pool(self, locale: str) -> Pool:
        """The pool for ``locale``."""

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return len(self.pool(locale))

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        return self.pool(locale).texts(indices)

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [self.pool(locale).items]


def check_locale(locale: str) -> str:
    """``locale`` itself, or ``ValueError`` when no semantic supports it."""
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(
            f"unsupported locale {locale!r}; expected one of {list(SUPPORTED_LOCALES)}"
        )
    return locale


def _provider(kind: str, locale: str) -> Any:
    """Faker's provider class of ``kind`` for ``locale`` (en_US's when the locale has none)."""
    try:
        module = importlib.import_module(f"faker.providers.{kind}.{check_locale(locale)}")
    except ModuleNotFoundError:
        module = importlib.import_module(f"faker.providers.{kind}.{_FALLBACK_LOCALE}")
    return module.Provider


def ascii_fold(text: str, locale: str) -> str:
    """Lowercase ASCII letters only: accents dropped (umlauts spelt out in de_DE)."""
    lowered = text.lower()
    if locale == "de_DE":
        lowered = lowered.translate(_FOLD_GERMAN)
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_FOLD_SPECIAL))
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def ending_free(values: Iterable[str]) -> list[str]:
    """Drop every value that ends with another one, so ``stem + value`` splits back uniquely.

    If no value of the pool ends with another, a string ends with at most one of them, so
    the suffix (and then the stem) of ``stem + suffix`` is determined by the string alone.
    """
    distinct = list(dict.fromkeys(values))
    return [v for v in distinct if not any(v != w and v.endswith(w) for w in distinct)]


@cache
def first_names(locale: str) -> Pool:
    """Given names without spaces or abbreviations, so "First Last" splits at its first space."""
    names = _provider("person", locale).first_names
    return Pool.of(n for n in names if " " not in n and "." not in n)


@cache
def last_names(locale: str) -> Pool:
    """Family names as Faker lists them (some contain spaces: "Le Gall", "Da Silva")."""
    return Pool.of(_provider("person", locale).last_names)


@cache
def name_stems(locale: str) -> Pool:
    """Simple given and family names, the stems of street, city and company names."""
    names = (*first_names(locale).items, *last_names(locale).items)
    return Pool.of(n for n in names if _SIMPLE_NAME.fullmatch(n))


@cache
def ascii_first_names(locale: str) -> Pool:
    """Given names folded to lowercase ASCII letters, for e-mail addresses and user names."""
    folded = (ascii_fold(n, locale) for n in first_names(locale).items)
    return Pool.of(n for n in folded if n)


@cache
def ascii_last_names(locale: str) -> Pool:
    """Family names folded to lowercase ASCII letters (spaces and apostrophes dropped)."""
    folded = (ascii_fold(n, locale) for n in last_names(locale).items)
    return Pool.of(n for n in folded if n)


@cache
def company_stems(locale: str) -> Pool:
    """Simple family names, joined in pairs by "-" or " & " into company names."""
    return Pool.of(n for n in last_names(locale).items if _SIMPLE_NAME.fullmatch(n))


@cache
def company_suffixes(locale: str) -> Pool:
    """Legal-form suffixes ("LLC", "GmbH", "SARL"...)."""
    return Pool.of(_provider("company", locale).company_suffixes)


@cache
def job_titles(locale: str) -> Pool:
    """Job titles; fr_FR adds Faker's feminine forms to the masculine ones."""
    provider = _provider("job", locale)
    return Pool.of((*provider.jobs, *getattr(provider, "jobs_female", ())))


@cache
def street_suffixes(locale: str) -> Pool:
    """Street types: "Avenue", "Lane"... (en); "straße", "weg"... joined to the stem (de_DE)."""
    provider = _provider("address", locale)
    if locale == "de_DE":
        return Pool.of(ending_free(provider.street_suffixes_short))
    return Pool.of(provider.street_suffixes)


@cache
def street_prefixes(locale: str) -> Pool:
    """fr_FR street types written before the name: "rue", "avenue"... (one word each)."""
    return Pool.of(p for p in _provider("address", locale).street_prefixes if " " not in p)


@cache
def city_prefixes(locale: str) -> Pool:
    """An empty prefix plus "North ", "Lake "... (en) or "Saint "... (fr_FR)."""
    return Pool.of(("", *(f"{p} " for p in _provider("address", locale).city_prefixes)))


@cache
def city_suffixes(locale: str) -> Pool:
    """City endings ("ton", "ville", "-sur-Mer"...), none ending with another."""
    return Pool.of(ending_free(_provider("address", locale).city_suffixes))


@cache
def cities(locale: str) -> Pool:
    """de_DE's list of real city names (a city alone identifies nobody)."""
    return Pool.of(_provider("address", locale).cities)


@cache
def countries(locale: str) -> Pool:
    """Country names in the locale's language."""
    return Pool.of(_provider("address", locale).countries)


@cache
def words() -> Pool:
    """Lowercase ASCII English words (Faker's en_US lorem list), for URL paths and host names."""
    word_list = importlib.import_module("faker.providers.lorem.en_US").Provider.word_list
    return Pool.of(w for w in word_list if _LOWER_ASCII_WORD.fullmatch(w))
