"""The one source resolver: template names, files, dicts and models."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.schema.resolve import resolve_source


class Point(BaseModel):
    x: int


def test_a_bare_word_is_a_template() -> None:
    assert resolve_source("customer").kind == "template"


def test_a_mapping_is_an_inline_schema_and_a_class_a_model() -> None:
    assert resolve_source({"type": "object"}).kind == "dict"
    assert resolve_source(Point).kind == "model"


def test_a_json_name_is_found_in_the_first_search_folder_that_has_it(tmp_path: Path) -> None:
    near, root = tmp_path / "near", tmp_path / "root"
    near.mkdir()
    root.mkdir()
    (root / "s.json").write_text("{}")
    assert resolve_source("s.json", [near, root]).value == root / "s.json"
    (near / "s.json").write_text("{}")
    assert resolve_source("s.json", [near, root]).value == near / "s.json"


def test_a_missing_file_names_every_place_looked(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match=r"schema file 'nope.json' not found \(looked for .*a.*b"):
        resolve_source("nope.json", [tmp_path / "a", tmp_path / "b"])


def test_a_file_does_not_shadow_a_template_of_the_same_name(tmp_path: Path) -> None:
    (tmp_path / "customer").write_text("{}")
    assert resolve_source("customer", [tmp_path]).kind == "template"
    assert resolve_source("./customer", [tmp_path]).kind == "file"


def test_an_unknown_template_suggests_a_close_one() -> None:
    with pytest.raises(SchemaError, match=r"unknown template 'custmer'; did you mean 'customer'\?"):
        resolve_source("custmer")


def test_an_unknown_word_that_names_a_file_says_how_to_read_it(tmp_path: Path) -> None:
    (tmp_path / "invoiceschema").write_text("{}")
    with pytest.raises(SchemaError, match=r"write ./invoiceschema"):
        resolve_source("invoiceschema", [tmp_path])


def test_a_path_object_is_always_a_file(tmp_path: Path) -> None:
    (tmp_path / "customer").write_text("{}")
    assert resolve_source(Path("customer"), [tmp_path]).kind == "file"


@pytest.mark.parametrize("source", [5, 3.5, None, b"customer", ["customer"]])
def test_other_types_are_a_schema_error(source: object) -> None:
    with pytest.raises(SchemaError, match="cannot read a schema from a"):
        resolve_source(source)


@pytest.mark.parametrize("source", ["x" * 10_000, "x" * 10_000 + ".json", "a\x00b", "a\x00b.json"])
def test_a_name_no_file_system_takes_is_a_short_schema_error(source: str) -> None:
    # before: a 10,000-character word leaked OSError (file name too long) from the look for a
    # file of that name, and the messages held the whole name
    with pytest.raises(SchemaError) as raised:
        resolve_source(source)
    assert len(str(raised.value)) < 900


@pytest.mark.parametrize(("source", "close"), [("RETAIL", "retail"), ("Customers", "customer")])
def test_an_unknown_template_in_other_case_suggests_the_name(source: str, close: str) -> None:
    with pytest.raises(SchemaError, match=f"did you mean '{close}'"):
        resolve_source(source)
