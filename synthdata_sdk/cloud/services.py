"""What the action functions need from outside: where datasets are stored, and the limits.

The actions receive a ``Services`` object instead of building AWS clients themselves, so a
test passes a dict-backed store and the local stack passes its own; ``services_from_env``
is the one place the deployed function wires in the S3 store (``S3Store``), the history
table (``GenerationHistory``) and ``publish``, from its environment (see
``synthdata_sdk.cloud.config``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from synthdata_sdk.cloud.config import (
    FUNCTION_NAME_ENV,
    PREFIX_ENV,
    TABLE_ENV,
    ActionLimits,
    BackendSettings,
    ConfigurationError,
)
from synthdata_sdk.errors import DatasetNotCachedError, RequestError

if TYPE_CHECKING:
    from synthdata_sdk.cloud.fanout import FanOut, Invoke
    from synthdata_sdk.cloud.history import GenerationHistory
    from synthdata_sdk.cloud.s3_store import S3Store
    from synthdata_sdk.dataset import Dataset


@dataclass(frozen=True)
class StoredDataset:
    """A dataset found in the store: its folder's URI and its manifest."""

    uri: str
    manifest: Mapping[str, Any]


class Publish(Protocol):
    """Store ``dataset`` (create-only), point the session at it and record the generation.

    Returns a summary holding at least ``s3_uri`` (the dataset folder's URI) and
    ``reused`` (True when an identical dataset was already stored).
    """

    def __call__(
        self, dataset: Dataset, *, session_id: str, requester: str
    ) -> Mapping[str, Any]: ...


class Reuse(Protocol):
    """The complete stored dataset ``fingerprint``, served to a session without generating
    it: the session pointed at it and the generation recorded, as ``Publish`` does. Returns
    the dataset and the same summary as ``Publish`` (``reused`` True), or None when the
    store has no complete entry of ``fingerprint``."""

    def __call__(
        self, fingerprint: str, *, session_id: str, requester: str
    ) -> tuple[StoredDataset, Mapping[str, Any]] | None: ...


class Lookup(Protocol):
    """The stored dataset of ``fingerprint``, or None."""

    def __call__(self, fingerprint: str) -> StoredDataset | None: ...


class Load(Protocol):
    """The records of the stored dataset ``fingerprint``, every part verified, or None."""

    def __call__(self, fingerprint: str) -> Dataset | None: ...


@dataclass(frozen=True)
class Services:
    """The store operations and limits the actions use.

    ``reuse`` (when given) makes ``generate`` look the fingerprint up first and serve a stored
    dataset without drawing it; ``fan_out`` (when given) opens the fan-out that splits a
    request of more than ``limits.partition_rows`` rows into partitions.
    """

    publish: Publish
    lookup: Lookup
    load: Load
    limits: ActionLimits = field(default_factory=ActionLimits)
    reuse: Reuse | None = None
    fan_out: Callable[[], FanOut] | None = None


def services_from_env() -> Services:
    """The deployed function's services: the S3 store and history table of its environment.

    The limits are read now; the AWS clients are made at the first call that needs them, so
    the actions that touch no storage (templates, validation) work without any.
    """
    return _services(_AwsWiring(BackendSettings.from_env))


def services_for(
    settings: BackendSettings,
    *,
    session: Any = None,
    limits: ActionLimits | None = None,
    invoke: Invoke | None = None,
) -> Services:
    """The services over the storage ``settings`` name (the local stack's, say), with
    clients from ``session`` (a boto3 Session; by default boto3's own); ``limits`` by
    default from the environment. ``invoke`` sends a partition's event (by default an
    asynchronous Lambda invocation of ``settings.function_name``)."""
    return _services(_AwsWiring(lambda: settings, session, invoke), limits)


def _services(wiring: _AwsWiring, limits: ActionLimits | None = None) -> Services:
    return Services(
        publish=wiring.publish,
        lookup=wiring.lookup,
        load=wiring.load,
        limits=limits or ActionLimits.from_env(),
        reuse=wiring.reuse,
        fan_out=wiring.fan_out,
    )


class _AwsWiring:
    """The S3 store and the history table, opened once, when a call first needs them.

    boto3 and the storage modules are imported then, so that importing the action functions
    (for their OpenAPI document, say) does not load them.
    """

    def __init__(
        self,
        settings: Callable[[], BackendSettings],
        session: Any = None,
        invoke: Invoke | None = None,
    ) -> None:
        self._settings = settings
        self._session = session
        self._invoke = invoke
        self._lock = threading.Lock()
        self._opened: tuple[S3Store, GenerationHistory | None] | None = None
        self._fan_out: FanOut | None = None
        self._client: Callable[[str], Any] | None = None

    def _open(self) -> tuple[S3Store, GenerationHistory | None]:
        """``(store, history)``; history is None without a table setting."""
        with self._lock:
            if self._opened is None:
                import boto3
                from botocore.config import Config

                from synthdata_sdk.cloud.history import GenerationHistory
                from synthdata_sdk.cloud.s3_store import S3Store

                settings = self._settings()
                config = Config(retries={"mode": "standard", "max_attempts": 5})
                session = self._session or boto3

                def client(service: str) -> Any:
                    return session.client(
                        service, endpoint_url=settings.endpoint_url, config=config
                    )

                self._client = client

                try:
                    store = S3Store(
                        client("s3"), settings.bucket, settings.prefix, settings.kms_key_id
                    )
                except RequestError as error:
                    raise ConfigurationError(f"{PREFIX_ENV}: {error}") from None
                history = None
                if settings.table is not None:
                    history = GenerationHistory(client("dynamodb"), settings.table)
                self._opened = (store, history)
            return self._opened

    def _history(self) -> tuple[S3Store, GenerationHistory]:
        store, history = self._open()
        if history is None:
            raise ConfigurationError(f"{TABLE_ENV} is not set (expected the history table)")
        return store, history

    def publish(self, dataset: Dataset, *, session_id: str, requester: str) -> Mapping[str, Any]:
        from synthdata_sdk.cloud.publish import publish

        store, history = self._history()
        return publish(dataset, store, history, session_id, requester)

    def reuse(
        self, fingerprint: str, *, session_id: str, requester: str
    ) -> tuple[StoredDataset, Mapping[str, Any]] | None:
        from synthdata_sdk.cloud.publish import record_reuse

        store, history = self._history()
        # every file there, not only the manifest: an entry missing a part is drawn again
        if not store.contains(fingerprint):
            return None
        manifest = store.manifest(fingerprint)
        summary = record_reuse(store, history, fingerprint, manifest, session_id, requester)
        return StoredDataset(store.uri(fingerprint), manifest), summary

    def fan_out(self) -> FanOut:
        """The fan-out over the store and history, made once."""
        store, history = self._history()
        with self._lock:
            if self._fan_out is None:
                from synthdata_sdk.cloud.fanout import FanOut, lambda_invoker

                settings = self._settings()
                assert self._client is not None
                invoke = self._invoke
                if invoke is None:
                    if settings.function_name is None:
                        raise ConfigurationError(
                            f"{FUNCTION_NAME_ENV} is not set: a request split into partitions "
                            "invokes the function itself, by that name"
                        )
                    invoke = lambda_invoker(self._client("lambda"), settings.function_name)
                self._fan_out = FanOut(
                    store,
                    history,
                    invoke,
                    idempotency_client=self._client("dynamodb"),
                    idempotency_table=settings.idempotency_table or history.table,
                )
            return self._fan_out

    def lookup(self, fingerprint: str) -> StoredDataset | None:
        store, _ = self._open()
        try:
            manifest = store.manifest(fingerprint)
        except DatasetNotCachedError:
            return None
        return StoredDataset(store.uri(fingerprint), manifest)

    def load(self, fingerprint: str) -> Dataset | None:
        store, _ = self._open()
        try:
            return store.load(fingerprint)
        except DatasetNotCachedError:
            return None
