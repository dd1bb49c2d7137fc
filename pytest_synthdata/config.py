"""Plugin settings: command-line options, their ini twins, and how they are resolved.

Precedence, highest first: command line, ini file, environment, default (``sources.py``).
Nothing here imports the SDK's engine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from pytest_synthdata.backend import add_backend_options, describe_backend, resolve_backend
from pytest_synthdata.shared_cache import (
    SharedCache,
    add_shared_cache_options,
    resolve_shared_cache,
)
from pytest_synthdata.sources import flag_setting
from synthdata_sdk.backend_config import BackendConfig
from synthdata_sdk.cache.defaults import CACHE_DIR_ENV, DEFAULT_CACHE_DIR, LOCK_NAME, MODES

#: the origin the report gives a setting that a ``synthdata_config`` override changed
OVERRIDE_ORIGIN = "synthdata_config"
OFFLINE_ENV = "SYNTHDATA_OFFLINE"


@dataclass(frozen=True)
class SynthdataConfig:
    """How datasets are served. Override the ``synthdata_config`` fixture to change it.

    ``mode_origin`` and ``cache_dir_origin`` say which setting won: ``option``, ``ini``,
    ``env``, ``CI``, ``default``, or ``synthdata_config`` for an override of the fixture.
    ``shared_cache`` is the S3 cache looked up after the local one (None: none); ``offline``
    skips it, as it skips every network call. ``backend_settings`` are the resolved settings
    of ``backend`` (``pytest_synthdata.backend``).
    """

    mode: str = "once"
    cache_dir: Path = Path(DEFAULT_CACHE_DIR)
    lock_path: Path = Path(LOCK_NAME)
    backend: str = "local"
    offline: bool = False
    quality: bool = False
    update_lock: bool = False
    prune: bool = False
    mode_origin: str = "default"
    cache_dir_origin: str = "default"
    shared_cache: SharedCache | None = None
    backend_settings: BackendConfig = field(default_factory=BackendConfig)

    def describe(self) -> str:
        """``backend local, mode once (default), cache /src/.synthdata``: for the report; a
        remote backend names what it calls (``backend lambda (function F)``), and a shared
        cache adds ``, shared cache s3://bucket/prefix (read-only)``."""
        offline = ", offline" if self.offline else ""
        backend = (
            describe_backend(self.backend_settings)
            if self.backend == self.backend_settings.backend
            else f"backend {self.backend}"
        )
        described = (
            f"{backend}, mode {self.mode} ({self.mode_origin}){offline}, cache {self.cache_dir}"
        )
        if self.shared_cache is not None:
            described += f", {self.shared_cache.describe(offline=self.offline)}"
        return described

    @property
    def active_shared_cache(self) -> SharedCache | None:
        """The shared cache datasets are looked up in: the one set, unless offline."""
        return None if self.offline else self.shared_cache

    def as_overridden(self, session: SynthdataConfig) -> SynthdataConfig:
        """These settings, with ``synthdata_config`` as the origin of what differs from ``session``.

        An override written as ``dataclasses.replace(synthdata_config, mode="all")`` keeps the
        session's origins; the report must not call its mode ``(default)``.
        """
        mode_origin, cache_dir_origin = self.mode_origin, self.cache_dir_origin
        if self.mode != session.mode and mode_origin == session.mode_origin:
            mode_origin = OVERRIDE_ORIGIN
        if self.cache_dir != session.cache_dir and cache_dir_origin == session.cache_dir_origin:
            cache_dir_origin = OVERRIDE_ORIGIN
        return replace(self, mode_origin=mode_origin, cache_dir_origin=cache_dir_origin)


def add_options(parser: pytest.Parser) -> None:
    """Register the command-line options and their ini twins."""
    group = parser.getgroup("synthdata", "synthetic datasets (synthdata)")
    group.addoption(
        "--synthdata-mode",
        choices=MODES,
        default=None,
        help="once: use the cache, generate what is missing (default; 'none' when $CI is set); "
        "new: the same, spelled out for recording runs; none: never generate, a missing "
        "dataset is a test error; all: regenerate every dataset used in this run.",
    )
    group.addoption(
        "--synthdata-cache-dir",
        default=None,
        metavar="DIR",
        help=f"dataset cache folder (default: ${CACHE_DIR_ENV}, else {DEFAULT_CACHE_DIR}/ "
        "at rootdir).",
    )
    group.addoption(
        "--synthdata-offline",
        action="store_true",
        default=None,
        help="never touch the network: the shared cache is skipped and only the local backend "
        "runs; local generation is still allowed (default: $SYNTHDATA_OFFLINE).",
    )
    group.addoption(
        "--synthdata-quality",
        action="store_true",
        default=None,
        help="measure the quality of each dataset generated and keep its summary in the "
        "cache entry's manifest (slow: each record is validated).",
    )
    group.addoption(
        "--synthdata-update-lock",
        action="store_true",
        default=False,
        help=f"write {LOCK_NAME} at rootdir with every dataset this run used.",
    )
    group.addoption(
        "--synthdata-prune",
        action="store_true",
        default=False,
        help=f"after the run, delete cache entries that {LOCK_NAME} does not list.",
    )
    add_shared_cache_options(group, parser)
    add_backend_options(group, parser)
    parser.addini("synthdata_mode", "default for --synthdata-mode", default="")
    parser.addini(
        "synthdata_cache_dir", "default for --synthdata-cache-dir (relative to rootdir)", default=""
    )
    parser.addini("synthdata_offline", "default for --synthdata-offline", type="bool", default=None)
    parser.addini(
        "synthdata_quality", "default for --synthdata-quality", type="bool", default=False
    )


def resolve(config: pytest.Config) -> SynthdataConfig:
    """The settings of this session from options, ini, environment and defaults."""
    rootdir = config.rootpath
    mode, mode_origin = _resolve_mode(config)
    cache_dir, cache_origin = _resolve_cache_dir(config, rootdir)
    offline = flag_setting(config, "synthdata_offline", OFFLINE_ENV)
    backend = resolve_backend(config)
    return SynthdataConfig(
        mode=mode,
        cache_dir=cache_dir,
        lock_path=rootdir / LOCK_NAME,
        offline=offline,
        quality=_flag(config, "synthdata_quality"),
        update_lock=bool(config.getoption("synthdata_update_lock")),
        prune=bool(config.getoption("synthdata_prune")),
        mode_origin=mode_origin,
        cache_dir_origin=cache_origin,
        shared_cache=resolve_shared_cache(config, offline=offline),
        backend=backend.backend,
        backend_settings=backend,
    )


def _flag(config: pytest.Config, name: str) -> bool:
    """A flag option, else its ini twin."""
    option = config.getoption(name)
    return bool(config.getini(name)) if option is None else bool(option)


def _resolve_mode(config: pytest.Config) -> tuple[str, str]:
    option = config.getoption("synthdata_mode")
    if option:
        return str(option), "option"
    ini = str(config.getini("synthdata_mode")).strip()
    if ini:
        if ini not in MODES:
            raise pytest.UsageError(
                f"ini option synthdata_mode = {ini!r} is not a mode (expected one of: "
                f"{', '.join(MODES)})"
            )
        return ini, "ini"
    if os.environ.get("CI"):
        return "none", "CI"
    return "once", "default"


def _resolve_cache_dir(config: pytest.Config, rootdir: Path) -> tuple[Path, str]:
    option = config.getoption("synthdata_cache_dir")
    if option:
        return _absolute(Path(option), config.invocation_params.dir), "option"
    ini = str(config.getini("synthdata_cache_dir")).strip()
    if ini:
        base = config.inipath.parent if config.inipath else rootdir
        return _absolute(Path(ini), base), "ini"
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return _absolute(Path(env), config.invocation_params.dir), "env"
    return rootdir / DEFAULT_CACHE_DIR, "default"


def _absolute(path: Path, base: Path) -> Path:
    path = path.expanduser()
    return path if path.is_absolute() else base / path
