"""A one-line terminal progress bar for long generations and transfers, drawn on stderr.

The bar is redrawn in place with ``\\r`` and finished with a newline. It draws nothing when
its stream is not a terminal (pipes, log files, CI), so captured output stays clean. It counts
rows (generation) or bytes (``synthdata cache pull`` and ``push``, shown in MB).
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

__all__ = ["UNITS", "ProgressBar", "format_line"]

#: characters of the bar itself, between the brackets
BAR_WIDTH = 24
#: at most this many redraws per second, so tiny chunks do not flood the terminal
MIN_INTERVAL = 0.1
#: what a bar counts
UNITS = ("rows", "bytes")


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def format_line(
    done: int,
    total: int,
    elapsed: float,
    width: int = BAR_WIDTH,
    columns: int | None = None,
    unit: str = "rows",
) -> str:
    """The bar's text: ``[#####-----] 1,000/4,000 rows   25.0%  12,345 rows/s``, or with
    ``unit="bytes"`` ``[#####-----] 1.5/6.0 MB   25.0%  3.2 MB/s`` (MB: 10**6 bytes).

    With ``columns``, the bar shrinks (or goes) so that the line fits in that many columns:
    a line that wraps cannot be redrawn with ``\\r``.
    """
    fraction = 1.0 if total <= 0 else min(max(done / total, 0.0), 1.0)
    rate = done / elapsed if elapsed > 0 else 0.0
    if unit == "bytes":
        amounts = f"{done / 1e6:,.1f}/{total / 1e6:,.1f} MB"
        speed = f"{rate / 1e6:,.1f} MB/s"
    else:
        amounts, speed = f"{done:,}/{total:,} rows", f"{rate:,.0f} rows/s"
    counts = f"{amounts}  {fraction * 100:5.1f}%  {speed}"
    if columns is not None:
        width = min(width, columns - 1 - len(counts) - 3)  # "[", "] " and the cursor
    if width < 4:
        return counts
    filled = int(fraction * width)
    return f"[{'#' * filled}{'-' * (width - filled)}] {counts}"


class ProgressBar:
    """Progress of ``total`` rows (or bytes, with ``unit="bytes"``), fed with counts as chunks
    complete.

    ``advance(n)`` adds ``n`` rows (the SDK's ``progress`` callbacks report each chunk's row
    count); ``update(done)`` sets the absolute count. ``finish()`` draws the final state and
    ends the line; it runs once, also when used as a context manager that exits on an error.
    ``stream`` defaults to ``sys.stderr`` and ``is_tty`` to ``stream.isatty()``; with
    ``enabled=False`` (``--quiet``) or on a non-terminal stream nothing is ever written.
    The line is fitted to ``columns``, by default the terminal's width at each redraw.
    """

    def __init__(
        self,
        total: int,
        *,
        stream: TextIO | None = None,
        is_tty: bool | None = None,
        enabled: bool = True,
        clock: Callable[[], float] = time.monotonic,
        min_interval: float = MIN_INTERVAL,
        columns: int | None = None,
        unit: str = "rows",
    ) -> None:
        if unit not in UNITS:
            raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}")
        self.unit = unit
        self.total = max(int(total), 0)
        self.stream: TextIO = stream if stream is not None else sys.stderr
        tty = _is_terminal(self.stream) if is_tty is None else is_tty
        self.active = enabled and tty
        self.done = 0
        self._clock = clock
        self._min_interval = min_interval
        self._columns = columns
        self._start = clock()
        self._last_draw: float | None = None
        self._last_width = 0
        self._finished = False

    def __call__(self, rows: int) -> None:
        """Same as ``advance``: the object itself is a valid SDK ``progress`` callback."""
        self.advance(rows)

    def advance(self, rows: int) -> None:
        """Count ``rows`` more rows as done."""
        self.update(self.done + rows)

    def update(self, done: int) -> None:
        """Set the number of rows done, redrawing at most every ``min_interval`` seconds."""
        self.done = done
        if not self.active or self._finished:
            return
        now = self._clock()
        if self._last_draw is None or now - self._last_draw >= self._min_interval:
            self._draw(now)

    def finish(self) -> None:
        """Draw the final state and end the line (once; silent when inactive)."""
        if self._finished:
            return
        self._finished = True
        if not self.active:
            return
        self._draw(self._clock())
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self, now: float) -> None:
        columns = self._columns or shutil.get_terminal_size().columns
        line = format_line(
            self.done, self.total, now - self._start, columns=columns, unit=self.unit
        )
        # pad over the tail of a longer previous line (the rate can shrink)
        padding = " " * max(self._last_width - len(line), 0)
        self.stream.write(f"\r{line}{padding}")
        self.stream.flush()
        self._last_draw = now
        self._last_width = len(line)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.finish()
