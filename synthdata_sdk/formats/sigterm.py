"""SIGTERM while a temporary file is being written: clean up first, then terminate.

SIGTERM's default action ends the process on the spot, leaving a temporary file that may be
gigabytes large. While the block runs, SIGTERM instead raises ``Terminated`` so that the
writer's clean-up runs; on the way out the default action is restored and the signal raised
again, so the process still ends as killed by SIGTERM. Only a process whose SIGTERM action is
the default is changed (a program with its own handler keeps it), and only from the main
thread, where Python runs signal handlers.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

#: whether this process's SIGTERM handler is the one ``sigterm_raises`` installed
_installed = False
#: per thread: the signal mask to restore after a fork that ``_block_for_fork`` changed
_fork_masks = threading.local()


# A process forked inside the block (a worker pool) must end on SIGTERM as it would have
# without the block. SIGTERM is held back across the fork so that none reaches the child
# before its action is the default again (Python forgets signals that arrive in between).
def _block_for_fork() -> None:
    _fork_masks.mask = (
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}) if _installed else None
    )


def _unblock_in_parent() -> None:
    mask = getattr(_fork_masks, "mask", None)
    if mask is not None:
        _fork_masks.mask = None
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _default_in_child() -> None:
    global _installed
    mask = getattr(_fork_masks, "mask", None)
    if _installed:
        _installed = False
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if mask is not None:
        _fork_masks.mask = None
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


if hasattr(os, "register_at_fork") and hasattr(signal, "pthread_sigmask"):
    os.register_at_fork(
        before=_block_for_fork,
        after_in_parent=_unblock_in_parent,
        after_in_child=_default_in_child,
    )


class Terminated(BaseException):
    """SIGTERM arrived; a BaseException so that ``except Exception`` does not swallow it."""


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within the block SIGTERM raises ``Terminated``; afterwards it terminates the process."""
    global _installed
    if not _default_action_in_main_thread():
        yield
        return
    owner = os.getpid()
    received = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal received
        if os.getpid() != owner:  # a forked process that still has this handler
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        if not received:  # a second SIGTERM must not interrupt the clean-up of the first
            received = True
            raise Terminated(signum)

    signal.signal(signal.SIGTERM, handler)
    _installed = True
    try:
        yield
    except Terminated:
        if not received:
            raise
    finally:
        _installed = False
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if received:
            signal.raise_signal(signal.SIGTERM)
    if received:  # still alive: SIGTERM is blocked in this thread's signal mask
        raise Terminated(signal.SIGTERM)


def _default_action_in_main_thread() -> bool:
    if threading.current_thread() is not threading.main_thread():
        return False
    return signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
