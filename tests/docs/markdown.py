"""The fenced code blocks of a Markdown page, with the ``docs-test`` directives before them.

A directive is an HTML comment (invisible on the rendered page) right before a block, blank
lines allowed in between:

- ``<!-- docs-test: skip REASON -->``: the block is not run; the reason is required.
- ``<!-- docs-test: setup CODE -->``: hidden Python run before the block, in the page's
  working folder, with the helpers of ``tests/docs/helpers.py`` (for example a cache entry or
  a data file the block's commands read). CODE may span several lines.

Anything else starting with ``docs-test:`` is an error, as is a directive that no block
follows: a misspelt marker must not quietly run, or quietly skip, a block.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

DIRECTIVE = "docs-test:"
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")


class DocsFormatError(ValueError):
    """A page's directives or fences cannot be read."""


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

    @property
    def where(self) -> str:
        return f"{self.page.name}:{self.line}"


def read_blocks(page: Path) -> list[Block]:
    """Every fenced block of ``page``, in order, with its directives."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    skip: str | None = None
    setup: list[str] = []
    pending_at: int | None = None  # line of the first directive not yet attached
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("<!--"):
            end = _comment_end(lines, i, page)
            text = "\n".join(lines[i : end + 1]).strip()
            body = text.removeprefix("<!--").removesuffix("-->").strip()
            if body.startswith(DIRECTIVE):
                kind, arg = _directive(body[len(DIRECTIVE) :], page, i + 1)
                if kind == "skip":
                    skip = arg
                else:
                    setup.append(arg)
                pending_at = pending_at or i + 1
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
                    skip=skip,
                    setup=tuple(setup),
                )
            )
            skip, setup, pending_at = None, [], None
            i = end + 1
            continue
        if stripped and pending_at is not None:
            raise DocsFormatError(
                f"{page.name}:{pending_at}: a docs-test directive must come right before a "
                "fenced code block"
            )
        i += 1
    if pending_at is not None:
        raise DocsFormatError(f"{page.name}:{pending_at}: a docs-test directive ends the page")
    return blocks


def _directive(text: str, page: Path, line: int) -> tuple[str, str]:
    match = re.match(r"\s*(\S*)(.*)", text, re.DOTALL)
    kind, rest = (match[1], match[2]) if match else ("", "")
    if kind == "skip":
        reason = " ".join(rest.split())
        if not reason:
            raise DocsFormatError(f"{page.name}:{line}: docs-test: skip needs a reason")
        return kind, reason
    if kind == "setup":
        # one line after the word, or a block of lines below it
        code = textwrap.dedent(rest.strip("\n")).strip()
        if not code:
            raise DocsFormatError(f"{page.name}:{line}: docs-test: setup needs code")
        return kind, code
    raise DocsFormatError(
        f"{page.name}:{line}: unknown directive 'docs-test: {kind}' (expected skip or setup)"
    )


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
