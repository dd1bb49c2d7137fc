"""Quality assurance: the compliance scanner (profiles gdpr, hipaa, pci_dss) and quality metrics.

Names load lazily, so importing this package costs nothing until a scan or a measurement runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from synthdata_sdk._lazy import lazy_attributes
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


__getattr__ = lazy_attributes(__name__, _LAZY, globals())
