"""What every ``synthdata`` command shares: the program name, exit codes, the usage error,
the argument parser that raises it, output helpers, the SOURCE argument and the cache folder.

The command modules (``main``, ``cache``, ``quality``) import from here and never from
each other, except ``main``, which assembles the parser from all of them.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from synthdata_sdk.cache.defaults import CACHE_DIR_ENV, DEFAULT_CACHE_DIR

if TYPE_CHECKING:
    from synthdata_sdk.cache.store import LocalStore

PROG = "synthdata"
DEBUG_ENV = "SYNTHDATA_DEBUG"

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """Bad command-line usage: reported in one line with exit code 2."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of printing usage and exiting.

    ``main`` turns the error into the single ``synthdata: error: ...`` line every other
    input error gets; ``--help`` and ``--version`` still exit through ``SystemExit(0)``.
    """

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix(PROG).strip()
        hint = f"{PROG} {command} --help" if command else f"{PROG} --help"
        raise UsageError(f"{message} (see '{hint}')")


# Argument types


def integer(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}, got {text!r}")
        return value

    parse.__name__ = "integer"
    return parse


def source_argument(text: str) -> str | Path:
    """A template name, or a schema file found from the current folder (``schema.resolve``)."""
    from synthdata_sdk.schema.resolve import resolve_source

    resolved = resolve_source(text, [Path()])
    return Path(resolved.value) if resolved.kind == "file" else str(resolved.value)


# Output


def out(text: str) -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def out_table(rows: Sequence[tuple[str, ...]]) -> None:
    if not rows:
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        out("  ".join([*cells, row[-1]]).rstrip())


def is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def plural(n: int, one: str, many: str) -> str:
    """``1 entry``, ``2,000 entries``."""
    return f"{n:,} {one if n == 1 else many}"


def human_size(size: int) -> str:
    """``512 B``, ``1.5 KiB``, ``12.0 MiB``..."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            break
    return f"{value:.1f} {unit}"


# The local cache folder


def add_cache_dir(parser: argparse.ArgumentParser) -> None:
    """The ``--cache-dir DIR`` option of every ``cache`` subcommand."""
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help=f"the cache folder (default: ${CACHE_DIR_ENV}, else ./{DEFAULT_CACHE_DIR})",
    )


def local_store(args: argparse.Namespace) -> LocalStore:
    """The local store ``--cache-dir`` names (shown relative when below the cwd)."""
    from synthdata_sdk.cache.defaults import default_cache_dir
    from synthdata_sdk.cache.store import LocalStore

    if args.cache_dir:
        return LocalStore(Path(args.cache_dir))
    root = default_cache_dir()
    with contextlib.suppress(ValueError):  # shown relative when it is below the cwd
        root = root.relative_to(Path.cwd())
    return LocalStore(root)
