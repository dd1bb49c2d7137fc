"""The ``synthdata`` marker: its signature, argument checks and which markers apply to a test.

Nothing here imports the SDK, except to check a locale other than the default, so checking
markers at collection stays cheap.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from _pytest.nodes import Node

MARKER_NAME = "synthdata"


def synthdata(
    source: Any,
    *,
    rows: int = 100,
    seed: int = 0,
    locale: str = "en_US",
    compliance: Any = (),
    name: str | None = None,
) -> None:
    """The marker's signature: marker arguments are bound to it to be checked."""


SIGNATURE = inspect.signature(synthdata)
#: the signature as users write it (checked against SIGNATURE by the tests)
DISPLAY_SIGNATURE = '(source, *, rows=100, seed=0, locale="en_US", compliance=(), name=None)'
MARKER_HELP = (
    f"{MARKER_NAME}{DISPLAY_SIGNATURE}: a synthetic dataset for this test, served by the "
    "'synthdata' fixture; source is a template name, a JSON Schema dict, a .json schema path "
    "(relative to the test file or rootdir) or a pydantic model class."
)


@dataclass(frozen=True)
class DatasetSpec:
    """One requested dataset: the marker's (or factory's) arguments, checked."""

    source: Any
    rows: int = 100
    seed: int = 0
    locale: str = "en_US"
    compliance: tuple[str, ...] = ()
    name: str | None = None

    def key(self) -> tuple[Any, ...]:
        """A hashable identity, to prepare each distinct request once per session."""
        return (_source_key(self.source), self.rows, self.seed, self.locale, self.compliance)


class MarkerError(ValueError):
    """Marker arguments that do not fit the signature; the message says which and why."""


def spec_from_arguments(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> DatasetSpec:
    """Bind ``args``/``kwargs`` to the marker's signature and check their types."""
    try:
        bound = SIGNATURE.bind(*args, **kwargs)
    except TypeError as error:
        raise MarkerError(_explain_binding(str(error), kwargs)) from None
    bound.apply_defaults()
    values = bound.arguments
    source = values["source"]
    if not isinstance(source, str | Path | Mapping | type):
        raise MarkerError(
            f"source={source!r} is a {type(source).__name__} "
            "(expected a template name, a schema dict, a .json path or a pydantic model class)"
        )
    for field in ("rows", "seed"):
        value = values[field]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise MarkerError(f"{field}={value!r} (expected an integer >= 0)")
    if not isinstance(values["locale"], str):
        raise MarkerError(f"locale={values['locale']!r} (expected a string such as 'en_US')")
    _check_locale(values["locale"])
    compliance = values["compliance"]
    if isinstance(compliance, str):
        compliance = [part.strip() for part in compliance.split(",") if part.strip()]
    if not isinstance(compliance, list | tuple) or not all(isinstance(p, str) for p in compliance):
        raise MarkerError(
            f"compliance={values['compliance']!r} (expected profile names such as ('gdpr',))"
        )
    name = values["name"]
    if name is not None and (not isinstance(name, str) or not name):
        raise MarkerError(f"name={name!r} (expected a non-empty string or None)")
    return DatasetSpec(
        source=source,
        rows=values["rows"],
        seed=values["seed"],
        locale=values["locale"],
        compliance=tuple(sorted(set(compliance))),
        name=name,
    )


def _explain_binding(message: str, kwargs: Mapping[str, Any]) -> str:
    import difflib

    known = list(SIGNATURE.parameters)
    for keyword in kwargs:
        if keyword not in known:
            close = difflib.get_close_matches(keyword, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            return f"unexpected argument {keyword!r}{hint} (the signature is synthdata{DISPLAY_SIGNATURE})"
    return f"{message} (the signature is synthdata{DISPLAY_SIGNATURE})"


def _check_locale(locale: str) -> None:
    if locale == SIGNATURE.parameters["locale"].default:
        return  # supported by definition; spares the SDK import when collecting most suites
    from synthdata_sdk.generation.semantics import SUPPORTED_LOCALES

    if locale in SUPPORTED_LOCALES:
        return
    import difflib

    def folded(name: str) -> str:
        return name.lower().replace("-", "_")

    close = [known for known in SUPPORTED_LOCALES if folded(known) == folded(locale)]
    close = close or difflib.get_close_matches(locale, SUPPORTED_LOCALES, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise MarkerError(
        f"locale={locale!r} is not a supported locale{hint} "
        f"(expected one of: {', '.join(SUPPORTED_LOCALES)})"
    )


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
