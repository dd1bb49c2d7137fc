"""Coherence: the share of records whose fields agree the way a person expects them to.

Each object of a record (the record itself and every object inside it) is read by its
property names (``x-synthdata`` semantics win when a schema is given) and checked by the
rules that apply to it (docs/quality.md):

- ``handle``: an e-mail's local part and a user name are the object's own name, folded to
  ASCII: ``first{. or _}last`` and at most two digits;
- ``name``: a full name is the given name, a space and the family name, when all three exist;
- ``postcode``: a town's postcode is the one the engine's address pool gives that town;
- ``region``: a town's region (name or code) is the one the engine gives that town, and a
  region's name and code name the same region;
- ``country``: a country (name or ISO code) is the one of the record's locale, unless the
  schema lists the countries allowed (``enum``/``const``);
- ``phone``: a phone number is in the fictional range and format of the record's locale;
- ``age``: an age is the whole years from the date of birth to the reference date;
- ``span``: the dates of one format whose names carry a lifecycle word keep their order:
  each is ranked start (``created``, ``started``, ``admitted``...), in between
  (``updated``, ``last``, ``current``...) or end (``ended``, ``discharged``,
  ``expires``...), and no date is after a date of a higher rank (nulls are skipped).

The record's locale is the one its country names; without a country, any supported locale
whose rules the record meets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from synthdata_sdk.generation.semantics.address import LOCALE_COUNTRIES
from synthdata_sdk.generation.semantics.contact import phone_pattern
from synthdata_sdk.generation.semantics.pools import ascii_fold
from synthdata_sdk.generation.semantics.records import (
    ages_on_reference,
    postcode_for,
    region_for,
    timeline_rank,
)
from synthdata_sdk.generation.semantics.regions import REGIONS
from synthdata_sdk.options import SUPPORTED_LOCALES
from synthdata_sdk.schema.inference import infer_semantic, is_age_name, name_words

#: every rule, in report order
RULES = ("handle", "name", "postcode", "region", "country", "phone", "age", "span")
_BY_COUNTRY = {
    text: locale for locale, pair in LOCALE_COUNTRIES.items() for text in pair
}  # "France" and "FR" -> fr_FR
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class RuleCount:
    """How many objects one rule checked, and how many broke it."""

    rule: str
    checked: int = 0
    failed: int = 0

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return {"rule": self.rule, "checked": self.checked, "failed": self.failed}


@dataclass
class TableCoherence:
    """The coherence of one table: records whose every checked rule holds, rule by rule."""

    table: str
    rows: int = 0
    coherent_rows: int = 0
    rules: dict[str, RuleCount] = field(
        default_factory=lambda: {rule: RuleCount(rule) for rule in RULES}
    )

    @property
    def rate(self) -> float:
        """Coherent records / records (1.0 for an empty table)."""
        return self.coherent_rows / self.rows if self.rows else 1.0

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "table": self.table,
            "rows": self.rows,
            "coherent_rows": self.coherent_rows,
            "rate": self.rate,
            "rules": [count.to_json() for count in self.rules.values() if count.checked],
        }


class CoherenceMeter:
    """Checks a table's records one at a time (``add``), then reports (``result``)."""

    def __init__(self, table: str, schema: Any = None) -> None:
        self.result = TableCoherence(table)
        self._schema = schema if isinstance(schema, dict) else None

    def add(self, record: Any) -> None:
        """Check one record."""
        self.result.rows += 1
        outcomes = list(_check_value(record, self._schema))
        for rule, ok in outcomes:
            count = self.result.rules[rule]
            count.checked += 1
            count.failed += not ok
        if all(ok for _, ok in outcomes):
            self.result.coherent_rows += 1

    def feed(self, records: Iterable[Any]) -> Iterator[Any]:
        """``records`` unchanged, each checked on its way through (one pass for every meter)."""
        for record in records:
            self.add(record)
            yield record


def measure_coherence(
    records: Iterable[Any], schema: Any = None, table: str = "data"
) -> TableCoherence:
    """The coherence of ``records`` (optionally read with their ``schema``)."""
    meter = CoherenceMeter(table, schema)
    for record in records:
        meter.add(record)
    return meter.result


def _check_value(value: Any, schema: dict[str, Any] | None) -> Iterator[tuple[str, bool]]:
    if isinstance(value, dict):
        yield from _check_object(value, schema)
        properties = (schema or {}).get("properties", {})
        for key, child in value.items():
            sub = properties.get(key)
            yield from _check_value(child, sub if isinstance(sub, dict) else None)
    elif isinstance(value, list):
        items = (schema or {}).get("items")
        for child in value:
            yield from _check_value(child, items if isinstance(items, dict) else None)


def _kind(key: str, schema: dict[str, Any] | None, siblings: Iterable[str]) -> str | None:
    declared = (schema or {}).get("x-synthdata", {}).get("semantic")
    return str(declared) if declared else infer_semantic(key, None, siblings)


def _check_object(obj: dict[str, Any], schema: dict[str, Any] | None) -> Iterator[tuple[str, bool]]:
    properties = (schema or {}).get("properties", {})
    by_kind: dict[str, list[tuple[str, Any]]] = {}
    for key, value in obj.items():
        sub = properties.get(key) if isinstance(properties.get(key), dict) else None
        kind = _kind(key, sub, obj)
        if kind is not None and isinstance(value, str):
            by_kind.setdefault(kind, []).append((key, value))
    locales = _locales(by_kind)
    yield from _people(by_kind, locales)
    yield from _addresses(by_kind, locales)
    yield from _countries(by_kind, properties, locales)
    yield from _phones(by_kind, locales)
    yield from _ages(obj, by_kind)
    yield from _spans(obj)


def _locales(by_kind: Mapping[str, list[tuple[str, Any]]]) -> list[str]:
    """The record's locale as its country says, else every supported locale."""
    for kind in ("country", "country_code"):
        for _, value in by_kind.get(kind, []):
            locale = _BY_COUNTRY.get(value)
            if locale is not None:
                return [locale]
    return list(SUPPORTED_LOCALES)


def _first(by_kind: Mapping[str, list[tuple[str, Any]]], kind: str) -> str | None:
    values = by_kind.get(kind)
    return values[0][1] if values else None


def _people(
    by_kind: Mapping[str, list[tuple[str, Any]]], locales: list[str]
) -> Iterator[tuple[str, bool]]:
    first, last, full = (_first(by_kind, k) for k in ("first_name", "last_name", "full_name"))
    if first is not None and last is not None and full is not None:
        yield "name", full == f"{first} {last}"
    if (first is None or last is None) and full is not None and " " in full:
        first, last = full.split(" ", 1)
    if first is None or last is None:
        return
    handles = [value.split("@", 1)[0] for _, value in by_kind.get("email", [])]
    handles += [value for _, value in by_kind.get("username", [])]
    for handle in handles:
        yield "handle", any(_is_handle(handle, first, last, locale) for locale in locales)


def _is_handle(handle: str, first: str, last: str, locale: str) -> bool:
    given, family = re.escape(ascii_fold(first, locale)), re.escape(ascii_fold(last, locale))
    return re.fullmatch(rf"{given}[._]{family}\d{{0,2}}", handle) is not None


def _addresses(
    by_kind: Mapping[str, list[tuple[str, Any]]], locales: list[str]
) -> Iterator[tuple[str, bool]]:
    city, postcode = _first(by_kind, "city"), _first(by_kind, "postcode")
    if city is not None and postcode is not None:
        yield "postcode", any(postcode_for(city, locale) == postcode for locale in locales)
    regions = [value for _, value in by_kind.get("region", [])]
    codes = [value for _, value in by_kind.get("region_code", [])]
    if city is not None:
        for position, values in enumerate((regions, codes)):
            for value in values:
                yield "region", any(region_for(city, loc)[position] == value for loc in locales)
    elif regions and codes:
        # no town to follow: the name and the code must still be one region
        pairs = {pair for loc in locales for pair in REGIONS[loc]}
        yield "region", all((name, code) in pairs for name in regions for code in codes)


def _countries(
    by_kind: Mapping[str, list[tuple[str, Any]]],
    properties: Mapping[str, Any],
    locales: list[str],
) -> Iterator[tuple[str, bool]]:
    for position, kind in enumerate(("country", "country_code")):
        for key, value in by_kind.get(kind, []):
            sub = properties.get(key)
            if isinstance(sub, dict) and ("enum" in sub or "const" in sub):
                continue  # the schema says which countries: it wins over the locale
            yield "country", any(LOCALE_COUNTRIES[loc][position] == value for loc in locales)


def _phones(
    by_kind: Mapping[str, list[tuple[str, Any]]], locales: list[str]
) -> Iterator[tuple[str, bool]]:
    for _, value in by_kind.get("phone", []):
        yield "phone", any(phone_pattern(loc).fullmatch(value) for loc in locales)


def _ages(
    obj: Mapping[str, Any], by_kind: Mapping[str, list[tuple[str, Any]]]
) -> Iterator[tuple[str, bool]]:
    born = _first(by_kind, "date_of_birth")
    if born is None or not _ISO_DATE.fullmatch(born):
        return
    expected = ages_on_reference(np.array([born], dtype="datetime64[D]"))[0]
    for key, value in obj.items():
        if is_age_name(key) and isinstance(value, int) and not isinstance(value, bool):
            yield "age", value == expected


def _spans(obj: Mapping[str, Any]) -> Iterator[tuple[str, bool]]:
    # one timeline per format (a date is 10 characters, a date-time 20): rank -> values
    timelines: dict[int, dict[int, list[str]]] = {}
    for key, value in obj.items():
        if not isinstance(value, str) or not _ISO_DATE.match(value):
            continue
        rank = timeline_rank(name_words(key))
        if rank is not None:
            timelines.setdefault(len(value), {}).setdefault(rank, []).append(value)
    for by_rank in timelines.values():
        if len(by_rank) < 2:
            continue
        ranks = sorted(by_rank)
        # every value of a rank is at most every value of each higher rank
        yield (
            "span",
            all(
                max(by_rank[low]) <= min(by_rank[high])
                for i, low in enumerate(ranks)
                for high in ranks[i + 1 :]
            ),
        )
