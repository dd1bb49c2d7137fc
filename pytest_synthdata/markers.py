"""The ``synthdata`` marker: its signature, argument checks and which markers apply to a test.

The defaults, checks and messages are the SDK's request options (``synthdata_sdk.options``,
a light module: no numpy, no Faker), so checking markers at collection stays cheap.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from synthdata_sdk.options import (
    DEFAULT_LOCALE,
    DEFAULT_ROWS,
    DEFAULT_SEED,
    OptionError,
    RequestOptions,
    check_rows,
)

if TYPE_CHECKING:
    from _pytest.nodes import Node

    from synthdata_sdk.schema.prompt import ResolvedPrompt

MARKER_NAME = "synthdata"


def synthdata(
    source: Any = None,
    *,
    prompt: str | None = None,
    rows: int | Mapping[str, int] = DEFAULT_ROWS,
    seed: int = DEFAULT_SEED,
    locale: str = DEFAULT_LOCALE,
    compliance: Any = (),
    name: str | None = None,
) -> None:
    """The marker's signature: marker arguments are bound to it to be checked."""


SIGNATURE = inspect.signature(synthdata)
#: the signature as users write it (checked against SIGNATURE by the tests)
DISPLAY_SIGNATURE = (
    '(source=None, *, prompt=None, rows=100, seed=0, locale="en_US", compliance=(), name=None)'
)
MARKER_HELP = (
    f"{MARKER_NAME}{DISPLAY_SIGNATURE}: a synthetic dataset for this test, served by the "
    "'synthdata' fixture; source is a template name, a JSON Schema dict, a .json schema path "
    "(relative to the test file or rootdir), a pydantic model class or a table set "
    "{'tables': {...}} (then rows may be a mapping of table name to rows); or, instead of "
    "source, prompt names a template or bundle and rows in words ('200 customers with "
    "orders'; rows given here win)."
)


@dataclass(frozen=True)
class DatasetSpec:
    """One requested dataset: the marker's (or factory's) arguments, checked."""

    #: the source, or None when ``prompt`` names it
    source: Any
    rows: int = DEFAULT_ROWS
    seed: int = DEFAULT_SEED
    locale: str = DEFAULT_LOCALE
    compliance: tuple[str, ...] = ()
    name: str | None = None
    #: a table set's rows per table, when ``rows`` was given as a mapping
    table_rows: tuple[tuple[str, int], ...] | None = None
    #: the request in words, resolved when the dataset is served (``resolve``)
    prompt: str | None = None
    #: whether ``rows`` was given (it then wins over the prompt's count)
    rows_given: bool = True

    def key(self) -> tuple[Any, ...]:
        """A hashable identity, to prepare each distinct request once per session."""
        return (
            _source_key(self.source),
            self.prompt,
            self.rows_given,
            self.rows,
            self.seed,
            self.locale,
            self.compliance,
            self.table_rows,
        )

    def requested_rows(self) -> int | dict[str, int]:
        """``rows`` as the client takes it: an int, or a table set's rows per table."""
        return dict(self.table_rows) if self.table_rows is not None else self.rows

    def resolve(self) -> DatasetSpec:
        """This spec with the template (or bundle) its prompt names as its source, and the
        prompt's count as its rows unless rows were given; itself when it has no prompt.

        Raises the SDK's ``UnresolvedPromptError`` (listing the nearest templates).
        """
        if self.prompt is None:
            return self
        resolved = resolved_prompt(self.prompt)
        rows = self.rows if self.rows_given or resolved.rows is None else resolved.rows
        return replace(self, source=resolved.name, rows=rows)

    def describe_prompt(self) -> str | None:
        """``'200 customers with orders' -> bundle 'retail', 200 rows`` (None: no prompt)."""
        if self.prompt is None:
            return None
        resolved = resolved_prompt(self.prompt)
        rows = self.resolve().requested_rows()
        return f"{self.prompt!r} -> {resolved.kind} {resolved.name!r}, {_rows_text(rows)}"


@functools.cache
def resolved_prompt(prompt: str) -> ResolvedPrompt:
    """The SDK's resolution of ``prompt``, once per session (it reads the templates' JSON,
    not the engine)."""
    from synthdata_sdk.schema.prompt import resolve_prompt

    return resolve_prompt(prompt)


def _rows_text(rows: int | dict[str, int]) -> str:
    if isinstance(rows, dict):
        return ", ".join(f"{table} {count}" for table, count in rows.items()) + " rows"
    return f"{rows} {'row' if rows == 1 else 'rows'}"


class MarkerError(ValueError):
    """Marker arguments that do not fit the signature; the message says which and why."""


def spec_from_arguments(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> DatasetSpec:
    """Bind ``args``/``kwargs`` to the marker's signature and check their types."""
    try:
        bound = SIGNATURE.bind(*args, **kwargs)
    except TypeError as error:
        raise MarkerError(_explain_binding(str(error), kwargs)) from None
    rows_given = "rows" in bound.arguments
    bound.apply_defaults()
    values = bound.arguments
    source, prompt = values["source"], values["prompt"]
    if prompt is not None:
        _check_prompt(source, prompt)
    elif source is None:
        raise MarkerError(
            f"give a source or a prompt (the signature is synthdata{DISPLAY_SIGNATURE})"
        )
    elif not isinstance(source, str | Path | Mapping | type):
        raise MarkerError(
            f"source={source!r} is a {type(source).__name__} "
            "(expected a template name, a schema dict, a .json path or a pydantic model class)"
        )
    table_rows = _table_rows(values["rows"])
    try:
        options = RequestOptions(
            rows=DEFAULT_ROWS if table_rows is not None else values["rows"],
            seed=values["seed"],
            locale=values["locale"],
            compliance=values["compliance"],
            name=values["name"],
        )
    except OptionError as error:
        raise MarkerError(f"{error.option}={values[error.option]!r}: {error.detail}") from None
    return DatasetSpec(
        source=source,
        rows=options.rows,
        seed=options.seed,
        locale=options.locale,
        compliance=options.compliance,
        name=options.name,
        table_rows=table_rows,
        prompt=prompt,
        rows_given=rows_given,
    )


def _check_prompt(source: Any, prompt: Any) -> None:
    if source is not None:
        raise MarkerError(
            f"source={source!r} and prompt={prompt!r}: give one of them; the prompt names "
            "the source"
        )
    if not isinstance(prompt, str) or not prompt.strip():
        raise MarkerError(
            f"prompt={prompt!r}: expected the request in words, e.g. '200 customers with orders'"
        )


def _table_rows(rows: Any) -> tuple[tuple[str, int], ...] | None:
    """A rows mapping (a table set's rows per table) checked, or None for an int."""
    if not isinstance(rows, Mapping):
        return None
    out = []
    for table, count in rows.items():
        if not isinstance(table, str):
            raise MarkerError(f"rows={rows!r}: table names must be strings, got {table!r}")
        try:
            out.append((table, check_rows(count)))
        except OptionError as error:
            raise MarkerError(f"rows[{table!r}]={count!r}: {error.detail}") from None
    return tuple(out)


def _explain_binding(message: str, kwargs: Mapping[str, Any]) -> str:
    import difflib

    known = list(SIGNATURE.parameters)
    for keyword in kwargs:
        if keyword not in known:
            close = difflib.get_close_matches(keyword, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            return f"unexpected argument {keyword!r}{hint} (the signature is synthdata{DISPLAY_SIGNATURE})"
    return f"{message} (the signature is synthdata{DISPLAY_SIGNATURE})"


def _source_key(source: Any) -> Any:
    if isinstance(source, Mapping):
        import json

        return ("dict", json.dumps(source, sort_keys=True, default=repr))
    if isinstance(source, Path):
        return ("path", str(source))
    return source


def own_marks(node: Node) -> list[pytest.Mark]:
    """The synthdata marks placed directly on ``node`` (decorators, pytestmark, params)."""
    return [mark for mark in node.own_markers if mark.name == MARKER_NAME]


def closest_marks(item: pytest.Item) -> tuple[Node, list[pytest.Mark]]:
    """The synthdata marks of the closest level that has any: function, class, then module."""
    for node in reversed(item.listchain()):
        marks = own_marks(node)
        if marks:
            return node, marks
    return item, []


def marked_nodes(
    item: pytest.Item,
) -> Iterator[tuple[Node, int, pytest.Mark]]:
    """Every synthdata mark that applies to ``item``, with the node it sits on."""
    for node in item.listchain():
        for index, mark in enumerate(own_marks(node)):
            yield node, index, mark
