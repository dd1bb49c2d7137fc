"""A generation request and its fingerprint (see ARCHITECTURE: the request fingerprint)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: compliance profiles a request may name
PROFILES = ("gdpr", "hipaa", "pci_dss")
#: the largest dataset one request may ask for
MAX_ROWS = 100_000_000
MAX_SEED = 2**63 - 1


class DatasetRequest(BaseModel):
    """Everything that decides a dataset's records. The output format is not part of it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    normalized_schema: dict[str, Any] = Field(description="The normalised JSON Schema.")
    rows: int = Field(ge=0, le=MAX_ROWS)
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    locale: str = "en_US"
    compliance: tuple[str, ...] = ()
    data_version: str = Field(description="Engine version and hash of the pools drawn from.")
    source: str = Field(default="", description="Where the schema came from; not fingerprinted.")
    name: str | None = Field(
        default=None, description="The dataset's name (template, title or model)."
    )

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        from synthdata_sdk.generation.semantics import SUPPORTED_LOCALES

        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"unknown locale {value!r}; expected one of {list(SUPPORTED_LOCALES)}")
        return value

    @field_validator("compliance")
    @classmethod
    def _known_profiles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for profile in value:
            if profile not in PROFILES:
                raise ValueError(
                    f"unknown compliance profile {profile!r}; expected any of {list(PROFILES)}"
                )
        return tuple(sorted(set(value)))

    def fingerprint_payload(self) -> dict[str, Any]:
        """The fields the fingerprint covers."""
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
