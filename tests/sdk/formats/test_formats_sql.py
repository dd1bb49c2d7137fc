"""SQL writer: sqlite round trips and textual checks of postgres and mysql output."""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthdata_sdk.errors import RequestError
from synthdata_sdk.formats import write_dataset
from synthdata_sdk.formats.sql_writer import quote_identifier, quote_string


def load_sqlite(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    # Bytes, decoded without newline translation: "\r" inside literals must stay "\r".
    connection.executescript(path.read_bytes().decode("utf-8"))
    return connection


def test_sqlite_round_trip(tmp_path: Path, schema: dict[str, Any], records: list[Any]) -> None:
    target = write_dataset([records[:2], records[2:]], tmp_path / "out.sql", schema=schema)
    db = load_sqlite(target)
    db.row_factory = sqlite3.Row
    rows = [dict(r) for r in db.execute('SELECT * FROM "data" ORDER BY id')]
    assert [r["name"] for r in rows] == [r["name"] for r in records]
    assert [r["score"] for r in rows] == [None, 0.1, -1e300]
    assert [r["active"] for r in rows] == [1, 0, 1]
    assert rows[0]["address"] is None
    assert json.loads(rows[1]["address"]) == records[1]["address"]
    assert [json.loads(r["tags"]) for r in rows] == [r["tags"] for r in records]
    assert [json.loads(r["choice"]) for r in rows] == ["a", 7, "7"]
    assert rows[0]["extra"] is None and json.loads(rows[2]["extra"]) == "text"
    assert list(rows[0]) == list(schema["properties"])


def test_sqlite_column_types_and_not_null(tmp_path: Path, schema: dict[str, Any]) -> None:
    db = load_sqlite(write_dataset([], tmp_path / "out.sql", schema=schema))
    info = {row[1]: (row[2], row[3]) for row in db.execute('PRAGMA table_info("data")')}
    assert info == {
        "id": ("INTEGER", 1),
        "name": ("TEXT", 1),
        "score": ("REAL", 0),
        "active": ("INTEGER", 1),
        "born": ("TEXT", 0),
        "status": ("TEXT", 0),
        "address": ("TEXT", 0),
        "tags": ("TEXT", 0),
        "choice": ("TEXT", 0),
        "extra": ("TEXT", 0),
    }
    assert db.execute('SELECT count(*) FROM "data"').fetchone() == (0,)


def test_required_but_nullable_column_is_not_not_null(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": ["string", "null"]}, "b": {"enum": ["x", None]}},
        "required": ["a", "b"],
    }
    text = write_dataset([[{"a": None, "b": None}]], tmp_path / "o.sql", schema=schema)
    assert "NOT NULL" not in text.read_text(encoding="utf-8")


def test_tricky_strings_survive_sqlite(tmp_path: Path) -> None:
    values = ["it's", "back\\slash\\", 'dq"', "new\nline\r\n", "nul\x00byte", "\x00", "😀 日本", ""]
    schema = {"type": "object", "properties": {"s": {"type": "string"}}}
    target = write_dataset([[{"s": v} for v in values]], tmp_path / "o.sql", schema=schema)
    db = load_sqlite(target)
    assert [r[0] for r in db.execute("SELECT s FROM data ORDER BY rowid")] == values


def test_batches_of_at_most_500_rows(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    chunks = [[{"n": i} for i in range(start, start + 300)] for start in range(0, 1200, 300)]
    chunks.append([{"n": 1200}])
    target = write_dataset(chunks, tmp_path / "o.sql", schema=schema)
    text = target.read_text(encoding="utf-8")
    statements = text.split("INSERT INTO ")[1:]
    assert [s.count("\n(") for s in statements] == [500, 500, 201]
    db = load_sqlite(target)
    assert [r[0] for r in db.execute("SELECT n FROM data ORDER BY rowid")] == list(range(1201))


def test_floats_round_trip_and_integral_floats_in_integer_columns(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"i": {"type": "integer"}, "x": {"type": "number"}},
    }
    floats = [0.1, 1 / 3, 1e-300, 2.5e300, -123456.789, 5e-324, 1.7976931348623157e308]
    records = [{"i": 3.0, "x": x} for x in floats]
    target = write_dataset([records], tmp_path / "o.sql", schema=schema)
    assert "(3, 0.1)" in target.read_text(encoding="utf-8")
    db = load_sqlite(target)
    assert [tuple(r) for r in db.execute("SELECT i, x FROM data ORDER BY rowid")] == [
        (3, x) for x in floats
    ]


def test_non_finite_float_is_a_request_error(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"x": {"type": "number"}}}
    with pytest.raises(RequestError, match="finite"):
        write_dataset([[{"x": float("inf")}]], tmp_path / "o.sql", schema=schema)
    assert list(tmp_path.iterdir()) == []


def test_table_name_is_quoted(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {'we"ird col': {"type": "integer"}}}
    target = write_dataset(
        [[{'we"ird col': 1}]], tmp_path / "o.sql", schema=schema, table='my "table"; DROP'
    )
    text = target.read_text(encoding="utf-8")
    assert 'CREATE TABLE "my ""table""; DROP" (' in text
    db = load_sqlite(target)
    assert db.execute('SELECT "we""ird col" FROM "my ""table""; DROP"').fetchall() == [(1,)]


@pytest.mark.parametrize("table", ["sqlite_users", "SQLite_stat1"])
def test_a_table_name_sqlite_reserves_is_refused_for_sqlite(tmp_path: Path, table: str) -> None:
    schema = {"type": "object", "properties": {"x": {"type": "integer"}}}
    # before: the script was written and failed to load (object name reserved for internal use)
    with pytest.raises(RequestError, match="sqlite reserves the table names starting with sqlite_"):
        write_dataset([[{"x": 1}]], tmp_path / "o.sql", schema=schema, table=table)
    assert list(tmp_path.iterdir()) == []
    postgres = write_dataset(
        [[{"x": 1}]], tmp_path / "p.sql", schema=schema, table=table, dialect="postgres"
    )
    assert f'CREATE TABLE "{table}"' in postgres.read_text(encoding="utf-8")


def test_postgres_output(tmp_path: Path, schema: dict[str, Any], records: list[Any]) -> None:
    target = write_dataset([records], tmp_path / "o.sql", schema=schema, dialect="postgres")
    text = target.read_text(encoding="utf-8")
    assert text.startswith(
        'CREATE TABLE "data" (\n  "id" BIGINT NOT NULL,\n  "name" TEXT NOT NULL,\n'
        '  "score" DOUBLE PRECISION,\n  "active" BOOLEAN NOT NULL,\n  "born" TEXT,\n'
        '  "status" TEXT,\n  "address" JSONB,\n  "tags" JSONB,\n  "choice" JSONB,\n'
        '  "extra" JSONB\n);\nBEGIN;\n'
    )
    assert text.endswith(";\nCOMMIT;\n")
    assert 'INSERT INTO "data" ("id", "name", "score", "active", "born",' in text
    assert (
        "(1, 'O''Brien \"Bob\"', NULL, TRUE, '1990-01-02', 'new', NULL, '[]', '\"a\"', NULL)"
        in text
    )
    # Standard strings: the backslash is an ordinary character, newlines stay literal.
    assert "'Zoë\nnew line, comma\\back'" in text
    assert "FALSE" in text
    assert '\'{"city":"Münster","geo":{"lat":51.96,"lon":7.62}}\'' in text


def test_mysql_output(tmp_path: Path, schema: dict[str, Any], records: list[Any]) -> None:
    target = write_dataset([records], tmp_path / "o.sql", schema=schema, dialect="mysql")
    text = target.read_text(encoding="utf-8")
    assert text.startswith(
        "CREATE TABLE `data` (\n  `id` BIGINT NOT NULL,\n  `name` TEXT NOT NULL,\n"
        "  `score` DOUBLE,\n  `active` BOOLEAN NOT NULL,\n  `born` TEXT,\n"
        "  `status` TEXT,\n  `address` JSON,\n  `tags` JSON,\n  `choice` JSON,\n"
        "  `extra` JSON\n);\n"
    )
    assert "INSERT INTO `data` (`id`, `name`, `score`, `active`," in text
    assert "'O''Brien \"Bob\"'" in text
    # MySQL reads backslash as an escape, so it is doubled.
    assert "'Zoë\nnew line, comma\\\\back'" in text
    assert "TRUE" in text and "FALSE" in text


@pytest.mark.parametrize(
    ("dialect", "name", "expected"),
    [
        ("postgres", 'a"b', '"a""b"'),
        ("sqlite", "a`b", '"a`b"'),
        ("mysql", "a`b", "`a``b`"),
        ("mysql", 'a"b', '`a"b`'),
    ],
)
def test_quote_identifier(dialect: str, name: str, expected: str) -> None:
    assert quote_identifier(name, dialect) == expected


@pytest.mark.parametrize("name", ["", "a\x00b"])
def test_bad_identifiers(name: str) -> None:
    with pytest.raises(RequestError, match="identifier"):
        quote_identifier(name, "sqlite")


@pytest.mark.parametrize(
    ("dialect", "value", "expected"),
    [
        ("postgres", "it's \\n", "'it''s \\n'"),
        ("sqlite", "it's \\n", "'it''s \\n'"),
        ("mysql", "it's \\n", "'it''s \\\\n'"),
        ("mysql", "a\x00b", "'a\\0b'"),
        ("sqlite", "a\x00'", "('a' || char(0) || '''')"),
    ],
)
def test_quote_string(dialect: str, value: str, expected: str) -> None:
    assert quote_string(value, dialect) == expected


def test_postgres_rejects_nul() -> None:
    with pytest.raises(RequestError, match="NUL"):
        quote_string("a\x00b", "postgres")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)

PROPERTY_SCHEMA = {
    "type": "object",
    "properties": {
        "s": {"type": ["string", "null"]},
        "x": {"type": "number"},
        "j": {"type": "array"},
        "b": {"type": "boolean"},
    },
}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "s": st.none() | st.text(),
                "x": st.floats(allow_nan=False, allow_infinity=False),
                "j": st.lists(json_values, max_size=3),
                "b": st.booleans(),
            }
        ),
        max_size=20,
    )
)
@pytest.mark.slow
def test_arbitrary_values_survive_sqlite(tmp_path: Path, rows: list[dict[str, Any]]) -> None:
    target = write_dataset([rows], tmp_path / "h.sql", schema=PROPERTY_SCHEMA)
    text = target.read_bytes().decode("utf-8")
    db = load_sqlite(target)
    read = list(db.execute("SELECT s, x, j, b FROM data ORDER BY rowid"))
    assert [(s, json.loads(j), bool(b)) for s, _, j, b in read] == [
        (r["s"], r["j"], r["b"]) for r in rows
    ]
    for (_, x, _, _), row in zip(read, rows, strict=True):
        # The script holds repr(x), which reads back exactly; SQLite's own decimal parser is
        # not correctly rounded, so what it stores may be a unit in the last place off.
        assert f", {row['x']!r}, " in text
        assert math.isclose(x, row["x"], rel_tol=1e-14, abs_tol=1e-300)


# --------------------------------------------------------------------------------------------
# loading into a database that already has the table


def sql_script(tmp_path: Path, rows: list[dict[str, Any]], **options: Any) -> str:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    target = write_dataset([rows], tmp_path / "load.sql", schema=schema, **options)
    return target.read_bytes().decode("utf-8")


def test_default_script_cannot_be_loaded_twice(tmp_path: Path) -> None:
    script = sql_script(tmp_path, [{"n": 1}])
    db = sqlite3.connect(":memory:")
    db.executescript(script)
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        db.executescript(script)
    assert script == sql_script(tmp_path, [{"n": 1}], if_table_exists="fail")
    assert script.startswith('CREATE TABLE "data" (\n')


def test_append_loads_twice_and_adds_the_rows(tmp_path: Path) -> None:
    script = sql_script(tmp_path, [{"n": 1}, {"n": 2}], if_table_exists="append")
    assert script.startswith('CREATE TABLE IF NOT EXISTS "data" (\n')
    db = sqlite3.connect(":memory:")
    db.executescript(script)
    db.executescript(script)
    assert db.execute('SELECT n FROM "data" ORDER BY rowid').fetchall() == [(1,), (2,)] * 2


def test_replace_loads_twice_and_keeps_one_copy(tmp_path: Path) -> None:
    script = sql_script(tmp_path, [{"n": 1}, {"n": 2}], if_table_exists="replace")
    assert script.startswith('DROP TABLE IF EXISTS "data";\nCREATE TABLE "data" (\n')
    db = sqlite3.connect(":memory:")
    db.execute('CREATE TABLE "data" (other TEXT)')  # an older table of another shape
    db.executescript(script)
    db.executescript(script)
    assert db.execute('SELECT * FROM "data" ORDER BY rowid').fetchall() == [(1,), (2,)]


@pytest.mark.parametrize(
    ("dialect", "choice", "head"),
    [
        ("postgres", "append", 'CREATE TABLE IF NOT EXISTS "data" (\n'),
        ("postgres", "replace", 'DROP TABLE IF EXISTS "data";\nCREATE TABLE "data" (\n'),
        ("mysql", "append", "CREATE TABLE IF NOT EXISTS `data` (\n"),
        ("mysql", "replace", "DROP TABLE IF EXISTS `data`;\nCREATE TABLE `data` (\n"),
    ],
)
def test_if_table_exists_in_postgres_and_mysql(
    tmp_path: Path, dialect: str, choice: str, head: str
) -> None:
    script = sql_script(tmp_path, [{"n": 1}], dialect=dialect, if_table_exists=choice)
    assert script.startswith(head)
    assert "\n);\nBEGIN;\nINSERT INTO " in script and script.endswith(";\nCOMMIT;\n")


def test_unknown_if_table_exists_is_refused_before_any_file(tmp_path: Path) -> None:
    with pytest.raises(RequestError, match="fail, append, replace"):
        write_dataset(
            [[{"n": 1}]],
            tmp_path / "o.sql",
            schema={"type": "object", "properties": {"n": {}}},
            if_table_exists="skip",
        )
    assert list(tmp_path.iterdir()) == []
