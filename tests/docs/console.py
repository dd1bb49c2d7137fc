"""Running a console block's commands and collecting what they print.

In a block with ``$ `` prompts, each prompt line is a command and the lines below it, up to
the next prompt, are its shown output. A block without prompts is a list of commands with no
shown output. A plain ``synthdata ...`` command (optionally ``> FILE``) runs in this process
through the console script's entry point, which is fast; anything else (pipes, ``&&``,
environment assignments, other programs) runs under ``bash -c`` with this environment's
``bin`` folder first on ``PATH``. Either way stdout and stderr are collected together, in the
order they were written, as a terminal shows them.

A plain ``pytest ...`` command (optionally after environment assignments, ``CI=true pytest``)
runs in this process too, with pytester, in the working folder as its rootdir: the pages'
pytest commands run over a small suite the page's set-up writes, never this project's. The
project's development tools (``DEV_TOOLS``: ruff, mkdocs) are not installed with the
``test`` extra; a page whose commands need them is skipped, with their names, where they are
missing.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tests.docs.python_block import ROWS_CAP

ROOT = Path(__file__).resolve().parents[2]
#: characters that make a command the shell's business
_SHELL = frozenset("|&;<>`$()")
#: the programs a docs command may run; anything else (pip, git, pytest over the reader's
#: suite, a benchmark) must be marked as not runnable, so the test never installs or pushes
PROGRAMS = frozenset(
    {"synthdata", "pytest", "jq", "head", "tail", "cat", "ls", "wc", "grep", "sort"}
)
#: programs of the ``dev`` extra the contributors' guide runs: missing ones skip its page
DEV_TOOLS = frozenset({"ruff", "mkdocs"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*")
_SEPARATORS = frozenset({"|", "||", "&&", ";", "&"})
_ROWS = re.compile(r"(--rows[ =])(\d[\d_]*)")


@dataclass(frozen=True)
class Command:
    """One command of a console block and the output shown below it (None when none is)."""

    text: str
    shown: str | None


def commands(code: str) -> list[Command]:
    """The commands of a console block."""
    lines = code.splitlines()
    if not any(line.startswith("$ ") for line in lines):
        return [
            Command(line.strip(), None)
            for line in lines
            if line.strip() and not line.lstrip().startswith("#")
        ]
    out: list[Command] = []
    text: str | None = None
    shown: list[str] = []
    for line in lines:
        if line.startswith("$ "):
            if text is not None:
                out.append(_command(text, shown))
            text, shown = line[2:].strip(), []
        elif text is not None:
            shown.append(line)
    if text is not None:
        out.append(_command(text, shown))
    return out


def _command(text: str, shown: list[str]) -> Command:
    body = "\n".join(shown).strip("\n")
    return Command(text, body if body.strip() else None)


def unknown_programs(command: str) -> list[str]:
    """The programs of a command that the docs test does not run (empty when it may run)."""
    try:
        programs = _programs(command)
    except ValueError:
        return [command]
    return [program for program in programs if program not in PROGRAMS | DEV_TOOLS]


def _programs(command: str) -> list[str]:
    """The program of each simple command in ``command``, after environment assignments."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    programs, start = [], True
    for token in lexer:
        if token in _SEPARATORS:
            start = True
        elif start and not _ASSIGNMENT.fullmatch(token):
            programs.append(token)
            start = False
    return programs


def cap_rows(command: str) -> str:
    """``command`` with ``--rows`` above ``ROWS_CAP`` lowered to it."""
    return _ROWS.sub(lambda m: m[1] + str(min(int(m[2].replace("_", "")), ROWS_CAP)), command)


def run(command: str, cwd: Path, project: Path = ROOT, timeout: float = 300) -> tuple[int, str]:
    """Run one command in ``cwd``, importing from ``project``; its exit code and output."""
    command = cap_rows(command)
    simple = _in_process_argv(command)
    if simple is not None:
        return _run_in_process(*simple, cwd)
    return _run_in_bash(command, cwd, project, timeout)


def pytest_command(command: str) -> tuple[dict[str, str], list[str]] | None:
    """The environment assignments and arguments of a plain ``pytest`` command, else None."""
    try:
        tokens = shlex.split(command, comments=True)
    except ValueError:
        return None
    env: dict[str, str] = {}
    while tokens and _ASSIGNMENT.fullmatch(tokens[0]):
        name, _, value = tokens.pop(0).partition("=")
        env[name] = value
    if not tokens or tokens[0] != "pytest":
        return None
    if any(set(token) & _SHELL for token in tokens[1:]):
        return None  # the shell's business: not a command a page should show for pytest
    return env, tokens[1:]


def _in_process_argv(command: str) -> tuple[list[str], str | None] | None:
    """The arguments and stdout file of a plain ``synthdata`` command, else None."""
    try:
        tokens = shlex.split(command, comments=True)
    except ValueError:
        return None
    out_file = None
    if len(tokens) >= 2 and tokens[-2] == ">":
        out_file, tokens = tokens[-1], tokens[:-2]
    if not tokens or tokens[0] != "synthdata":
        return None
    if any(set(token) & _SHELL for token in tokens[1:]):
        return None  # a pipe, a list, a redirection or an expansion: bash runs it
    return tokens[1:], out_file


def _run_in_process(argv: list[str], out_file: str | None, cwd: Path) -> tuple[int, str]:
    sink = io.BytesIO()
    shared = io.TextIOWrapper(sink, encoding="utf-8", write_through=True)
    with contextlib.ExitStack() as stack:
        stack.enter_context(contextlib.chdir(cwd))
        stdout = shared
        if out_file is not None:
            target = stack.enter_context((cwd / out_file).open("wb"))
            stdout = io.TextIOWrapper(target, encoding="utf-8", write_through=True)
        stack.enter_context(_streams(stdout, shared, io.StringIO("")))
        code = _entry_point()(argv)
        stdout.flush()
    shared.flush()
    return code, sink.getvalue().decode("utf-8", errors="replace")


@contextlib.contextmanager
def _streams(out: io.TextIOWrapper, err: io.TextIOWrapper, stdin: io.StringIO) -> Iterator[None]:
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr, sys.stdin = out, err, stdin
    try:
        yield
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved


@cache
def _entry_point() -> Callable[[list[str]], int]:
    """The ``synthdata`` console script's function, as pyproject.toml declares it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, _, name = project["project"]["scripts"]["synthdata"].partition(":")
    function: Callable[[list[str]], int] = getattr(importlib.import_module(module), name)
    return function


def missing_programs(command: str) -> list[str]:
    """The programs a command needs that are not installed here."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    needed = ["bash", *_programs(command)]
    return [program for program in needed if shutil.which(program, path=path) is None]


def _run_in_bash(command: str, cwd: Path, project: Path, timeout: float) -> tuple[int, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr interleave as on a terminal
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=timeout,
        check=False,
    )
    return done.returncode, done.stdout.decode("utf-8", errors="replace")
