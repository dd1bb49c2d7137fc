"""``validate_schema``: can this source be generated from, and how would each field be drawn."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.options import DEFAULT_LOCALE


@dataclass(frozen=True)
class SchemaIssue:
    """One problem: where (JSON pointer), and what."""

    pointer: str
    message: str


@dataclass(frozen=True)
class SchemaReport:
    """The outcome of ``validate_schema``."""

    valid: bool
    errors: list[SchemaIssue] = field(default_factory=list)
    plan: dict[str, Any] = field(default_factory=dict)
    schema: dict[str, Any] | None = None
    #: keywords no supported draft defines, read as annotations (they constrain nothing)
    unknown_keywords: list[SchemaIssue] = field(default_factory=list)
    #: the draft the schema declares (``$schema``), e.g. ``draft-07``; 2020-12 by default
    draft: str = "2020-12"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the report."""
        return {
            "valid": self.valid,
            "errors": [{"pointer": e.pointer, "message": e.message} for e in self.errors],
            "plan": self.plan,
            "draft": self.draft,
            "unknown_keywords": [
                {"pointer": e.pointer, "message": e.message} for e in self.unknown_keywords
            ],
        }


def validate_schema(
    source: Any,
    *,
    locale: str = DEFAULT_LOCALE,
    compliance: Iterable[str] = (),
    base_dir: Path | None = None,
    strict_keywords: bool = False,
) -> SchemaReport:
    """Check that ``source`` can be generated from; never raises for a bad schema.

    ``compliance`` plans under those profiles, so e.g. hipaa's refusals show up as errors.
    Unknown keywords are listed in ``unknown_keywords``; ``strict_keywords`` makes them errors.
    """
    from synthdata_sdk.generation.planner import plan_records
    from synthdata_sdk.options import OptionError, check_locale, check_profiles
    from synthdata_sdk.schema.drafts import dialect_of
    from synthdata_sdk.schema.normalize import read_root
    from synthdata_sdk.schema.sources import load_source
    from synthdata_sdk.schema.table_set import is_table_set

    draft = "2020-12"
    try:
        loaded = load_source(source, base_dir)
        draft = dialect_of(loaded.schema).name
        if is_table_set(loaded.schema):
            return _table_set_report(loaded.schema, locale, compliance, strict_keywords, draft)
        read = read_root(loaded.schema, strict_keywords=strict_keywords)
        schema = read.schema
        assert isinstance(schema, dict)
        unknown = [
            SchemaIssue(u.pointer, f"{u.describe()}, read as an annotation") for u in read.unknown
        ]
        try:
            check_locale(locale)
            profiles = check_profiles(compliance)
        except OptionError as error:
            raise SchemaError("", error.option, error.detail) from None
        plan = plan_records(schema, locale=locale, compliance=profiles)
    except SchemaError as error:
        return _invalid(error, draft)
    return SchemaReport(True, [], plan.root.describe(), schema, unknown, draft)


def _table_set_report(
    document: dict[str, Any],
    locale: str,
    compliance: Iterable[str],
    strict_keywords: bool,
    draft: str,
) -> SchemaReport:
    """``validate_schema`` for a table set: every table and reference checked, one plan per
    table (``{"tables": {name: plan}}``)."""
    from synthdata_sdk.generation.tables import plan_table_set
    from synthdata_sdk.options import OptionError, check_locale, check_profiles
    from synthdata_sdk.schema.table_set import read_table_set

    try:
        try:
            check_locale(locale)
            profiles = check_profiles(compliance)
        except OptionError as error:
            raise SchemaError("", error.option, error.detail) from None
        tables = read_table_set(document, strict_keywords=strict_keywords)
        rows = {name: 1 for name in tables.order if name not in tables.per_parent}
        plan = plan_table_set(tables, rows, locale=locale, compliance=profiles)
    except SchemaError as error:
        return _invalid(error, draft)
    described = {name: table.root.describe() for name, table in plan.plans.items()}
    for ref in tables.references:  # planned as a stub: its values are the parent's keys
        properties = described[ref.table].get("properties", {})
        properties[ref.column] = {"generator": f"ref {ref.parent}.{ref.key}"}
    return SchemaReport(True, [], {"tables": described}, tables.document(), [], draft)


def _invalid(error: SchemaError, draft: str) -> SchemaReport:
    """The report of a schema refused with ``error``."""
    message = f"{error.keyword}: {error.detail}"
    if error.expected:
        message += f" (expected {error.expected})"
    return SchemaReport(False, [SchemaIssue(error.pointer, message)], draft=draft)
