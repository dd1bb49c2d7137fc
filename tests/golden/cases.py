"""The pinned requests, and what is measured of each: fingerprint, data version, digests.

A case is one request (a template or a hand-made schema under ``schemas/``, with rows, seed,
locale and compliance profiles). Measuring it generates the records once and serialises them
every way a user can get them: the records as ``json.dumps`` writes them, then each format
writer (``json``, ``jsonl``, ``csv``, ``sql`` in every dialect, ``parquet``). Parquet files
name the pyarrow version that wrote them, so for Parquet the digest covers the decoded table
(column names, Arrow types, nullability and values), not the file's bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from synthdata_sdk import SynthDataClient
from synthdata_sdk.dataset import default_table_name
from synthdata_sdk.errors import RequestError
from synthdata_sdk.formats import DIALECTS, FORMATS, make_writer
from synthdata_sdk.formats.base import write_stream
from synthdata_sdk.generation.semantics import SUPPORTED_LOCALES
from synthdata_sdk.schema.templates import list_bundles, list_templates

HERE = Path(__file__).resolve().parent
GOLDEN_FILE = HERE / "golden.json"
SCHEMAS_DIR = HERE / "schemas"
#: the records pinned per case
ROWS = 1_000
#: the rows of a bundle's first tables (its children have several times more)
BUNDLE_ROWS = 200
#: more than one 10,000-row chunk, so the per-chunk seeds are pinned too
CHUNKED_ROWS = 25_001
#: the command that rewrites the golden file; every message names it
REGENERATE = "python -m tests.golden.regenerate"
#: distributions whose versions decide generated data (the data version hashes their pools)
DATA_PACKAGES = ("faker",)


@dataclass(frozen=True)
class Case:
    """One pinned request."""

    id: str
    source: str
    rows: int = ROWS
    seed: int = 0
    locale: str = "en_US"
    compliance: tuple[str, ...] = ()
    #: whether every format is pinned, or only the records (for the large chunked case)
    formats: bool = True
    source_path: Path | None = field(default=None, compare=False)

    def request(self) -> dict[str, Any]:
        """The request as the golden file records it (a schema file with its content's hash)."""
        request: dict[str, Any] = {
            "source": self.source,
            "rows": self.rows,
            "seed": self.seed,
            "locale": self.locale,
            "compliance": list(self.compliance),
        }
        if self.source_path is not None:
            # editing a golden schema is a new case, not a change of the engine
            request["source_sha256"] = _sha256(self.source_path.read_bytes())
        return request


def cases() -> list[Case]:
    """Every pinned case: each template in each locale, a few variants, each hand-made schema."""
    out: list[Case] = []
    for name in list_templates():
        for locale in SUPPORTED_LOCALES:
            out.append(Case(f"template/{name}/{locale}", name, locale=locale))
    out += [
        Case("template/customer/en_US/seed-7", "customer", seed=7),
        Case("template/customer/en_US/all-profiles", "customer", compliance=_ALL_PROFILES),
        Case("template/patient/en_US/hipaa", "patient", compliance=("hipaa",)),
        Case("template/employee/en_US/hipaa", "employee", compliance=("hipaa",)),
        Case("template/customer/en_US/chunked", "customer", rows=CHUNKED_ROWS, formats=False),
    ]
    # bundles: table sets of templates (parents' keys, per_parent counts, references)
    out += [Case(f"bundle/{name}/en_US", name, rows=BUNDLE_ROWS) for name in list_bundles()]
    for path in sorted(SCHEMAS_DIR.glob("*.json")):
        source = f"schemas/{path.name}"
        out.append(Case(f"schema/{path.stem}/en_US", source, source_path=path))
        if path.stem == "semantics":  # the locale-dependent pools, once per locale
            for locale in SUPPORTED_LOCALES[1:]:
                out.append(
                    Case(f"schema/{path.stem}/{locale}", source, locale=locale, source_path=path)
                )
    return out


_ALL_PROFILES = ("gdpr", "hipaa", "pci_dss")


def case_by_id() -> dict[str, Case]:
    """The cases by id."""
    return {case.id: case for case in cases()}


def measure(case: Case) -> dict[str, Any]:
    """The golden entry of one case: its request, data version, fingerprint and digests."""
    client = SynthDataClient()
    source: Any = case.source_path if case.source_path is not None else case.source
    prepared = client.prepare(
        source, rows=case.rows, seed=case.seed, locale=case.locale, compliance=case.compliance
    )
    dataset = client.generate_prepared(prepared)
    if dataset.is_table_set:
        # a table set: its tables, in order, are the bytes pinned
        digests = {"tables": _sha256(_records_text(dict(dataset.tables)).encode("utf-8"))}
    else:
        digests = {"records": _sha256(_records_text(dataset.records).encode("utf-8"))}
    if case.formats and not dataset.is_table_set:
        schema = dataset.schema
        table = default_table_name(dataset.request)
        for fmt, dialect in _deliveries():
            key = fmt if dialect is None else f"{fmt}/{dialect}"
            digests[key] = _delivery_digest(dataset.records, schema, fmt, table, dialect)
    return {
        "request": case.request(),
        "data_version": prepared.request.data_version,
        "fingerprint": prepared.fingerprint,
        "sha256": digests,
    }


def environment() -> dict[str, str]:
    """The versions the golden file was made with (data packages decide the data version)."""
    env = {"python": platform.python_version()}
    for name in (*DATA_PACKAGES, "numpy", "pyarrow"):
        try:
            env[name] = version(name)
        except PackageNotFoundError:
            env[name] = "not installed"
    return env


def parquet_available() -> bool:
    """Whether Parquet can be written here (the ``parquet`` extra)."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def _deliveries() -> Iterator[tuple[str, str | None]]:
    for fmt in FORMATS:
        if fmt == "sql":
            for dialect in DIALECTS:
                yield fmt, dialect
        elif fmt == "parquet":
            if parquet_available():
                yield fmt, None
        else:
            yield fmt, None


def _records_text(records: list[dict[str, Any]] | dict[str, list[dict[str, Any]]]) -> str:
    # Independent of the writers: key order, 1 vs 1.0 and non-ASCII text all show up.
    return json.dumps(records, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _delivery_digest(
    records: list[dict[str, Any]],
    schema: dict[str, Any],
    fmt: str,
    table: str,
    dialect: str | None,
) -> str:
    stream = io.BytesIO()
    try:
        writer = make_writer(fmt, schema=schema, table=table, dialect=dialect or "sqlite")
        write_stream(writer, [records], stream)
    except RequestError as error:  # a schema this format cannot hold: pin the refusal
        return f"refused: {error}"
    if fmt == "parquet":
        return _decoded_parquet_digest(stream.getvalue())
    return _sha256(stream.getvalue())


def _decoded_parquet_digest(data: bytes) -> str:
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data))
    decoded = {
        "columns": [[f.name, str(f.type), f.nullable] for f in table.schema],
        "rows": table.to_pylist(),
    }
    return _sha256(_records_text([decoded]).encode("utf-8"))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
