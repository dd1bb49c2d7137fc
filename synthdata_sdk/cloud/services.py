"""What the action functions need from outside: where datasets are stored, and the limits.

The actions receive a ``Services`` object instead of building AWS clients themselves, so a
test passes a dict-backed store and the local stack passes its own; ``services_from_env``
is the one place the deployed function wires in the S3 store and the history table, from
its environment (see ``synthdata_sdk.cloud.config``).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol

from synthdata_sdk.cloud.config import ActionLimits, BackendSettings, ConfigurationError

if TYPE_CHECKING:
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


class Lookup(Protocol):
    """The stored dataset of ``fingerprint``, or None."""

    def __call__(self, fingerprint: str) -> StoredDataset | None: ...


class Load(Protocol):
    """The records of the stored dataset ``fingerprint``, every part verified, or None."""

    def __call__(self, fingerprint: str) -> Dataset | None: ...


@dataclass(frozen=True)
class Services:
    """The store operations and limits the actions use."""

    publish: Publish
    lookup: Lookup
    load: Load
    limits: ActionLimits = field(default_factory=ActionLimits)


def services_from_env() -> Services:
    """The deployed function's services: the S3 store and history table of its environment.

    The limits are read now; the AWS clients are made at the first call that needs them, so
    the actions that touch no storage (templates, validation) work without any.
    """
    wiring = _AwsWiring()
    return Services(
        publish=wiring.publish,
        lookup=wiring.lookup,
        load=wiring.load,
        limits=ActionLimits.from_env(),
    )


class _AwsWiring:
    """The S3 store, the history table and ``publish``, opened once, on first use.

    This is where the storage modules plug in: ``synthdata_sdk.cloud.s3_store``
    (``S3Store``), ``synthdata_sdk.cloud.history`` (``History``) and
    ``synthdata_sdk.cloud.publish`` (``publish(dataset, store, history, session_id,
    requester)``). They are looked up by name so that this module can be imported, and
    tested, without boto3.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._opened: tuple[Any, Any, Any] | None = None

    def _open(self) -> tuple[Any, Any, Any]:
        with self._lock:
            if self._opened is None:
                settings = BackendSettings.from_env()
                try:
                    s3_store = import_module("synthdata_sdk.cloud.s3_store")
                    history = import_module("synthdata_sdk.cloud.history")
                    publishing = import_module("synthdata_sdk.cloud.publish")
                except ModuleNotFoundError as error:
                    raise ConfigurationError(
                        f"the storage module {error.name} is missing from this build"
                    ) from None
                store = s3_store.S3Store.from_settings(settings)
                table = history.History.from_settings(settings)
                self._opened = (store, table, publishing.publish)
            return self._opened

    def publish(self, dataset: Dataset, *, session_id: str, requester: str) -> Mapping[str, Any]:
        store, table, publish = self._open()
        summary: Mapping[str, Any] = publish(dataset, store, table, session_id, requester)
        return summary

    def lookup(self, fingerprint: str) -> StoredDataset | None:
        store, _, _ = self._open()
        manifest = store.lookup(fingerprint)
        if manifest is None:
            return None
        return StoredDataset(str(store.uri(fingerprint)), manifest)

    def load(self, fingerprint: str) -> Dataset | None:
        store, _, _ = self._open()
        dataset: Dataset | None = store.read(fingerprint)
        return dataset
