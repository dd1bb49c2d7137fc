"""``synthdata cache pull``, ``push``, ``presign`` and ``public-key``: the local cache and a
shared S3 cache.

The shared cache is ``--shared-cache s3://bucket/prefix`` or ``$SYNTHDATA_SHARED_CACHE``; the
S3 client follows ``$SYNTHDATA_ENDPOINT_URL`` and the AWS region and credentials of the
environment. These commands import the cloud package (and boto3) only when they run, and
``pull --urls`` needs neither: it downloads presigned URLs with ``requests``.

Signed manifests take the plugin's settings and environment variables: ``--signing-key``
(``$SYNTHDATA_SIGNING_KEY``) makes ``push`` sign and ``pull`` check signatures, through the
same ``S3Store`` the plugin's shared tier is; ``--public-key FILE`` (written once by
``public-key``) checks them with no call to KMS, and ``--require-signed``
(``$SYNTHDATA_REQUIRE_SIGNED``) refuses unsigned entries. A pull checks each manifest's
signature before it fetches any of the entry's files.

Output: one line per dataset, in the order asked for (the lock file's, or sorted), then a
summary with counts and the transfer rate; a progress bar (bytes) on stderr when it is a
terminal. Exit codes: 0 when every dataset is where it was asked to be, 1 when one is
missing from the cache it is read from, corrupt, refused (its signature), or could not be
moved (each named on stderr), 2 for bad input (no shared cache given, a bad lock, URL or
public key file, ``--require-signed`` without a key, the ``aws`` extra not installed).
"""

from __future__ import annotations

import argparse
import importlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synthdata_sdk.backends import AWS_HINT
from synthdata_sdk.cache.defaults import (
    LOCK_NAME,
    REQUIRE_SIGNED_ENV,
    SHARED_CACHE_ENV,
    SIGNING_KEY_ENV,
    env_flag,
)
from synthdata_sdk.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    PROG,
    UsageError,
    add_cache_dir,
    err,
    human_size,
    integer,
    local_store,
    out,
    plural,
)

if TYPE_CHECKING:
    from synthdata_sdk.cloud.manifest_signature import ManifestVerifier
    from synthdata_sdk.cloud.s3_store import S3Store
    from synthdata_sdk.cloud.transfer import Outcome, Plan, Source

__all__ = ["add_remote_commands"]

PREFIX = 12
DEFAULT_JOBS = 4
#: how each outcome is shown, by status
LABELS = {
    "pulled": "pulled",
    "pushed": "pushed",
    "presigned": "presigned",
    "local": "already local",
    "there": "already there",
    "missing": "missing",
    "corrupt": "corrupt",
    "refused": "refused",
    "failed": "failed",
}


# --------------------------------------------------------------------------------------------
# Parser


def add_remote_commands(actions: argparse._SubParsersAction[Any]) -> None:
    """Add ``pull``, ``push``, ``presign`` and ``public-key`` to the ``cache`` subcommands."""
    pull = actions.add_parser(
        "pull",
        help="download datasets from the shared S3 cache (or presigned URLs)",
        description=(
            "Download the datasets the lock file lists (or --all) from the shared cache into "
            "the local one, each verified against its manifest before it appears. Datasets "
            "already cached and intact are skipped."
        ),
    )
    add_cache_dir(pull)
    _add_shared_cache(pull)
    _add_datasets(pull, "every dataset of the shared cache (or URL file)")
    pull.add_argument(
        "--urls",
        metavar="FILE",
        help="download through the presigned URLs in FILE (synthdata cache presign) instead: "
        "no AWS credentials needed",
    )
    _add_signing_key(pull, "check each manifest's signature with this KMS key's public half")
    pull.add_argument(
        "--public-key",
        metavar="FILE",
        help="check signatures with this PEM public key (synthdata cache public-key) instead "
        "of fetching the signing key's: no call to KMS, no AWS credentials",
    )
    pull.add_argument(
        "--require-signed",
        action="store_true",
        default=None,
        help="refuse datasets without a valid signature of the key "
        f"(default: ${REQUIRE_SIGNED_ENV})",
    )
    _add_jobs_and_quiet(pull)
    pull.set_defaults(handler=_cmd_pull)

    push = actions.add_parser(
        "push",
        help="upload local datasets to the shared S3 cache",
        description=(
            "Upload every local dataset (or those the lock file lists), each verified first; "
            "a dataset the shared cache already has is kept as it is."
        ),
    )
    add_cache_dir(push)
    _add_shared_cache(push)
    push.add_argument(
        "--lock",
        metavar="PATH",
        help="push only the datasets this lock file lists (default: every local one)",
    )
    _add_signing_key(push, "sign each manifest pushed with this KMS key (kms:Sign)")
    _add_jobs_and_quiet(push)
    push.set_defaults(handler=_cmd_push)

    presign = actions.add_parser(
        "presign",
        help="write presigned URLs of shared datasets, for runners without AWS credentials",
        description=(
            "Write a JSON file of presigned URLs for the datasets the lock file lists (or "
            "--all): each manifest and data file with its sha256 and size, for "
            "'synthdata cache pull --urls FILE'. The URLs grant read access until they expire."
        ),
    )
    _add_shared_cache(presign)
    _add_datasets(presign, "every dataset of the shared cache")
    presign.add_argument(
        "--out",
        metavar="FILE",
        required=True,
        help="the URL file to write (readable by its owner alone: the URLs are secrets)",
    )
    presign.add_argument(
        "--expires",
        metavar="SECONDS",
        type=integer(1),
        default=3600,
        help="how long the URLs work, at most 604800 (7 days) (default: 3600)",
    )
    _add_jobs_and_quiet(presign)
    presign.set_defaults(handler=_cmd_presign)

    public_key = actions.add_parser(
        "public-key",
        help="write the signing key's public half to a PEM file, to check signatures offline",
        description=(
            "Fetch the public half of the KMS key that signs the shared cache's manifests "
            "(kms:GetPublicKey) and write it as PEM, for 'synthdata cache pull --public-key "
            "FILE' on runners without AWS credentials."
        ),
    )
    _add_signing_key(public_key, "the KMS key whose public half is written")
    public_key.add_argument("--out", metavar="FILE", required=True, help="the PEM file to write")
    public_key.set_defaults(handler=_cmd_public_key)


def _add_shared_cache(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shared-cache",
        metavar="URI",
        help=f"the shared cache, s3://bucket/prefix (default: ${SHARED_CACHE_ENV})",
    )


def _add_signing_key(parser: argparse.ArgumentParser, meaning: str) -> None:
    parser.add_argument(
        "--signing-key",
        metavar="KMS_KEY",
        help=f"{meaning}: a key id, ARN or alias (default: ${SIGNING_KEY_ENV})",
    )


def _add_datasets(parser: argparse.ArgumentParser, all_help: str) -> None:
    """``--lock PATH`` (the lock file's datasets, the default) or ``--all``."""
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument(
        "--lock",
        metavar="PATH",
        help=f"the lock file listing the datasets (default: ./{LOCK_NAME})",
    )
    chosen.add_argument("--all", action="store_true", help=all_help)


def _add_jobs_and_quiet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        metavar="N",
        type=integer(1),
        default=DEFAULT_JOBS,
        help=f"datasets moved at once (default: {DEFAULT_JOBS})",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar and no line per dataset: only problems and the summary",
    )


# --------------------------------------------------------------------------------------------
# Commands


def _cmd_pull(args: argparse.Namespace) -> int:
    local = local_store(args)
    started = time.monotonic()
    signing_key, require_signed = _signing_key(args), _require_signed(args)
    if require_signed and not (signing_key or args.public_key):
        raise UsageError(
            "--require-signed needs the key whose signatures count: --signing-key KMS_KEY (or "
            f"${SIGNING_KEY_ENV}), or --public-key FILE"
        )
    if args.public_key:
        _require("cryptography", "pull --public-key", AWS_HINT)
    check: Callable[[str, bytes], None] | None = None
    if args.urls:
        if args.shared_cache:
            raise UsageError("--urls and --shared-cache exclude each other: pull from one")
        _require("requests", "pull --urls", "pip install requests")
        from synthdata_sdk.cloud.url_file import read_url_file
        from synthdata_sdk.cloud.url_source import UrlSource

        entries = read_url_file(args.urls)
        verifier = _verifier(args.public_key, signing_key)
        urls = UrlSource(entries, args.urls, verifier=verifier, require_signed=require_signed)
        source: Source = urls
        check = urls.check_signature if verifier is not None else None
        wanted = _locked(args.lock) if args.lock else sorted(entries)
    else:
        _require("boto3", "pull", AWS_HINT)
        from synthdata_sdk.cloud.s3_source import S3Source

        store = _shared_store(
            args, signing_key=signing_key, public_key=args.public_key, require_signed=require_signed
        )
        source = S3Source(store)
        check = store.check_signature if store.verifier is not None else None
        wanted = store.fingerprints() if args.all else _locked(args.lock or LOCK_NAME)
    from synthdata_sdk.cloud.transfer import plan_pull, run_pull

    plans = plan_pull(source, local, wanted, jobs=args.jobs, check_manifest=check)
    shown = _transfer(
        plans,
        args.quiet,
        lambda advance: run_pull(source, local, plans, jobs=args.jobs, progress=advance),
    )
    return _finish("pull", shown, started, missing_hint=_RECORD_HINT)


def _cmd_push(args: argparse.Namespace) -> int:
    local = local_store(args)
    started = time.monotonic()
    _require("boto3", "push", AWS_HINT)
    store = _shared_store(args, signing_key=_signing_key(args), write=True)
    wanted = _locked(args.lock) if args.lock else local.fingerprints()
    from synthdata_sdk.cloud.transfer import plan_push, run_push

    plans = plan_push(local, wanted)
    shown = _transfer(
        plans,
        args.quiet,
        lambda advance: run_push(local, store, plans, jobs=args.jobs, progress=advance),
    )
    return _finish(
        "push", shown, started, missing_hint="record them first (pytest --synthdata-mode=new)"
    )


def _cmd_presign(args: argparse.Namespace) -> int:
    started = time.monotonic()
    _require("boto3", "presign", AWS_HINT)
    from synthdata_sdk.cloud.presign import MAX_EXPIRES, expiry, presign
    from synthdata_sdk.cloud.url_file import (
        check_url_file_target,
        render_url_file,
        write_url_file,
    )

    if args.expires > MAX_EXPIRES:
        raise UsageError(f"--expires {args.expires} is more than {MAX_EXPIRES} seconds (7 days)")
    check_url_file_target(args.out)  # before any URL is made: a link there is refused
    store = _shared_store(args)
    wanted = store.fingerprints() if args.all else _locked(args.lock or LOCK_NAME)
    expires_at = expiry(args.expires)
    entries = {}
    outcomes = []
    for outcome, entry in presign(store, wanted, expires=args.expires, jobs=args.jobs):
        outcomes.append(outcome)
        if entry is not None:
            entries[outcome.fingerprint] = entry
    shown = _show(outcomes, args.quiet)
    write_url_file(args.out, render_url_file(entries, expires_at=expires_at))
    what = plural(len(entries), "dataset", "datasets")
    out(f"wrote {args.out}: URLs of {what}, valid until {expires_at}")
    return _finish("presign", shown, started, missing_hint=_RECORD_HINT, rate=False)


def _cmd_public_key(args: argparse.Namespace) -> int:
    _require("boto3", "public-key", AWS_HINT)
    key_id = _signing_key(args)
    if not key_id:
        raise UsageError(f"no signing key: pass --signing-key KMS_KEY or set {SIGNING_KEY_ENV}")
    from synthdata_sdk.cloud.clients import kms_client
    from synthdata_sdk.cloud.manifest_signature import public_key_pem
    from synthdata_sdk.cloud.signing import SigningKey
    from synthdata_sdk.formats.base import write_text_atomically

    public = SigningKey(kms_client(), key_id).public
    write_text_atomically(Path(args.out), public_key_pem(public))
    out(f"wrote {args.out}: the public key of {public.arn} ({public.algorithm})")
    return EXIT_OK


_RECORD_HINT = (
    "record them with a run that may generate them (pytest --synthdata-mode=new) and upload "
    f"them with '{PROG} cache push'"
)


# --------------------------------------------------------------------------------------------
# Helpers


def _require(module: str, command: str, hint: str) -> None:
    """UsageError naming the install command when ``module`` (boto3, requests) is missing."""
    try:
        importlib.import_module(module)
    except ImportError:
        raise UsageError(
            f"'{PROG} cache {command}' needs {module}, which is not installed: {hint}"
        ) from None


def _shared_store(
    args: argparse.Namespace,
    *,
    signing_key: str | None = None,
    public_key: str | None = None,
    require_signed: bool = False,
    write: bool = False,
) -> S3Store:
    """The shared cache as the plugin opens it (``open_shared_cache``), signing when ``write``
    and a signing key are given, checking signatures when a key is."""
    from synthdata_sdk.cloud.shared import open_shared_cache

    uri = args.shared_cache or os.environ.get(SHARED_CACHE_ENV)
    if not uri:
        raise UsageError(
            f"no shared cache: pass --shared-cache s3://bucket/prefix or set {SHARED_CACHE_ENV}"
        )
    return open_shared_cache(
        uri,
        write=write,
        signing_key=signing_key,
        public_key=public_key,
        require_signed=require_signed,
        connections=args.jobs,
    )


def _signing_key(args: argparse.Namespace) -> str | None:
    """``--signing-key``, else ``$SYNTHDATA_SIGNING_KEY``, else None."""
    key = (args.signing_key or os.environ.get(SIGNING_KEY_ENV) or "").strip()
    return key or None


def _require_signed(args: argparse.Namespace) -> bool:
    """``--require-signed``, else ``$SYNTHDATA_REQUIRE_SIGNED`` (yes/no)."""
    if args.require_signed:
        return True
    try:
        return env_flag(REQUIRE_SIGNED_ENV)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _verifier(public_key: str | None, signing_key: str | None) -> ManifestVerifier | None:
    """What checks signatures of a pull through URLs: the PEM file's key (offline), else the
    KMS key's public half (one kms:GetPublicKey), else nothing."""
    if public_key:
        from synthdata_sdk.cloud.manifest_signature import PemKey, SignatureVerifier

        return SignatureVerifier(PemKey(public_key))
    if not signing_key:
        return None
    _require("boto3", "pull --urls --signing-key", AWS_HINT + " (or pass --public-key FILE)")
    from synthdata_sdk.cloud.clients import kms_client
    from synthdata_sdk.cloud.signing import SignatureVerifier, SigningKey

    return SignatureVerifier(SigningKey(kms_client(), signing_key))


def _locked(path: str) -> list[str]:
    """The fingerprints of a lock file, sorted; UsageError when there is none."""
    from synthdata_sdk.cache.lockfile import read_lock

    locked = read_lock(path)
    if locked is None:
        raise UsageError(f"no lock file at {path}; write it with pytest --synthdata-update-lock")
    return sorted(locked)


def _transfer(
    plans: Sequence[Plan],
    quiet: bool,
    start: Callable[[Callable[[int], None]], Iterator[Outcome]],
) -> list[Outcome]:
    """Run ``start(advance)`` with a progress bar of the planned bytes on stderr (when it is a
    terminal and not ``quiet``) and show each outcome; returns them."""
    from synthdata_sdk.progress import ProgressBar

    lock = threading.Lock()
    total = sum(plan.size for plan in plans)
    with ProgressBar(total, enabled=not quiet and total > 0, unit="bytes") as bar:

        def advance(count: int) -> None:
            with lock:  # the workers report from their threads
                bar.advance(count)

        outcomes = start(advance)
        if not bar.active:
            return _show(outcomes, quiet)  # line by line, as they come
        finished = list(outcomes)  # the bar keeps the terminal's last line until it is done
    return _show(finished, quiet)


def _show(outcomes: Iterable[Outcome], quiet: bool) -> list[Outcome]:
    """Print one line per outcome as it comes (problems even when quiet); return them all."""
    shown: list[Outcome] = []
    for outcome in outcomes:
        shown.append(outcome)
        if quiet and outcome.ok:
            continue
        line = f"{LABELS[outcome.status]} {outcome.fingerprint[:PREFIX]}"
        if outcome.status in ("pulled", "pushed"):
            line += f" ({plural(outcome.rows, 'row', 'rows')}, {human_size(outcome.size)})"
        elif outcome.detail:
            line += f": {outcome.detail}"
        out(line)
    return shown


def _finish(
    command: str, outcomes: list[Outcome], started: float, *, missing_hint: str, rate: bool = True
) -> int:
    """The summary line, the problems named on stderr, and the exit code."""
    elapsed = max(time.monotonic() - started, 1e-9)
    counts = {status: 0 for status in LABELS}
    for outcome in outcomes:
        counts[outcome.status] += 1
    summary = ", ".join(f"{n} {LABELS[status]}" for status, n in counts.items() if n)
    moved = sum(outcome.size for outcome in outcomes if outcome.status in ("pulled", "pushed"))
    tail = f"; {human_size(moved)} in {elapsed:.1f} s ({moved / 1e6 / elapsed:,.2f} MB/s)"
    out(f"{command}: {summary or 'nothing to do'}{tail if rate and moved else ''}")
    problems = [outcome for outcome in outcomes if not outcome.ok]
    if not problems:
        return EXIT_OK
    missing = [outcome.fingerprint for outcome in problems if outcome.status == "missing"]
    others = [outcome for outcome in problems if outcome.status != "missing"]
    what = plural(len(problems), "dataset", "datasets")
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)} ({missing_hint})")
    parts.extend(f"{outcome.status} {outcome.fingerprint}" for outcome in others)
    err(f"{PROG}: error: {command} left {what} behind: {'; '.join(parts)}")
    return EXIT_FAILURE
