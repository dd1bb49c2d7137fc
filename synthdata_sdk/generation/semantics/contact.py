"""Ways to reach someone: e-mail address, phone number, URL and host name.

Only reserved names and numbers appear: the example.com/.net/.org domains (RFC 2606,
RFC 6761) and the ranges each telephone regulator sets aside for fiction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from synthdata_sdk.generation.semantics.base import Indices, Semantic, mixed_radix
from synthdata_sdk.generation.semantics.people import handle_count, handle_pools, handles
from synthdata_sdk.generation.semantics.pools import Pool, check_locale, words
from synthdata_sdk.generation.semantics.render import ObjectArray, join, padded

#: RFC 2606 section 3 reserves these second-level domains for documentation
RESERVED_DOMAINS = Pool.of(("example.com", "example.net", "example.org"))
_AT_DOMAINS = Pool.of(f"@{d}" for d in RESERVED_DOMAINS.items)
_URL_ROOTS = Pool.of(f"https://{d}/" for d in RESERVED_DOMAINS.items)
_HOST_DOMAINS = Pool.of(f".{d}" for d in RESERVED_DOMAINS.items)


@dataclass(frozen=True)
class _PhonePlan:
    """Fictional numbers: each prefix followed by ``groups`` of free digits."""

    prefixes: Pool
    #: widths of the free digit groups, written with ``separator`` between them
    groups: tuple[int, ...]
    separator: str = " "


def _nanp_area_codes() -> list[str]:
    # NXX: N is 2-9; a middle 9 is reserved for expansion and N11 codes are service codes
    return [
        f"{n}{x}{y}" for n in range(2, 10) for x in range(9) for y in range(10) if (x, y) != (1, 1)
    ]


_PHONE_PLANS = {
    # NANP: 555-0100..0199 is reserved for fictional use in every area code
    "en_US": _PhonePlan(Pool.of(f"({a}) 555-01" for a in _nanp_area_codes()), (2,)),
    # Ofcom, telephone numbers for drama purposes: mobile, London and the fictional 01632 area
    "en_GB": _PhonePlan(Pool.of(("07700 900", "020 7946 0", "01632 960")), (3,)),
    # Bundesnetzagentur, Mitteilung Nr. 148/2021 (Amtsblatt 7/2021): "Drama Numbers"
    "de_DE": _PhonePlan(
        Pool.of(("030 23125", "069 90009", "040 66969", "0221 4710", "089 99998")), (3,)
    ),
    # ARCEP, plan national de numérotation (décision 2018-0881, annexe 1, 2.5.12):
    # numbers for audiovisual works
    "fr_FR": _PhonePlan(
        Pool.of(("01 99 00 ", "02 61 91 ", "03 53 01 ", "04 65 71 ", "05 36 49 ", "06 39 98 ")),
        (2, 2),
    ),
}


@cache
def phone_pattern(locale: str) -> re.Pattern[str]:
    """What every ``phone`` value of ``locale`` matches: a fictional prefix and its digits."""
    plan = _PHONE_PLANS[check_locale(locale)]
    prefixes = "|".join(re.escape(prefix) for prefix in plan.prefixes.items)
    groups = re.escape(plan.separator).join(rf"\d{{{width}}}" for width in plan.groups)
    return re.compile(rf"(?:{prefixes}){groups}")


#: the country calling code of each locale's phone numbers (ITU-T E.164)
CALLING_CODES = {"en_US": "1", "en_GB": "44", "de_DE": "49", "fr_FR": "33"}


def e164(values: Sequence[str], locale: str) -> list[str]:
    """The locale's national phone numbers in E.164: ``+``, country code, national number."""
    code = CALLING_CODES[check_locale(locale)]
    digits = [re.sub(r"\D", "", v) for v in values]
    # the national trunk prefix 0 is dropped after the country code; NANP numbers have none
    return [f"+{code}{d[1:] if d.startswith('0') else d}" for d in digits]


class Email(Semantic):
    """``jane.doe7@example.org``: a lowercase ASCII handle at a reserved domain."""

    name: ClassVar[str] = "email"
    identifier: ClassVar[bool] = True
    format: ClassVar[str | None] = "email"
    description: ClassVar[str] = "A name-based address at example.com, example.net or example.org."
    safe_rule: ClassVar[str] = "domain example.com/.net/.org only (RFC 2606, RFC 6761)"

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return handle_count(locale) * len(_AT_DOMAINS)

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        handle, domain = mixed_radix(indices, [handle_count(locale), len(_AT_DOMAINS)])
        return join(handles(handle, locale), _AT_DOMAINS.take(domain))

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [*handle_pools(locale), _AT_DOMAINS.items]


class Phone(Semantic):
    """A national-format number from the locale's fictional (drama) range."""

    name: ClassVar[str] = "phone"
    identifier: ClassVar[bool] = True
    description: ClassVar[str] = (
        "A phone number from the range the locale's regulator keeps for fiction."
    )
    safe_rule: ClassVar[str] = (
        "fiction ranges only: US NXX-555-0100..0199 (NANP); UK Ofcom drama numbers"
        " (07700 900xxx, 020 7946 0xxx, 01632 960xxx); DE Bundesnetzagentur drama numbers"
        " (Mitteilung 148/2021); FR ARCEP numbers for audiovisual works (décision 2018-0881)"
    )

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        plan = _PHONE_PLANS[check_locale(locale)]
        return len(plan.prefixes) * int(10 ** sum(plan.groups))

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        plan = _PHONE_PLANS[check_locale(locale)]
        prefix, *groups = mixed_radix(indices, [len(plan.prefixes), *(10**w for w in plan.groups)])
        parts: list[ObjectArray | str] = [plan.prefixes.take(prefix)]
        for position, (width, digits) in enumerate(zip(plan.groups, groups, strict=True)):
            if position:
                parts.append(plan.separator)
            parts.append(padded(digits, width))
        return join(*parts)

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [_PHONE_PLANS[check_locale(locale)].prefixes.items]


@cache
def _word_pair_pools(joiner: str) -> tuple[Pool, Pool]:
    """Words, and an optional second word after ``joiner`` (injective: words are letters)."""
    return words(), Pool.of(("", *(f"{joiner}{w}" for w in words().items)))


class Url(Semantic):
    """``https://example.com/word`` or ``https://example.net/word/word``."""

    name: ClassVar[str] = "url"
    identifier: ClassVar[bool] = True
    format: ClassVar[str | None] = "uri"
    description: ClassVar[str] = (
        "An https URL on example.com/.net/.org with a one- or two-word path."
    )
    safe_rule: ClassVar[str] = "host example.com/.net/.org only (RFC 2606, RFC 6761)"

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        first, second = _word_pair_pools("/")
        return len(_URL_ROOTS) * len(first) * len(second)

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        first, second = _word_pair_pools("/")
        root, word, more = mixed_radix(indices, [len(_URL_ROOTS), len(first), len(second)])
        return join(_URL_ROOTS.take(root), first.take(word), second.take(more))

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [_URL_ROOTS.items, words().items]


class Hostname(Semantic):
    """``word.example.com`` or ``word-word.example.org``."""

    name: ClassVar[str] = "hostname"
    format: ClassVar[str | None] = "hostname"
    description: ClassVar[str] = "A one-label host under example.com/.net/.org."
    safe_rule: ClassVar[str] = "under example.com/.net/.org only (RFC 2606, RFC 6761)"

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        first, second = _word_pair_pools("-")
        return len(first) * len(second) * len(_HOST_DOMAINS)

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        first, second = _word_pair_pools("-")
        word, more, domain = mixed_radix(indices, [len(first), len(second), len(_HOST_DOMAINS)])
        return join(first.take(word), second.take(more), _HOST_DOMAINS.take(domain))

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [words().items, _HOST_DOMAINS.items]
