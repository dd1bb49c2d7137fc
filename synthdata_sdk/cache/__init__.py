"""Dataset caches: the store interface, the local store, the lock file and the mode-aware resolver.

The pytest plugin, the CLI (``synthdata cache ...``) and the cloud backend all use these, so
an entry written by one is served by the others. Names load lazily: importing this package
does not import the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from synthdata_sdk._lazy import lazy_attributes
from synthdata_sdk.cache.defaults import (
    CACHE_DIR_ENV,
    DEFAULT_CACHE_DIR,
    LOCK_NAME,
    MODES,
    default_cache_dir,
)

if TYPE_CHECKING:
    from synthdata_sdk.cache.housekeeping import Removal, Skipped
    from synthdata_sdk.cache.lockfile import LockEntry, read_lock, render_lock, write_lock
    from synthdata_sdk.cache.names import is_fingerprint
    from synthdata_sdk.cache.resolver import DatasetCache, Origin, Served
    from synthdata_sdk.cache.store import CacheEntry, LocalStore
    from synthdata_sdk.cache.tier import DatasetStore

_LAZY = {
    "Removal": "synthdata_sdk.cache.housekeeping",
    "Skipped": "synthdata_sdk.cache.housekeeping",
    "LockEntry": "synthdata_sdk.cache.lockfile",
    "read_lock": "synthdata_sdk.cache.lockfile",
    "render_lock": "synthdata_sdk.cache.lockfile",
    "write_lock": "synthdata_sdk.cache.lockfile",
    "DatasetCache": "synthdata_sdk.cache.resolver",
    "Origin": "synthdata_sdk.cache.resolver",
    "Served": "synthdata_sdk.cache.resolver",
    "CacheEntry": "synthdata_sdk.cache.store",
    "LocalStore": "synthdata_sdk.cache.store",
    "DatasetStore": "synthdata_sdk.cache.tier",
    "is_fingerprint": "synthdata_sdk.cache.names",
}

__all__ = [
    "CACHE_DIR_ENV",
    "DEFAULT_CACHE_DIR",
    "LOCK_NAME",
    "MODES",
    "CacheEntry",
    "DatasetCache",
    "DatasetStore",
    "LocalStore",
    "LockEntry",
    "Origin",
    "Removal",
    "Served",
    "Skipped",
    "default_cache_dir",
    "is_fingerprint",
    "read_lock",
    "render_lock",
    "write_lock",
]


__getattr__ = lazy_attributes(__name__, _LAZY, globals())
