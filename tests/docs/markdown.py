"""The fenced code blocks of a Markdown page, with the ``docs-test`` directives before them.

A directive is an HTML comment (invisible on the rendered page) right before a block, blank
lines allowed in between. Several directives may precede one block.

- ``<!-- docs-test: skip REASON -->``: the block is not run nor checked; the reason is
  required.
- ``<!-- docs-test: skip-command PREFIX: REASON -->``: in a console block, the commands that
  start with PREFIX are not run (the others are); the reason is required.
- ``<!-- docs-test: setup CODE -->``: hidden Python run before the block, in the page's
  working folder, with the helpers of ``tests/docs/helpers.py`` (for example a cache entry or
  a data file the block's commands read). CODE may span several lines.

A block that is not Python or console (text, json, yaml, sql...) is shown, not run, so it
needs one of these, or ``skip``:

- ``<!-- docs-test: output-of [excerpt] [wrapped] COMMANDS -->``: the block is what the last
  of COMMANDS (console commands, one a line) prints; the ones before it must succeed.
- ``<!-- docs-test: printed-by [excerpt] [wrapped] CODE -->``: the block is what the Python
  CODE prints (and, if it raises, the last line of the traceback, as Python shows it).
- ``<!-- docs-test: valid KIND -->``: the block is an input (a schema, a CI configuration,
  a command's synopsis...) that ``tests/docs/validators.py`` checks as a KIND.

``excerpt``: the block is a run of consecutive lines of the output, not all of it.
``wrapped``: line breaks are the page's, not the program's: every run of whitespace counts
as one space.

Anything else starting with ``docs-test:`` is an error, as is a directive that no block
follows: a misspelt marker must not quietly run, or quietly skip, a block.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

DIRECTIVE = "docs-test:"
#: directives that tie a shown block to what checks it
CHECKS = ("output-of", "printed-by", "valid")
FLAGS = frozenset({"excerpt", "wrapped"})
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")


class DocsFormatError(ValueError):
    """A page's directives or fences cannot be read."""


@dataclass(frozen=True)
class Check:
    """How a shown block is checked: ``kind`` is one of ``CHECKS``."""

    kind: str
    #: the commands, the Python code or the validator's name
    body: str
    flags: frozenset[str] = frozenset()
    #: 1-based line of the directive
    line: int = 0


@dataclass(frozen=True)
class Block:
    """One fenced code block."""

    page: Path
    #: 1-based line of the block's first code line
    line: int
    lang: str
    code: str
    skip: str | None = None
    setup: tuple[str, ...] = ()
    #: (command prefix, reason) of commands not to run
    skip_commands: tuple[tuple[str, str], ...] = ()
    check: Check | None = None

    @property
    def where(self) -> str:
        return f"{self.page.name}:{self.line}"


@dataclass
class _Pending:
    """Directives read and not yet attached to a block."""

    skip: str | None = None
    setup: tuple[str, ...] = ()
    skip_commands: tuple[tuple[str, str], ...] = ()
    check: Check | None = None
    first_line: int | None = None


def read_blocks(page: Path) -> list[Block]:
    """Every fenced block of ``page``, in order, with its directives."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    pending = _Pending()
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("<!--"):
            end = _comment_end(lines, i, page)
            text = "\n".join(lines[i : end + 1]).strip()
            body = text.removeprefix("<!--").removesuffix("-->").strip()
            if body.startswith(DIRECTIVE):
                _attach(pending, body[len(DIRECTIVE) :], page, i + 1)
            i = end + 1
            continue
        opened = _FENCE.match(line)
        if opened:
            end = _fence_end(lines, i, opened, page)
            indent = len(opened["indent"])
            body_lines = [_unindent(text, indent) for text in lines[i + 1 : end]]
            info = opened["info"].strip()
            blocks.append(
                Block(
                    page=page,
                    line=i + 2,
                    lang=info.split()[0].lower() if info else "",
                    code="\n".join(body_lines) + ("\n" if body_lines else ""),
                    skip=pending.skip,
                    setup=pending.setup,
                    skip_commands=pending.skip_commands,
                    check=pending.check,
                )
            )
            pending = _Pending()
            i = end + 1
            continue
        if stripped and pending.first_line is not None:
            raise DocsFormatError(
                f"{page.name}:{pending.first_line}: a docs-test directive must come right "
                "before a fenced code block"
            )
        i += 1
    if pending.first_line is not None:
        raise DocsFormatError(
            f"{page.name}:{pending.first_line}: a docs-test directive ends the page"
        )
    return blocks


def _attach(pending: _Pending, text: str, page: Path, line: int) -> None:
    """Read one directive into ``pending``."""
    where = f"{page.name}:{line}"
    match = re.match(r"\s*(\S*)(.*)", text, re.DOTALL)
    kind, rest = (match[1], match[2]) if match else ("", "")
    pending.first_line = pending.first_line or line
    if kind == "skip":
        pending.skip = _reason(rest, f"{where}: docs-test: skip needs a reason")
    elif kind == "skip-command":
        prefix, _, reason = rest.partition(": ")
        if not prefix.strip() or not reason.strip():
            raise DocsFormatError(f"{where}: docs-test: skip-command needs PREFIX: REASON")
        pending.skip_commands += ((" ".join(prefix.split()), " ".join(reason.split())),)
    elif kind == "setup":
        pending.setup += (_code(rest, f"{where}: docs-test: setup needs code"),)
    elif kind in CHECKS:
        if pending.check is not None:
            raise DocsFormatError(f"{where}: a block is checked one way only")
        flags, body = _flags(rest)
        if kind == "valid" and flags:
            raise DocsFormatError(f"{where}: docs-test: valid takes no {', '.join(flags)}")
        needs = {"output-of": "commands", "printed-by": "code", "valid": "a kind"}[kind]
        pending.check = Check(
            kind, _code(body, f"{where}: docs-test: {kind} needs {needs}"), flags, line
        )
    else:
        raise DocsFormatError(
            f"{where}: unknown directive 'docs-test: {kind}' (expected skip, skip-command, "
            f"setup, {', '.join(CHECKS)})"
        )


def _reason(text: str, message: str) -> str:
    reason = " ".join(text.split())
    if not reason:
        raise DocsFormatError(message)
    return reason


def _code(text: str, message: str) -> str:
    # one line after the word, or a block of lines below it
    code = textwrap.dedent(text.strip("\n")).strip()
    if not code:
        raise DocsFormatError(message)
    return code


def _flags(text: str) -> tuple[frozenset[str], str]:
    """The leading ``excerpt``/``wrapped`` words of a check, and what follows them."""
    found: set[str] = set()
    rest = text.lstrip(" \t")
    while True:
        word = re.match(r"(\w+)(?=\s|$)", rest)
        if word is None or word[1] not in FLAGS:
            return frozenset(found), rest
        found.add(word[1])
        rest = rest[word.end() :].lstrip(" \t")


def _comment_end(lines: list[str], start: int, page: Path) -> int:
    for j in range(start, len(lines)):
        if "-->" in lines[j]:
            return j
    raise DocsFormatError(f"{page.name}:{start + 1}: an HTML comment is never closed")


def _fence_end(lines: list[str], start: int, opened: re.Match[str], page: Path) -> int:
    fence = opened["fence"]
    for j in range(start + 1, len(lines)):
        candidate = lines[j].strip()
        if candidate.startswith(fence[0] * len(fence)) and not candidate.strip(fence[0]):
            return j
    raise DocsFormatError(f"{page.name}:{start + 1}: a code block is never closed")


def _unindent(text: str, indent: int) -> str:
    # list items indent their blocks; drop at most the fence's own indentation
    width = len(text) - len(text.lstrip(" "))
    return text[min(width, indent) :]
