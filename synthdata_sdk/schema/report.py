"""``validate_schema``: can this source be generated from, and how would each field be drawn."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synthdata_sdk.errors import SchemaError


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

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the report."""
        return {
            "valid": self.valid,
            "errors": [{"pointer": e.pointer, "message": e.message} for e in self.errors],
            "plan": self.plan,
        }


def validate_schema(
    source: Any,
    *,
    locale: str = "en_US",
    compliance: Iterable[str] = (),
    base_dir: Path | None = None,
) -> SchemaReport:
    """Check that ``source`` can be generated from; never raises for a bad schema.

    ``compliance`` plans under those profiles, so e.g. hipaa's refusals show up as errors.
    """
    from synthdata_sdk.generation.planner import plan_records
    from synthdata_sdk.options import OptionError, check_locale, check_profiles
    from synthdata_sdk.schema.normalize import normalize_root
    from synthdata_sdk.schema.sources import load_source

    try:
        loaded = load_source(source, base_dir)
        schema = normalize_root(loaded.schema)
        try:
            check_locale(locale)
            profiles = check_profiles(compliance)
        except OptionError as error:
            raise SchemaError("", error.option, error.detail) from None
        plan = plan_records(schema, locale=locale, compliance=profiles)
    except SchemaError as error:
        message = f"{error.keyword}: {error.detail}"
        if error.expected:
            message += f" (expected {error.expected})"
        return SchemaReport(False, [SchemaIssue(error.pointer, message)])
    return SchemaReport(True, [], plan.root.describe(), schema)
