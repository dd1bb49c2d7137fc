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
        if _is_file(candidate):
            return candidate
    where = " or ".join(_shown(str(c)) for c in candidates)
    raise SchemaError(
        "",
        "source",
        f"schema file {_shown(str(path))} not found (looked for {where})",
        "an existing .json file",
    )


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; a name the system refuses (too long...) is none."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _shown(text: str) -> str:
    """``text`` quoted for a message, its middle cut when long."""
    return repr(text) if len(text) <= 120 else f"{text[:60]!r}... ({len(text)} characters)"


def _check_template(name: str, search_dirs: Sequence[Path]) -> str:
    from synthdata_sdk.schema.templates import list_bundles, list_templates

    templates = list_templates()
    if name in templates or name in list_bundles():
        return name
    templates = sorted([*templates, *list_bundles()])
    hint = ""
    # names are lower case: 'RETAIL' is as close to 'retail' as 'retail' itself
    close = difflib.get_close_matches(name.lower()[:200], templates, n=1)
    if close:
        hint = f"; did you mean {close[0]!r}?"
    elif any(_is_file(folder / name) for folder in [*search_dirs, Path()]):
        hint = f"; to read the file of that name, write ./{name}"
    raise SchemaError(
        "",
        "source",
        f"unknown template {_shown(name)}{hint}",
        f"one of {', '.join(templates)} (templates and bundles), or a path to a .json schema",
    )
