"""Addresses: street address, city, postcode and country, shaped per locale.

Streets and cities identify nobody on their own. Postcodes are the one part an address
database could match, so they come only from ranges the national plans leave unallocated.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, ClassVar

from synthdata_sdk.generation.semantics.base import Indices, Semantic, mixed_radix
from synthdata_sdk.generation.semantics.people import NOT_IDENTIFYING
from synthdata_sdk.generation.semantics.pools import (
    Pool,
    PoolSemantic,
    check_locale,
    cities,
    city_prefixes,
    city_suffixes,
    ending_free,
    first_names,
    last_names,
    name_stems,
    street_prefixes,
    street_suffixes,
)
from synthdata_sdk.generation.semantics.render import join, padded, plain

#: building numbers run 1..N: US numbers are long, European ones restart on every street
_BUILDING_NUMBERS = {"en_US": 9999, "en_GB": 199, "de_DE": 199, "fr_FR": 199}

# UK postcodes: no allocated outward code starts with Q, V or X; the second letter is never
# I, J or Z, and the inward code's letters skip C, I, K, M, O and V (BS 7666 rules)
_UK_POSTCODE = (
    Pool.of(tuple("QVX")),
    Pool.of(tuple("ABCDEFGHKLMNOPQRSTUVWXY")),
    Pool.of(tuple("123456789")),
    Pool.of(tuple("0123456789")),
    Pool.of(tuple("ABDEFGHJLNPQRSTUWXYZ")),
    Pool.of(tuple("ABDEFGHJLNPQRSTUWXYZ")),
)
#: the only ZIP3 prefixes en_US postcodes use: unused (USPS; the lowest real ZIP is 00501)
#: and never restricted (000 is Safe Harbor's own placeholder)
SAFE_ZIP3 = ("000", "003")
# No German Leitregion and no French département is 00, so 00xxx is format-plausible, not
# allocated; 00000-00499 also lies below the lowest US ZIP (00501), so a scanner that takes
# these for US ZIP codes finds them unassigned too.
_LOW_ZIP3 = ("000", "001", "002", "003", "004")
_POSTCODE_RANGES = {
    "en_US": (Pool.of(SAFE_ZIP3), 2),
    "de_DE": (Pool.of(_LOW_ZIP3), 2),
    "fr_FR": (Pool.of(_LOW_ZIP3), 2),
}


def _combinations(parts: Sequence[Pool]) -> int:
    return math.prod(len(pool) for pool in parts)


def _take_all(parts: Sequence[Pool], indices: Indices) -> list[list[str]]:
    """Each pool's entries for the mixed-radix digits of ``indices`` (first pool lowest)."""
    digits = mixed_radix(indices, [len(pool) for pool in parts])
    return [pool.texts(digit) for pool, digit in zip(parts, digits, strict=True)]


class StreetAddress(Semantic):
    """Building number and street in the locale's order and street vocabulary.

    en: ``1234 Miller Avenue``; de_DE: ``Müllerstraße 12``; fr_FR: ``12, rue Marie Dupont``.
    Injective: numbers are digits, stems and given names are single words and the de_DE
    street types are ending-free (``pools.ending_free``), so every part splits back.
    """

    name: ClassVar[str] = "street_address"
    description: ClassVar[str] = "Building number and street name in the locale's shape."
    safe_rule: ClassVar[str] = NOT_IDENTIFYING

    def _parts(self, locale: str) -> list[Pool]:
        if check_locale(locale) == "fr_FR":
            return [street_prefixes(locale), first_names(locale), last_names(locale)]
        return [name_stems(locale), street_suffixes(locale)]

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return _BUILDING_NUMBERS[check_locale(locale)] * _combinations(self._parts(locale))

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        parts = self._parts(locale)
        street, number = mixed_radix(indices, [_combinations(parts), _BUILDING_NUMBERS[locale]])
        building = plain(number + 1)
        words = _take_all(parts, street)
        if locale == "fr_FR":
            return join(building, ", ", words[0], " ", words[1], " ", words[2])
        if locale == "de_DE":
            return join(words[0], words[1], " ", building)
        return join(building, " ", words[0], " ", words[1])

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [pool.items for pool in self._parts(locale)]


#: German town prefixes (a word and a space, as in "Bad Tölz", "Groß Gerau"); "" for none
_GERMAN_TOWN_PREFIXES = ("", "Bad ", "Groß ", "Klein ", "Alt ", "Neu ")
#: German town endings, joined to the stem as "-dorf" and "-hausen" are
_GERMAN_TOWN_ENDINGS = (
    "dorf", "hausen", "heim", "berg", "stadt", "feld", "burg", "bach",
    "hagen", "furt", "brück", "ingen", "rode", "wald", "tal", "au",
)  # fmt: skip


@cache
def _german_town_parts() -> tuple[Pool, Pool, Pool]:
    """Prefixes, stems and endings of invented German towns.

    A stem that would make a town Faker lists as a real German city (``Stoll`` +
    ``berg``) is left out, so no value is a real city's name that the region would then
    place in the wrong Land.
    """
    endings = ending_free(_GERMAN_TOWN_ENDINGS)
    real = set(cities("de_DE").items)
    stems = [
        stem
        for stem in name_stems("de_DE").items
        if not any(
            f"{prefix}{stem}{ending}" in real
            for prefix in _GERMAN_TOWN_PREFIXES
            for ending in endings
        )
    ]
    return Pool.of(_GERMAN_TOWN_PREFIXES), Pool.of(stems), Pool.of(endings)


class City(Semantic):
    """Invented towns: ``North Jamesborough``, ``Duboisville``, ``Bad Müllerhausen``.

    Injective: stems hold no space, so a space means a prefix; suffixes are ending-free.
    """

    name: ClassVar[str] = "city"
    description: ClassVar[str] = "A town name in the locale's style."
    safe_rule: ClassVar[str] = NOT_IDENTIFYING

    def _parts(self, locale: str) -> list[Pool]:
        if check_locale(locale) == "de_DE":
            return list(_german_town_parts())
        return [city_prefixes(locale), name_stems(locale), city_suffixes(locale)]

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return _combinations(self._parts(locale))

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        return join(*_take_all(self._parts(locale), indices))

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [pool.items for pool in self._parts(locale)]


class Postcode(Semantic):
    """Postcodes in the locale's format from ranges no national plan allocates.

    en_US ``00042`` / ``00317``; en_GB ``QA1 2BD``; de_DE and fr_FR ``00123`` (00000-00499).
    """

    name: ClassVar[str] = "postcode"
    description: ClassVar[str] = "A postcode in the locale's format, from an unallocated range."
    safe_rule: ClassVar[str] = (
        "US ZIP 000xx/003xx (prefixes unused, USPS); UK outward code starting Q, V or X (never"
        " allocated, BS 7666); de_DE/fr_FR 00000-00499 (format-plausible, not allocated: no"
        " Leitregion or département 00, and below the lowest US ZIP 00501)"
    )

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        if check_locale(locale) == "en_GB":
            return _combinations(_UK_POSTCODE)
        prefixes, free = _POSTCODE_RANGES[locale]
        return len(prefixes) * int(10**free)

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        if check_locale(locale) == "en_GB":
            chars = _take_all(_UK_POSTCODE, indices)
            return join(*chars[:3], " ", *chars[3:])
        prefixes, free = _POSTCODE_RANGES[locale]
        prefix, rest = mixed_radix(indices, [len(prefixes), 10**free])
        return join(prefixes.take(prefix), padded(rest, free))

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        if check_locale(locale) == "en_GB":
            return [pool.items for pool in _UK_POSTCODE]
        return [_POSTCODE_RANGES[locale][0].items]


#: each locale's own country: its name in the locale's language and its ISO 3166-1 alpha-2 code
LOCALE_COUNTRIES = {
    "en_US": ("United States", "US"),
    "en_GB": ("United Kingdom", "GB"),
    "de_DE": ("Deutschland", "DE"),
    "fr_FR": ("France", "FR"),
}


class Country(PoolSemantic):
    """The locale's own country, in its language: a de_DE record lives in Deutschland.

    A schema that wants other countries says so with ``enum`` or ``const``, which win.
    """

    name: ClassVar[str] = "country"
    description: ClassVar[str] = "The locale's own country, named in the locale's language."
    safe_rule: ClassVar[str] = NOT_IDENTIFYING

    def pool(self, locale: str) -> Pool:
        return Pool.of((LOCALE_COUNTRIES[check_locale(locale)][0],))


class CountryCode(PoolSemantic):
    """The locale's own country as an ISO 3166-1 alpha-2 code (``US``, ``GB``, ``DE``, ``FR``)."""

    name: ClassVar[str] = "country_code"
    description: ClassVar[str] = "The locale's country as an ISO 3166-1 alpha-2 code."
    safe_rule: ClassVar[str] = NOT_IDENTIFYING

    def pool(self, locale: str) -> Pool:
        return Pool.of((LOCALE_COUNTRIES[check_locale(locale)][1],))
