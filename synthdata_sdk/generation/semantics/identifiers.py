"""Identifiers of people and records: UUID, US SSN, NHS number, UK NI number, Medicare MBI.

Each person identifier comes from a range its issuer has published as never issued (or
reserved for tests), so no value can be a real person's number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from synthdata_sdk.generation.semantics.base import MAX_DOMAIN, Indices, Semantic, mixed_radix
from synthdata_sdk.generation.semantics.mixing import scramble
from synthdata_sdk.generation.semantics.pools import Pool
from synthdata_sdk.generation.semantics.render import Codes, codes, join, padded, rows_as_text

_HEX = codes("0123456789abcdef")
#: where the 32 hex digits of a UUID go in its 36-character text form
_UUID_SLOTS = np.array([*range(8), *range(9, 13), *range(14, 18), *range(19, 23), *range(24, 36)])
_VERSION_MASK = np.uint64(0xFFFF_FFFF_FFFF_0FFF)
_VERSION_4 = np.uint64(0x4000)
_VARIANT_RFC4122 = np.uint64(0x8000_0000_0000_0000)

#: SSN areas outside the never-assigned 000 and 666 (SSA never issues 9xx SSNs either,
#: but 9xx with some groups are real ITINs, so those stay out altogether)
SSN_AREAS = np.array([a for a in range(1, 900) if a != 666], dtype=np.int64)
SSN_NEVER_AREAS = np.array([0, 666], dtype=np.int64)
# three disjoint never-assigned shapes: group 00 in a normal area, serial 0000 in a normal
# area and group, and any group and serial in area 000 or 666
_SSN_GROUP_ZERO = len(SSN_AREAS) * 10_000
_SSN_SERIAL_ZERO = len(SSN_AREAS) * 99
_SSN_NEVER_AREA = len(SSN_NEVER_AREAS) * 100 * 10_000

#: NI prefixes HMRC never allocates: QQ (its own example) and BG GB KN NK NT ZZ
_NINO_PREFIXES = Pool.of(("QQ", "BG", "GB", "KN", "NK", "NT", "ZZ"))
_NINO_SUFFIXES = Pool.of(tuple("ABCD"))

# CMS MBI: letters exclude S L O I B Z; position 2 is always "S" here, which no real MBI has
_MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"
_MBI_DIGITS = "0123456789"
_MBI_POSITIONS = (
    "123456789",
    "S",
    _MBI_LETTERS + _MBI_DIGITS,
    _MBI_DIGITS,
    _MBI_LETTERS,
    _MBI_LETTERS + _MBI_DIGITS,
    _MBI_DIGITS,
    _MBI_LETTERS,
    _MBI_LETTERS,
    _MBI_DIGITS,
    _MBI_DIGITS,
)


class Uuid(Semantic):
    """RFC 4122 version-4 UUIDs built from the index bits.

    The 62 bits after the variant are a bijection of the index (injective); the first 64
    bits (minus the version nibble) are a salted hash of it, so the text looks random.
    """

    name: ClassVar[str] = "uuid"
    format: ClassVar[str | None] = "uuid"
    description: ClassVar[str] = "A version-4 UUID."
    safe_rule: ClassVar[str] = "not personal; derived from the index, so unique per index"

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return MAX_DOMAIN

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        raw = indices.astype(np.uint64)
        words = np.empty((len(raw), 2), dtype=">u8")
        words[:, 0] = (scramble(raw, 64, salt=1) & _VERSION_MASK) | _VERSION_4
        words[:, 1] = scramble(raw, 62) | _VARIANT_RFC4122
        octets = words.view(np.uint8).reshape(len(raw), 16)
        text = np.full((len(raw), 36), ord("-"), dtype=np.uint8)
        text[:, _UUID_SLOTS[0::2]] = _HEX[octets >> 4]
        text[:, _UUID_SLOTS[1::2]] = _HEX[octets & 15]
        return rows_as_text(text)

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [tuple("0123456789abcdef")]


class Ssn(Semantic):
    """US SSNs of the never-assigned shapes, written ``AAA-GG-SSSS``; no checksum exists."""

    name: ClassVar[str] = "ssn"
    identifier: ClassVar[bool] = True
    description: ClassVar[str] = (
        "A US SSN of a never-assigned shape (area 000/666, group 00 or serial 0000)."
    )
    safe_rule: ClassVar[str] = (
        "never assigned: area 000 or 666, or group 00, or serial 0000; never 9xx (ITINs)"
        " (SSA POMS RM 10201.035)"
    )

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return _SSN_GROUP_ZERO + _SSN_SERIAL_ZERO + _SSN_NEVER_AREA

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        area = np.empty_like(indices)
        group = np.zeros_like(indices)
        serial = np.zeros_like(indices)

        first = indices < _SSN_GROUP_ZERO
        serial[first], where = np.divmod(indices[first], len(SSN_AREAS))
        area[first] = SSN_AREAS[where]

        second = ~first & (indices < _SSN_GROUP_ZERO + _SSN_SERIAL_ZERO)
        rest, where = np.divmod(indices[second] - _SSN_GROUP_ZERO, len(SSN_AREAS))
        area[second], group[second] = SSN_AREAS[where], rest + 1

        third = indices >= _SSN_GROUP_ZERO + _SSN_SERIAL_ZERO
        where, group[third], serial[third] = mixed_radix(
            indices[third] - _SSN_GROUP_ZERO - _SSN_SERIAL_ZERO, [2, 100, 10_000]
        )
        area[third] = SSN_NEVER_AREAS[where]
        return join(padded(area, 3), "-", padded(group, 2), "-", padded(serial, 4))

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [("000", "666"), tuple(f"{a:03d}" for a in SSN_AREAS.tolist())]


@cache
def nhs_numbers() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The 999 xxx xxx bases whose mod-11 check digit exists, and those check digits."""
    bases = np.arange(1_000_000, dtype=np.int64)
    digits = np.stack(mixed_radix(bases, [10] * 6)[::-1], axis=1)
    # weights 10..2 over the nine digits "999dddddd"; the leading 9s weigh 10, 9 and 8
    total = 9 * (10 + 9 + 8) + digits @ np.arange(7, 1, -1, dtype=np.int64)
    check = (11 - total % 11) % 11
    # a result of 10 has no check digit: leave those bases out rather than redraw
    valid = check != 10
    valid_bases, valid_checks = bases[valid], check[valid]
    valid_bases.setflags(write=False)
    valid_checks.setflags(write=False)
    return valid_bases, valid_checks


class NhsNumber(Semantic):
    """NHS numbers in the 999 synthetic range with a valid check digit, as ``999 123 4567``."""

    name: ClassVar[str] = "nhs_number"
    identifier: ClassVar[bool] = True
    description: ClassVar[str] = "An NHS number in 999 000 0000-999 999 9999, valid mod-11 check."
    safe_rule: ClassVar[str] = (
        "999 000 0000-999 999 9999, the NHS test (synthetic-data) range, never issued to"
        " patients; mod 11 check digit kept (weights 10..2), bases whose check is 10 skipped"
    )

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return len(nhs_numbers()[0])

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        bases, checks = nhs_numbers()
        base, check = bases[indices], checks[indices]
        head, tail = np.divmod(base, 1000)
        return join("999 ", padded(head, 3), " ", padded(tail * 10 + check, 4))

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [("999",)]


class NationalInsuranceNumber(Semantic):
    """UK NI numbers on never-allocated prefixes, as ``QQ123456C``; no checksum exists."""

    name: ClassVar[str] = "national_insurance_number"
    identifier: ClassVar[bool] = True
    description: ClassVar[str] = "A UK National Insurance number on a never-allocated prefix."
    safe_rule: ClassVar[str] = (
        "prefix QQ (HMRC's example) or never-allocated BG, GB, KN, NK, NT, ZZ; suffix A-D"
        " (HMRC NIM39110)"
    )

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return len(_NINO_PREFIXES) * 1_000_000 * len(_NINO_SUFFIXES)

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        number, prefix, suffix = mixed_radix(
            indices, [1_000_000, len(_NINO_PREFIXES), len(_NINO_SUFFIXES)]
        )
        return join(_NINO_PREFIXES.take(prefix), padded(number, 6), _NINO_SUFFIXES.take(suffix))

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [_NINO_PREFIXES.items, _NINO_SUFFIXES.items]


class MedicareMbi(Semantic):
    """US Medicare Beneficiary Identifiers with ``S`` in position 2, as 11 plain characters."""

    name: ClassVar[str] = "medicare_mbi"
    identifier: ClassVar[bool] = True
    description: ClassVar[str] = "A Medicare MBI in CMS's format with the never-used letter S."
    safe_rule: ClassVar[str] = (
        "CMS MBI format with 'S' in position 2; real MBIs never use S, L, O, I, B or Z"
        " (CMS MBI format specification)"
    )

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return math.prod(len(alphabet) for alphabet in _MBI_POSITIONS)

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        digits = mixed_radix(indices, [len(alphabet) for alphabet in _MBI_POSITIONS])
        text: Codes = np.stack(
            [
                codes(alphabet)[digit]
                for alphabet, digit in zip(_MBI_POSITIONS, digits, strict=True)
            ],
            axis=1,
        )
        return rows_as_text(text)

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [_MBI_POSITIONS]
