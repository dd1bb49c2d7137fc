"""Comparing what a page shows with what the code printed.

Shown output may use ``...``: inside a line it stands for any text, and a line that is only
``...`` stands for any number of lines. Before comparing, values that change from run to run
are replaced on both sides: elapsed seconds (``0.41 s``), throughputs (``12.3 MB/s``,
``412,377 rows/s``) and UTC timestamps written with ``+00:00`` (when a cache entry was made).
Generated timestamps end in ``Z`` and are compared as they are.
"""

from __future__ import annotations

import re

ELLIPSIS = "..."
_VOLATILE = (
    (re.compile(r"\b\d+\.\d+ s\b"), "<seconds> s"),
    (re.compile(r"\b\d+(?:\.\d+)? MB/s"), "<rate> MB/s"),
    (re.compile(r"\b\d[\d,]* rows/s"), "<rate> rows/s"),
    (re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00"), "<timestamp>"),
)


def normalise(text: str) -> list[str]:
    """The lines of ``text`` with volatile values replaced and trailing blanks dropped."""
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def output_matches(shown: str, printed: str) -> bool:
    """Whether printed output is what the page shows, ``...`` standing for anything."""
    parts = []
    for line in normalise(shown):
        if line.strip() == ELLIPSIS:
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            pieces = (re.escape(piece) for piece in line.split(ELLIPSIS))
            parts.append(r"[^\n]*?".join(pieces) + r"\n")
    text = "".join(line + "\n" for line in normalise(printed))
    return re.fullmatch("".join(parts), text) is not None


def value_matches(shown: str, value_repr: str) -> bool:
    """Whether a value's ``repr`` is the one a comment shows, whitespace runs counting as one."""
    pieces = (re.escape(piece) for piece in " ".join(shown.split()).split(ELLIPSIS))
    return re.fullmatch(".*?".join(pieces), " ".join(value_repr.split()), re.DOTALL) is not None
