"""What the action functions read from their environment: where datasets go and their limits.

Everything is read once, when the function builds its services (at the first request that
needs them), so one Lambda configuration change applies to the next cold start. Nothing here
imports boto3: the values are plain settings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from synthdata_sdk.backend_config import DEFAULT_PREFIX, SETTINGS
from synthdata_sdk.errors import RequestError, SynthDataError
from synthdata_sdk.limits import Limit

# the names the SDK's configuration uses too: one bucket, prefix and endpoint for both sides
BUCKET_ENV = SETTINGS["bucket"].env
PREFIX_ENV = SETTINGS["prefix"].env
ENDPOINT_ENV = SETTINGS["endpoint_url"].env
TABLE_ENV = "SYNTHDATA_HISTORY_TABLE"
KMS_KEY_ENV = "SYNTHDATA_KMS_KEY_ID"

#: rows one request to the action functions may ask for (``SYNTHDATA_MAX_ACTION_ROWS``)
ACTION_ROWS = Limit("action_rows", 1_000_000, "rows", "rows per request")


class ConfigurationError(SynthDataError):
    """The function's environment is missing a setting or holds a bad one."""


@dataclass(frozen=True)
class ActionLimits:
    """The limits the action functions hold requests to, besides the core's schema limits."""

    max_rows: int = ACTION_ROWS.default

    @classmethod
    def from_env(cls) -> ActionLimits:
        """The limits set in the environment (``SYNTHDATA_MAX_ACTION_ROWS``)."""
        try:
            return cls(max_rows=ACTION_ROWS.value())
        except RequestError as error:
            raise ConfigurationError(str(error)) from None


@dataclass(frozen=True)
class BackendSettings:
    """Where the function keeps datasets and their history."""

    bucket: str
    prefix: str = DEFAULT_PREFIX
    table: str | None = None
    kms_key_id: str | None = None
    endpoint_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> BackendSettings:
        """The settings in ``environ``; ``ConfigurationError`` names a missing or bad one."""
        env = os.environ if environ is None else environ
        bucket = env.get(BUCKET_ENV, "").strip()
        if not bucket:
            raise ConfigurationError(f"{BUCKET_ENV} is not set (expected the dataset bucket)")
        return cls(
            bucket=bucket,
            # checked by the S3 store, which refuses '.', '..' and empty segments
            prefix=env.get(PREFIX_ENV, DEFAULT_PREFIX).strip(),
            table=env.get(TABLE_ENV, "").strip() or None,
            kms_key_id=env.get(KMS_KEY_ENV, "").strip() or None,
            endpoint_url=env.get(ENDPOINT_ENV, "").strip() or None,
        )
