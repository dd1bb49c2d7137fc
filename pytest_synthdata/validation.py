"""Every synthdata marker of the suite checked at collection, all problems reported at once.

A bad marker stops the run before any test starts (and before any dataset is generated):
arguments that do not fit the signature, or an unknown locale.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytest_synthdata.markers import (
    MarkerError,
    marked_nodes,
    spec_from_arguments,
)

if TYPE_CHECKING:
    from _pytest.nodes import Node


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problems = marker_problems(items, config.rootpath)
    if problems:
        raise pytest.UsageError("bad synthdata marker arguments:\n  " + "\n  ".join(problems))


def marker_problems(items: list[pytest.Item], rootdir: Path) -> list[str]:
    """One line per bad marker (or level of markers), naming where it is."""
    problems: dict[tuple[str, int], str] = {}
    for item in items:
        for node, index, mark in marked_nodes(item):
            key = (node.nodeid, index)
            if key in problems:
                continue
            try:
                spec_from_arguments(mark.args, mark.kwargs)
            except MarkerError as error:
                problems[key] = f"{_where(node)}: @pytest.mark.synthdata: {error}"
    return list(problems.values())


def _where(node: Node) -> str:
    return node.nodeid or str(node.path)
