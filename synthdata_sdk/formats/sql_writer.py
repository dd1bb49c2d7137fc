"""SQL writer: ``CREATE TABLE`` plus batched multi-row ``INSERT`` statements for one dialect."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from synthdata_sdk.errors import RequestError
from synthdata_sdk.formats.base import (
    Chunk,
    Kind,
    TextFormatWriter,
    dumps_json,
    format_float,
    object_properties,
    required_names,
    value_type,
)

DIALECTS: Final = ("postgres", "mysql", "sqlite")

#: What loading the script does when the table already exists: ``fail`` (plain
#: ``CREATE TABLE``: the load stops with an error), ``append`` (``CREATE TABLE IF NOT EXISTS``:
#: the rows are added to it) or ``replace`` (``DROP TABLE IF EXISTS`` first). The three
#: dialects spell these the same way.
IF_TABLE_EXISTS: Final = ("fail", "append", "replace")

#: Rows per INSERT statement: large enough to load fast, small enough for every server's
#: statement-size limit with ordinary rows.
BATCH_ROWS: Final = 500

_COLUMN_TYPES: Final[dict[str, dict[Kind, str]]] = {
    "postgres": {
        "integer": "BIGINT",
        "number": "DOUBLE PRECISION",
        "boolean": "BOOLEAN",
        "string": "TEXT",
        "object": "JSONB",
        "array": "JSONB",
        "json": "JSONB",
    },
    "mysql": {
        "integer": "BIGINT",
        "number": "DOUBLE",
        "boolean": "BOOLEAN",
        "string": "TEXT",
        "object": "JSON",
        "array": "JSON",
        "json": "JSON",
    },
    # SQLite has no BOOLEAN or JSON storage class: 0/1 integers and JSON text instead.
    "sqlite": {
        "integer": "INTEGER",
        "number": "REAL",
        "boolean": "INTEGER",
        "string": "TEXT",
        "object": "TEXT",
        "array": "TEXT",
        "json": "TEXT",
    },
}


def check_dialect(dialect: str) -> str:
    """The dialect name, or RequestError naming the accepted ones."""
    if dialect not in DIALECTS:
        raise RequestError(
            f"unknown SQL dialect {dialect!r} (expected one of: {', '.join(DIALECTS)})"
        )
    return dialect


def check_if_table_exists(value: str) -> str:
    """The ``if_table_exists`` choice, or RequestError naming the accepted ones."""
    if value not in IF_TABLE_EXISTS:
        raise RequestError(
            f"unknown if_table_exists {value!r} (expected one of: {', '.join(IF_TABLE_EXISTS)})"
        )
    return value


def quote_identifier(name: str, dialect: str) -> str:
    """Quote a table or column name: ``"x"`` (postgres, sqlite) or `` `x` `` (mysql)."""
    if not name or "\x00" in name:
        raise RequestError(f"SQL identifier {name!r} is empty or contains NUL (expected a name)")
    quote = "`" if dialect == "mysql" else '"'
    return quote + name.replace(quote, quote * 2) + quote


def quote_string(value: str, dialect: str) -> str:
    """A string literal that reads back as ``value`` in ``dialect``."""
    if dialect == "mysql":
        # MySQL treats backslash as an escape character by default (no NO_BACKSLASH_ESCAPES).
        escaped = value.replace("\\", "\\\\").replace("'", "''").replace("\x00", "\\0")
        return "'" + escaped + "'"
    if "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    if dialect == "postgres":
        raise RequestError(
            "PostgreSQL text cannot contain the NUL character (expected strings without U+0000)"
        )
    # SQLite reads SQL text as a C string, so NUL is spliced in with char(0).
    parts = ("'" + part.replace("'", "''") + "'" for part in value.split("\x00"))
    return "(" + " || char(0) || ".join(parts) + ")"


@dataclass(frozen=True)
class _Column:
    name: str
    kind: Kind
    not_null: bool


@dataclass(frozen=True)
class ForeignKey:
    """``column`` references ``parent(key)``: a table set's reference as a SQL constraint."""

    column: str
    parent: str
    key: str


@dataclass(frozen=True)
class TableKeys:
    """A table's keys in a table set: its primary key, further unique keys, foreign keys."""

    primary: str | None = None
    unique: tuple[str, ...] = ()
    foreign: tuple[ForeignKey, ...] = ()

    def keyed(self) -> set[str]:
        """Every column that takes part in a key (MySQL cannot index a TEXT column)."""
        return {*(self.primary or "",), *self.unique, *(fk.column for fk in self.foreign)} - {""}


class SqlWriter(TextFormatWriter):
    """Writes a script that creates ``table`` and inserts every record into it.

    ``if_table_exists`` (see ``IF_TABLE_EXISTS``) decides whether the script can be loaded
    into a database that already has the table.
    """

    def __init__(
        self,
        schema: Mapping[str, Any],
        *,
        table: str,
        dialect: str,
        if_table_exists: str = "fail",
        keys: TableKeys | None = None,
    ) -> None:
        self._dialect = check_dialect(dialect)
        self._keys = keys or TableKeys()
        self._if_table_exists = check_if_table_exists(if_table_exists)
        properties = object_properties(schema)
        if not properties:
            raise RequestError("schema has no properties (expected at least one SQL column)")
        required = required_names(schema)
        self._columns: list[_Column] = []
        for name, subschema in properties.items():
            vtype = value_type(subschema)
            # Nested objects stay one JSON column: flattening belongs to CSV only.
            kind: Kind = "json" if vtype.kind == "object" else vtype.kind
            self._columns.append(_Column(name, kind, name in required and not vtype.nullable))
        if self._dialect == "sqlite" and table.lower().startswith("sqlite_"):
            # sqlite refuses to create them: the script would be written and fail to load
            raise RequestError(
                f"table name {table!r}: sqlite reserves the table names starting with sqlite_ "
                "(expected another name, or dialect='postgres' or 'mysql')"
            )
        self._table = quote_identifier(table, dialect)
        self._column_list = ", ".join(quote_identifier(c.name, dialect) for c in self._columns)
        self._pending: list[str] = []

    def start(self) -> None:
        types = _COLUMN_TYPES[self._dialect]
        keyed = self._keys.keyed()
        definitions = ",\n".join(
            f"  {quote_identifier(c.name, self._dialect)} {self._column_type(c, types, keyed)}"
            + (" NOT NULL" if c.not_null else "")
            for c in self._columns
        )
        definitions += "".join(f",\n  {line}" for line in self._constraints())
        create = "CREATE TABLE"
        if self._if_table_exists == "replace":
            self.text.write(f"DROP TABLE IF EXISTS {self._table};\n")
        elif self._if_table_exists == "append":
            create = "CREATE TABLE IF NOT EXISTS"
        self.text.write(f"{create} {self._table} (\n{definitions}\n);\n")
        # One transaction makes loading many statements much faster in every dialect.
        self.text.write("BEGIN;\n")

    def _column_type(self, column: _Column, types: Mapping[Kind, str], keyed: set[str]) -> str:
        if self._dialect == "mysql" and column.kind == "string" and column.name in keyed:
            return "VARCHAR(255)"  # MySQL keys need a bounded length; TEXT cannot be indexed
        return types[column.kind]

    def _constraints(self) -> list[str]:
        """PRIMARY KEY, UNIQUE and FOREIGN KEY clauses of a table set's table."""

        def q(name: str) -> str:
            return quote_identifier(name, self._dialect)

        out = []
        if self._keys.primary:
            out.append(f"PRIMARY KEY ({q(self._keys.primary)})")
        out.extend(f"UNIQUE ({q(name)})" for name in self._keys.unique)
        out.extend(
            f"FOREIGN KEY ({q(fk.column)}) REFERENCES {q(fk.parent)} ({q(fk.key)})"
            for fk in self._keys.foreign
        )
        return out

    def write_chunk(self, records: Chunk) -> None:
        # Rows are rendered right away so that no record outlives its chunk; rendered rows are
        # held back only until a full statement of BATCH_ROWS is ready.
        for record in records:
            self._pending.append(self._row(record))
            if len(self._pending) == BATCH_ROWS:
                self._flush()

    def finish(self) -> None:
        self._flush()
        self.text.write("COMMIT;\n")

    def _flush(self) -> None:
        if self._pending:
            rows = ",\n".join(self._pending)
            self.text.write(f"INSERT INTO {self._table} ({self._column_list}) VALUES\n{rows};\n")
            self._pending = []

    def _row(self, record: Mapping[str, Any]) -> str:
        return "(" + ", ".join(self._literal(record.get(c.name), c) for c in self._columns) + ")"

    def _literal(self, value: Any, column: _Column) -> str:
        if value is None:
            return "NULL"
        if column.kind in ("object", "array", "json"):
            return quote_string(dumps_json(value), self._dialect)
        if isinstance(value, bool):
            if self._dialect == "sqlite":
                return "1" if value else "0"
            return "TRUE" if value else "FALSE"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            if column.kind == "integer" and value.is_integer():
                return str(int(value))
            return format_float(value)
        if isinstance(value, str):
            return quote_string(value, self._dialect)
        # A value that does not match its column's schema is still written without loss.
        return quote_string(dumps_json(value), self._dialect)
