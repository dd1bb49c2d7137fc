"""Names and defaults every cache user shares; importing this module costs nothing."""

from __future__ import annotations

import os
from pathlib import Path

#: environment variable naming the cache folder
CACHE_DIR_ENV = "SYNTHDATA_CACHE_DIR"
#: environment variable naming the shared S3 cache (``s3://bucket/prefix``)
SHARED_CACHE_ENV = "SYNTHDATA_SHARED_CACHE"
#: the cache folder's name when nothing else is configured
DEFAULT_CACHE_DIR = ".synthdata"
#: the lock file's name, at a project's root
LOCK_NAME = "synthdata.lock"
#: record/replay modes (see ``synthdata_sdk.cache.resolver``)
MODES = ("once", "new", "none", "all")


def default_cache_dir(base: Path | None = None) -> Path:
    """``$SYNTHDATA_CACHE_DIR`` if set, else ``.synthdata`` in ``base`` (default: the cwd)."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured).expanduser().absolute()
    return (base or Path.cwd()).absolute() / DEFAULT_CACHE_DIR
