"""End-of-session lock file work, on the controller only: update, check, prune.

A lock file problem is an error of the run: it is counted in the summary's errors and makes
the exit status non-zero (``LockKeeper.errors``). Which problems count depends on the step:

- mode ``none`` checks the lock: a lock file that cannot be read or trusted (a link, merge
  conflict markers, another version, a malformed entry, an entry whose rows, seed, locale or
  profiles differ from the request that has its fingerprint) is an error;
- ``--synthdata-update-lock`` on the whole suite rewrites the list, so it replaces a lock file
  that cannot be read (and says so); a partial run needs the old entries, so there it is an
  error; a link in place of the lock file is never written through or replaced;
- ``--synthdata-prune`` deletes nothing without a lock file it can read (an error), and an
  entry it must leave in place (a link) is an error too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_synthdata.config import SynthdataConfig
from pytest_synthdata.session import SessionLog

if TYPE_CHECKING:
    from synthdata_sdk.cache import LockEntry


class LockKeeper:
    """Applies ``--synthdata-update-lock``, the lock check of mode ``none`` and ``--synthdata-prune``.

    Each step returns lines for the terminal summary; problems go to ``errors`` (and the
    log's error count) as well. ``full_run`` (no paths or node ids given, nothing deselected)
    lets an update drop entries no test used; a partial run only adds.
    """

    def __init__(self, config: SynthdataConfig, log: SessionLog, *, full_run: bool) -> None:
        self.config = config
        self.log = log
        self.full_run = full_run
        self.errors: list[str] = []

    def finish(self) -> list[str]:
        """Run the steps the settings ask for; returns the summary lines."""
        notes: list[str] = []
        if not (self.config.update_lock or self.config.prune or self.config.mode == "none"):
            return notes
        if not (self.log.used or self.config.update_lock or self.config.prune):
            return notes
        from synthdata_sdk.errors import CacheError

        steps = []
        if self.config.update_lock:
            steps.append(self._update)
        elif self.config.mode == "none":
            steps.append(self._check)
        if self.config.prune:
            steps.append(self._prune)
        for step in steps:
            try:
                notes.extend(step())
            except CacheError as error:
                notes.append(self._error(str(error)))
        return notes

    def _error(self, message: str) -> str:
        """Record a problem as an error of the run; returns its summary line."""
        self.errors.append(message)
        self.log.events.append(
            {
                "fingerprint": None,
                "source": self.config.lock_path.name,
                "rows": 0,
                "origin": None,
                "error": message,
                "test": None,
                # the run-wide settings: the lock file belongs to the session, not to a folder
                "settings": self.config.describe(),
            }
        )
        return f"synthdata: error: {message}"

    def _used_entries(self) -> dict[str, LockEntry]:
        from synthdata_sdk.cache import LockEntry

        return {
            fingerprint: LockEntry(
                fingerprint=fingerprint,
                source=str(item["source"]),
                rows=int(item["rows"]),
                seed=int(item["seed"]),
                locale=str(item["locale"]),
                name=item.get("name"),
                compliance=tuple(item.get("compliance") or ()),
            )
            for fingerprint, item in self.log.used.items()
        }

    def _update(self) -> list[str]:
        from synthdata_sdk.cache import read_lock, write_lock
        from synthdata_sdk.errors import LockFileError

        notes: list[str] = []
        try:
            current = read_lock(self.config.lock_path) or {}
        except LockFileError as error:
            if not self.full_run:
                raise
            # The whole suite ran: its list replaces the old one, which is not needed.
            notes.append(
                f"synthdata: {self.config.lock_path.name} could not be read ({error.problem}); "
                "writing it again from this run"
            )
            current = {}
        used = self._used_entries()
        merged = dict(used) if self.full_run else {**current, **used}
        added = len(set(merged) - set(current))
        dropped = len(set(current) - set(merged))
        write_lock(self.config.lock_path, merged.values())
        how = "" if self.full_run else " (partial run: entries of tests not run are kept)"
        notes.append(
            f"synthdata: wrote {self.config.lock_path.name}: {_count(len(merged), 'dataset')}, "
            f"{added} added, {dropped} dropped{how}"
        )
        return notes

    def _check(self) -> list[str]:
        from synthdata_sdk.cache import read_lock
        from synthdata_sdk.cache.lockfile import check_entries

        locked = read_lock(self.config.lock_path)
        lines = [
            self._error(problem)
            for problem in check_entries(self.config.lock_path, locked or {}, self._used_entries())
        ]
        missing = sorted(set(self.log.used) - set(locked or {}))
        if not missing:
            return lines
        where = self.config.lock_path.name
        head = (
            f"synthdata: no {where} at rootdir; {_count(len(missing), 'dataset')} used"
            if locked is None
            else f"synthdata: {_count(len(missing), 'dataset')} used but missing from {where}"
        )
        lines.append(f"{head} (write it with: pytest --synthdata-update-lock)")
        lines.extend(
            f"  {fingerprint[:12]}  {self.log.used[fingerprint]['source']}"
            for fingerprint in missing
        )
        return lines

    def _prune(self) -> list[str]:
        from synthdata_sdk.cache import read_lock

        locked = read_lock(self.config.lock_path)
        if locked is None:
            return [f"synthdata: no {self.config.lock_path.name} at rootdir; nothing pruned"]
        from synthdata_sdk.cache import LocalStore  # the store loads the engine: only now

        result = LocalStore(self.config.cache_dir).prune(locked)
        lines = [
            f"synthdata: pruned {_count(len(result.removed), 'cache entry', 'cache entries')} "
            f"not in {self.config.lock_path.name}"
        ]
        lines.extend(
            self._error(f"cache entry {item.name[:12]} not pruned: {item.reason}")
            for item in result.entries_left
        )
        lines.extend(
            f"synthdata: left {item.name} in the cache: {item.reason}"
            for item in result.in_progress
        )
        return lines


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
