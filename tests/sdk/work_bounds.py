"""Bounds on the CPU time and memory of one piece of test code, turning a runaway (a
minute-long check, a gigabyte string) into a test failure instead of a hung or killed run.

CPU time is bounded with a profiling timer; memory with the address-space limit
(``RLIMIT_AS``, lowered to what the process uses plus an allowance), so that a runaway
allocation fails as a ``MemoryError``. Neither measures speed: the bounds are far above
what the code needs, and only a loop without end or an allocation without bound reaches
them.
"""

from __future__ import annotations

import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: whether this platform has the profiling timer ``cpu_budget`` needs
HAS_CPU_TIMER = hasattr(signal, "setitimer")


class Runaway(BaseException):
    """Code over its CPU budget (a BaseException: no ``except Exception`` hides it)."""


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Raise ``Runaway`` in the code run inside once it has used ``seconds`` of CPU."""

    def expire(signum: int, frame: Any) -> None:
        raise Runaway(f"over {seconds} s of CPU")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds, 1.0)  # again each second if swallowed
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@contextmanager
def memory_bound(extra: int) -> Iterator[None]:
    """Allocations past the address space in use plus ``extra`` fail (Linux: the size in
    use is read from ``/proc``; elsewhere the limit is left alone)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        yield
        return
    used = next(
        int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmSize:")
    )
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    bound = used + extra if hard == resource.RLIM_INFINITY else min(used + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (bound, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
