"""synthdata: realistic, schema-valid, reproducible synthetic datasets for test suites.

Names are imported lazily, so ``import synthdata_sdk`` stays cheap (no numpy, no Faker) until
the client or the engine is actually used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from synthdata_sdk.errors import RequestError, SchemaError, SynthDataError

if TYPE_CHECKING:
    from synthdata_sdk.client import SynthDataClient
    from synthdata_sdk.dataset import Dataset
    from synthdata_sdk.generation.request import DatasetRequest
    from synthdata_sdk.schema.report import SchemaReport, validate_schema

__version__ = "0.1.0"

_LAZY = {
    "SynthDataClient": "synthdata_sdk.client",
    "Dataset": "synthdata_sdk.dataset",
    "DatasetRequest": "synthdata_sdk.generation.request",
    "SchemaReport": "synthdata_sdk.schema.report",
    "validate_schema": "synthdata_sdk.schema.report",
}

__all__ = [
    "Dataset",
    "DatasetRequest",
    "RequestError",
    "SchemaError",
    "SchemaReport",
    "SynthDataClient",
    "SynthDataError",
    "__version__",
    "validate_schema",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'synthdata_sdk' has no attribute {name!r}")
