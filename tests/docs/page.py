"""Running every example of one page, in order, and collecting what does not match.

Python and console blocks run; blocks in other languages (json, text, yaml, sql...) are
shown, not run. A page's examples share one working folder (a copy of ``tests/docs/workdir``)
and one Python namespace, as a reader following the page would. A block that raises, or a
command that fails without showing its failure, stops the page; a shown output that differs
is recorded and the page goes on, so one run lists every drifted output.
"""

from __future__ import annotations

import contextlib
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.docs import console, python_block
from tests.docs.helpers import HELPERS
from tests.docs.markdown import Block, read_blocks
from tests.docs.prelude import PYTEST_PRELUDE, namespace_for
from tests.docs.shown import output_matches

ROOT = Path(__file__).resolve().parents[2]
PYTHON = frozenset({"python", "py", "python3"})
CONSOLE = frozenset({"console", "shell", "sh", "bash", "shell-session"})
SKIP_HINT = "mark it <!-- docs-test: skip REASON --> if it cannot run in a test"
#: arguments of every in-process pytester run: hypothesis' plugin would import hypothesis
#: again for each run, which takes seconds
INNER_RUN = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")
#: what a conftest.py example is run with: one test that asks for a dataset
SMOKE_TEST = (
    "import pytest\n\n\n"
    '@pytest.mark.synthdata("customer", rows=5)\n'
    "def test_a_dataset_is_served(synthdata):\n"
    "    assert synthdata.rows == 5\n"
)


class PageError(Exception):
    """A block that could not run: the page stops here."""


@dataclass
class PageRun:
    """The examples of one page, run in order."""

    page: Path
    workdir: Path
    pytester: pytest.Pytester
    problems: list[str] = field(default_factory=list)
    ran: int = 0

    def __post_init__(self) -> None:
        inside = self.page.is_relative_to(ROOT)
        self.name = self.page.relative_to(ROOT).as_posix() if inside else self.page.name
        self.namespace: dict[str, Any] = namespace_for(self.name)
        self.namespace[python_block.SHOWN] = python_block.make_shown_checker(self._value_differs)

    def run(self) -> None:
        """Run every block; raise PageError at the first block that cannot run."""
        for block in read_blocks(self.page):
            kind = "python" if block.lang in PYTHON else "console" if block.lang in CONSOLE else ""
            if block.skip is not None and not kind:
                raise PageError(
                    f"{block.where}: a '{block.lang}' block is never run; drop its skip"
                )
            for code in block.setup:
                self._setup(block, code)
            if block.skip is not None or not kind:
                continue
            self.ran += 1
            if kind == "python":
                self._python(block)
            else:
                self._console(block)

    # ----------------------------------------------------------------------------------------

    def _setup(self, block: Block, code: str) -> None:
        with contextlib.chdir(self.workdir):
            try:
                exec(compile(code, f"{block.where} (setup)", "exec"), dict(HELPERS))
            except Exception as error:
                raise PageError(
                    f"{block.where}: the docs-test setup failed:\n{_traceback(error)}"
                ) from None

    def _python(self, block: Block) -> None:
        try:
            tree = python_block.parse(block.code)
        except SyntaxError as error:
            raise PageError(
                f"{block.where}: this python block is not Python ({error.msg}, line "
                f"{error.lineno}); {SKIP_HINT}"
            ) from None
        if python_block.is_pytest_example(tree, block.code):
            self._pytest_example(block)
            return
        code = python_block.compile_block(tree, block.code, str(self.page), block.line)
        with contextlib.chdir(self.workdir):
            try:
                exec(code, self.namespace)
            except Exception as error:
                raise PageError(
                    f"{block.where}: the example raised:\n{_traceback(error)}"
                ) from None

    def _pytest_example(self, block: Block) -> None:
        folder = Path(tempfile.mkdtemp(prefix=f"example_{block.line}_", dir=self.pytester.path))
        source = python_block.cap_rows_in_source(block.code)
        if python_block.is_conftest(block.code):
            (folder / "conftest.py").write_text(PYTEST_PRELUDE + source, encoding="utf-8")
            (folder / "test_smoke.py").write_text(SMOKE_TEST, encoding="utf-8")
        else:
            (folder / f"test_example_{block.line}.py").write_text(
                PYTEST_PRELUDE + source, encoding="utf-8"
            )
        with contextlib.chdir(self.pytester.path):
            result = self.pytester.runpytest_inprocess(*INNER_RUN, str(folder))
        try:
            outcomes = result.parseoutcomes()
        except ValueError:  # no summary line: pytest itself failed
            outcomes = {}
        if result.ret != 0 or not outcomes.get("passed"):
            raise PageError(
                f"{block.where}: the pytest example did not pass ({outcomes}):\n"
                + "\n".join(result.outlines[-40:])
            )

    def _console(self, block: Block) -> None:
        for command in console.commands(block.code):
            unknown = console.unknown_programs(command.text)
            if unknown:
                raise PageError(
                    f"{block.where}: `{command.text}` runs {', '.join(unknown)}, which the docs "
                    f"test does not run; {SKIP_HINT}"
                )
            missing = console.missing_programs(command.text)
            if missing:
                raise PageError(
                    f"{block.where}: `{command.text}` needs {', '.join(missing)}, which is not "
                    "installed here; install it to run the docs tests"
                )
            code, printed = console.run(command.text, self.workdir)
            if command.shown is None:
                if code != 0:
                    raise PageError(
                        f"{block.where}: `{command.text}` exited with {code} and the page shows "
                        f"no output for it:\n{printed}\n({SKIP_HINT})"
                    )
            elif not output_matches(command.shown, printed):
                self.problems.append(
                    f"{block.where}: `{command.text}` (exit code {code}) printed\n"
                    f"{_indent(printed)}\nbut the page shows\n{_indent(command.shown)}"
                )

    def _value_differs(self, line: int, shown: str, printed: str) -> None:
        where = f"{self.page.name}:{line}"
        self.problems.append(
            f"{where}: the value is\n{_indent(printed)}\nbut the page shows\n{_indent(shown)}"
        )


def _traceback(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)).rstrip()


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip("\n").splitlines())
