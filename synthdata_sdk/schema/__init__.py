"""Schema management: sources, normalisation, the template library and validation reports."""

from synthdata_sdk.schema.normalize import normalize
from synthdata_sdk.schema.report import SchemaIssue, SchemaReport, validate_schema
from synthdata_sdk.schema.sources import LoadedSource, SchemaSource, load_source
from synthdata_sdk.schema.templates import list_templates, load_template

__all__ = [
    "LoadedSource",
    "SchemaIssue",
    "SchemaReport",
    "SchemaSource",
    "list_templates",
    "load_source",
    "load_template",
    "normalize",
    "validate_schema",
]
