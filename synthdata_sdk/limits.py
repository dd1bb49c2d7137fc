"""Limits on the work one schema, request or data file may ask for, and how to raise them.

A small input can ask for unbounded work: ``maxLength: 1000000000``, ``minItems: 10**8``, a
schema nested 500 deep. Each limit below refuses such input up front with a ``LimitError``
(a ``SchemaError``) naming the limit and the environment variable that raises it, so that
``synthdata validate`` and generation refuse the same schemas.

Limits decide only whether input is accepted, never what is generated from it, so they are
not part of the fingerprint. They are read from the environment on every use (a value set
in ``os.environ``, a CI job or a Lambda configuration applies at once), because a limit
protects the machine that does the work, which a schema or request must not be able to
lift for itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from synthdata_sdk.errors import LimitError, RequestError

#: environment variables that set a limit start with this
SETTING_PREFIX = "SYNTHDATA_MAX_"


@dataclass(frozen=True)
class Limit:
    """One limit: its name, default, unit and the environment variable that sets it."""

    name: str
    default: int
    unit: str
    label: str

    @property
    def setting(self) -> str:
        """The environment variable that sets this limit, e.g. ``SYNTHDATA_MAX_DEPTH``."""
        return SETTING_PREFIX + self.name.upper()

    def value(self) -> int:
        """The limit in force: the environment's value, else the default."""
        text = os.environ.get(self.setting, "").strip()
        if not text:
            return self.default
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value < 1:
            raise RequestError(f"{self.setting} must be a positive integer, got {text!r}")
        return value

    def check(self, amount: int, *, pointer: str, keyword: str, subject: str) -> None:
        """Raise ``LimitError`` if ``amount`` is over the limit; ``subject`` says what asks."""
        maximum = self.value()
        if amount > maximum:
            raise self.error(pointer=pointer, keyword=keyword, subject=subject)

    def error(self, *, pointer: str, keyword: str, subject: str) -> LimitError:
        """The ``LimitError`` for ``subject``, which is over this limit."""
        maximum = self.value()
        return LimitError(
            pointer,
            keyword,
            f"{subject}, over the {self.label} limit of {maximum:,} {self.unit}",
            limit=self.name,
            maximum=maximum,
            setting=self.setting,
        )

    def describe(self, subject: str) -> str:
        """A sentence for errors that are not schema errors (data files)."""
        return (
            f"{subject}, over the {self.label} limit of {self.value():,} {self.unit}"
            f" (expected less, or a higher {self.setting})"
        )


#: characters of the schema document's compact JSON text
SCHEMA_SIZE = Limit("schema_size", 16 * 1024 * 1024, "characters", "schema size")
#: levels of nesting (objects and arrays) of the schema document, and of a subschema's
#: position once ``$ref`` s are inlined
DEPTH = Limit("depth", 64, "levels", "nesting depth")
#: subschemas of the normalised schema, once ``$ref`` s are inlined
SCHEMA_NODES = Limit("schema_nodes", 100_000, "subschemas", "inlined schema size")
#: values of one ``enum``
ENUM_VALUES = Limit("enum_values", 100_000, "values", "enum size")
#: names in one ``properties`` (and properties one object may generate)
PROPERTIES = Limit("properties", 10_000, "properties", "property count")
#: characters of the longest string a value may need
STRING_LENGTH = Limit("string_length", 100_000, "characters", "string length")
#: items of the longest array a value may need
ARRAY_ITEMS = Limit("array_items", 100_000, "items", "array size")
#: characters of one record's JSON text, estimated from its largest possible values
RECORD_SIZE = Limit("record_size", 1024 * 1024, "characters", "record size")
#: characters of a whole dataset's JSON text: rows times the record estimate
DATASET_SIZE = Limit("dataset_size", 1024**4, "characters", "dataset size")
#: columns (fields) of one record of a data file read by ``scan`` and ``quality``
COLUMNS = Limit("columns", 10_000, "columns", "column count")

#: every limit, in the order the docs list them
LIMITS = (
    SCHEMA_SIZE,
    DEPTH,
    SCHEMA_NODES,
    ENUM_VALUES,
    PROPERTIES,
    STRING_LENGTH,
    ARRAY_ITEMS,
    RECORD_SIZE,
    DATASET_SIZE,
    COLUMNS,
)
