"""The property-name corpus (``data/property_names.tsv``) and what name inference makes of it."""

from __future__ import annotations

from pathlib import Path

from synthdata_sdk.schema.inference import infer_number, infer_semantic, infer_temporal_format

CORPUS = Path(__file__).parent / "data" / "property_names.tsv"


def corpus() -> list[tuple[str, str]]:
    """``(name, expected)`` pairs; expected ``-`` means the name implies nothing."""
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, expected, _source = line.split("\t")
        rows.append((name, expected))
    return rows


def inferred(name: str) -> str:
    """What a property of this name gets: a semantic, a temporal format, a number kind, or -."""
    return infer_semantic(name, None) or infer_temporal_format(name) or infer_number(name) or "-"


def recognised_share() -> float:
    """The share of the corpus's meaningful names that get the expected value."""
    meaningful = [(name, expected) for name, expected in corpus() if expected != "-"]
    hits = sum(inferred(name) == expected for name, expected in meaningful)
    return hits / len(meaningful)
