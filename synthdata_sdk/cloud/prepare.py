"""A generate request made ready to draw: what the action and each partition of a fan-out
prepare alike, so both give the same fingerprint and bytes."""

from __future__ import annotations

import dataclasses

from synthdata_sdk.cloud import models
from synthdata_sdk.prepared import PreparedRequest


def prepare_generate(request: models.GenerateRequest) -> PreparedRequest:
    """The prepared request of a generate request, labelled with its name (if it has one)."""
    from synthdata_sdk.client import SynthDataClient

    prepared = SynthDataClient(backend="local").prepare(
        request.source(),
        rows=request.rows_argument(),
        seed=request.seed,
        locale=request.locale,
        compliance=request.compliance,
    )
    if request.name is not None:
        # the name labels the dataset; the fingerprint does not cover it
        labelled = prepared.request.model_copy(update={"name": request.name})
        prepared = dataclasses.replace(prepared, request=labelled)
    return prepared
