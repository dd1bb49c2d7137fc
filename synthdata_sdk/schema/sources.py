"""Schema sources: a JSON Schema dict, a ``.json`` file, a pydantic model, or a template or
bundle name."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.limits import DEPTH, SCHEMA_SIZE
from synthdata_sdk.schema.document import checked_document
from synthdata_sdk.schema.resolve import resolve_source
from synthdata_sdk.schema.templates import load_bundle, load_template

#: what ``source`` arguments may be
SchemaSource = Mapping[str, Any] | str | Path | type


@dataclass(frozen=True)
class LoadedSource:
    """A schema as read from its source, and a short label for reports and lock files."""

    schema: dict[str, Any]
    label: str
    kind: str  # "template" | "bundle" | "file" | "dict" | "model"
    name: str | None
    #: the pydantic model read (kind ``model``): generation checks its records with it
    model: type | None = None


def load_source(source: SchemaSource, base_dir: Path | None = None) -> LoadedSource:
    """Read ``source`` into a JSON Schema dict; paths are relative to ``base_dir`` if given."""
    if isinstance(source, Mapping):
        schema = checked_document(source)
        title = schema.get("title")
        return LoadedSource(
            schema,
            f"schema {title!r}" if title else "inline schema",
            "dict",
            title if isinstance(title, str) else None,
        )
    if isinstance(source, type):
        return _from_model(source)
    if isinstance(source, (str, Path)):
        # the one rule for what a string names (synthdata_sdk.schema.resolve)
        resolved = resolve_source(source, [base_dir] if base_dir is not None else [])
        if resolved.kind == "file":
            return _from_file(resolved.value)
        name = resolved.value
        if resolved.kind == "bundle":
            return LoadedSource(load_bundle(name), f"bundle {name!r}", "bundle", name)
        return LoadedSource(load_template(name), f"template {name!r}", "template", name)
    raise SchemaError(
        "",
        "source",
        f"cannot read a schema from {source!r}",
        "a template name, a .json path, a dict or a pydantic model class",
    )


def _from_file(path: Path) -> LoadedSource:
    try:
        _check_file_size(path)
        schema = checked_document(json.loads(path.read_text(encoding="utf-8")))
    except RecursionError:
        raise DEPTH.error(
            pointer="", keyword="schema", subject=f"{str(path)!r} is nested too deeply to read"
        ) from None
    except FileNotFoundError:
        raise SchemaError(
            "", "source", f"schema file {str(path)!r} does not exist", "an existing .json file"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SchemaError(
            "", "source", f"cannot read {str(path)!r}: {error}", "a readable UTF-8 file"
        ) from None
    except json.JSONDecodeError as error:
        raise SchemaError(
            "",
            "source",
            f"{str(path)!r} is not JSON: line {error.lineno} column {error.colno}: {error.msg}",
            "a JSON Schema document",
        ) from None
    if not isinstance(schema, (dict, bool)):
        raise SchemaError(
            "",
            "source",
            f"{str(path)!r} holds a {type(schema).__name__}, not a schema",
            "a JSON object",
        )
    title = schema.get("title") if isinstance(schema, dict) else None
    return LoadedSource(
        schema if isinstance(schema, dict) else {"not": {}} if not schema else {},
        f"file {path.name!r}",
        "file",
        title if isinstance(title, str) else path.stem,
    )


def _from_model(model: type) -> LoadedSource:
    schema_method = getattr(model, "model_json_schema", None)
    if schema_method is None:
        raise SchemaError(
            "",
            "source",
            f"{model.__name__} is not a pydantic model",
            "a pydantic v2 BaseModel subclass",
        )
    from synthdata_sdk.schema.pydantic_source import model_schema

    schema = checked_document(model_schema(model))
    return LoadedSource(schema, f"model {model.__name__}", "model", model.__name__, model)


def _check_file_size(path: Path) -> None:
    """Refuse before reading a file that cannot fit the schema size limit (4 bytes a
    character at most, so whitespace and non-ASCII text do not count against it)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return  # reported by the read
    limit = SCHEMA_SIZE.value()
    if size > 4 * limit:
        raise SCHEMA_SIZE.error(
            pointer="", keyword="schema", subject=f"{str(path)!r} is {size:,} bytes long"
        )
