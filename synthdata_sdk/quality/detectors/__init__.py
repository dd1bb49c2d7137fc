"""Detectors: one module per family of identifiers, each finding candidates and judging them.

``detectors()`` returns every detector by name; ``base.Detector`` is the contract.
"""

from __future__ import annotations

from synthdata_sdk.quality.detectors.base import Detector, Text, detectors
from synthdata_sdk.quality.detectors.fields import Field, field_for

__all__ = ["Detector", "Field", "Text", "detectors", "field_for"]
