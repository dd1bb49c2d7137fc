"""Names of people and organisations: first, last and full names, user names, companies, jobs.

A name identifies nobody on its own; a synthetic person is a random combination of pool
entries with no source record behind it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from synthdata_sdk.generation.semantics.base import Indices, Semantic, mixed_radix
from synthdata_sdk.generation.semantics.pools import (
    Pool,
    PoolSemantic,
    ascii_first_names,
    ascii_last_names,
    company_stems,
    company_suffixes,
    first_names,
    job_titles,
    last_names,
)
from synthdata_sdk.generation.semantics.render import join

#: names, streets, cities, companies and jobs identify nobody on their own
NOT_IDENTIFYING = (
    "not identifying alone: a random combination of Faker locale pool entries with no source"
    " record behind it (safe-values.md, names/addresses row)"
)
#: nothing, or 1..99, after a handle: john.smith, john.smith7
NUMBER_SUFFIXES = Pool.of(("", *(str(i) for i in range(1, 100))))
HANDLE_SEPARATORS = Pool.of((".", "_"))
#: what joins two family names into a company name
_COMPANY_JOINERS = Pool.of(("-", " & "))


def handle_count(locale: str) -> int:
    """How many distinct handles ``handles`` can build in ``locale``."""
    return (
        len(ascii_first_names(locale))
        * len(HANDLE_SEPARATORS)
        * len(ascii_last_names(locale))
        * len(NUMBER_SUFFIXES)
    )


def handles(indices: Indices, locale: str) -> list[str]:
    """``first{. or _}last{number}`` in lowercase ASCII, for indices in ``[0, handle_count)``.

    Injective: the folded names hold letters only, so the separator is the first non-letter,
    and the number (if any) is the trailing run of digits.
    """
    firsts, lasts = ascii_first_names(locale), ascii_last_names(locale)
    first, sep, last, number = mixed_radix(
        indices, [len(firsts), len(HANDLE_SEPARATORS), len(lasts), len(NUMBER_SUFFIXES)]
    )
    return join(
        firsts.take(first),
        HANDLE_SEPARATORS.take(sep),
        lasts.take(last),
        NUMBER_SUFFIXES.take(number),
    )


def handle_pools(locale: str) -> list[Sequence[str]]:
    """The pools ``handles`` draws from."""
    return [
        ascii_first_names(locale).items,
        HANDLE_SEPARATORS.items,
        ascii_last_names(locale).items,
        NUMBER_SUFFIXES.items,
    ]


class FirstName(PoolSemantic):
    """Given names from Faker's locale list."""

    name: ClassVar[str] = "first_name"
    description: ClassVar[str] = "A given name from the locale's Faker pool."
    safe_rule: ClassVar[str] = NOT_IDENTIFYING

    def pool(self, locale: str) -> Pool:
        return first_names(locale)


class LastName(PoolSemantic):
    """Family names from Faker's locale list."""

    name: ClassVar[str] = "last_name"
    description: ClassVar[str] = "A family name from the locale's Faker pool."
    safe_rule: ClassVar[str] = NOT_IDENTIFYING

    def pool(self, locale: str) -> Pool:
        return last_names(locale)


class FullName(Semantic):
    """``First Last``: injective because given names contain no space."""

    name: ClassVar[str] = "full_name"
    description: ClassVar[str] = "'First Last' from the locale's Faker pools."
    safe_rule: ClassVar[str] = NOT_IDENTIFYING

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return len(first_names(locale)) * len(last_names(locale))

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        firsts, lasts = first_names(locale), last_names(locale)
        first, last = mixed_radix(indices, [len(firsts), len(lasts)])
        return join(firsts.take(first), " ", lasts.take(last))

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [first_names(locale).items, last_names(locale).items]


class Username(Semantic):
    """``jane.doe7`` / ``jane_doe``: folded names, a separator and an optional number."""

    name: ClassVar[str] = "username"
    description: ClassVar[str] = "Lowercase ASCII 'first.last' or 'first_last', maybe numbered."
    safe_rule: ClassVar[str] = NOT_IDENTIFYING

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return handle_count(locale)

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        return handles(indices, locale)

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return handle_pools(locale)


class Company(Semantic):
    """``Smith-Jones LLC`` / ``Smith & Jones LLC`` from family names and legal forms.

    Injective: the stems are single words, so the first "-" or " " ends the first name and
    tells the joiner; the second name runs to the next space and the legal form is the rest.
    """

    name: ClassVar[str] = "company"
    description: ClassVar[str] = "Two family names joined by '-' or '&', then a legal form."
    safe_rule: ClassVar[str] = NOT_IDENTIFYING

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        stems = len(company_stems(locale))
        return stems * len(_COMPANY_JOINERS) * stems * len(company_suffixes(locale))

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        stems, suffixes = company_stems(locale), company_suffixes(locale)
        first, joiner, second, suffix = mixed_radix(
            indices, [len(stems), len(_COMPANY_JOINERS), len(stems), len(suffixes)]
        )
        return join(
            stems.take(first),
            _COMPANY_JOINERS.take(joiner),
            stems.take(second),
            " ",
            suffixes.take(suffix),
        )

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [company_stems(locale).items, _COMPANY_JOINERS.items, company_suffixes(locale).items]


class JobTitle(PoolSemantic):
    """Job titles from Faker's locale list (en_US's where the locale has none)."""

    name: ClassVar[str] = "job_title"
    description: ClassVar[str] = "A job title from the locale's Faker pool."
    safe_rule: ClassVar[str] = NOT_IDENTIFYING

    def pool(self, locale: str) -> Pool:
        return job_titles(locale)
