"""How a chunk drawn in a pool process reaches the caller, cheaply.

Two costs dominate a naive transport (returning the columns from the pool task):

* Pickling a list of ``str`` memoises every string: for a 10,000-row chunk it costs about
  half as much as drawing the column. A column whose values are all exactly ``str`` travels
  instead as one text, its values joined by :data:`SEPARATOR`, which the caller splits back.
  The join is used only when the separator is proven absent from every value: the joined text
  then holds exactly ``len(values) - 1`` separators, so splitting it gives the same values.
  A column that repeats its values (names, countries) travels :class:`Coded`: its distinct
  values joined, and a code per row; the caller's records then share one ``str`` per distinct
  value, as they do when the caller draws the column itself, instead of holding a copy per
  row. Any other column (numbers, nulls, objects, arrays, ``str`` subclasses, or a value
  holding the separator) travels as the list itself, pickled as before.
* A result of a megabyte or more sent through the pool's pipe blocks the pool process until a
  thread of the busy caller has read it, one pipe buffer (64 KiB) at a time. A chunk is
  therefore written to a file in a private :class:`Spool` directory instead; only its path
  goes through the pipe, and the caller reads it in one go when the chunk's turn comes.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

#: the ASCII unit separator; any character works, the proof above does not depend on it
SEPARATOR = "\x1f"

#: how many values of a column are looked at to guess whether it repeats values
PROBE = 1024


@dataclass(frozen=True)
class Coded:
    """An all-``str`` column that repeats values: its distinct values joined, a code per row."""

    distinct: str
    codes: array[int]


#: a column in transit: joined text, coded text, or (any other column) the values themselves
Packed = str | Coded | list[Any]

#: a chunk as columns: (property names, or None for a non-object root; columns; rows)
Drawn = tuple[list[str] | None, list[list[Any]], int]


def pack_column(values: list[Any]) -> Packed:
    """The column as joined or coded text when that round-trips exactly, else the values."""
    if not values or list(map(type, values)).count(str) != len(values):
        return values  # numbers, nulls, objects, arrays or str subclasses
    distinct = _distinct(values) if _repeats(values) else values
    text = _joined(distinct)
    if text is None:
        return values  # some value holds the separator: splitting would not give it back
    if distinct is values:
        return text
    code = {value: number for number, value in enumerate(distinct)}
    return Coded(text, array("I", map(code.__getitem__, values)))


def _repeats(values: list[str]) -> bool:
    """Whether a sample of the column repeats values often (at least one in eight)."""
    sample = values[:PROBE]
    return len(set(sample)) * 8 <= len(sample) * 7


def _distinct(values: list[str]) -> list[str]:
    """The column's distinct values in first-seen order; the column itself if few repeat."""
    distinct = list(dict.fromkeys(values))
    return distinct if len(distinct) * 2 <= len(values) else values


def _joined(values: list[str]) -> str | None:
    """The values joined by the separator, or None if a value holds it."""
    text = SEPARATOR.join(values)
    return text if text.count(SEPARATOR) == len(values) - 1 else None


def unpack_column(packed: Packed) -> list[Any]:
    """The values of a column packed by :func:`pack_column`."""
    if isinstance(packed, str):
        return packed.split(SEPARATOR)
    if isinstance(packed, Coded):
        distinct = packed.distinct.split(SEPARATOR)
        return list(map(distinct.__getitem__, packed.codes))
    return packed


def pack_columns(columns: list[list[Any]]) -> list[Packed]:
    """Every column packed for transport."""
    return [pack_column(values) for values in columns]


def unpack_columns(packed: list[Packed]) -> list[list[Any]]:
    """Every column back from :func:`pack_columns`."""
    return [unpack_column(column) for column in packed]


class Spool:
    """A private temporary directory holding the chunks on their way to the caller.

    Made by :func:`tempfile.mkdtemp` (so ``TMPDIR`` applies), readable by its owner only: its
    pickles are as trusted as the pool's own pipe. It holds at most the chunks of the caller's
    window; closing it removes whatever is left (chunks of a run that stopped early).
    """

    def __init__(self) -> None:
        self.directory = tempfile.mkdtemp(prefix="synthdata-chunks-")

    def close(self) -> None:
        """Remove the directory and any chunk still in it."""
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> Spool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def send(directory: str, chunk: int, drawn: Drawn) -> str:
    """Write a drawn chunk, its columns packed, into a spool directory; returns its path."""
    names, columns, count = drawn
    path = Path(directory) / f"chunk-{chunk}.pickle"
    path.write_bytes(pickle.dumps((names, pack_columns(columns), count), pickle.HIGHEST_PROTOCOL))
    return str(path)


def receive(path: str) -> Drawn:
    """Read back (and delete) a chunk written by :func:`send`."""
    file = Path(path)
    names, packed, count = pickle.loads(file.read_bytes())
    file.unlink()
    return names, unpack_columns(packed), count
