"""The ``hipaa`` profile's planning: HIPAA Safe Harbor (45 CFR 164.514(b)(2)).

Dates of birth become year-only dates, ages are capped at 89 and en_US ZIP fields always use
the ZIP3-safe postcode semantic; a schema that cannot hold such values is refused. Which
fields these are is read from the semantic, else the property name (``patient_dob``,
``billing_zip``, ``age``), whatever the other keywords say.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.nodes.base import Node
from synthdata_sdk.generation.nodes.combinators import GuardNode
from synthdata_sdk.generation.nodes.scalars import Distribution, integer_range, number_node
from synthdata_sdk.generation.nodes.strings import LengthRule, SemanticNode, TemporalNode
from synthdata_sdk.generation.planning.profile_policy import ProfilePolicy
from synthdata_sdk.generation.planning.subschema import Subschema
from synthdata_sdk.generation.semantics import PROFILE_VARIANTS, get_semantic
from synthdata_sdk.generation.semantics.address import SAFE_ZIP3
from synthdata_sdk.generation.semantics.dates import YEAR_ONLY_FIRST
from synthdata_sdk.generation.validator import value_validator
from synthdata_sdk.safe_harbor import MAX_AGE, RESTRICTED_ZIP3
from synthdata_sdk.schema.inference import NO_SEMANTIC, is_age_name, says_birth, semantic_for_name

_REASONS = {
    "date_of_birth": "hipaa: dates of birth must be year only (45 CFR 164.514(b)(2)(i)(C))",
    "postcode": "hipaa: US ZIP codes must have ZIP3 000 or 003 here (45 CFR 164.514(b)(2)(i)(B))",
    "age": "hipaa: ages over 89 must be aggregated as 90+; this field cannot hold that",
}
_FULL_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_US_ZIP = re.compile(r"(\d{3})(\d{2}(-\d{4})?)?")


class HipaaPolicy(ProfilePolicy):
    """Safe Harbor's date-of-birth, ZIP and age rules, applied while planning."""

    def string(self, sub: Subschema, lengths: LengthRule) -> Node | None:
        """A Safe Harbor field drawn from its safe semantic, or SchemaError if it cannot be."""
        protected = self._protected(sub)
        if protected is None:
            return None
        reason = _REASONS[protected]
        base = get_semantic(protected)
        base.check_options(
            {k: v for k, v in sub.ext.items() if k in ("luhn", "checksum")}, sub.pointer
        )
        semantic = PROFILE_VARIANTS.get(("hipaa", protected), base)
        fmt = sub.schema.get("format")
        if fmt is not None and fmt != semantic.format:
            expected = f"format {semantic.format!r}" if semantic.format else "no format"
            raise SchemaError(sub.pointer, "format", f"{reason}; format {fmt!r} is not", expected)
        size = semantic.domain_size(self.locale, {})
        domain = semantic.values(np.arange(size, dtype=np.int64), self.locale, {})
        pattern = sub.schema.get("pattern")
        fitting = [v for v in domain if pattern is None or re.search(pattern, v)]
        example = domain[len(domain) // 2]
        if not fitting:
            raise SchemaError(
                sub.pointer,
                "pattern",
                f"{reason}; the pattern allows none",
                f"values like {example}",
            )
        fitting = [v for v in fitting if lengths.admits(len(v))]
        if not fitting:
            raise SchemaError(
                sub.pointer,
                "minLength/maxLength",
                f"{reason}; the length limits allow none",
                f"lengths that admit {len(example)} characters",
            )
        if sub.unique and len(fitting) < self.rows:
            raise SchemaError(
                sub.pointer,
                "x-synthdata/unique",
                f"{reason}, so only {len(fitting)} distinct values exist"
                f" but {self.rows} rows were requested",
                f"at most {len(fitting)} rows, or no unique",
            )
        self.semantics.add(semantic.name)
        self.rules.add(f"hipaa:{protected}")
        if len(fitting) == len(domain):
            return SemanticNode(semantic, {}, lengths, self.locale, sub.pointer, sub.unique)
        node = SemanticNode(semantic, {}, LengthRule(), self.locale, sub.pointer, sub.unique)
        return GuardNode(node, value_validator(sub.schema), "pattern", sub.pointer)

    def numbers(self, kind: str, sub: Subschema) -> tuple[dict[str, Any], str]:
        """An age field's schema capped at 89 (from 0 when unbounded below), or SchemaError."""
        schema = sub.schema
        if not is_age_name(sub.name):
            return schema, ""
        _numeric(kind, schema, sub.pointer)  # an impossible range keeps its own error
        capped = {**schema, "maximum": min(schema.get("maximum", MAX_AGE), MAX_AGE)}
        unbounded_below = "minimum" not in schema and "exclusiveMinimum" not in schema
        if unbounded_below and schema.get("exclusiveMaximum", 1) > 0:
            capped["minimum"] = 0
        try:
            _numeric(kind, capped, sub.pointer)
        except SchemaError:
            keyword = next(
                (k for k in ("minimum", "exclusiveMinimum", "multipleOf") if k in schema),
                "maximum",
            )
            raise SchemaError(
                sub.pointer,
                keyword,
                _REASONS["age"],
                f"room for an age of {MAX_AGE} or less",
            ) from None
        self.rules.add("hipaa:age")
        return capped, "hipaa caps ages at 89"

    def check_choices(self, choices: Sequence[Any], sub: Subschema) -> None:
        """Refuse enum/const values Safe Harbor forbids in a date-of-birth, ZIP or age field."""
        protected = self._protected(sub)
        age = is_age_name(sub.name)
        keyword = "enum" if "enum" in sub.schema else "const"
        for choice in choices:
            rule = None
            if isinstance(choice, str) and protected == "date_of_birth":
                rule = None if _year_only(choice) else protected
            elif isinstance(choice, str) and protected == "postcode":
                rule = None if _zip3_safe(choice) else protected
            elif age and isinstance(choice, int | float) and not isinstance(choice, bool):
                rule = "age" if choice > MAX_AGE else None
            if rule is not None:
                raise SchemaError(sub.pointer, keyword, f"{_REASONS[rule]}; {choice!r} breaks it")

    def _protected(self, sub: Subschema) -> str | None:
        """``date_of_birth`` or ``postcode`` (en_US) for the fields Safe Harbor constrains: by
        semantic, else, whatever the other keywords, by the name or its trailing words
        (``patient_dob``, ``billing_zip``), or a birth word on a date (``born_on``)."""
        declared = sub.ext.get("semantic")
        semantic = (None if declared == NO_SEMANTIC else declared) or semantic_for_name(sub.name)
        if (
            semantic is None
            and sub.schema.get("format") in TemporalNode.LENGTHS
            and says_birth(sub.name)
        ):
            semantic = "date_of_birth"
        if semantic == "date_of_birth" or (semantic == "postcode" and self.locale == "en_US"):
            return str(semantic)
        return None


def _numeric(kind: str, schema: dict[str, Any], pointer: str) -> None:
    """SchemaError if no integer (or number) fits the bounds of ``schema``."""
    if kind == "integer":
        integer_range(schema, pointer)
    else:
        number_node(schema, pointer, Distribution(), False)


def _year_only(value: str) -> bool:
    """Whether a date-of-birth value is safe: not a full date, or ``YYYY-01-01`` aged <= 89."""
    match = _FULL_DATE.match(value)
    if match is None:
        return True
    return match[2] == "01" and match[3] == "01" and int(match[1]) >= YEAR_ONLY_FIRST


def _zip3_safe(value: str) -> bool:
    """Whether a US ZIP value is safe: ZIP3 000/003 when five digits, never a restricted ZIP3."""
    match = _US_ZIP.fullmatch(value)
    if match is None:
        return True
    return match[1] in SAFE_ZIP3 if match[2] else match[1] not in RESTRICTED_ZIP3
