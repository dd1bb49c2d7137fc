"""Running every example of one page, in order, and collecting what does not match.

Python and console blocks run. Blocks in other languages (text, json, yaml, sql...) are
shown, not run: each must be tied to what prints it (``output-of``, ``printed-by``), be an
input that a validator checks (``valid``), or be marked ``skip`` with a reason (see
``tests/docs/markdown.py``); an unmarked one is reported. A page's examples share one working
folder and one Python namespace, as a reader following the page would. A block that raises,
or a command that fails without showing its failure, stops the page; a shown output that
differs is recorded and the page goes on, so one run lists every drifted output.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.docs import console, python_block, validators
from tests.docs.helpers import HELPERS
from tests.docs.markdown import Block, Check, read_blocks
from tests.docs.prelude import PYTEST_PRELUDE, namespace_for
from tests.docs.shown import output_matches, root_shown

ROOT = Path(__file__).resolve().parents[2]
PYTHON = frozenset({"python", "py", "python3"})
CONSOLE = frozenset({"console", "shell", "sh", "bash", "shell-session"})
SKIP_HINT = "mark it <!-- docs-test: skip REASON --> if it cannot run in a test"
CHECK_HINT = (
    "tie it to what prints it (<!-- docs-test: output-of COMMAND --> or printed-by CODE), "
    "check it as an input (valid KIND), or mark it <!-- docs-test: skip REASON -->"
)
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
    """The examples of one page, run in order.

    ``workdir`` is the folder the examples run in; ``project`` is the checkout whose packages
    commands run under ``bash`` import (a copy of it for a page whose commands work on the
    project itself).
    """

    page: Path
    workdir: Path
    pytester: pytest.Pytester
    project: Path = ROOT
    problems: list[str] = field(default_factory=list)
    #: commands not run because a development tool is missing, with the tool
    not_run: list[str] = field(default_factory=list)
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
            self._check_directives(block, kind)
            for code in block.setup:
                self._setup(block, code)
            if block.skip is not None:
                continue
            if kind == "python":
                self.ran += 1
                self._python(block)
            elif kind == "console":
                self.ran += 1
                self._console(block)
            elif block.check is not None:
                self.ran += 1
                self._shown(block, block.check)
            else:
                self.problems.append(
                    f"{block.where}: this {block.lang or 'plain'} block is neither run nor "
                    f"checked: {CHECK_HINT}"
                )

    def _check_directives(self, block: Block, kind: str) -> None:
        if block.check is not None and kind:
            raise PageError(
                f"{block.where}: a {kind} block runs itself; docs-test: {block.check.kind} "
                "is for a block that shows output or an input"
            )
        if block.skip_commands and kind != "console":
            raise PageError(f"{block.where}: docs-test: skip-command is for console blocks")
        if block.skip is not None and (block.check is not None or block.skip_commands):
            raise PageError(f"{block.where}: a skipped block takes no other docs-test marker")

    # Blocks that run ---------------------------------------------------------------------

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
        commands = console.commands(block.code)
        unused = [
            prefix
            for prefix, _ in block.skip_commands
            if not any(_starts(command.text, prefix) for command in commands)
        ]
        if unused:
            raise PageError(
                f"{block.where}: docs-test: skip-command {unused[0]!r} matches no command of "
                "the block"
            )
        for command in commands:
            if any(_starts(command.text, prefix) for prefix, _ in block.skip_commands):
                continue
            result = self._command(block, command.text)
            if result is None:
                continue
            code, printed = result
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

    def _command(self, block: Block, text: str) -> tuple[int, str] | None:
        """Run one command: its exit code and output, or None when a dev tool is missing."""
        unknown = console.unknown_programs(text)
        if unknown:
            raise PageError(
                f"{block.where}: `{text}` runs {', '.join(unknown)}, which the docs test does "
                f"not run; {SKIP_HINT}"
            )
        missing = console.missing_programs(text)
        if missing and set(missing) <= console.DEV_TOOLS:
            self.not_run.append(f"`{text}` ({', '.join(missing)} not installed)")
            return None
        if missing:
            raise PageError(
                f"{block.where}: `{text}` needs {', '.join(missing)}, which is not installed "
                "here; install it to run the docs tests"
            )
        pytest_run = console.pytest_command(console.cap_rows(text))
        if pytest_run is not None:
            code, printed = self._pytest(*pytest_run)
        else:
            code, printed = console.run(text, self.workdir, self.project)
        return code, root_shown(printed, self.workdir)

    def _pytest(self, env: dict[str, str], args: list[str]) -> tuple[int, str]:
        """``pytest ARGS`` in this process, in the working folder as its rootdir."""
        with pytest.MonkeyPatch.context() as patch, contextlib.chdir(self.workdir):
            for name, value in env.items():
                patch.setenv(name, value)
            result = self.pytester.runpytest_inprocess(
                *INNER_RUN, f"--rootdir={self.workdir}", *args
            )
        return int(result.ret), "\n".join([*result.outlines, *result.errlines])

    # Blocks that are shown ---------------------------------------------------------------

    def _shown(self, block: Block, check: Check) -> None:
        if check.kind == "valid":
            with contextlib.chdir(self.workdir):
                problems = validators.check(check.body, block.code, self.pytester)
            self.problems.extend(f"{block.where}: {problem}" for problem in problems)
            return
        source = f"docs-test: {check.kind} at line {check.line}"
        if check.kind == "output-of":
            printed = self._output_of(block, check.body.splitlines())
            if printed is None:
                return
        else:
            printed = self._printed_by(block, check.body)
        excerpt, wrapped = "excerpt" in check.flags, "wrapped" in check.flags
        if not output_matches(block.code, printed, excerpt=excerpt, wrapped=wrapped):
            how = " (excerpt)" if excerpt else ""
            self.problems.append(
                f"{block.where}: {source} printed\n{_indent(printed)}\nbut the page shows"
                f"{how}\n{_indent(block.code)}"
            )

    def _output_of(self, block: Block, commands: list[str]) -> str | None:
        *before, last = [command.strip() for command in commands if command.strip()]
        for text in before:
            result = self._command(block, text)
            if result is None:
                return None
            if result[0] != 0:
                raise PageError(
                    f"{block.where}: `{text}` (before the output shown) exited with "
                    f"{result[0]}:\n{result[1]}"
                )
        result = self._command(block, last)
        return None if result is None else result[1]

    def _printed_by(self, block: Block, code: str) -> str:
        """What ``code`` prints, then the last line of its traceback if it raises."""
        sink = io.StringIO()
        namespace = {**HELPERS, **self.namespace}
        compiled = compile(code, f"{block.where} (printed-by)", "exec")
        with (
            contextlib.chdir(self.workdir),
            contextlib.redirect_stdout(sink),
            contextlib.redirect_stderr(sink),
        ):
            try:
                exec(compiled, namespace)
            except Exception as error:
                sink.write(traceback.format_exception_only(error)[-1])
        return root_shown(sink.getvalue(), self.workdir)

    def _value_differs(self, line: int, shown: str, printed: str) -> None:
        where = f"{self.page.name}:{line}"
        self.problems.append(
            f"{where}: the value is\n{_indent(printed)}\nbut the page shows\n{_indent(shown)}"
        )


def _starts(command: str, prefix: str) -> bool:
    words, start = command.split(), prefix.split()
    return words[: len(start)] == start


def _traceback(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)).rstrip()


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip("\n").splitlines())
