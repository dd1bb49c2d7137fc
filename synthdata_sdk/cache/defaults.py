"""Names and defaults every cache user shares; importing this module costs nothing."""

from __future__ import annotations

import os
from pathlib import Path

#: environment variable naming the cache folder
CACHE_DIR_ENV = "SYNTHDATA_CACHE_DIR"
#: environment variable naming the shared S3 cache (``s3://bucket/prefix``)
SHARED_CACHE_ENV = "SYNTHDATA_SHARED_CACHE"
#: environment variable naming the KMS key whose signatures shared cache manifests carry
SIGNING_KEY_ENV = "SYNTHDATA_SIGNING_KEY"
#: environment variable (yes/no) refusing shared cache entries without that key's signature
REQUIRE_SIGNED_ENV = "SYNTHDATA_REQUIRE_SIGNED"
#: how a yes/no environment variable may be spelled (any case; unset or blank is no)
YES = frozenset({"1", "true", "yes", "on"})
NO = frozenset({"0", "false", "no", "off", ""})
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


def env_flag(name: str) -> bool:
    """The yes/no environment variable ``name`` (unset: no); ValueError saying what is
    expected when it holds something else."""
    text = os.environ.get(name, "")
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(
        f"${name} = {text!r} is not a yes/no value (expected 1, true, yes or on; 0, false, no "
        "or off)"
    )
