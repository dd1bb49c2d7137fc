"""The subschema being planned and where it stands: what every planning step reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from synthdata_sdk.schema.keywords import EXTENSION

#: share of nulls for a nullable type without an explicit ``null_rate``
DEFAULT_NULL_RATE = 0.1
#: keywords met by a check rather than by construction (dependentSchemas: the dependent
#: schemas are merged in, and what does not merge exactly must still be checked)
GUARDED = ("oneOf", "not", "contains", "allOf", "dependentSchemas")


class Impossible(Exception):  # noqa: N818 - a control-flow signal, not an error for users
    """The subschema accepts no value at all; the caller decides whether that is fatal."""

    def __init__(self, pointer: str, reason: str) -> None:
        super().__init__(reason)
        self.pointer = pointer
        self.reason = reason


@dataclass(frozen=True)
class Subschema:
    """One subschema (``true`` already read as ``{}``), its pointer and the property it fills."""

    schema: dict[str, Any]
    #: where it is in the root schema, for errors and for seeding its column
    pointer: str
    #: the property whose value it is, if any: names imply semantics (``email``, ``age``)
    name: str | None
    #: whether its values are array items (which cannot be unique columns)
    in_array: bool = False

    @property
    def ext(self) -> dict[str, Any]:
        """Its ``x-synthdata`` extension (``{}`` when it has none)."""
        ext: dict[str, Any] = self.schema.get(EXTENSION, {})
        return ext

    @property
    def unique(self) -> bool:
        """Whether ``x-synthdata/unique`` asks for distinct values in every row."""
        return bool(self.ext.get("unique"))

    @property
    def null_rate(self) -> float:
        """The share of nulls where null is one of several choices."""
        rate: float = self.ext.get("null_rate", DEFAULT_NULL_RATE)
        return rate

    def count(self, key: str, default: int | None = None) -> int | None:
        """A non-negative integer keyword; JSON allows ``25.0`` for 25."""
        value = self.schema.get(key, default)
        return None if value is None else int(value)
