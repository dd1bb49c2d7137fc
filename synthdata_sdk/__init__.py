"""synthdata: realistic, schema-valid, reproducible synthetic datasets for test suites.

Names are imported lazily, so ``import synthdata_sdk`` stays cheap (no numpy, no Faker) until
the client or the engine is actually used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from synthdata_sdk._lazy import lazy_attributes
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


__getattr__ = lazy_attributes(__name__, _LAZY, globals())
