"""The subschema being planned and where it stands: what every planning step reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from synthdata_sdk.schema.keywords import EXTENSION


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
