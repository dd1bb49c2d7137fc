"""Running a page's Python blocks: plain examples in one namespace, pytest examples in pytester.

Two conventions make a block check itself:

- an expression statement followed by a comment that is a Python value shows that value: the
  comment is compared with the expression's ``repr``, ``...`` standing for any text
  (``len(ds)  # 1000``, ``report.summary()  # {'score': 100.0, ...}``). The comment may
  also be on the comment lines right below the statement. A comment in words is not
  compared;
- ``rows=`` above ``ROWS_CAP`` runs with ``ROWS_CAP`` rows: an example of a million rows shows
  the API, not a benchmark, and the docs test must stay fast.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable
from typing import Any

#: the most rows an example generates in the docs test
ROWS_CAP = 10_000
SHOWN = "__docs_shown__"


def parse(code: str) -> ast.Module:
    """The block's syntax tree (SyntaxError when it is not Python)."""
    return ast.parse(code)


def is_pytest_example(tree: ast.Module, code: str) -> bool:
    """A test module or a conftest.py: something pytest runs, not the reader's script."""
    if is_conftest(code):
        return True
    return any(_is_test_item(node) for node in tree.body)


def _is_test_item(node: ast.stmt) -> bool:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return node.name.startswith("test")
    if isinstance(node, ast.ClassDef):
        return node.name.startswith("Test")
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
    return False


def is_conftest(code: str) -> bool:
    """Whether the block says it is a conftest.py (its first line names the file)."""
    first = code.lstrip().splitlines()[0] if code.strip() else ""
    return first.startswith("#") and "conftest.py" in first


def compile_block(tree: ast.Module, code: str, filename: str, first_line: int) -> Any:
    """Code object with shown values checked and rows capped, numbered as lines of the page."""
    tree = _CapRows().visit(tree)
    tree = _check_shown_values(tree, code, first_line)
    ast.fix_missing_locations(tree)
    ast.increment_lineno(tree, first_line - 1)
    # dont_inherit: run as the reader's script would, without this module's
    # ``from __future__ import annotations`` (which leaves a pydantic model's annotations as
    # strings its own module cannot resolve)
    return compile(tree, filename, "exec", dont_inherit=True)


def cap_rows_in_source(code: str) -> str:
    """A pytest example's source with ``rows=`` literals above the cap lowered to it."""
    tree = parse(code)
    if not any(_too_many_rows(node) for node in ast.walk(tree)):
        return code
    return ast.unparse(_CapRows().visit(tree)) + "\n"


def make_shown_checker(report: Callable[[int, str, str], None]) -> Callable[..., Any]:
    """The function compiled blocks call with each value a comment shows."""
    from tests.docs.shown import value_matches

    def check(value: Any, shown: str, line: int) -> Any:
        printed = repr(value)
        if not value_matches(shown, printed):
            report(line, shown, printed)
        return value

    return check


class _CapRows(ast.NodeTransformer):
    def visit_keyword(self, node: ast.keyword) -> ast.keyword:
        if _too_many_rows(node):
            return ast.copy_location(ast.keyword("rows", ast.Constant(ROWS_CAP)), node)
        return node


def _too_many_rows(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.keyword)
        and node.arg == "rows"
        and isinstance(node.value, ast.Constant)
        and type(node.value.value) is int
        and node.value.value > ROWS_CAP
    )


def _check_shown_values(tree: ast.Module, code: str, first_line: int) -> ast.Module:
    trailing, own_line = _comments(code)
    body: list[ast.stmt] = []
    for node in tree.body:
        shown = None
        if isinstance(node, ast.Expr) and node.end_lineno is not None:
            shown = _shown_value(node.end_lineno, trailing, own_line)
        if shown is None or not isinstance(node, ast.Expr):
            body.append(node)
            continue
        call = ast.Call(
            ast.Name(SHOWN, ast.Load()),
            [node.value, ast.Constant(shown), ast.Constant(first_line + node.lineno - 1)],
            [],
        )
        body.append(ast.copy_location(ast.Expr(ast.copy_location(call, node.value)), node))
    tree.body = body
    return tree


def _comments(code: str) -> tuple[dict[int, str], dict[int, str]]:
    """Comments after code, and comments on their own line, by line number."""
    trailing: dict[int, str] = {}
    own_line: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type != tokenize.COMMENT:
            continue
        row, col = token.start
        text = token.string.lstrip("#").strip()
        if token.line[:col].strip():
            trailing[row] = text
        else:
            own_line[row] = text
    return trailing, own_line


def _shown_value(end: int, trailing: dict[int, str], own_line: dict[int, str]) -> str | None:
    if end in trailing:
        text = trailing[end]
    else:
        below = []
        row = end + 1
        while row in own_line:
            below.append(own_line[row])
            row += 1
        text = " ".join(below)
    return text if text and _is_value(text) else None


def _is_value(text: str) -> bool:
    """Whether a comment is a Python value (with ``...``), not words."""
    # "{'a': 1, ...}" is not Python: drop a trailing ", ..." inside brackets to parse it
    candidate = re.sub(r",\s*\.\.\.(?=\s*[\]})])", "", text)
    try:
        expression = ast.parse(candidate, mode="eval").body
    except SyntaxError:
        return False
    return _literal(expression)


def _literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return all(_literal(element) for element in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and _literal(k) for k in node.keys) and all(
            _literal(v) for v in node.values
        )
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return isinstance(node.operand, ast.Constant)
    if isinstance(node, ast.Call):  # a repr such as Violation(table='data', ...)
        return (
            _dotted_name(node.func)
            and all(_literal(arg) for arg in node.args)
            and all(_literal(keyword.value) for keyword in node.keywords)
        )
    return False


def _dotted_name(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return _dotted_name(node.value)
    return isinstance(node, ast.Name)
