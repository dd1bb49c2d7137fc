"""A generation request and its fingerprint (see ARCHITECTURE: the request fingerprint)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from synthdata_sdk.options import (
    DEFAULT_LOCALE,
    DEFAULT_SEED,
    MAX_ROWS,
    MAX_SEED,
    check_locale,
    check_profiles,
)


class DatasetRequest(BaseModel):
    """Everything that decides a dataset's records. The output format is not part of it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    normalized_schema: dict[str, Any] = Field(description="The normalised JSON Schema.")
    rows: int = Field(ge=0, le=MAX_ROWS)
    seed: int = Field(default=DEFAULT_SEED, ge=0, le=MAX_SEED)
    locale: str = DEFAULT_LOCALE
    compliance: tuple[str, ...] = ()
    data_version: str = Field(description="Engine version and hash of the pools drawn from.")
    source: str = Field(default="", description="Where the schema came from; not fingerprinted.")
    name: str | None = Field(
        default=None, description="The dataset's name (template, title or model)."
    )
    table_rows: dict[str, int] | None = Field(
        default=None,
        description="A table set's rows per table (tables counted per parent are left out);"
        " None for a single table.",
    )

    # the checks and their messages are the request options' (synthdata_sdk.options)
    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        return check_locale(value)

    @field_validator("compliance")
    @classmethod
    def _known_profiles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_profiles(value)

    @property
    def is_table_set(self) -> bool:
        """Whether the request is for a table set (``{"tables": {...}}``)."""
        return self.table_rows is not None

    def fingerprint_payload(self) -> dict[str, Any]:
        """The fields the fingerprint covers."""
        payload = self._single_payload()
        if self.table_rows is not None:
            # only a set has these, so a single table's fingerprint is what it always was
            payload["table_rows"] = self.table_rows
            payload["table_order"] = list(self.normalized_schema.get("tables", {}))
        return payload

    def _single_payload(self) -> dict[str, Any]:
        return {
            "schema": self.normalized_schema,
            "rows": self.rows,
            "seed": self.seed,
            "locale": self.locale,
            "compliance": list(self.compliance),
            "data_version": self.data_version,
            # sorted keys would hide property order, which is the records' key order
            "property_order": property_order(self.normalized_schema),
        }

    def fingerprint(self) -> str:
        """sha256 of the canonical JSON (sorted keys, no whitespace) of the payload."""
        return fingerprint_of(self.fingerprint_payload())


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 kept: the canonical text that gets hashed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint_of(payload: Any) -> str:
    """sha256 hex of ``canonical_json(payload)``."""
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def property_order(schema: Any, pointer: str = "") -> list[str]:
    """JSON pointers of every property, in schema order (part of the fingerprint)."""
    out: list[str] = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    child = f"{pointer}/properties/{name.replace('~', '~0').replace('/', '~1')}"
                    out.append(child)
                    out.extend(property_order(sub, child))
            elif isinstance(value, (dict, list)):
                out.extend(property_order(value, f"{pointer}/{key}"))
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            out.extend(property_order(value, f"{pointer}/{i}"))
    return out
