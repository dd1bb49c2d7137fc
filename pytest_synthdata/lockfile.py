"""End-of-session lock file work, on the controller only: update, check, prune."""

from __future__ import annotations

from pytest_synthdata.config import SynthdataConfig
from pytest_synthdata.session import SessionLog


class LockKeeper:
    """Applies ``--synthdata-update-lock``, the lock check of mode ``none`` and ``--synthdata-prune``.

    Each step returns lines for the terminal summary. ``full_run`` (no paths or node ids given,
    nothing deselected) lets an update drop entries no test used; a partial run only adds.
    """

    def __init__(self, config: SynthdataConfig, log: SessionLog, *, full_run: bool) -> None:
        self.config = config
        self.log = log
        self.full_run = full_run

    def finish(self) -> list[str]:
        """Run the steps the settings ask for; returns the summary lines."""
        notes: list[str] = []
        if not (self.config.update_lock or self.config.prune or self.config.mode == "none"):
            return notes
        if not (self.log.used or self.config.update_lock or self.config.prune):
            return notes
        from synthdata_sdk.errors import CacheError

        try:
            if self.config.update_lock:
                notes.append(self._update())
            elif self.config.mode == "none":
                notes.extend(self._check())
            if self.config.prune:
                notes.append(self._prune())
        except CacheError as error:
            notes.append(f"synthdata: lock file problem: {error}")
        return notes

    def _update(self) -> str:
        from synthdata_sdk.cache import LockEntry, read_lock, write_lock

        current = read_lock(self.config.lock_path) or {}
        used = {
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
        merged = dict(used) if self.full_run else {**current, **used}
        added = len(set(merged) - set(current))
        dropped = len(set(current) - set(merged))
        write_lock(self.config.lock_path, merged.values())
        how = "" if self.full_run else " (partial run: entries of tests not run are kept)"
        return (
            f"synthdata: wrote {self.config.lock_path.name}: {len(merged)} datasets, "
            f"{added} added, {dropped} dropped{how}"
        )

    def _check(self) -> list[str]:
        from synthdata_sdk.cache import read_lock

        locked = read_lock(self.config.lock_path)
        missing = sorted(set(self.log.used) - set(locked or {}))
        if not missing:
            return []
        where = self.config.lock_path.name
        head = (
            f"synthdata: no {where} at rootdir; {len(missing)} datasets used"
            if locked is None
            else f"synthdata: {len(missing)} datasets used but missing from {where}"
        )
        lines = [f"{head} (write it with: pytest --synthdata-update-lock)"]
        lines.extend(
            f"  {fingerprint[:12]}  {self.log.used[fingerprint]['source']}"
            for fingerprint in missing
        )
        return lines

    def _prune(self) -> str:
        from synthdata_sdk.cache import read_lock

        locked = read_lock(self.config.lock_path)
        if locked is None:
            return f"synthdata: no {self.config.lock_path.name} at rootdir; nothing pruned"
        from synthdata_sdk.cache import LocalStore

        removed = LocalStore(self.config.cache_dir).prune(locked)
        return f"synthdata: pruned {len(removed)} cache entries not in {self.config.lock_path.name}"
