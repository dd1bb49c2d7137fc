"""National identifiers: US SSN and ITIN, UK NHS and National Insurance numbers, Medicare MBI.

Bare digit runs (``123456789``) are too common to read as identifiers everywhere: SSNs,
ITINs and NHS numbers without separators count only in a field whose name says so
(``ssn``, ``itin``, ``nhs_number``...) or in a text that names them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from stdnum.gb import nhs

from synthdata_sdk.quality.detectors.base import Detector, Text, register
from synthdata_sdk.quality.detectors.fields import Field, says_phone

_SSN_RULE = "issuable SSN (safe: area 000 or 666, group 00 or serial 0000; SSA POMS RM 10201.035)"
_ITIN_RULE = (
    "IRS ITIN (9xx with group 50-65, 70-88, 90-92 or 94-99) or ATIN (group 93), issued to"
    " real people (safe: SSN area 000 or 666)"
)
_NHS_RULE = "mod-11 valid NHS number outside 999 000 0000-999 999 9999 (safe: the 999 test range)"
_NINO_RULE = (
    "National Insurance number on an allocatable prefix"
    " (safe: QQ or never-allocated BG, GB, KN, NK, NT, ZZ; HMRC NIM39110)"
)
_NINO_ADMIN_RULE = (
    "National Insurance number on an administrative prefix used for real people"
    " (TN, OO, CR, MW, NC; safe: QQ, BG, GB, KN, NK, NT, ZZ; HMRC NIM39110)"
)
_MBI_RULE = (
    "Medicare MBI in CMS format without S in position 2 (safe: S in position 2, a letter"
    " CMS never uses; CMS MBI format specification)"
)

# on the shape: AAA-GG-SSSS anywhere; bare or spaced only in a field or line that names it
_SSN_DASHED = ("9-99-9", re.compile(r"999-99-9999(?<![\w-]999-99-9999)(?!\w|-9)", re.ASCII))
_SSN_LOOSE = re.compile(r"999(?<![\w-]999)[- ]?99[- ]?9999(?!\w|[- ]9)", re.ASCII)
_SSN_WORDS = re.compile(r"\b(?:ssn|social security)\b", re.IGNORECASE)
_ITIN_WORDS = re.compile(r"\b(?:itin|atin|taxpayer)\b", re.IGNORECASE)
#: 3-2-4 digits with one separator used throughout (or none): ``10001-1234`` is a ZIP+4
_SSN_SHAPE = re.compile(r"(\d{3})(?P<sep>[- ]?)(\d{2})(?P=sep)(\d{4})", re.ASCII)

_NHS_SPACED = ("9 999 9", re.compile(r"999 999 9999(?<![\w-]999 999 9999)(?![\w-]| 9)", re.ASCII))
_NHS_LOOSE = re.compile(r"999(?<![\w-]999) ?999 ?9999(?![\w-]| 9)", re.ASCII)
_NHS_WORDS = re.compile(r"\bnhs\b", re.IGNORECASE)
_NHS_SHAPE = re.compile(r"\d{3} ?\d{3} ?\d{4}", re.ASCII)

# on the shape, anchored on the second letter and the digits (a literal prefix, checked
# with ``in`` first): two letters, maybe a space, 6 digits (maybe in pairs), a letter
_NINO = tuple(
    (
        needle,
        re.compile(rf"{needle}(?<=(?<!\w)[aA]{needle}) ?[aA](?!\w)", re.ASCII),
    )
    for needle in (
        f"{letter}{space}{digits}"
        for letter in "Aa"
        for space in ("", " ")
        for digits in ("999999", "99 99 99")
    )
)
_NINO_SHAPE = re.compile(r"[A-Z]{2}\d{6}[A-D]", re.ASCII)
#: never allocated (HMRC NIM39110); QQ is HMRC's own example and fails the letter rules
_NINO_NEVER = frozenset({"BG", "GB", "KN", "NK", "NT", "ZZ"})
#: administrative prefixes of real people's records
_NINO_ADMIN = frozenset({"TN", "OO", "CR", "MW", "NC"})

# CMS: numeric 1-9, letter, alphanumeric, digit, letter, alphanumeric, digit, letter,
# letter, digit, digit; written plain or with dashes after positions 4 and 7; upper case
_MBI = re.compile(r"9A(?<![\w-]9A)[A9]9-?A[A9]9-?AA99(?!\w|-\w)", re.ASCII)
_MBI_SHAPE = re.compile(r"[1-9][A-Z][A-Z0-9]\d[A-Z][A-Z0-9]\d[A-Z]{2}\d\d", re.ASCII)
#: letters CMS never uses in an MBI
_MBI_NEVER = frozenset("SLOIBZ")


def _loose_spans(
    text: Text,
    strict: tuple[str, re.Pattern[str]],
    loose: re.Pattern[str],
    field_says: bool,
    keywords: tuple[str, ...],
    words: re.Pattern[str],
) -> Iterator[tuple[int, int]]:
    """``strict`` matches everywhere (if its needle occurs in the shape); ``loose`` ones in a
    field, or on a line, that names the identifier."""
    if field_says:
        yield from (m.span() for m in loose.finditer(text.shape))
        return
    needle, pattern = strict
    spans = {m.span() for m in pattern.finditer(text.shape)} if needle in text.shape else set()
    for start, end in text.keyword_lines(keywords, words):
        spans.update(m.span() for m in loose.finditer(text.shape, start, end))
    yield from sorted(spans)


_SSN_KEYWORDS = ("ssn", "social security")
_ITIN_KEYWORDS = ("itin", "atin", "taxpayer")


def _says_ssn(field: Field) -> bool:
    return field.semantic == "ssn" or field.says("ssn") or "social_security" in field.name


def _says_itin(field: Field) -> bool:
    return field.says("itin", "atin", "tin", "taxpayer")


def _says_nhs(field: Field) -> bool:
    return field.semantic == "nhs_number" or field.says("nhs")


def _ssn_parts(value: str) -> tuple[str, str, str] | None:
    match = _SSN_SHAPE.fullmatch(value.strip())
    return (match[1], match[3], match[4]) if match else None


@register
class UsSsn(Detector):
    """SSNs outside the never-assigned shapes (area 000/666/9xx, group 00, serial 0000)."""

    name: ClassVar[str] = "us_ssn"
    description: ClassVar[str] = "area 000 or 666, group 00 or serial 0000 (never assigned)"
    numeric: ClassVar[bool] = True

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        spans = _loose_spans(
            text, _SSN_DASHED, _SSN_LOOSE, _says_ssn(field), _SSN_KEYWORDS, _SSN_WORDS
        )
        yield from ((s, e) for s, e in spans if text.raw[s] != "9")

    def judge(self, value: str, field: Field) -> str | None:
        # stdnum's us.ssn also rejects three famous numbers (078-05-1120...), but those
        # were issued to real people, so only the never-assigned shapes count as safe
        parts = _ssn_parts(value)
        if parts is None:
            return None
        area, group, serial = parts
        if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
            return None
        return _SSN_RULE


def _itin_group(group: int) -> bool:
    return 50 <= group <= 65 or 70 <= group <= 88 or 90 <= group <= 99


@register
class UsItin(Detector):
    """9xx-GG-SSSS numbers in the IRS ITIN groups, and ATINs (group 93).

    stdnum's ``us.itin`` predates the 50-65 groups, so the ranges are checked here.
    """

    name: ClassVar[str] = "us_itin"
    description: ClassVar[str] = "none: every 9xx-GG-SSSS in an ITIN group (or ATIN 93) is real"
    numeric: ClassVar[bool] = True

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        says = _says_itin(field) or _says_ssn(field)
        spans = _loose_spans(text, _SSN_DASHED, _SSN_LOOSE, says, _ITIN_KEYWORDS, _ITIN_WORDS)
        yield from ((s, e) for s, e in spans if text.raw[s] == "9")

    def judge(self, value: str, field: Field) -> str | None:
        parts = _ssn_parts(value)
        if parts is None or parts[0][0] != "9" or not _itin_group(int(parts[1])):
            return None
        return _ITIN_RULE


@register
class NhsNumber(Detector):
    """10-digit NHS numbers (``943 476 5919``) with a valid mod-11 check, outside 999."""

    name: ClassVar[str] = "nhs_number"
    description: ClassVar[str] = "999 000 0000-999 999 9999 (NHS test range), or mod 11 invalid"
    numeric: ClassVar[bool] = True

    def active(self, field: Field) -> bool:
        return not says_phone(field)  # "415 867 5309" in a phone field is a phone number

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        yield from _loose_spans(
            text, _NHS_SPACED, _NHS_LOOSE, _says_nhs(field), ("nhs",), _NHS_WORDS
        )

    def judge(self, value: str, field: Field) -> str | None:
        value = value.strip()
        if not _NHS_SHAPE.fullmatch(value) or not nhs.is_valid(value):
            return None
        return None if value.startswith("999") else _NHS_RULE


@register
class UkNino(Detector):
    """National Insurance numbers whose prefix HMRC can allocate, suffix A-D."""

    name: ClassVar[str] = "uk_nino"
    description: ClassVar[str] = "prefix QQ or never-allocated BG, GB, KN, NK, NT, ZZ"

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        shape = text.shape
        if "A" not in shape and "a" not in shape:  # every needle starts with a letter
            return
        for needle, pattern in _NINO:
            if needle in shape:
                yield from ((m.start() - 1, m.end()) for m in pattern.finditer(shape))

    def judge(self, value: str, field: Field) -> str | None:
        compact = value.replace(" ", "").upper()
        if not _NINO_SHAPE.fullmatch(compact):
            return None
        prefix = compact[:2]
        if prefix in _NINO_ADMIN:
            return _NINO_ADMIN_RULE
        if prefix in _NINO_NEVER or prefix[0] in "DFIQUV" or prefix[1] in "DFIOQUV":
            return None
        return _NINO_RULE


@register
class MedicareMbi(Detector):
    """Medicare Beneficiary Identifiers in CMS format with a letter other than S in position 2."""

    name: ClassVar[str] = "medicare_mbi"
    description: ClassVar[str] = "S in position 2 (a letter CMS never uses)"

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        if "9A" in text.shape:
            yield from (m.span() for m in _MBI.finditer(text.shape))

    def judge(self, value: str, field: Field) -> str | None:
        compact = value.replace("-", "").upper()
        if not _MBI_SHAPE.fullmatch(compact) or compact[1] == "S":
            return None
        if any(c in _MBI_NEVER for c in compact):
            return None  # not format-valid: CMS never issues these letters
        return _MBI_RULE
