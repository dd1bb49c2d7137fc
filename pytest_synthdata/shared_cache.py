"""The shared dataset cache (an S3 prefix a CI setup shares): its settings and its store.

The settings are checked when pytest starts, so a bad URI or a missing signing key stops the
run with one line before any test; the store (``synthdata_sdk.cloud``, the ``aws`` extra) is
opened only when a test asks for a dataset, and never offline.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from pytest_synthdata.sources import flag_setting, text_setting
from synthdata_sdk.backends import AWS_HINT
from synthdata_sdk.cache.defaults import REQUIRE_SIGNED_ENV, SHARED_CACHE_ENV, SIGNING_KEY_ENV

if TYPE_CHECKING:
    from synthdata_sdk.cache.tier import DatasetStore

URI_ENV = SHARED_CACHE_ENV  # the one the synthdata cache commands read too
WRITE_ENV = "SYNTHDATA_SHARED_CACHE_WRITE"
#: what the shared cache needs installed
_AWS_MODULES = ("boto3", "cryptography")


@dataclass(frozen=True)
class SharedCache:
    """Where the shared cache is and how this run uses it.

    ``write``: put each dataset this run generates into it (the one CI job that fills it);
    ``signing_key``: the KMS key whose signatures readers check and writers make;
    ``require_signed``: an entry without that key's signature is an error, never served.
    """

    uri: str
    write: bool = False
    signing_key: str | None = None
    require_signed: bool = False

    def describe(self, *, offline: bool) -> str:
        """``shared cache s3://bucket/prefix (read-only, signatures required)``."""
        if offline:
            return f"shared cache {self.uri} (skipped: offline)"
        how = ["read-write" if self.write else "read-only"]
        if self.require_signed:
            how.append("signatures required")
        elif self.signing_key:
            how.append("signatures checked")
        return f"shared cache {self.uri} ({', '.join(how)})"

    def record_options(self) -> str:
        """The options that record a dataset into this cache, for a message."""
        return f"--synthdata-shared-cache={self.uri} --synthdata-shared-cache-write"

    def open(self) -> DatasetStore:
        """The store (no call to AWS yet: the first look-up makes one)."""
        try:
            from synthdata_sdk.cloud.shared import open_shared_cache
        except ImportError as error:
            from synthdata_sdk.errors import RequestError

            raise RequestError(
                f"the shared cache needs the aws extra ({error.name} is missing): {AWS_HINT}"
            ) from None
        return open_shared_cache(
            self.uri,
            write=self.write,
            signing_key=self.signing_key,
            require_signed=self.require_signed,
        )


def add_shared_cache_options(group: pytest.OptionGroup, parser: pytest.Parser) -> None:
    """The shared cache's options and their ini twins."""
    group.addoption(
        "--synthdata-shared-cache",
        default=None,
        metavar="S3_URI",
        help=f"shared dataset cache, s3://bucket/prefix, looked up after the local cache "
        f"(default: ${URI_ENV}); read-only unless --synthdata-shared-cache-write.",
    )
    group.addoption(
        "--synthdata-shared-cache-write",
        action="store_true",
        default=None,
        help="also put each dataset this run generates into the shared cache (for the one CI "
        "job that fills it).",
    )
    group.addoption(
        "--synthdata-signing-key",
        default=None,
        metavar="KMS_KEY",
        help=f"KMS key (id, ARN or alias) whose signatures the shared cache's manifests carry: "
        f"writers sign with it, readers check it (default: ${SIGNING_KEY_ENV}).",
    )
    group.addoption(
        "--synthdata-require-signed",
        action="store_true",
        default=None,
        help="a shared cache entry without a valid signature of the signing key is an error.",
    )
    parser.addini("synthdata_shared_cache", "default for --synthdata-shared-cache", default=None)
    parser.addini(
        "synthdata_shared_cache_write",
        "default for --synthdata-shared-cache-write",
        type="bool",
        default=None,
    )
    parser.addini("synthdata_signing_key", "default for --synthdata-signing-key", default=None)
    parser.addini(
        "synthdata_require_signed",
        "default for --synthdata-require-signed",
        type="bool",
        default=None,
    )


def resolve_shared_cache(config: pytest.Config, *, offline: bool) -> SharedCache | None:
    """The shared cache settings of this session, checked; UsageError for a bad value."""
    uri, given_by = text_setting(config, "synthdata_shared_cache", URI_ENV)
    write = flag_setting(config, "synthdata_shared_cache_write", WRITE_ENV)
    signing_key, _ = text_setting(config, "synthdata_signing_key", SIGNING_KEY_ENV)
    require_signed = flag_setting(config, "synthdata_require_signed", REQUIRE_SIGNED_ENV)
    if uri is None:
        if write:
            raise pytest.UsageError(
                "--synthdata-shared-cache-write needs a shared cache (--synthdata-shared-cache "
                f"s3://bucket/prefix, or ${URI_ENV})"
            )
        return None
    from synthdata_sdk.cloud.s3_uri import parse_s3_uri
    from synthdata_sdk.errors import RequestError

    try:
        bucket, prefix = parse_s3_uri(uri)
    except RequestError as error:
        raise pytest.UsageError(f"{given_by}: {error}") from None
    if require_signed and not signing_key:
        raise pytest.UsageError(
            "--synthdata-require-signed needs the key whose signatures count: "
            f"--synthdata-signing-key KMS_KEY (or ${SIGNING_KEY_ENV})"
        )
    if not offline:
        missing = [name for name in _AWS_MODULES if importlib.util.find_spec(name) is None]
        if missing:
            raise pytest.UsageError(
                f"{given_by}: the shared cache needs the aws extra ({', '.join(missing)} "
                f"missing): {AWS_HINT}"
            )
    return SharedCache(
        uri=f"s3://{bucket}/{prefix}" if prefix else f"s3://{bucket}",
        write=write,
        signing_key=signing_key,
        require_signed=require_signed,
    )
