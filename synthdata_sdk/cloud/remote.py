"""What the lambda and agent backends share: the request they send, and reading back the
dataset the function stored, checked against the fingerprint this process computed.

Whatever a remote side says (a direct answer, a session pointer), the client reads only the
dataset of the fingerprint it computed itself, from the bucket and prefix it was configured
with, and verifies every part; a different fingerprint or location is an error before
anything is read.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from synthdata_sdk.backend_config import SETTINGS, BackendConfig
from synthdata_sdk.backends import Progress, model_checked
from synthdata_sdk.cloud.models import dataset_label
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import BackendConfigError, BackendResultError, DatasetNotCachedError

if TYPE_CHECKING:
    from synthdata_sdk.client import PreparedRequest
    from synthdata_sdk.cloud.s3_store import S3Store

#: the requester the function records in its history for SDK calls
REQUESTER = "sdk"


def new_session_id() -> str:
    """A fresh session id, so a session pointer can only name this call's dataset."""
    return f"sdk-{uuid.uuid4().hex}"


def generate_request(prepared: PreparedRequest, *, quality: bool) -> dict[str, Any]:
    """The action function's ``generate`` request for ``prepared``."""
    request = prepared.request
    # a table set's rows per table (its tables not counted per parent), as it was prepared
    count: dict[str, Any] = (
        {"rows": request.rows}
        if request.table_rows is None
        else {"table_rows": dict(request.table_rows)}
    )
    sent: dict[str, Any] = {
        **count,
        "seed": request.seed,
        "locale": request.locale,
        "compliance": list(request.compliance),
        "quality": quality,
    }
    source = prepared.source
    if isinstance(source, str):
        sent["template"] = source
    else:
        sent["json_schema"] = source if source is not None else request.normalized_schema
    try:
        # the name only labels the dataset; one the function would refuse is left out
        label = dataset_label(request.name)
    except ValueError:
        label = None
    if label is not None:
        sent["name"] = label
    return sent


def required(config: BackendConfig, key: str) -> str:
    """A setting the backend cannot do without (resolve_config has already asked for it)."""
    value = getattr(config, key)
    if not isinstance(value, str):
        setting = SETTINGS[key]
        raise BackendConfigError(key, "", f"the {config.backend} backend needs {setting.env}")
    return value


def fetch_dataset(
    store: S3Store,
    prepared: PreparedRequest,
    *,
    fingerprint: object,
    uri: object,
    via: str,
    request_id: str = "",
    progress: Progress | None = None,
) -> Dataset:
    """The dataset ``via`` (``the function``, ``the agent``) says it stored, read from
    ``store`` and verified; BackendResultError unless it is the one ``prepared`` asks for.
    ``progress`` hears of all the rows at once, when they have arrived."""
    expected = prepared.fingerprint
    location = store.uri(expected)
    if fingerprint != expected:
        raise BackendResultError(
            f"{via} answered with dataset {str(fingerprint)[:80]!r}, not {expected}, the "
            "fingerprint of this request; nothing was read (the function generates the "
            "request it is sent, so this is a misbehaving agent or function)",
            code="fingerprint_mismatch",
            request_id=request_id,
            resource=location,
        )
    if uri != location:
        raise BackendResultError(
            f"{via} stored the dataset at {str(uri)[:200]}, but this client reads {location}: "
            "set bucket and prefix to the function's (SYNTHDATA_BUCKET, SYNTHDATA_PREFIX)",
            code="location_mismatch",
            request_id=request_id,
            resource=location,
        )
    try:
        dataset = store.load(expected, prepared.request)
    except DatasetNotCachedError as error:
        raise BackendResultError(
            f"{via} named dataset {expected}, but it cannot be read: {error}",
            code="dataset_missing",
            request_id=request_id,
            resource=location,
        ) from None
    from synthdata_sdk.frozen import thaw

    if dataset.is_table_set:
        if progress is not None:
            progress(dataset.rows)
        tables = {name: thaw(records) for name, records in dataset.tables.items()}
        return Dataset(None, dataset.request, thaw(dataset.manifest), tables=tables)
    # checked with the model as local generation checks them: a record a validator rejects
    # is drawn again here (the function cannot run the caller's validators), from the seed
    records = [record for batch in model_checked(prepared, dataset.batches()) for record in batch]
    if progress is not None:
        progress(dataset.rows)
    # as local generation gives them: records the caller may change
    return Dataset(thaw(records), dataset.request, thaw(dataset.manifest))
