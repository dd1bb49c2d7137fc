"""The names inside a cache folder: entry folders are fingerprints, and a writer's or a
remover's folder carries a prefix that no fingerprint has.

Kept apart from the store so that the lock-file reader and the housekeeping sweep can tell
names apart without loading the store.
"""

from __future__ import annotations

import secrets

#: a folder being written: renamed to its fingerprint once complete
TEMP_PREFIX = ".tmp-"
#: an entry renamed away before it is deleted, so readers never see half of it
TRASH_PREFIX = ".trash-"
#: the files of a pull that broke off, kept for the next pull to go on from (``draft.py``)
PARTIAL_PREFIX = ".partial-"
_FINGERPRINT_CHARS = frozenset("0123456789abcdef")


def is_fingerprint(text: str) -> bool:
    """Whether ``text`` looks like a request fingerprint (64 lowercase hex digits)."""
    return len(text) == 64 and set(text) <= _FINGERPRINT_CHARS


def temp_name(fingerprint: str) -> str:
    """A fresh name for an entry being written."""
    return f"{TEMP_PREFIX}{fingerprint[:12]}-{secrets.token_hex(6)}"


def trash_name(fingerprint: str) -> str:
    """A fresh name for an entry on its way out."""
    return f"{TRASH_PREFIX}{fingerprint[:12]}-{secrets.token_hex(6)}"


def partial_name(fingerprint: str) -> str:
    """The folder keeping what a pull of ``fingerprint`` received so far."""
    return f"{PARTIAL_PREFIX}{fingerprint}"
