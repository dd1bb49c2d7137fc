"""Schema validity: each record checked against the schema, with the first errors kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from jsonschema.exceptions import best_match

from synthdata_sdk.schema.drafts import validator_for_schema

#: how many invalid rows a table keeps an error for
MAX_ERRORS = 20
#: error messages quote the instance; longer ones are cut
MAX_MESSAGE = 300


@dataclass(frozen=True)
class SchemaErrorSample:
    """Why one row is invalid: its most relevant error, at a JSON pointer inside the row."""

    table: str
    row: int
    path: str
    keyword: str
    message: str

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return asdict(self)


@dataclass
class ValidityCheck:
    """Validates records one at a time (in the schema's declared draft, ``format`` asserted)."""

    table: str
    schema: Mapping[str, Any]
    checked: int = 0
    valid: int = 0
    errors: list[SchemaErrorSample] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._validator = validator_for_schema(self.schema)

    def add(self, row: int, record: Any) -> None:
        """Validate the record at index ``row``."""
        self.checked += 1
        error = best_match(self._validator.iter_errors(record))
        if error is None:
            self.valid += 1
        elif len(self.errors) < MAX_ERRORS:
            self.errors.append(
                SchemaErrorSample(
                    self.table,
                    row,
                    json_pointer(error.absolute_path),
                    str(error.validator),
                    _cut(error.message),
                )
            )


def json_pointer(parts: Any) -> str:
    """The RFC 6901 pointer of a path of keys and indexes (``""`` for the whole record)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _cut(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"
