"""Quality assurance: the compliance scanner (profiles gdpr, hipaa, pci_dss) and quality metrics.

Names load lazily, so importing this package costs nothing until a scan or a measurement runs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from synthdata_sdk.quality.findings import ComplianceReport, ScanError, Violation

if TYPE_CHECKING:
    from synthdata_sdk.quality.metrics import QualityReport, measure_quality
    from synthdata_sdk.quality.profiles import PROFILES
    from synthdata_sdk.quality.scanner import scan

_LAZY = {
    "scan": "synthdata_sdk.quality.scanner",
    "PROFILES": "synthdata_sdk.quality.profiles",
    "QualityReport": "synthdata_sdk.quality.metrics",
    "measure_quality": "synthdata_sdk.quality.metrics",
}

__all__ = [
    "PROFILES",
    "ComplianceReport",
    "QualityReport",
    "ScanError",
    "Violation",
    "measure_quality",
    "scan",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'synthdata_sdk.quality' has no attribute {name!r}")
