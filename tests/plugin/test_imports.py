"""The plugin's modules import one another one way: no circle, not even a late or typing one."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "pytest_synthdata"


def _imports(path: Path) -> set[str]:
    """The pytest_synthdata modules ``path`` imports anywhere: top level, functions, typing."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "pytest_synthdata":
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "pytest_synthdata."
        ):
            found.add(str(node.module).removeprefix("pytest_synthdata."))
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.removeprefix("pytest_synthdata.")
                for alias in node.names
                if alias.name.startswith("pytest_synthdata.")
            )
    return found - {path.stem}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    circles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        for imported in sorted(graph.get(module, ())):
            if imported in path:
                circles.append([*path[path.index(imported) :], imported])
            else:
                visit(imported, [*path, imported])

    for module in sorted(graph):
        visit(module, [module])
    return circles


def test_no_module_of_the_plugin_imports_itself_back() -> None:
    graph = {path.stem: _imports(path) for path in PACKAGE.glob("*.py")}
    assert "fixtures" in graph and "plugin" in graph
    assert _circles(graph) == []


def test_the_circle_check_sees_a_circle() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) != []
