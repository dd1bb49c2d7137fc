"""Semantic types: safe, locale-aware value domains (names, emails, SSNs, card numbers...).

``SEMANTICS`` maps each name used in ``x-synthdata: {semantic: ...}`` to its ``Semantic``;
``docs/safe-values.md`` lists the rule and source each one follows. ``PROFILE_VARIANTS``
holds the stand-ins a compliance profile draws instead (not selectable in ``x-synthdata``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from synthdata_sdk.generation.semantics.address import (
    City,
    Country,
    CountryCode,
    Postcode,
    StreetAddress,
)
from synthdata_sdk.generation.semantics.base import Semantic
from synthdata_sdk.generation.semantics.contact import Email, Hostname, Phone, Url
from synthdata_sdk.generation.semantics.dates import DateOfBirth, YearOnlyDateOfBirth
from synthdata_sdk.generation.semantics.identifiers import (
    MedicareMbi,
    NationalInsuranceNumber,
    NhsNumber,
    Ssn,
    Uuid,
)
from synthdata_sdk.generation.semantics.network import IPv4, IPv6, MacAddress
from synthdata_sdk.generation.semantics.payments import CreditCard, Iban
from synthdata_sdk.generation.semantics.people import (
    Company,
    FirstName,
    FullName,
    JobTitle,
    LastName,
    Username,
)
from synthdata_sdk.generation.semantics.regions import Region, RegionCode
from synthdata_sdk.generation.semantics.vocabulary import CurrencyCode, Status
from synthdata_sdk.options import SUPPORTED_LOCALES

__all__ = [
    "PROFILE_VARIANTS",
    "SEMANTICS",
    "SUPPORTED_LOCALES",
    "Semantic",
    "get_semantic",
    "lookup_semantic",
]

_ALL: tuple[Semantic, ...] = (
    Uuid(),
    FirstName(),
    LastName(),
    FullName(),
    Username(),
    Company(),
    JobTitle(),
    Email(),
    Phone(),
    Url(),
    Hostname(),
    DateOfBirth(),
    StreetAddress(),
    City(),
    Postcode(),
    Region(),
    RegionCode(),
    Country(),
    CountryCode(),
    CurrencyCode(),
    Status(),
    Ssn(),
    CreditCard(),
    Iban(),
    IPv4(),
    IPv6(),
    MacAddress(),
    NhsNumber(),
    NationalInsuranceNumber(),
    MedicareMbi(),
)

#: every semantic by name (read-only)
SEMANTICS: Mapping[str, Semantic] = MappingProxyType({s.name: s for s in _ALL})


def get_semantic(name: str) -> Semantic:
    """The semantic called ``name``; ``KeyError`` if there is none."""
    return SEMANTICS[name]


#: (profile, semantic) -> the semantic that profile draws instead (read-only)
PROFILE_VARIANTS: Mapping[tuple[str, str], Semantic] = MappingProxyType(
    {("hipaa", "date_of_birth"): YearOnlyDateOfBirth()}
)
_BY_NAME: Mapping[str, Semantic] = MappingProxyType(
    {**SEMANTICS, **{s.name: s for s in PROFILE_VARIANTS.values()}}
)


def lookup_semantic(name: str) -> Semantic:
    """A semantic or a profile variant by name (what a plan records); ``KeyError`` if none."""
    return _BY_NAME[name]
