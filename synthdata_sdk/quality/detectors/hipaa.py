"""HIPAA Safe Harbor quasi-identifiers (45 CFR 164.514(b)(2)): birth dates, ages, ZIP codes.

Safe Harbor keeps dates as the year only, folds ages over 89 (and birth years that imply
them) into one "90 or older" category, and keeps only the first three ZIP digits, or
``000`` where that ZIP3 holds 20,000 people or fewer. Ages are counted on the fixed
reference date 2025-01-01 (the date the generator uses), so verdicts never change with
the day a scan runs.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import ClassVar

from synthdata_sdk.quality.detectors.base import Detector, Text, distinct, register, spans_at
from synthdata_sdk.quality.detectors.fields import Field
from synthdata_sdk.quality.masking import mask_year
from synthdata_sdk.safe_harbor import LOWEST_ZIP, MAX_AGE, RESTRICTED_ZIP3

#: ages are counted on this day
REFERENCE_DATE = datetime.date(2025, 1, 1)
#: born on or before this day: 90 or older on the reference date
LAST_BIRTH_OVER_MAX = datetime.date(REFERENCE_DATE.year - MAX_AGE - 1, 1, 1)

_SPECIFIC_RULE = (
    "date of birth more specific than the year"
    " (Safe Harbor keeps the year only; 45 CFR 164.514(b)(2)(i)(C))"
)
_OLD_RULE = (
    "birth date or year implies an age over 89 on 2025-01-01"
    " (Safe Harbor folds these into one 90-or-older category)"
)
_AGE_RULE = "age over 89 (Safe Harbor folds ages over 89 into one 90-or-older category)"
_ZIP3_RULE = "ZIP code in a Safe Harbor restricted ZIP3 (20,000 people or fewer; safe: 000)"
_ZIP5_RULE = (
    "full ZIP code (Safe Harbor allows the first three digits only; a ZIP below 00501, the"
    " lowest assigned, names no place)"
)

_YEAR = r"(?:1[89]|20)\d\d"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
# ISO (and / or . separated) year-month-day, US month/day/year, or a year alone
_DATE = (
    rf"(?:{_YEAR}[-/.]{_MONTH}[-/.]{_DAY}(?![\d])|{_MONTH}/{_DAY}/{_YEAR}|{_YEAR})"
    r"(?!\d|[-/.]\d)"
)
_FIELD_DATE = re.compile(rf"(?<![\d\-/.]){_DATE}", re.ASCII)
# in text, a date right after a birth keyword; matched at each keyword the text holds
_BIRTH_KEYWORDS = ("born", "dob", "d.o.b", "birth")
# (a separator after the word, and no word right after the date, so a code such as
# "DOB1930X" is no birth date; an ISO time may follow: "1950-03-04T08:00")
_TEXT_DATE = re.compile(
    r"(?<![A-Za-z])(?:born(?:[ \t]+(?:on|in))?|d\.?o\.?b\.?|birth(?:[ \t]*date|day)?)"
    rf"(?:[ \t]*[:=][ \t]*|[ \t]+)(?P<date>{_DATE})(?!(?!T\d)\w)",
    re.ASCII | re.IGNORECASE,
)
_ISO = re.compile(rf"({_YEAR})[-/.]({_MONTH})[-/.]({_DAY})", re.ASCII)
_US = re.compile(rf"({_MONTH})/({_DAY})/({_YEAR})", re.ASCII)
_YEAR_ONLY = re.compile(_YEAR, re.ASCII)

_FIELD_AGE = re.compile(r"(?<![\d.])\d{1,3}(?![\d.+])", re.ASCII)
# in text: "aged 93", "age: 93" (matched at "age") and "93 years old" (ending at "old")
# (a separator between word and number, so codes such as "AGE92ELH" are not ages; and prose
# only, lower or title case: an all-caps code such as "XQ AGE 95" is not read as an age)
_AGE_AFTER = re.compile(
    r"(?<![A-Za-z])[Aa]ge[d:]?(?:[ \t]*[:=][ \t]*|[ \t]+)(?P<age>\d{2,3})(?![\w.+])",
    re.ASCII,
)
_AGE_BEFORE = re.compile(
    r"(?<![\w.])(?P<age>\d{2,3})[ \t-]*(?:[Yy]ears?|[Yy]rs?)[ \t-]*old\b", re.ASCII
)
_ZIP = re.compile(r"(?<![\w-])\d{3}(?:\d\d(?:-\d{4})?)?(?![\w]|-\d)", re.ASCII)
_ZIP_SHAPE = re.compile(r"\d{3}(?:\d\d(?:-\d{4})?)?", re.ASCII)


def parse_birth(value: str) -> tuple[int, int | None, int | None] | None:
    """``(year, month, day)`` of a date (month and day ``None`` for a year alone)."""
    value = value.strip()
    if match := _ISO.fullmatch(value):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _US.fullmatch(value):
        month, day, year = int(match[1]), int(match[2]), int(match[3])
    elif _YEAR_ONLY.fullmatch(value):
        return int(value), None, None
    else:
        return None
    try:
        datetime.date(year, month, day)
    except ValueError:
        return None
    return year, month, day


def judge_birth(value: str) -> str | None:
    """The Safe Harbor rules a date of birth breaks, joined by ``; ``, or ``None``.

    A year alone counts as 1 January of that year (the oldest the person can be), so both
    "born on or before 1935-01-01" and "born in 1935 or earlier" imply an age over 89.
    """
    parsed = parse_birth(value)
    if parsed is None:
        return None
    year, month, day = parsed
    rules = []
    if month is not None and (month, day) != (1, 1):
        rules.append(_SPECIFIC_RULE)
    birth = datetime.date(year, month or 1, day or 1)
    if birth <= LAST_BIRTH_OVER_MAX:
        rules.append(_OLD_RULE)
    return "; ".join(rules) or None


def _says_birth(field: Field) -> bool:
    return field.semantic == "date_of_birth" or field.says("dob", "birth", "birthday", "born")


@register
class DateOfBirth(Detector):
    """Dates of birth in a birth-date field (or after "born", "DOB"... in text)."""

    name: ClassVar[str] = "date_of_birth"
    reads_uuids: ClassVar[bool] = True
    description: ClassVar[str] = "the year only (or YYYY-01-01), born 1936 or later"
    numeric: ClassVar[bool] = True

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        if _says_birth(field):
            yield from (m.span() for m in _FIELD_DATE.finditer(text.raw))
            return
        spans = spans_at(_TEXT_DATE, text.raw, text.finds(*_BIRTH_KEYWORDS))
        yield from distinct(m.span("date") for m in spans)

    def judge(self, value: str, field: Field) -> str | None:
        return judge_birth(value)

    def mask(self, value: str) -> str:
        parsed = parse_birth(value)
        return mask_year(parsed[0]) if parsed else "****"


def _says_age(field: Field) -> bool:
    return field.name == "age" or field.name.endswith("_age")


@register
class Age(Detector):
    """Ages over 89 in an age field (``age``, ``*_age``) or in text ("aged 93", "93 years old")."""

    name: ClassVar[str] = "age"
    reads_uuids: ClassVar[bool] = True
    description: ClassVar[str] = "89 or less (older ages folded into 90+)"
    numeric: ClassVar[bool] = True

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        raw = text.raw
        if _says_age(field):
            yield from (m.span() for m in _FIELD_AGE.finditer(raw))
            return
        spans = [m.span("age") for m in spans_at(_AGE_AFTER, raw, text.finds("age"))]
        for position in text.finds("old"):
            line_start, line_end = text.line(position)
            low = max(line_start, position - 24)
            match = _AGE_BEFORE.search(raw, low, line_end)
            if match is not None and match.end() == position + 3:
                spans.append(match.span("age"))
        yield from distinct(spans)

    def judge(self, value: str, field: Field) -> str | None:
        value = value.strip()
        if not value.isdigit() or not value.isascii() or len(value) > 3:
            return None
        return _AGE_RULE if int(value) > MAX_AGE else None

    def mask(self, value: str) -> str:
        return f">{MAX_AGE}"


def _says_zip(field: Field) -> bool:
    return (
        field.semantic == "postcode"
        or field.says("zip", "zipcode", "postcode")
        or ("postal_code" in field.name)
    )


@register
class ZipCode(Detector):
    """US-shaped ZIP codes (``12345``, ``12345-6789``, ``123``) in postcode fields."""

    name: ClassVar[str] = "zip_code"
    reads_uuids: ClassVar[bool] = True
    description: ClassVar[str] = "an unrestricted ZIP3, or a full ZIP below 00501 (unassigned)"
    numeric: ClassVar[bool] = True

    def active(self, field: Field) -> bool:
        return _says_zip(field)

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        yield from (m.span() for m in _ZIP.finditer(text.raw))

    def judge(self, value: str, field: Field) -> str | None:
        value = value.strip()
        if not _ZIP_SHAPE.fullmatch(value):
            return None
        if value[:3] in RESTRICTED_ZIP3:
            return _ZIP3_RULE
        if len(value) >= 5 and value[:5] >= LOWEST_ZIP:
            return _ZIP5_RULE
        return None
