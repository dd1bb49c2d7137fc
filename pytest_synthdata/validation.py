"""Every synthdata marker of the suite checked at collection, all problems reported at once.

A bad marker stops the run before any test starts (and before any dataset is generated):
arguments that do not fit the signature, an unknown locale, and several markers on one level
that would give two datasets the same name, or a dataset no name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytest_synthdata.markers import (
    DatasetSpec,
    MarkerError,
    closest_marks,
    marked_nodes,
    spec_from_arguments,
)
from pytest_synthdata.session import resolve_source
from pytest_synthdata.state import state_of

if TYPE_CHECKING:
    from _pytest.nodes import Node


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problems = marker_problems(items, config.rootpath)
    if problems:
        # An xdist worker's usage error never reaches the terminal: the controller raises
        # it again from what the worker publishes (see ``xdist``).
        state_of(config).marker_problems = problems
        raise marker_error(problems)


def marker_error(problems: list[str]) -> pytest.UsageError:
    """The error that stops the run, listing every bad marker."""
    return pytest.UsageError("bad synthdata marker arguments:\n  " + "\n  ".join(problems))


def marker_problems(items: list[pytest.Item], rootdir: Path) -> list[str]:
    """One line per bad marker (or level of markers), naming where it is."""
    problems: dict[tuple[str, int], str] = {}
    levels_checked: set[str] = set()
    for item in items:
        for node, index, mark in marked_nodes(item):
            key = (node.nodeid, index)
            if key in problems:
                continue
            try:
                spec_from_arguments(mark.args, mark.kwargs)
            except MarkerError as error:
                problems[key] = f"{_where(node)}: @pytest.mark.synthdata: {error}"
        node, marks = closest_marks(item)
        if len(marks) < 2 or node.nodeid in levels_checked:
            continue
        levels_checked.add(node.nodeid)
        try:
            specs = [spec_from_arguments(mark.args, mark.kwargs) for mark in marks]
        except MarkerError:
            continue  # reported above
        clash = _name_clash(specs, item, rootdir)
        if clash:
            problems[(node.nodeid, -1)] = f"{_where(node)}: @pytest.mark.synthdata: {clash}"
    return list(problems.values())


def _where(node: Node) -> str:
    return node.nodeid or str(node.path)


def _name_clash(specs: list[DatasetSpec], item: pytest.Item, rootdir: Path) -> str | None:
    """Why the names of several markers' datasets cannot key a mapping, if they cannot."""
    from synthdata_sdk.errors import SynthDataError
    from synthdata_sdk.schema.sources import load_source

    seen: set[str] = set()
    for spec in specs:
        name = spec.name
        if name is None:
            try:
                source = spec.resolve().source
                loaded = load_source(resolve_source(source, item, rootdir))
            except (SynthDataError, TypeError, ValueError):
                # An unreadable source (or a model pydantic cannot describe) is reported by
                # the test that asks for it, with the whole error.
                continue
            if loaded.name is None:
                return (
                    f"{loaded.label} has no name (no title) and the test has several markers; "
                    "give it name=..."
                )
            name = loaded.name
        if name in seen:
            return f"two markers name their dataset {name!r}; give them distinct name=... arguments"
        seen.add(name)
    return None


def prompt_lines(items: list[pytest.Item]) -> list[str]:
    """``'200 customers with orders' -> bundle 'retail', 200 rows`` for each distinct marker
    prompt of ``items``, resolved once; a prompt that names nothing fails its tests instead."""
    from synthdata_sdk.errors import SynthDataError, UnresolvedPromptError

    lines: dict[tuple[object, ...], str] = {}
    for item in items:
        for _, _, mark in marked_nodes(item):
            try:
                spec = spec_from_arguments(mark.args, mark.kwargs)
            except MarkerError:
                continue  # the run stopped at collection
            if spec.prompt is None or spec.key() in lines:
                continue
            try:
                lines[spec.key()] = spec.describe_prompt() or ""
            except UnresolvedPromptError as error:
                nearest = ", ".join(error.nearest) or "none"
                lines[spec.key()] = f"{spec.prompt!r} -> no template (nearest: {nearest})"
            except SynthDataError as error:
                lines[spec.key()] = f"{spec.prompt!r} -> {error}"
    return list(dict.fromkeys(lines.values()))
