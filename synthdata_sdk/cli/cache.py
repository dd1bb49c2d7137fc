"""``synthdata cache``: list, verify, prune and clear the local dataset store (and, through
``cache_remote.py``, pull from, push to and presign a shared S3 cache).

The same store the pytest plugin records into (``LocalStore``, one folder per request
fingerprint). Every subcommand takes ``--cache-dir DIR``, by default ``$SYNTHDATA_CACHE_DIR``
or else ``.synthdata`` in the current directory. Exit codes follow the rest of the CLI:
0 done, 1 ``verify`` found a corrupt entry (or ``prune``/``clear`` left an entry in place, or
``clear`` was declined), 2 bad input (an unknown or ambiguous prefix, no lock file or a bad
one, a cache folder that cannot be used, ``clear`` without ``--yes`` off a terminal).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synthdata_sdk.cache.defaults import LOCK_NAME
from synthdata_sdk.cli.cache_remote import add_remote_commands
from synthdata_sdk.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    PROG,
    UsageError,
    err,
    is_terminal,
    out,
    out_table,
)
from synthdata_sdk.cli.common import add_cache_dir as _add_cache_dir
from synthdata_sdk.cli.common import human_size as _human
from synthdata_sdk.cli.common import local_store as _store
from synthdata_sdk.cli.common import plural as _count
from synthdata_sdk.errors import CorruptCacheError, DatasetNotCachedError

if TYPE_CHECKING:
    from synthdata_sdk.cache.housekeeping import Removal
    from synthdata_sdk.cache.store import LocalStore

__all__ = ["add_cache_command"]

PREFIX = 12
MIN_PREFIX = 6
_HEX = frozenset("0123456789abcdef")


# --------------------------------------------------------------------------------------------
# Parser


def add_cache_command(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``cache`` and its seven subcommands to the ``synthdata`` subcommands."""
    cache = commands.add_parser(
        "cache",
        help="list, verify, prune or clear the local dataset cache; pull, push or presign a "
        "shared one",
        description=(
            "Inspect and tidy the local dataset cache the pytest plugin records into, and move "
            "datasets between it and a shared S3 cache."
        ),
        epilog=(
            "Exit codes: 0 success, 1 verify found a corrupt entry, prune or clear left an "
            "entry in place (a link) or clear was declined, pull, push or presign left a "
            "dataset behind (missing, corrupt or failed), 2 bad input (unknown or ambiguous "
            "prefix, no lock file or a bad one, a bad URL file, no shared cache given, the aws "
            "extra not installed, a cache folder that cannot be used, clear without --yes when "
            "stdin is not a terminal)."
        ),
    )
    actions = cache.add_subparsers(dest="cache_command", metavar="SUBCOMMAND", required=True)

    listing = actions.add_parser(
        "list",
        help="list the cached datasets",
        description="One line per cached dataset, then a total.",
    )
    _add_cache_dir(listing)
    listing.add_argument("--json", action="store_true", help="print a JSON array instead")
    listing.set_defaults(handler=_cmd_list)

    verify = actions.add_parser(
        "verify",
        help="check cached datasets against their manifests",
        description=(
            "Check every file's size and sha256 against the manifest, for every entry or "
            "for the ones given. Exit code 1 if any entry is corrupt."
        ),
    )
    _add_cache_dir(verify)
    verify.add_argument(
        "fingerprints",
        nargs="*",
        metavar="FINGERPRINT",
        help=f"a fingerprint, or a unique prefix of at least {MIN_PREFIX} hex digits "
        "(default: every entry)",
    )
    verify.set_defaults(handler=_cmd_verify)

    prune = actions.add_parser(
        "prune",
        help="delete the cached datasets the lock file does not list",
        description="Delete every cached dataset whose fingerprint is not in the lock file.",
    )
    _add_cache_dir(prune)
    prune.add_argument(
        "--lock",
        metavar="PATH",
        default=LOCK_NAME,
        help=f"the lock file (default: ./{LOCK_NAME})",
    )
    prune.add_argument(
        "--dry-run", action="store_true", help="list what would be deleted, delete nothing"
    )
    prune.set_defaults(handler=_cmd_prune)

    clear = actions.add_parser(
        "clear",
        help="delete every cached dataset",
        description=(
            "Delete every cached dataset. Asks for confirmation on a terminal; "
            "elsewhere it needs --yes."
        ),
    )
    _add_cache_dir(clear)
    clear.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    clear.set_defaults(handler=_cmd_clear)

    add_remote_commands(actions)


# --------------------------------------------------------------------------------------------
# Commands


@dataclass(frozen=True)
class _Info:
    """What the CLI shows of one entry; ``problem`` is set when its manifest is unreadable."""

    fingerprint: str
    manifest: dict[str, Any]
    problem: str | None = None

    @property
    def prefix(self) -> str:
        return self.fingerprint[:PREFIX]

    @property
    def rows(self) -> int:
        tables = self.manifest.get("tables")
        if not isinstance(tables, dict):
            return 0
        return sum(count for count in tables.values() if isinstance(count, int))

    @property
    def size(self) -> int:
        files = self.manifest.get("files")
        if not isinstance(files, list):
            return 0
        return sum(
            item["size"]
            for item in files
            if isinstance(item, dict) and isinstance(item.get("size"), int)
        )

    @property
    def request(self) -> dict[str, Any]:
        request = self.manifest.get("request")
        return request if isinstance(request, dict) else {}

    @property
    def source(self) -> str:
        return str(self.request.get("source") or "?")

    @property
    def name(self) -> str | None:
        name = self.request.get("name")
        return str(name) if name is not None else None

    @property
    def created_at(self) -> str:
        return str(self.manifest.get("created_at") or "")

    @property
    def quality(self) -> dict[str, Any] | None:
        """The quality summary recorded with the entry (None: not measured)."""
        quality = self.manifest.get("quality")
        return quality if isinstance(quality, dict) else None

    @property
    def score(self) -> str:
        """``quality 99.50``, or nothing when no numeric score was recorded."""
        from synthdata_sdk.manifest import quality_score

        score = quality_score(self.manifest)
        return "" if score is None else f"quality {score:.2f}"


def _info(store: LocalStore, fingerprint: str) -> _Info:
    try:
        return _Info(fingerprint, store.manifest(fingerprint))
    except CorruptCacheError as error:
        return _Info(fingerprint, {}, error.reason)
    except DatasetNotCachedError:
        return _Info(fingerprint, {}, "manifest.json is missing")


def _cmd_list(args: argparse.Namespace) -> int:
    store = _store(args)
    infos = [_info(store, fp) for fp in store.fingerprints()]
    readable = [info for info in infos if info.problem is None]
    if args.json:
        out(json.dumps([_as_json(info) for info in readable], indent=2, ensure_ascii=False))
    elif not readable:
        out(f"no cached datasets in {store.root}")
    else:
        rows_width = max(len(_rows(info.rows)) for info in readable)
        size_width = max(len(_human(info.size)) for info in readable)
        out_table(
            [
                (
                    info.prefix,
                    _rows(info.rows).rjust(rows_width),
                    _human(info.size).rjust(size_width),
                    info.created_at,
                    info.source,
                    *((info.score,) if any(i.score for i in readable) else ()),
                )
                for info in readable
            ]
        )
        rows = sum(info.rows for info in readable)
        size = sum(info.size for info in readable)
        out(
            f"{_count(len(readable), 'entry', 'entries')}, {_rows(rows)}, "
            f"{size:,} bytes ({_human(size)}) in {store.root}"
        )
    unreadable = [info for info in infos if info.problem is not None]
    if unreadable:
        prefixes = ", ".join(info.prefix for info in unreadable)
        err(
            f"{PROG}: {_count(len(unreadable), 'entry', 'entries')} with an unreadable "
            f"manifest not listed ({prefixes}); run '{PROG} cache verify'"
        )
    return EXIT_OK


def _as_json(info: _Info) -> dict[str, Any]:
    return {
        "fingerprint": info.fingerprint,
        "rows": info.rows,
        "size": info.size,
        "created_at": info.created_at,
        "source": info.source,
        "name": info.name,
        "quality": info.quality,
    }


def _cmd_verify(args: argparse.Namespace) -> int:
    store = _store(args)
    available = store.fingerprints()
    selected = _select(args.fingerprints, available, store.root) if args.fingerprints else available
    if not selected:
        out(f"no cached datasets in {store.root}")
        return EXIT_OK
    corrupt = 0
    for fingerprint in selected:
        try:
            store.verify(fingerprint)
        except CorruptCacheError as error:
            corrupt += 1
            out(f"corrupt {fingerprint[:PREFIX]}: {error.reason}")
        except DatasetNotCachedError:
            corrupt += 1
            out(f"corrupt {fingerprint[:PREFIX]}: manifest.json is missing")
        else:
            out(f"ok {fingerprint[:PREFIX]}")
    total = len(selected)
    out(f"verified {_count(total, 'entry', 'entries')}: {total - corrupt} ok, {corrupt} corrupt")
    if not corrupt:
        return EXIT_OK
    err(
        f"{PROG}: error: {corrupt} of {_count(total, 'cache entry', 'cache entries')} "
        "failed verification (a corrupt entry is regenerated when next used, except in mode "
        f"none; '{PROG} cache clear' deletes them all)"
    )
    return EXIT_FAILURE


def _select(wanted: list[str], available: list[str], root: Path) -> list[str]:
    """The fingerprints ``wanted`` names (full or unique prefixes), in order, without repeats."""
    selected: list[str] = []
    for text in wanted:
        prefix = text.strip().lower()
        if not prefix or not set(prefix) <= _HEX or len(prefix) > 64:
            raise UsageError(f"{text!r} is not a fingerprint (expected hex digits)")
        if len(prefix) < MIN_PREFIX:
            raise UsageError(
                f"prefix {text!r} is too short (expected at least {MIN_PREFIX} hex digits)"
            )
        matches = [fp for fp in available if fp.startswith(prefix)]
        if not matches:
            raise UsageError(f"no cached dataset matches {text!r} in {root}")
        if len(matches) > 1:
            shown = ", ".join(fp[:PREFIX] for fp in matches[:5])
            more = ", ..." if len(matches) > 5 else ""
            raise UsageError(
                f"prefix {text!r} is ambiguous: it matches {len(matches)} entries "
                f"({shown}{more}); give more digits"
            )
        if matches[0] not in selected:
            selected.append(matches[0])
    return selected


def _cmd_prune(args: argparse.Namespace) -> int:
    from synthdata_sdk.cache.lockfile import read_lock

    locked = read_lock(args.lock)
    if locked is None:
        raise UsageError(
            f"no lock file at {args.lock}; nothing pruned; "
            "write it with pytest --synthdata-update-lock"
        )
    store = _store(args)
    present = store.fingerprints()
    doomed = {fp: _info(store, fp) for fp in present if fp not in locked}
    kept = len(present) - len(doomed)
    result: Removal | None = None
    if args.dry_run:
        removed = list(doomed)
        verb, total_verb = "would remove", "would prune"
    else:
        result = store.prune(locked)
        removed = result.removed
        verb, total_verb = "removed", "pruned"
    size = 0
    for fingerprint in removed:
        info = doomed.get(fingerprint) or _Info(fingerprint, {})
        size += info.size
        out(f"{verb} {info.prefix}  {info.source}")
    note = " (dry run: nothing deleted)" if args.dry_run else ""
    out(
        f"{total_verb} {_count(len(removed), 'entry', 'entries')} ({_human(size)}) "
        f"not in {args.lock}; kept {kept}{note}"
    )
    return EXIT_OK if result is None else _report_skipped(result)


def _cmd_clear(args: argparse.Namespace) -> int:
    if not args.yes and not is_terminal(sys.stdin):
        raise UsageError("refusing to clear the cache without confirmation; pass --yes")
    store = _store(args)
    infos = [_info(store, fp) for fp in store.fingerprints()]
    if not infos:
        out(f"no cached datasets in {store.root}")
        return EXIT_OK
    size = sum(info.size for info in infos)
    what = f"{_count(len(infos), 'cached dataset', 'cached datasets')} ({_human(size)})"
    if not args.yes and not _confirm(f"delete {what} in {store.root}? [y/N] "):
        err(f"{PROG}: nothing deleted")
        return EXIT_FAILURE
    result = store.clear()
    size = sum(info.size for info in infos if info.fingerprint in result.removed)
    out(
        f"cleared {_count(len(result.removed), 'entry', 'entries')} ({_human(size)}) "
        f"from {store.root}"
    )
    return _report_skipped(result)


def _report_skipped(result: Removal) -> int:
    """Name on stderr what a prune or clear left in place; exit 1 if entries were left."""
    left = result.entries_left
    if left:
        err(f"{PROG}: left {_count(len(left), 'entry', 'entries')} in place:")
        for item in left:
            err(f"  {item.name[:PREFIX]}: {item.reason}")
    busy = result.in_progress
    if busy:
        err(f"{PROG}: left {_count(len(busy), 'temporary folder', 'temporary folders')}:")
        for item in busy:
            err(f"  {item.name}: {item.reason}")
    return EXIT_FAILURE if left else EXIT_OK


def _confirm(question: str) -> bool:
    sys.stderr.write(question)
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer.endswith("\n"):  # end of input: end the prompt's line
        sys.stderr.write("\n")
    return answer.strip().lower() in ("y", "yes")


def _rows(n: int) -> str:
    return _count(n, "row", "rows")
