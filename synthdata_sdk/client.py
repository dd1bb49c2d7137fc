"""``SynthDataClient``: the SDK's front door (generate, write, validate, fingerprint)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from synthdata_sdk.arguments import (
    check_bool,
    check_callable,
    check_int,
    check_path,
    check_str,
)
from synthdata_sdk.backend_config import BackendConfig, resolve_config
from synthdata_sdk.backends import Backend, LocalBackend, Progress, open_backend
from synthdata_sdk.dataset import Dataset
from synthdata_sdk.errors import RequestError
from synthdata_sdk.generation.planner import plan_records
from synthdata_sdk.generation.request import DatasetRequest
from synthdata_sdk.manifest import build_manifest
from synthdata_sdk.options import DEFAULT_LOCALE, DEFAULT_ROWS, DEFAULT_SEED, RequestOptions
from synthdata_sdk.output_checks import OutputChecks
from synthdata_sdk.prepared import PreparedRequest
from synthdata_sdk.schema.report import SchemaReport, validate_schema
from synthdata_sdk.schema.sources import SchemaSource
from synthdata_sdk.suggest import did_you_mean

if TYPE_CHECKING:
    from synthdata_sdk.quality.metrics import QualityReport, Records
    from synthdata_sdk.schema.prompt import ResolvedPrompt

# PreparedRequest lives in its own module (backends need it without the client), named here too
__all__ = ["PreparedRequest", "SynthDataClient"]

#: the keyword arguments ``prepare`` (and so ``fingerprint``) takes besides the source
_REQUEST_OPTIONS = frozenset({"rows", "seed", "locale", "compliance", "base_dir"})


class SynthDataClient:
    """Generate synthetic datasets.

    ``backend="local"`` (the default) generates in this process; ``"lambda"`` invokes the
    deployed action function (``function_name``) and ``"agent"`` asks a Bedrock agent
    (``agent_id``, ``agent_alias_id``), both reading the dataset back from ``bucket`` under
    ``prefix``. A setting left out (None) comes from the environment (``SYNTHDATA_BACKEND``,
    ``SYNTHDATA_FUNCTION_NAME``...), else from ``[tool.synthdata]`` in the nearest
    ``pyproject.toml`` above ``project_dir`` (default: the working folder), else its default
    (see ``synthdata_sdk.backend_config``). ``trace=True`` asks the agent for its trace
    (``last_trace``). Every backend gives the same records for the same request.
    """

    def __init__(
        self,
        backend: str | None = None,
        *,
        function_name: str | None = None,
        agent_id: str | None = None,
        agent_alias_id: str | None = None,
        endpoint_url: str | None = None,
        region: str | None = None,
        bucket: str | None = None,
        prefix: str | None = None,
        trace: bool | None = None,
        project_dir: str | Path | None = None,
    ) -> None:
        start = check_path("project_dir", project_dir, optional=True)
        self.config: BackendConfig = resolve_config(
            {
                "backend": backend,
                "function_name": function_name,
                "agent_id": agent_id,
                "agent_alias_id": agent_alias_id,
                "endpoint_url": endpoint_url,
                "region": region,
                "bucket": bucket,
                "prefix": prefix,
                "trace": trace,
            },
            start=start,
        )
        #: the backend's name: ``local``, ``lambda`` or ``agent``
        self.backend = self.config.backend
        self._runner: Backend = open_backend(self.config)

    @property
    def last_trace(self) -> tuple[dict[str, Any], ...]:
        """The trace events of the agent's last answer (with ``trace=True``; else empty)."""
        return tuple(getattr(self._runner, "last_trace", ()))

    def prepare(
        self,
        source: SchemaSource,
        *,
        rows: int | Mapping[str, int] = DEFAULT_ROWS,
        seed: int = DEFAULT_SEED,
        locale: str = DEFAULT_LOCALE,
        compliance: Iterable[str] = (),
        base_dir: Path | None = None,
        strict_keywords: bool = False,
    ) -> PreparedRequest:
        """Load, normalise and plan ``source``; raise SchemaError or RequestError on bad input.

        Unknown keywords are annotations (an ``UnknownKeywordWarning`` lists them);
        ``strict_keywords=True`` refuses them instead. A table set (``{"tables": {...}}``, see
        docs/tables.md) takes ``rows`` per table (a mapping) or the same rows for every table
        not counted per parent (an int).
        """
        from synthdata_sdk.generation.version import data_version
        from synthdata_sdk.schema.normalize import normalize_root
        from synthdata_sdk.schema.sources import load_source
        from synthdata_sdk.schema.table_set import is_table_set

        loaded = load_source(source, check_path("base_dir", base_dir, optional=True))
        check_bool("strict_keywords", strict_keywords)
        if is_table_set(loaded.schema):
            return _prepare_table_set(
                loaded.schema,
                rows=rows,
                seed=seed,
                locale=locale,
                compliance=compliance,
                label=loaded.label,
                strict_keywords=strict_keywords,
                sent=loaded.name if loaded.kind == "bundle" else None,
            )
        if isinstance(rows, Mapping):
            raise RequestError(
                "rows per table (a mapping) needs a table set source {'tables': {...}};"
                " give an int for a single table"
            )

        # rows, seed, locale and compliance: checked, with the messages every way in gives
        options = RequestOptions.from_mapping(
            {"rows": rows, "seed": seed, "locale": locale, "compliance": compliance}
        )
        schema = normalize_root(loaded.schema, strict_keywords=strict_keywords)
        # the request is validated first: planning needs a known locale
        probe = _request(schema, options, "0", loaded.label, loaded.name)
        plan = plan_records(schema, locale=probe.locale, rows=rows, compliance=probe.compliance)
        request = probe.model_copy(update={"data_version": data_version(plan, probe.locale)})
        sent = loaded.name if loaded.kind == "template" else loaded.schema
        return PreparedRequest(request, plan, model=loaded.model, source=sent)

    def generate(
        self,
        source: SchemaSource | None = None,
        *,
        prompt: str | None = None,
        rows: int | Mapping[str, int] = DEFAULT_ROWS,
        seed: int = DEFAULT_SEED,
        locale: str = DEFAULT_LOCALE,
        compliance: Iterable[str] = (),
        workers: int = 1,
        progress: Progress | None = None,
        base_dir: Path | None = None,
        quality: bool = False,
        strict_keywords: bool = False,
    ) -> Dataset:
        """Generate ``rows`` records from ``source`` and keep them in memory.

        ``workers`` is the number of processes drawing chunks, this one included (capped at
        the CPU count); the records do not depend on it (a remote backend ignores it).
        ``quality=True`` measures the records as they are drawn and puts the quality summary
        in the manifest; it costs many times the generation itself. ``prompt`` instead of
        ``source`` names the template in words, with the row count ("500 patients with
        diagnoses"; see ``resolve_prompt``): a count in the prompt wins over ``rows``.
        """
        if prompt is not None:
            if source is not None:
                raise RequestError("give exactly one of source and prompt")
            resolved = self.resolve_prompt(prompt)
            source, rows = resolved.name, rows if resolved.rows is None else resolved.rows
        if source is None:
            raise RequestError("give exactly one of source and prompt")
        prepared = self.prepare(
            source,
            rows=rows,
            seed=seed,
            locale=locale,
            compliance=compliance,
            base_dir=base_dir,
            strict_keywords=strict_keywords,
        )
        return self.generate_prepared(prepared, workers=workers, progress=progress, quality=quality)

    def resolve_prompt(self, prompt: str) -> ResolvedPrompt:
        """The template and row count ``prompt`` asks for, as ``generate(prompt=...)`` reads it.

        Raises ``UnresolvedPromptError`` (a ``RequestError``) listing the nearest templates when
        no template matches well enough. Resolution is local, whatever the backend.
        """
        from synthdata_sdk.schema.prompt import resolve_prompt

        return resolve_prompt(check_str("prompt", prompt))

    def generate_prepared(
        self,
        prepared: PreparedRequest,
        *,
        workers: int = 1,
        progress: Progress | None = None,
        quality: bool = False,
    ) -> Dataset:
        """Generate the dataset of an already prepared request, with this client's backend."""
        check_int("workers", workers)
        check_callable("progress", progress)
        return self._runner.generate(
            prepared, workers=workers, progress=progress, quality=check_bool("quality", quality)
        )

    def iter_chunks(
        self, prepared: PreparedRequest, *, workers: int = 1, progress: Progress | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """The records of a prepared request, chunk by chunk.

        Locally memory stays bounded; a remote backend's dataset is fetched whole first.
        """
        check_int("workers", workers)
        check_callable("progress", progress)
        if isinstance(self._runner, LocalBackend):
            yield from self._runner.iter_chunks(prepared, workers=workers, progress=progress)
            return
        dataset = self._runner.generate(prepared)
        for batch in dataset.batches():
            if progress is not None:
                progress(len(batch))
            yield batch

    def write(
        self,
        source: SchemaSource,
        path: str | Path,
        *,
        rows: int | Mapping[str, int] = DEFAULT_ROWS,
        seed: int = DEFAULT_SEED,
        locale: str = DEFAULT_LOCALE,
        compliance: Iterable[str] = (),
        workers: int = 1,
        format: str | None = None,
        table: str | None = None,
        dialect: str = "sqlite",
        progress: Progress | None = None,
        base_dir: Path | None = None,
        quality: bool = False,
        if_table_exists: str = "fail",
        strict_keywords: bool = False,
    ) -> dict[str, Any]:
        """Generate straight to a file, streaming chunk by chunk; returns the manifest.

        ``quality=True`` measures the records on their way to the file (see ``generate``).
        ``if_table_exists`` (SQL only): ``fail``, ``append`` or ``replace``, see
        docs/formats.md. A device or FIFO at ``path`` is written through, not replaced.
        """
        from synthdata_sdk.formats import format_for_path, write_dataset_file

        target = check_path("path", path)
        check_str("table", table, optional=True)
        prepared = self.prepare(
            source,
            rows=rows,
            seed=seed,
            locale=locale,
            compliance=compliance,
            base_dir=base_dir,
            strict_keywords=strict_keywords,
        )
        if prepared.table_set is not None:
            return self._write_table_set(
                prepared,
                target,
                format=format,
                dialect=dialect,
                if_table_exists=if_table_exists,
                workers=workers,
                progress=progress,
                quality=quality,
            )
        fmt = format or format_for_path(target)
        checks = OutputChecks(prepared.request, quality=check_bool("quality", quality), table=table)
        chunks = self.iter_chunks(prepared, workers=workers, progress=progress)
        written = write_dataset_file(
            checks.wrap(chunks),
            target,
            schema=prepared.request.normalized_schema,
            format=fmt,
            table=checks.table,
            dialect=dialect,
            if_table_exists=if_table_exists,
        )
        return build_manifest(
            prepared.request,
            rows=prepared.request.rows,
            table=checks.table,
            # the digest of the bytes written: a device or FIFO cannot be read back
            files=[written.manifest_entry(fmt)],
            compliance=checks.compliance_summary(),
            quality=checks.quality_summary(),
        )

    def _write_table_set(
        self,
        prepared: PreparedRequest,
        target: Path,
        *,
        format: str | None,
        dialect: str,
        if_table_exists: str,
        workers: int,
        progress: Progress | None,
        quality: bool,
    ) -> dict[str, Any]:
        """``write`` for a table set: generated in memory, then one script or a folder."""
        dataset = self.generate_prepared(
            prepared, workers=workers, progress=progress, quality=quality
        )
        files = dataset.write_tables(
            target, format=format, dialect=dialect, if_table_exists=if_table_exists
        )
        return {**dataset.manifest, "files": files}

    def validate_schema(
        self,
        source: SchemaSource,
        *,
        locale: str = DEFAULT_LOCALE,
        base_dir: Path | None = None,
        strict_keywords: bool = False,
    ) -> SchemaReport:
        """Whether ``source`` can be generated from, its errors, and its field plan."""
        return validate_schema(
            source, locale=locale, base_dir=base_dir, strict_keywords=strict_keywords
        )

    def quality(
        self,
        dataset_or_records: Records | Mapping[str, Records],
        schema: SchemaSource | None = None,
    ) -> QualityReport:
        """Quality metrics and score (see ``measure_quality``); a Dataset defaults to its schema."""
        from synthdata_sdk.quality.metrics import measure_quality

        return measure_quality(dataset_or_records, schema)

    def fingerprint(self, source: SchemaSource, **request: Any) -> str:
        """The fingerprint ``generate`` would give, without generating."""
        unknown = sorted(set(request) - _REQUEST_OPTIONS)
        if unknown:
            raise RequestError(
                f"unknown request option {unknown[0]!r}; expected any of {sorted(_REQUEST_OPTIONS)}"
            )
        return self.prepare(source, **request).fingerprint


def _request(
    schema: dict[str, Any],
    options: RequestOptions,
    version: str,
    label: str,
    name: str | None,
    *,
    rows: int | None = None,
) -> DatasetRequest:
    try:
        return DatasetRequest(
            normalized_schema=schema,
            rows=options.rows if rows is None else rows,
            seed=options.seed,
            locale=options.locale,
            compliance=options.compliance,
            data_version=version,
            source=label,
            name=name,
        )
    except ValidationError as error:
        problems = []
        for issue in error.errors():
            where = ".".join(str(part) for part in issue["loc"]) or "request"
            message = issue["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {message} (got {issue.get('input')!r})")
        raise RequestError("; ".join(problems)) from None


def _prepare_table_set(
    document: Mapping[str, Any],
    *,
    rows: int | Mapping[str, int],
    seed: int,
    locale: str,
    compliance: Iterable[str],
    label: str,
    strict_keywords: bool,
    sent: str | None = None,
) -> PreparedRequest:
    """``prepare`` for a table set: every table read, checked and planned; ``sent`` is the
    bundle's name, which a remote backend is sent instead of the document."""
    from synthdata_sdk.generation.tables import plan_table_set
    from synthdata_sdk.generation.version import table_set_version
    from synthdata_sdk.schema.table_set import read_table_set

    single = rows if not isinstance(rows, Mapping) else 0
    options = RequestOptions.from_mapping(
        {"rows": single, "seed": seed, "locale": locale, "compliance": compliance}
    )
    tables = read_table_set(document, strict_keywords=strict_keywords)
    table_rows = _table_rows(tables.order, set(tables.per_parent), rows)
    plan = plan_table_set(tables, table_rows, locale=options.locale, compliance=options.compliance)
    total = sum(table_rows.values())
    probe = _request(tables.document(), options, "0", label, None, rows=total)
    request = probe.model_copy(
        update={
            "table_rows": table_rows,
            "data_version": table_set_version(plan.plans, options.locale),
        }
    )
    first = plan.plans[tables.order[0]]
    source = sent if sent is not None else dict(document)
    return PreparedRequest(request, first, source=source, table_set=plan)


def _table_rows(
    order: list[str], counted: set[str], rows: int | Mapping[str, int]
) -> dict[str, int]:
    """Rows of each table not counted per parent: the mapping's, or the int for all."""
    from synthdata_sdk.options import check_rows

    free = [name for name in order if name not in counted]
    if not isinstance(rows, Mapping):
        return {name: check_rows(rows) for name in free}
    for name in rows:
        if name in counted:
            raise RequestError(
                f"rows for table {name!r}: its rows come from x-synthdata per_parent; leave it"
                " out of rows"
            )
        if name not in order:
            raise RequestError(
                f"rows for unknown table {name!r:.80}{did_you_mean(str(name), order)};"
                f" the tables are {order}"
            )
    missing = [name for name in free if name not in rows]
    if missing:
        raise RequestError(f"rows names no count for table(s) {missing}; give one for each")
    return {name: check_rows(rows[name]) for name in free}
