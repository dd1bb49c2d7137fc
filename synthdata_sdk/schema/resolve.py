"""The one rule that decides what a ``source`` argument names: a template, a file, a dict or a model.

The marker, the client and the command line all resolve sources here:

- a mapping is an inline schema, a class is a pydantic model;
- a ``Path``, or a string with a suffix or a path separator (``schemas/x.json``,
  ``x.json``, ``./x``), is a schema file, looked up in each search folder in turn
  (absolute paths as they are);
- any other string is a template name (``customer``) or a bundle name (``retail``: a table
  set of related templates). A file of that name does not win over the template:
  ``./customer`` says "the file".
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from synthdata_sdk.errors import SchemaError

SourceKind = Literal["template", "bundle", "file", "dict", "model"]


@dataclass(frozen=True)
class ResolvedSource:
    """What a source names: ``value`` is the template name, file path, mapping or class."""

    kind: SourceKind
    value: Any


def names_a_file(source: str | Path) -> bool:
    """Whether ``source`` is written as a path rather than a template name."""
    if isinstance(source, Path):
        return True
    return Path(source).suffix != "" or "/" in source or "\\" in source


def resolve_source(source: object, search_dirs: Sequence[Path] = ()) -> ResolvedSource:
    """Classify ``source`` and, for a file, find it in ``search_dirs`` (the current folder
    when none are given); ``SchemaError`` says what was looked for and where."""
    if isinstance(source, Mapping):
        return ResolvedSource("dict", source)
    if isinstance(source, type):
        return ResolvedSource("model", source)
    if isinstance(source, (str, Path)):
        if names_a_file(source):
            return ResolvedSource("file", _find_file(Path(source), search_dirs))
        name = _check_template(str(source), search_dirs)
        from synthdata_sdk.schema.templates import list_bundles

        return ResolvedSource("bundle" if name in list_bundles() else "template", name)
    raise SchemaError(
        "",
        "source",
        f"cannot read a schema from a {type(source).__name__} ({source!r:.80})",
        "a template name, a .json path, a schema dict or a pydantic model class",
    )


def _find_file(path: Path, search_dirs: Sequence[Path]) -> Path:
    if path.is_absolute():
        candidates = [path]
    else:
        candidates = [folder / path for folder in search_dirs] or [path]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    where = " or ".join(repr(str(c)) for c in candidates)
    raise SchemaError(
        "",
        "source",
        f"schema file {str(path)!r} not found (looked for {where})",
        "an existing .json file",
    )


def _check_template(name: str, search_dirs: Sequence[Path]) -> str:
    from synthdata_sdk.schema.templates import list_bundles, list_templates

    templates = list_templates()
    if name in templates or name in list_bundles():
        return name
    templates = sorted([*templates, *list_bundles()])
    hint = ""
    close = difflib.get_close_matches(name, templates, n=1)
    if close:
        hint = f"; did you mean {close[0]!r}?"
    elif any((folder / name).is_file() for folder in [*search_dirs, Path()]):
        hint = f"; to read the file of that name, write ./{name}"
    raise SchemaError(
        "",
        "source",
        f"unknown template {name!r}{hint}",
        f"one of {', '.join(templates)} (templates and bundles), or a path to a .json schema",
    )
