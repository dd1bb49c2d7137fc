"""The property-name corpus (``data/property_names.tsv``) and what name inference makes of it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from synthdata_sdk.schema.inference import infer_number, infer_semantic, infer_temporal_format

CORPUS = Path(__file__).parent / "data" / "property_names.tsv"


def _rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, expected, source = line.split("\t")
        rows.append((name, expected, source))
    return rows


def corpus() -> list[tuple[str, str]]:
    """``(name, expected)`` pairs; expected ``-`` means the name implies nothing."""
    return [(name, expected) for name, expected, _ in _rows()]


def siblings(name: str) -> list[str]:
    """The other names of ``name``'s source: what its object holds beside it."""
    sources = {source for other, _, source in _rows() if other == name}
    return [other for other, _, source in _rows() if source in sources and other != name]


def inferred(name: str, beside: Iterable[str] = ()) -> str:
    """What a property of this name gets: a semantic, a temporal format, a number kind, or -."""
    semantic = infer_semantic(name, None, beside)
    return semantic or infer_temporal_format(name) or infer_number(name) or "-"


def recognised_share() -> float:
    """The share of the corpus's meaningful names that get the expected value, each read
    beside the other names of its source."""
    meaningful = [(name, expected) for name, expected in corpus() if expected != "-"]
    hits = sum(inferred(name, siblings(name)) == expected for name, expected in meaningful)
    return hits / len(meaningful)
