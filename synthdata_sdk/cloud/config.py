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
#: rows one partition of a fanned-out request draws (a whole number of engine chunks)
PARTITION_ROWS_ENV = "SYNTHDATA_PARTITION_ROWS"
#: seconds of drawing one invocation may spend (the function's timeout is 300 s)
PARTITION_SECONDS_ENV = "SYNTHDATA_PARTITION_SECONDS"
#: the table of the partitions' idempotency records (default: the history table)
IDEMPOTENCY_TABLE_ENV = "SYNTHDATA_IDEMPOTENCY_TABLE"
#: the function's own name, which the Lambda runtime sets: partitions invoke it
FUNCTION_NAME_ENV = "AWS_LAMBDA_FUNCTION_NAME"
#: rows one invocation draws before a request is split into partitions: 20 engine chunks, a
#: few seconds to a minute of drawing, well inside Lambda's 15 minutes
DEFAULT_PARTITION_ROWS = 200_000
DEFAULT_PARTITION_SECONDS = 120.0

#: rows one request to the action functions may ask for (``SYNTHDATA_MAX_ACTION_ROWS``)
ACTION_ROWS = Limit("action_rows", 1_000_000, "rows", "rows per request")


class ConfigurationError(SynthDataError):
    """The function's environment is missing a setting or holds a bad one."""


@dataclass(frozen=True)
class ActionLimits:
    """The limits the action functions hold requests to, besides the core's schema limits."""

    max_rows: int = ACTION_ROWS.default
    #: a request of more rows is split into partitions of this many rows (fan-out)
    partition_rows: int = DEFAULT_PARTITION_ROWS
    #: and into smaller ones when drawing that many rows would take longer than this
    #: (measured on the request's first chunk); None: rows alone decide
    partition_seconds: float | None = DEFAULT_PARTITION_SECONDS

    def __post_init__(self) -> None:
        from synthdata_sdk.generation.engine import CHUNK_ROWS

        rows = self.partition_rows
        if isinstance(rows, bool) or not isinstance(rows, int) or rows < 1 or rows % CHUNK_ROWS:
            # a partition boundary inside a chunk would change no bytes, but would make two
            # partitions draw the same chunk: partitions are whole chunks
            raise ConfigurationError(
                f"{PARTITION_ROWS_ENV} must be a positive multiple of {CHUNK_ROWS:,} (the "
                f"engine's chunk), got {rows!r}"
            )
        seconds = self.partition_seconds
        if seconds is not None and (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not 0 < seconds < float("inf")
        ):
            raise ConfigurationError(
                f"{PARTITION_SECONDS_ENV} must be a positive number of seconds, got {seconds!r}"
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ActionLimits:
        """The limits set in the environment (``SYNTHDATA_MAX_ACTION_ROWS``,
        ``SYNTHDATA_PARTITION_ROWS``, ``SYNTHDATA_PARTITION_SECONDS``)."""
        env = os.environ if environ is None else environ
        try:
            maximum = ACTION_ROWS.value()
        except RequestError as error:
            raise ConfigurationError(str(error)) from None
        text = env.get(PARTITION_ROWS_ENV, "").strip()
        partition_rows = DEFAULT_PARTITION_ROWS
        if text:
            try:
                partition_rows = int(text)
            except ValueError:
                raise ConfigurationError(
                    f"{PARTITION_ROWS_ENV} must be a whole number of rows, got {text!r}"
                ) from None
        seconds_text = env.get(PARTITION_SECONDS_ENV, "").strip()
        seconds: float | None = DEFAULT_PARTITION_SECONDS
        if seconds_text:
            try:
                seconds = float(seconds_text)
            except ValueError:
                raise ConfigurationError(
                    f"{PARTITION_SECONDS_ENV} must be a number of seconds, got {seconds_text!r}"
                ) from None
        return cls(max_rows=maximum, partition_rows=partition_rows, partition_seconds=seconds)


@dataclass(frozen=True)
class BackendSettings:
    """Where the function keeps datasets and their history."""

    bucket: str
    prefix: str = DEFAULT_PREFIX
    table: str | None = None
    kms_key_id: str | None = None
    endpoint_url: str | None = None
    #: the function itself, which a fanned-out request's partitions invoke
    function_name: str | None = None
    #: where the partitions' idempotency records go (None: the history table)
    idempotency_table: str | None = None

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
            function_name=env.get(FUNCTION_NAME_ENV, "").strip() or None,
            idempotency_table=env.get(IDEMPOTENCY_TABLE_ENV, "").strip() or None,
        )
