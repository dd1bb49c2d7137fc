"""What the transfer tests share: pulling and pushing through the transfer functions, and
looking at a local cache folder."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from botocore.config import Config

from synthdata_sdk.cache.store import LocalStore
from synthdata_sdk.cloud.s3_source import S3Source
from synthdata_sdk.cloud.s3_store import S3Store
from synthdata_sdk.cloud.transfer import (
    Outcome,
    Source,
    plan_pull,
    plan_push,
    run_pull,
    run_push,
)


def store_behind(url: str, aws_session: Any, bucket: str, prefix: str, region: str) -> S3Store:
    """A shared cache reached at ``url`` (a proxy in front of moto's server), its bucket made,
    its client retrying as the real one does."""
    s3 = aws_session.client(
        "s3",
        endpoint_url=url,
        region_name=region,
        config=Config(signature_version="s3v4", retries={"mode": "standard"}),
    )
    s3.create_bucket(Bucket=bucket)
    return S3Store(s3, bucket, prefix)


def pull(
    source: Source | S3Store, local: LocalStore, fingerprints: Sequence[str], **options: Any
) -> list[Outcome]:
    """Pull ``fingerprints`` from ``source`` (an S3 store is read through ``S3Source``)."""
    if isinstance(source, S3Store):
        source = S3Source(source)
    plans = plan_pull(source, local, fingerprints, jobs=options.pop("jobs", 2))
    return list(run_pull(source, local, plans, jobs=2, **options))


def push(local: LocalStore, store: S3Store, fingerprints: Sequence[str]) -> list[Outcome]:
    """Push ``fingerprints`` from ``local`` to ``store``."""
    return list(run_push(local, store, plan_push(local, fingerprints), jobs=2))


def statuses(outcomes: Sequence[Outcome]) -> list[str]:
    return [outcome.status for outcome in outcomes]


def folder_names(local: LocalStore) -> list[str]:
    """Every name in the store's ``datasets/`` folder (temporary folders included)."""
    folder = local.datasets_dir
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


def records_bytes(local: LocalStore, fingerprint: str) -> bytes:
    return (local.path_for(fingerprint) / "records.json").read_bytes()


@contextmanager
def counting_gets(s3: Any) -> Iterator[list[str]]:
    """The keys of the GetObject calls ``s3`` makes inside the block."""
    keys: list[str] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        keys.append(str(params["Key"]))

    s3.meta.events.register("provide-client-params.s3.GetObject", record)
    try:
        yield keys
    finally:
        s3.meta.events.unregister("provide-client-params.s3.GetObject", record)
