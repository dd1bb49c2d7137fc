"""The action functions' requests and responses: one pydantic model each, for every front door.

The request options (``rows``, ``seed``, ``locale``, ``compliance``, ``name``) take their
defaults, checks and messages from the core's options model (``synthdata_sdk.options``),
so the action functions refuse what the client and the command line refuse, in the same
words. The OpenAPI document of the agent's action group and the gateway's tool schema are
generated from these models. Responses are small: a dataset is named by its fingerprint and
S3 URI, never sent.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, model_validator

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.options import (
    DEFAULT_LOCALE,
    DEFAULT_ROWS,
    DEFAULT_SEED,
    MAX_ROWS,
    MAX_SEED,
    PROFILE_NAMES,
    SUPPORTED_LOCALES,
    OptionError,
    check_locale,
    check_name,
    check_profiles,
    check_rows,
    check_seed,
)

#: the version of the action functions' contract (the OpenAPI ``info.version``)
API_VERSION = "1.0.0"
#: a request fingerprint: 64 lowercase hex digits
FINGERPRINT_PATTERN = "^[0-9a-f]{64}$"
#: longest dataset name; a name labels a dataset and never becomes a path
MAX_NAME = 200

T = TypeVar("T")


def _core(check: Callable[[object], T]) -> Callable[[object], T]:
    """A validator running one of the core's option checks, with the core's message."""

    def validate(value: object) -> T:
        try:
            return check(value)
        except OptionError as error:
            raise ValueError(error.detail) from None

    return validate


def _template_name(value: object) -> object:
    """A built-in template's name; anything else (a path above all) is refused."""
    if value is None:
        return None
    from synthdata_sdk.schema.resolve import names_a_file
    from synthdata_sdk.schema.templates import load_template

    if not isinstance(value, str):
        raise ValueError(f"expected a template name such as 'customer', got {value!r:.80}")
    if names_a_file(value):
        raise ValueError(
            f"expected a template name such as 'customer', not a path ({value!r:.80}): "
            "the action functions read no files"
        )
    try:
        # only a listed name is taken, so no string here is ever read as a file
        load_template(value)
    except SchemaError as error:
        raise ValueError(f"{error.detail} (expected {error.expected})") from None
    return value


def _source_name(value: object) -> object:
    """A built-in template's or bundle's name (a bundle is a table set of templates)."""
    from synthdata_sdk.schema.templates import list_bundles

    if isinstance(value, str) and value in list_bundles():
        return value
    return _template_name(value)


def _table_rows(value: object) -> dict[str, int] | None:
    """Rows per table: table names (as a table set names them) to counts the core accepts."""
    from synthdata_sdk.schema.table_set import TABLE_NAME

    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError(f"expected rows per table, e.g. {{'customers': 100}}, got {value!r:.80}")
    counts: dict[str, int] = {}
    for name, count in value.items():
        if not isinstance(name, str) or not TABLE_NAME.fullmatch(name):
            raise ValueError(f"expected table names as a table set names them, got {name!r:.80}")
        try:
            counts[name] = _core(check_rows)(count)
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
    return counts


def dataset_label(value: object) -> str | None:
    """The core's name check, and no path-like or control characters: a name is a label."""
    name = _core(check_name)(value)
    if name is None:
        return None
    if len(name) > MAX_NAME:
        raise ValueError(f"expected at most {MAX_NAME} characters, got {len(name)}")
    if "/" in name or "\\" in name or ".." in name:
        raise ValueError(f"expected a label without '/', '\\' or '..', got {name!r}")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ValueError(f"expected a label without control characters, got {name!r}")
    return name


class Request(BaseModel):
    """Base of the request models: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRequest(Request):
    """A schema to work from: a built-in template's or bundle's name, or an inline JSON Schema
    (or table set)."""

    template: Annotated[str | None, BeforeValidator(_source_name)] = Field(
        default=None,
        description="Name of a built-in template (see list_templates), e.g. 'customer', or of "
        "a bundle of related tables, e.g. 'retail'. Give either template or json_schema.",
    )
    json_schema: dict[str, Any] | None = Field(
        default=None,
        description="An inline JSON Schema (draft 2020-12 by default) describing one record, "
        "or a table set {'tables': {name: schema, ...}}. Give either template or json_schema.",
    )

    @model_validator(mode="after")
    def _one_source(self) -> SourceRequest:
        if (self.template is None) == (self.json_schema is None):
            raise ValueError("give exactly one of template or json_schema")
        return self

    def source(self) -> str | dict[str, Any]:
        """The template name or the schema, as the client takes it."""
        return self.template if self.template is not None else dict(self.json_schema or {})


Locale = Annotated[
    str,
    BeforeValidator(_core(check_locale)),
    Field(
        default=DEFAULT_LOCALE,
        description="Locale of names, addresses and phone numbers.",
        json_schema_extra={"enum": list(SUPPORTED_LOCALES)},
    ),
]
Compliance = Annotated[
    list[str],
    BeforeValidator(lambda value: list(_core(check_profiles)(value))),
    Field(
        default_factory=list,
        description="Compliance profiles the records are scanned against before they are kept.",
        json_schema_extra={"items": {"type": "string", "enum": list(PROFILE_NAMES)}},
    ),
]


class GenerateRequest(SourceRequest):
    """Generate a dataset and store it; the response names it."""

    rows: Annotated[int, BeforeValidator(_core(check_rows))] = Field(
        default=DEFAULT_ROWS,
        ge=0,
        le=MAX_ROWS,
        description="Number of records. The function's limit (SYNTHDATA_MAX_ACTION_ROWS) "
        "may be lower.",
    )
    seed: Annotated[int, BeforeValidator(_core(check_seed))] = Field(
        default=DEFAULT_SEED,
        ge=0,
        le=MAX_SEED,
        description="Random seed: the same request and seed give the same records.",
    )
    locale: Locale
    compliance: Compliance
    name: Annotated[str | None, BeforeValidator(dataset_label)] = Field(
        default=None,
        description="A label for the dataset (default: the template name or schema title).",
    )
    quality: StrictBool = Field(
        default=False,
        description="Measure the records' quality as they are drawn (slower).",
    )
    table_rows: Annotated[dict[str, int] | None, BeforeValidator(_table_rows)] = Field(
        default=None,
        description="A table set's rows per table, e.g. {'customers': 100, 'products': 20}, "
        "for every table not counted per parent. Instead of rows, which gives each such "
        "table the same count.",
    )

    @model_validator(mode="after")
    def _one_count(self) -> GenerateRequest:
        if self.table_rows is not None and "rows" in self.model_fields_set:
            raise ValueError("give rows or table_rows, not both")
        return self

    def rows_argument(self) -> int | dict[str, int]:
        """The rows as the client takes them: per table, or one count."""
        return dict(self.table_rows) if self.table_rows is not None else self.rows


class ValidateSchemaRequest(SourceRequest):
    """Check that a schema can be generated from."""

    locale: Locale
    compliance: Compliance


class FingerprintRequest(Request):
    """A stored dataset, named by its request fingerprint."""

    fingerprint: str = Field(
        pattern=FINGERPRINT_PATTERN,
        description="The dataset's request fingerprint (64 hex digits), as generate returned.",
    )


class QualityRequest(FingerprintRequest):
    """Measure the quality of a stored dataset."""


class LookupRequest(FingerprintRequest):
    """Look a stored dataset up."""


class ListTemplatesRequest(Request):
    """List the built-in templates (no fields)."""


class DescribeTemplateRequest(Request):
    """Describe one built-in template or bundle."""

    name: Annotated[str, BeforeValidator(_source_name)] = Field(
        description="The template's or bundle's name, e.g. 'customer' or 'retail'."
    )


# ------------------------------------------------------------------------------------------
# Responses


class Response(BaseModel):
    """Base of the response models."""

    model_config = ConfigDict(frozen=True)


class GenerateResponse(Response):
    """The dataset a generate request produced (or found already stored)."""

    fingerprint: str = Field(description="The request fingerprint naming the dataset.")
    s3_uri: str = Field(description="Where the dataset is stored: its folder's S3 URI.")
    rows: int = Field(description="Number of records.")
    name: str | None = Field(description="The dataset's label.")
    compliance: dict[str, Any] | None = Field(
        description="Summary of the compliance scan (profiles, values scanned, violations)."
    )
    quality: dict[str, Any] | None = Field(
        description="Quality summary (score and rates) when quality was asked for, else null."
    )
    reused: bool = Field(
        description="Whether an identical dataset was already stored and is served instead."
    )
    status: Literal["completed", "running"] = Field(
        default="completed",
        description="'completed': the dataset is stored. 'running': the request was split into "
        "partitions that are still being generated; the dataset appears at s3_uri (its "
        "manifest last) and the session's result pointer names it once they are all done.",
    )
    generation_id: str | None = Field(
        default=None, description="The generation's id in the history table."
    )
    partitions: int = Field(
        default=1, description="How many partitions (concurrent invocations) generate it."
    )


class DatasetSummary(Response):
    """A stored dataset, from its manifest."""

    fingerprint: str = Field(description="The request fingerprint naming the dataset.")
    s3_uri: str = Field(description="Where the dataset is stored: its folder's S3 URI.")
    rows: int = Field(description="Number of records.")
    name: str | None = Field(description="The dataset's label.")
    created_at: str | None = Field(description="When the dataset was generated (ISO 8601).")
    compliance: dict[str, Any] | None = Field(description="Summary of the compliance scan.")
    quality: dict[str, Any] | None = Field(description="Quality summary, if measured.")


class SchemaProblem(Response):
    """One problem found in a schema."""

    pointer: str = Field(description="JSON pointer of the subschema ('' for the root).")
    message: str = Field(description="What is wrong and what would be accepted.")


class ValidateSchemaResponse(Response):
    """Whether a schema can be generated from."""

    valid: bool = Field(description="Whether records can be generated from the schema.")
    draft: str = Field(description="The JSON Schema draft the schema was read as.")
    errors: list[SchemaProblem] = Field(description="Why the schema cannot be used.")
    unknown_keywords: list[SchemaProblem] = Field(
        description="Keywords no draft defines, read as annotations."
    )


class QualityResponse(Response):
    """Quality metrics of a stored dataset."""

    fingerprint: str = Field(description="The dataset measured.")
    rows: int = Field(description="Number of records measured.")
    quality: dict[str, Any] = Field(
        description="Score (0-100) and the rates it is made of (see the quality docs)."
    )


class TemplateInfo(Response):
    """A built-in template or bundle: its name and what it describes."""

    name: str = Field(description="The name, for the template field.")
    description: str = Field(description="What one record (or the bundle's data) describes.")
    kind: Literal["template", "bundle"] = Field(
        default="template",
        description="template: one table; bundle: a table set of related templates.",
    )
    tables: list[str] = Field(
        default_factory=list,
        description="A bundle's tables, parents before children (table_rows takes these).",
    )


class TemplateList(Response):
    """The built-in templates and bundles."""

    templates: list[TemplateInfo] = Field(
        description="Every built-in template, then every bundle, by name."
    )


class TemplateDescription(TemplateInfo):
    """A built-in template with its fields and JSON Schema, or a bundle with its table set."""

    fields: list[str] = Field(
        description="A template's top-level fields, in order; a bundle's are its tables'"
        " fields as table.field."
    )
    json_schema: dict[str, Any] = Field(
        description="The template's JSON Schema, or the bundle's table set {tables: {...}}."
    )


class ErrorDetail(Response):
    """Why a request failed."""

    status: int = Field(description="HTTP-style status: 4xx the request, 5xx the function.")
    code: str = Field(description="A stable code, e.g. invalid_request or limit_exceeded.")
    message: str = Field(description="What went wrong and what to change.")
    field: str | None = Field(description="The request field at fault, if one is.")


class ErrorResponse(Response):
    """The body of every failed request."""

    error: ErrorDetail
