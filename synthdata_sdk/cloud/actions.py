"""The action functions: six operations over the SDK core, whichever front door called them.

Each takes its validated request model, the ``Invocation`` (who asked, in which session) and
the ``Services`` (the store and the limits), and returns its response model. They hold no
event parsing and no response formatting: the front doors (``agent``, ``gateway``,
``direct``) do that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from synthdata_sdk.cloud import models
from synthdata_sdk.cloud.failures import refuse
from synthdata_sdk.cloud.invocation import Invocation
from synthdata_sdk.cloud.prepare import prepare_generate
from synthdata_sdk.cloud.services import Services
from synthdata_sdk.prepared import PreparedRequest


def generate(
    request: models.GenerateRequest, invocation: Invocation, services: Services
) -> models.GenerateResponse:
    """The dataset of ``request``: an identical stored one if there is one, else generated
    here and stored, or, above one invocation's rows, split into partitions that run as
    concurrent invocations (then the answer says ``running``).

    A table set is stored like one dataset (a file per table). It is never split: one that
    does not fit one invocation is refused (413), unless an identical one is stored already.
    """
    if request.table_rows is None:
        _check_rows(request.rows, services, "rows")  # before anything is prepared
    prepared = prepare_generate(request)
    if prepared.table_set is not None:
        _check_rows(prepared.request.rows, services, _rows_field(request))
    if services.reuse is not None:
        # served from the store before anything is drawn: the fingerprint names the bytes
        reused = services.reuse(
            prepared.fingerprint, session_id=invocation.session_id, requester=invocation.requester
        )
        if reused is not None:
            found, summary = reused
            return _stored_response(prepared.fingerprint, found.manifest, summary)
    if services.fan_out is not None and prepared.table_set is not None:
        _check_table_set_budget(prepared, services, _rows_field(request))
    elif services.fan_out is not None:
        from synthdata_sdk.cloud.budget import rows_per_invocation

        partition_rows = rows_per_invocation(prepared, services.limits)
        if request.rows > partition_rows:
            return services.fan_out().start(
                prepared, request, invocation, partition_rows=partition_rows
            )
    from synthdata_sdk.client import SynthDataClient

    # the engine here, whatever backend this process's environment names for its callers
    dataset = SynthDataClient(backend="local").generate_prepared(prepared, quality=request.quality)
    stored = services.publish(
        dataset, session_id=invocation.session_id, requester=invocation.requester
    )
    return _stored_response(dataset.fingerprint, dataset.manifest, stored)


def _check_rows(rows: int, services: Services, field: str) -> None:
    """413 when ``rows`` (a table set's: the tables not counted per parent) is over the limit."""
    maximum = services.limits.max_rows
    if rows > maximum:
        from synthdata_sdk.cloud.config import ACTION_ROWS

        raise refuse(
            413,
            "limit_exceeded",
            f"{field}: {rows:,} is over the limit of {maximum:,} rows per request "
            f"(expected less, or a higher {ACTION_ROWS.setting})",
            field,
        )


def _check_table_set_budget(prepared: PreparedRequest, services: Services, field: str) -> None:
    """413 when the table set is more than one invocation draws: it is never partitioned."""
    from synthdata_sdk.cloud.budget import table_set_excess

    excess = table_set_excess(prepared, services.limits)
    if excess is not None:
        raise refuse(
            413,
            "limit_exceeded",
            f"this table set does not fit one invocation: {excess}. A table set is drawn by "
            "one invocation, never split into partitions (its child tables take their keys "
            "from their parents' rows); ask for fewer rows, raise the limit, or generate it "
            "with the local backend and push it to the shared cache (synthdata cache push), "
            "where this function finds it",
            field,
        )


def _rows_field(request: models.GenerateRequest) -> str:
    return "table_rows" if request.table_rows is not None else "rows"


def _stored_response(
    fingerprint: str, manifest: Mapping[str, Any], stored: Mapping[str, Any]
) -> models.GenerateResponse:
    """The answer naming a stored dataset, from its manifest and the store's summary."""
    tables = manifest.get("tables")
    described = manifest.get("request")
    return models.GenerateResponse(
        fingerprint=fingerprint,
        s3_uri=str(stored["s3_uri"]),
        rows=sum(tables.values()) if isinstance(tables, Mapping) else 0,
        name=described.get("name") if isinstance(described, Mapping) else None,
        compliance=manifest.get("compliance"),
        quality=manifest.get("quality"),
        reused=bool(stored.get("reused", False)),
        generation_id=stored.get("generation_id"),
    )


def validate_schema(
    request: models.ValidateSchemaRequest, invocation: Invocation, services: Services
) -> models.ValidateSchemaResponse:
    """Whether the schema can be generated from, and why not."""
    from synthdata_sdk.schema.report import validate_schema as check

    report = check(request.source(), locale=request.locale, compliance=request.compliance)
    return models.ValidateSchemaResponse(
        valid=report.valid,
        draft=report.draft,
        errors=[models.SchemaProblem(pointer=e.pointer, message=e.message) for e in report.errors],
        unknown_keywords=[
            models.SchemaProblem(pointer=e.pointer, message=e.message)
            for e in report.unknown_keywords
        ],
    )


def calculate_quality_metrics(
    request: models.QualityRequest, invocation: Invocation, services: Services
) -> models.QualityResponse:
    """Quality metrics of a stored dataset, measured from its verified records."""
    from synthdata_sdk.quality.metrics import measure_quality

    dataset = services.load(request.fingerprint)
    if dataset is None:
        raise _not_stored(request.fingerprint)
    report = measure_quality(dataset)
    return models.QualityResponse(
        fingerprint=request.fingerprint, rows=dataset.rows, quality=report.summary()
    )


def lookup_dataset(
    request: models.LookupRequest, invocation: Invocation, services: Services
) -> models.DatasetSummary:
    """The stored dataset of a fingerprint, from its manifest."""
    stored = services.lookup(request.fingerprint)
    if stored is None:
        raise _not_stored(request.fingerprint)
    manifest = stored.manifest
    tables = manifest.get("tables")
    described = manifest.get("request")
    return models.DatasetSummary(
        fingerprint=request.fingerprint,
        s3_uri=stored.uri,
        rows=sum(tables.values()) if isinstance(tables, Mapping) else 0,
        name=described.get("name") if isinstance(described, Mapping) else None,
        created_at=manifest.get("created_at"),
        compliance=manifest.get("compliance"),
        quality=manifest.get("quality"),
    )


def list_templates(
    request: models.ListTemplatesRequest, invocation: Invocation, services: Services
) -> models.TemplateList:
    """The built-in templates, then the bundles, with their descriptions."""
    from synthdata_sdk.schema import templates

    listed = [
        models.TemplateInfo(name=name, description=templates.template_summary(name))
        for name in templates.list_templates()
    ]
    for name in templates.list_bundles():
        bundle = templates.bundle_info(name)
        listed.append(
            models.TemplateInfo(
                name=name,
                description=bundle.description,
                kind="bundle",
                tables=[table for table, _ in bundle.tables],
            )
        )
    return models.TemplateList(templates=listed)


def describe_template(
    request: models.DescribeTemplateRequest, invocation: Invocation, services: Services
) -> models.TemplateDescription:
    """One built-in template (description, fields, JSON Schema) or bundle (its table set)."""
    from synthdata_sdk.schema import templates

    if request.name in templates.list_bundles():
        bundle = templates.bundle_info(request.name)
        table_set = templates.load_bundle(request.name)
        return models.TemplateDescription(
            name=request.name,
            description=bundle.description,
            kind="bundle",
            tables=[table for table, _ in bundle.tables],
            fields=[
                f"{table}.{field}"
                for table, schema in table_set["tables"].items()
                for field in schema.get("properties", {})
            ],
            json_schema=table_set,
        )
    schema = templates.load_template(request.name)
    properties = schema.get("properties")
    return models.TemplateDescription(
        name=request.name,
        description=templates.template_summary(request.name),
        fields=list(properties) if isinstance(properties, dict) else [],
        json_schema=schema,
    )


def _not_stored(fingerprint: str) -> Exception:
    return refuse(
        404,
        "not_found",
        f"no stored dataset has fingerprint {fingerprint}; generate it first",
        "fingerprint",
    )


@dataclass(frozen=True)
class Action:
    """An operation with its request and response models and what it does."""

    name: str
    description: str
    request: type[BaseModel]
    response: type[BaseModel]
    run: Callable[[Any, Invocation, Services], BaseModel]


#: every action by name: the gateway's tool names, the direct request's ``action``
ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action(
            "generate",
            "Generate a synthetic dataset from a built-in template or a JSON Schema and store "
            "it in S3. Returns the dataset's fingerprint and S3 URI, never the records. The "
            "same request always gives the same records.",
            models.GenerateRequest,
            models.GenerateResponse,
            generate,
        ),
        Action(
            "validate_schema",
            "Check whether records can be generated from a JSON Schema or template, and list "
            "what is wrong with it.",
            models.ValidateSchemaRequest,
            models.ValidateSchemaResponse,
            validate_schema,
        ),
        Action(
            "calculate_quality_metrics",
            "Measure the quality (validity, duplicates, constraint violations) of a stored "
            "dataset, named by its fingerprint.",
            models.QualityRequest,
            models.QualityResponse,
            calculate_quality_metrics,
        ),
        Action(
            "lookup_dataset",
            "Look a stored dataset up by its fingerprint: its S3 URI, rows and summaries.",
            models.LookupRequest,
            models.DatasetSummary,
            lookup_dataset,
        ),
        Action(
            "list_templates",
            "List the built-in templates that generate and validate_schema accept by name.",
            models.ListTemplatesRequest,
            models.TemplateList,
            list_templates,
        ),
        Action(
            "describe_template",
            "Describe one built-in template: what a record holds, its fields and JSON Schema.",
            models.DescribeTemplateRequest,
            models.TemplateDescription,
            describe_template,
        ),
    )
}
