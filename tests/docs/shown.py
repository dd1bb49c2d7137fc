"""Comparing what a page shows with what the code printed.

Shown output may use ``...``: inside a line it stands for any text, and a line that is only
``...`` stands for any number of lines. Before comparing, only what legitimately changes from
run to run is replaced, on both sides:

- elapsed seconds (``0.41 s``), throughputs (``12.3 MB/s``, ``412,377 rows/s``) and UTC
  timestamps written with ``+00:00`` (when a cache entry was made). Generated timestamps end
  in ``Z`` and are compared as they are;
- the working folder the examples run in: its absolute path is shown as ``/src/app``
  (``SHOWN_ROOT``), the project folder of the pages' examples (``root_shown``).

``excerpt`` compares the shown lines with a run of consecutive printed lines; ``wrapped``
ignores where lines break, every run of whitespace counting as one space (a page wraps a long
message that the program prints on one line).
"""

from __future__ import annotations

import re
from pathlib import Path

ELLIPSIS = "..."
#: where the pages show the working folder of their examples
SHOWN_ROOT = "/src/app"
_VOLATILE = (
    (re.compile(r"\b\d+\.\d+ s\b"), "<seconds> s"),
    (re.compile(r"\b\d+(?:\.\d+)? MB/s"), "<rate> MB/s"),
    (re.compile(r"\b\d[\d,]* rows/s"), "<rate> rows/s"),
    (re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00"), "<timestamp>"),
)


def root_shown(printed: str, folder: Path) -> str:
    """``printed`` with the absolute path of ``folder`` written as ``SHOWN_ROOT``."""
    for path in {str(folder.resolve()), str(folder)}:
        printed = printed.replace(path, SHOWN_ROOT)
    return printed


def normalise(text: str) -> list[str]:
    """The lines of ``text`` with volatile values replaced and trailing blanks dropped."""
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def output_matches(
    shown: str, printed: str, *, excerpt: bool = False, wrapped: bool = False
) -> bool:
    """Whether printed output is what the page shows, ``...`` standing for anything."""
    if wrapped:
        flat_shown, flat_printed = (
            " ".join(" ".join(normalise(t)).split()) for t in (shown, printed)
        )
        pattern = ".*?".join(re.escape(piece) for piece in flat_shown.split(ELLIPSIS))
        find = re.search if excerpt else re.fullmatch
        return find(pattern, flat_printed) is not None
    lines = normalise(shown)
    if excerpt:
        lines = [ELLIPSIS, *lines, ELLIPSIS]
    parts = []
    for line in lines:
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
