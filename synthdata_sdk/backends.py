"""Backends: what makes the dataset of a prepared request.

``local`` generates in this process. ``lambda`` and ``agent`` ask the deployed action
function (directly, or through a Bedrock agent) and read the result back from S3; they live
in ``synthdata_sdk.cloud`` and are imported only when chosen, so the core never loads boto3.
Whichever backend runs, a request gives the same records: a remote result is checked
against the fingerprint computed here before it is returned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, cast

from synthdata_sdk.errors import ExtraNotInstalledError

if TYPE_CHECKING:
    from synthdata_sdk.backend_config import BackendConfig
    from synthdata_sdk.dataset import Dataset
    from synthdata_sdk.prepared import PreparedRequest

#: what to run when the aws extra is missing
AWS_HINT = "pip install 'synthdata[aws]'"
#: what to run when the local stack's extra (moto's server) is missing
LOCAL_HINT = "pip install 'synthdata[aws-local]'"
#: the top-level modules the aws extra installs
_AWS_MODULES = frozenset({"aws_lambda_powertools", "aws_xray_sdk", "boto3", "botocore"})

#: called after each chunk with the number of rows that chunk added (not a running total)
Progress = Callable[[int], None]
Chunk = list[dict[str, Any]]


class Backend(Protocol):
    """Makes the dataset of a prepared request, records and request as local generation."""

    name: str

    def generate(
        self,
        prepared: PreparedRequest,
        *,
        workers: int = 1,
        progress: Progress | None = None,
        quality: bool = False,
    ) -> Dataset:
        """The dataset of ``prepared``; ``quality`` puts the quality summary in its manifest."""
        ...


class LocalBackend:
    """Generation in this process (``workers`` processes drawing chunks, this one included)."""

    name = "local"

    def generate(
        self,
        prepared: PreparedRequest,
        *,
        workers: int = 1,
        progress: Progress | None = None,
        quality: bool = False,
    ) -> Dataset:
        """The dataset of ``prepared``, drawn here."""
        from synthdata_sdk.dataset import Dataset
        from synthdata_sdk.manifest import build_manifest
        from synthdata_sdk.output_checks import OutputChecks

        request = prepared.request
        if prepared.table_set is not None:
            return _generate_table_set(
                prepared, workers=workers, progress=progress, quality=quality
            )
        checks = OutputChecks(request, quality=quality)
        records: list[dict[str, Any]] = []
        for chunk in checks.wrap(self.iter_chunks(prepared, workers=workers, progress=progress)):
            records.extend(chunk)
        manifest = build_manifest(
            request,
            rows=len(records),
            table=checks.table,
            compliance=checks.compliance_summary(),
            quality=checks.quality_summary(),
        )
        return Dataset(records, request, manifest)

    def iter_chunks(
        self, prepared: PreparedRequest, *, workers: int = 1, progress: Progress | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """The records of ``prepared``, chunk by chunk, with bounded memory."""
        from synthdata_sdk.generation.engine import iter_chunks

        request = prepared.request
        chunks = iter_chunks(
            request.normalized_schema,
            rows=request.rows,
            seed=request.seed,
            locale=request.locale,
            workers=workers,
            plan=prepared.plan,
            progress=progress,
        )
        yield from model_checked(prepared, chunks)


def _generate_table_set(
    prepared: PreparedRequest, *, workers: int, progress: Progress | None, quality: bool
) -> Dataset:
    """A table set's dataset, drawn here; each table scanned (and measured) like one table."""
    from synthdata_sdk.dataset import Dataset
    from synthdata_sdk.generation.tables import generate_table_set
    from synthdata_sdk.manifest import build_manifest
    from synthdata_sdk.output_checks import OutputChecks

    request = prepared.request
    plan = prepared.table_set
    assert plan is not None and request.table_rows is not None
    tables = generate_table_set(
        plan,
        request.table_rows,
        seed=request.seed,
        locale=request.locale,
        compliance=request.compliance,
        workers=workers,
        progress=progress,
    )
    summaries: dict[str, dict[str, Any]] = {"compliance": {}, "quality": {}}
    for name, records in tables.items():
        table_request = request.model_copy(
            update={"normalized_schema": plan.tables.tables[name], "name": name}
        )
        checks = OutputChecks(table_request, quality=quality, table=name)
        for _ in checks.wrap([records]):
            pass
        summaries["compliance"][name] = checks.compliance_summary()
        summaries["quality"][name] = checks.quality_summary()
    manifest = build_manifest(
        request,
        rows=sum(len(records) for records in tables.values()),
        tables={name: len(records) for name, records in tables.items()},
        # scanned like a single table's output, so the cache entry keeps the summaries
        compliance=(
            {
                "profiles": list(request.compliance),
                "scanned": True,
                "tables": summaries["compliance"],
            }
            if request.compliance
            else None
        ),
        quality={"tables": summaries["quality"]} if quality else None,
    )
    return Dataset(None, request, manifest, tables=tables)


def model_checked(prepared: PreparedRequest, chunks: Iterable[Chunk]) -> Iterable[Chunk]:
    """``chunks``, each checked with the pydantic model the schema came from (if it did), the
    records it rejects drawn again (``model_check``): a model can check more than its JSON
    Schema says, whichever backend drew the records."""
    if prepared.model is None:
        return chunks
    from synthdata_sdk.generation.redraw import redraw_rows
    from synthdata_sdk.schema.model_check import ModelCheck

    request = prepared.request

    def redraw(positions: Sequence[int], attempt: int) -> Chunk:
        return redraw_rows(
            prepared.plan,
            seed=request.seed,
            locale=request.locale,
            rows=request.rows,
            positions=positions,
            attempt=attempt,
        )

    return ModelCheck(prepared.model, redraw).wrap(chunks)


def open_backend(config: BackendConfig) -> Backend:
    """The backend ``config`` names; a remote one needs the aws extra."""
    if config.backend == "local":
        return LocalBackend()
    module = import_cloud(f"{config.backend}_backend", f"the {config.backend} backend")
    factory = cast(Callable[["BackendConfig"], Backend], module.from_config)
    return factory(config)


def import_cloud(
    module: str,
    needed_by: str,
    *,
    extra_modules: frozenset[str] = frozenset(),
    hint: str = AWS_HINT,
) -> ModuleType:
    """``synthdata_sdk.cloud.<module>``; ExtraNotInstalledError saying what to install (``hint``)
    when a module of the aws extra, or one of ``extra_modules``, is missing."""
    try:
        return import_module(f"synthdata_sdk.cloud.{module}")
    except ModuleNotFoundError as error:
        missing = (error.name or "").partition(".")[0]
        if missing not in _AWS_MODULES | extra_modules:
            raise
        extra = hint.partition("[")[2].partition("]")[0]
        raise ExtraNotInstalledError(
            f"{needed_by} needs the {extra} extra ({missing} is not installed): {hint}"
        ) from None
