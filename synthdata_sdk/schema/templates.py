"""The built-in template library: ready-made JSON Schemas for common test-data shapes.

Templates are JSON Schema (draft 2020-12) files shipped inside the package, in the
``synthdata_sdk/schema/templates/`` directory, one ``<name>.json`` file per template.
They are read with :mod:`importlib.resources`, so they work from a wheel or a zip import.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from synthdata_sdk.errors import SchemaError

__all__ = ["list_templates", "load_template", "template_summary"]

_PACKAGE = "synthdata_sdk.schema"
_DIRECTORY = "templates"
_SUFFIX = ".json"


def _directory() -> Traversable:
    return files(_PACKAGE) / _DIRECTORY


@cache
def _names() -> tuple[str, ...]:
    names = (
        entry.name.removesuffix(_SUFFIX)
        for entry in _directory().iterdir()
        if entry.is_file() and entry.name.endswith(_SUFFIX)
    )
    return tuple(sorted(names))


@cache
def _parsed(name: str) -> dict[str, Any]:
    text = (_directory() / f"{name}{_SUFFIX}").read_text(encoding="utf-8")
    schema = json.loads(text)
    if not isinstance(schema, dict):
        raise SchemaError("", "template", f"template {name!r} is not a JSON object", "an object")
    return schema


def _checked(name: str) -> str:
    available = _names()
    if not isinstance(name, str) or name not in available:
        raise SchemaError(
            pointer="",
            keyword="template",
            message=f"unknown template {name!r}",
            expected=f"one of {', '.join(available)}",
        )
    return name


def list_templates() -> list[str]:
    """The names of the built-in templates, sorted."""
    return list(_names())


def load_template(name: str) -> dict[str, Any]:
    """The JSON Schema of the template ``name``, as a fresh copy the caller may modify.

    Raises ``SchemaError`` (keyword ``template``) naming the available templates when
    ``name`` is not one of them.
    """
    return copy.deepcopy(_parsed(_checked(name)))


def template_summary(name: str) -> str:
    """The one-sentence description of the template ``name``."""
    description = _parsed(_checked(name)).get("description", "")
    return description if isinstance(description, str) else ""
