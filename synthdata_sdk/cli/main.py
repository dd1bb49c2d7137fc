"""The ``synthdata`` command line: generate, validate, templates, fingerprint, cache, scan,
quality, backend.

Every command is a thin layer over ``SynthDataClient``; ``cache`` (list, verify, prune,
clear) works on the local dataset store and lives in ``synthdata_sdk.cli.cache``; ``scan``
(compliance scan of data files) and ``quality`` (quality metrics of data files) live in
``synthdata_sdk.cli.quality``; ``backend`` (the cloud backend's documents) lives in
``synthdata_sdk.cli.backend``; prompts (``generate --prompt``, ``templates resolve``) live in
``synthdata_sdk.cli.prompt``. Exit codes:
0 on success, 2 for bad input (usage errors, ``SchemaError``, ``RequestError``, a
``CacheError`` such as a malformed lock file), 1 for any other failure (including a corrupt
cache entry) and 130 when interrupted. Errors are reported as one ``synthdata: error: ...``
line on stderr; set ``SYNTHDATA_DEBUG=1`` to also get the traceback of an unexpected failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

from synthdata_sdk import __version__, options
from synthdata_sdk.cli.common import (
    DEBUG_ENV,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    Handler,
    Parser,
    UsageError,
    err,
    integer,
    is_terminal,
    out,
    out_table,
    source_argument,
)
from synthdata_sdk.errors import (
    CacheBusyError,
    CacheError,
    CorruptCacheError,
    RequestError,
    SchemaError,
    SynthDataError,
    SynthDataWarning,
)
from synthdata_sdk.formats import DIALECTS, FORMATS, IF_TABLE_EXISTS
from synthdata_sdk.progress import ProgressBar

if TYPE_CHECKING:
    from synthdata_sdk.client import SynthDataClient

__all__ = ["main"]

# --------------------------------------------------------------------------------------------
# Argument types


def _option(check: Callable[[Any], Any], *, number: bool = False) -> Callable[[str], Any]:
    """An argparse type for one request option: its check and message are the SDK's."""
    from synthdata_sdk.options import OptionError

    def parse(text: str) -> Any:
        value: Any = text
        if number:
            try:
                value = int(text)
            except ValueError:
                raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        try:
            return check(value)
        except OptionError as error:
            raise argparse.ArgumentTypeError(error.detail) from None

    parse.__name__ = check.__name__.removeprefix("check_")
    return parse


# --------------------------------------------------------------------------------------------
# Parser


def build_parser() -> argparse.ArgumentParser:
    """The ``synthdata`` argument parser with its eight subcommands."""
    from synthdata_sdk.cli.backend import add_backend_command
    from synthdata_sdk.cli.backend_options import add_backend_options
    from synthdata_sdk.cli.cache import add_cache_command
    from synthdata_sdk.cli.quality import add_quality_commands

    parser = Parser(
        prog=PROG,
        description="Generate realistic, schema-valid, reproducible synthetic test data.",
        epilog="Exit codes: 0 success, 1 failure, 2 bad input, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    generate = commands.add_parser(
        "generate",
        help="generate a dataset to a file or stdout",
        description="Generate ROWS records from SOURCE (or from what --prompt names), to --out "
        "or to stdout.",
    )
    _add_source_or_prompt(generate)
    _add_request_options(generate)
    generate.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: from the --out suffix, else jsonl)",
    )
    generate.add_argument(
        "-o",
        "--out",
        metavar="PATH",
        help="file to write, replaced atomically when complete; a device or FIFO is written "
        "through ('-' or none: stdout)",
    )
    generate.add_argument(
        "--workers",
        type=integer(1),
        default=1,
        metavar="N",
        help="processes drawing chunks, this one included (default: 1)",
    )
    generate.add_argument(
        "--table", metavar="NAME", help="SQL table name (default: the dataset name, else data)"
    )
    generate.add_argument(
        "--dialect", choices=DIALECTS, default="sqlite", help="SQL dialect (default: sqlite)"
    )
    generate.add_argument(
        "--if-table-exists",
        choices=IF_TABLE_EXISTS,
        default="fail",
        help="SQL: when loading finds the table, fail, append the rows (CREATE TABLE IF NOT "
        "EXISTS) or replace it (DROP TABLE IF EXISTS) (default: fail)",
    )
    generate.add_argument(
        "--quality",
        action="store_true",
        help="measure the output's quality on the way and print its summary (slow: each "
        "record is validated)",
    )
    generate.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no summary line"
    )
    add_backend_options(generate)
    generate.set_defaults(handler=_cmd_generate, rows=None)

    validate = commands.add_parser(
        "validate",
        help="check that a schema can be generated from and show its field plan",
        description="Print 'valid' and the field plan, or 'invalid' and the errors.",
    )
    _add_source(validate)
    _add_strict_keywords(validate)
    validate.add_argument("--json", action="store_true", help="print the report as JSON")
    validate.set_defaults(handler=_cmd_validate)

    templates = commands.add_parser(
        "templates",
        help="list the built-in templates, print one, search them or resolve a prompt",
        description="List template names and descriptions, print template (or bundle) NAME "
        "as JSON, 'search WORDS': rank templates and bundles by how well they match WORDS, or "
        "'resolve PROMPT': print as JSON the template (or bundle) and rows PROMPT asks for, "
        "as 'generate --prompt' reads it.",
        usage=f"{PROG} templates [NAME | search WORDS... [--json] [--limit N] | resolve PROMPT...]",
    )
    templates.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help="template or bundle to print, or 'search', or 'resolve'",
    )
    templates.add_argument(
        "words", nargs="*", metavar="WORDS", help="what to search for, or the prompt to resolve"
    )
    templates.add_argument("--json", action="store_true", help="print the search hits as JSON")
    templates.add_argument(
        "--limit", type=integer(1), default=10, metavar="N", help="at most N hits (default: 10)"
    )
    templates.set_defaults(handler=_cmd_templates)

    fingerprint = commands.add_parser(
        "fingerprint",
        help="print the fingerprint of a request without generating",
        description="Print the sha256 fingerprint 'generate' would give for this request.",
    )
    _add_source_or_prompt(fingerprint)
    _add_request_options(fingerprint)
    fingerprint.set_defaults(handler=_cmd_fingerprint, rows=None)

    add_cache_command(commands)
    add_quality_commands(commands)
    add_backend_command(commands)
    return parser


def _add_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="SOURCE", help="a template name or a .json schema file")


def _add_source_or_prompt(parser: argparse.ArgumentParser) -> None:
    from synthdata_sdk.cli.prompt import add_prompt_option

    parser.add_argument(
        "source",
        nargs="?",
        metavar="SOURCE",
        help="a template name or a .json schema file (or --prompt instead)",
    )
    add_prompt_option(parser)


def _add_request_options(parser: argparse.ArgumentParser) -> None:
    # defaults, checks and messages: the request options model (synthdata_sdk.options)
    parser.add_argument(
        "--rows",
        type=_option(options.check_rows, number=True),
        default=options.DEFAULT_ROWS,
        metavar="N",
        help=f"records (default: {options.DEFAULT_ROWS})",
    )
    parser.add_argument(
        "--seed",
        type=_option(options.check_seed, number=True),
        default=options.DEFAULT_SEED,
        metavar="S",
        help=f"random seed (default: {options.DEFAULT_SEED})",
    )
    parser.add_argument(
        "--locale",
        type=_option(options.check_locale),
        default=options.DEFAULT_LOCALE,
        metavar="L",
        help=f"locale (default: {options.DEFAULT_LOCALE})",
    )
    parser.add_argument(
        "--compliance",
        type=_option(options.check_profiles),
        default=(),
        metavar="P,...",
        help="comma-separated compliance profiles: gdpr, hipaa, pci_dss (default: none)",
    )
    _add_strict_keywords(parser)


def _add_strict_keywords(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strict-keywords",
        action="store_true",
        help="refuse unknown schema keywords instead of reading them as annotations",
    )


# --------------------------------------------------------------------------------------------
# Commands


def _client(args: argparse.Namespace | None = None) -> SynthDataClient:
    """The client; with ``args``, on the backend they choose (else the local backend)."""
    # imported late: the client pulls in numpy and Faker, which --help does not need
    from synthdata_sdk.backend_config import resolve_config
    from synthdata_sdk.cli.backend_options import backend_settings
    from synthdata_sdk.client import SynthDataClient

    if args is None:
        return SynthDataClient(backend="local")
    # resolved here first so that a bad option is named by its flag
    config = resolve_config(backend_settings(args), flags=True)
    return SynthDataClient(**{key: getattr(config, key) for key in backend_settings(args)})


def _request_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "rows": args.rows,
        "seed": args.seed,
        "locale": args.locale,
        "compliance": args.compliance,
        "strict_keywords": args.strict_keywords,
    }


def _progress(total: int, args: argparse.Namespace, *, show: bool = True) -> ProgressBar:
    return ProgressBar(total, stream=sys.stderr, enabled=show and not args.quiet)


def _cmd_generate(args: argparse.Namespace) -> int:
    from synthdata_sdk.cli.prompt import source_and_rows

    source = source_and_rows(args)
    if args.out is None or args.out == "-":
        return _generate_to_stdout(args, source)
    client = _client(args)
    started = time.perf_counter()
    with _progress(args.rows, args) as bar:
        progress = bar if bar.active else None
        manifest = client.write(
            source,
            args.out,
            workers=args.workers,
            format=args.format or _folder_format(source, args.out),
            table=args.table,
            dialect=args.dialect,
            if_table_exists=args.if_table_exists,
            progress=progress,
            quality=args.quality,
            **_request_kwargs(args),
        )
    elapsed = time.perf_counter() - started
    _print_trace(client)
    if not args.quiet:
        fingerprint = str(manifest.get("fingerprint", ""))[:12]
        # a table set's rows are every table's (children counted per parent)
        rows = (
            sum(manifest.get("tables", {}).values())
            if "table_rows" in manifest.get("request", {})
            else args.rows
        )
        err(
            f"{PROG}: wrote {rows:,} {'row' if rows == 1 else 'rows'} to {args.out} "
            f"(fingerprint {fingerprint}, {elapsed:.2f} s)"
        )
    _print_quality(manifest.get("quality"))
    return EXIT_OK


def _folder_format(source: str | Path, out: str) -> str | None:
    """``jsonl`` when ``--out`` ends in a separator (``out/``) and the source is a table set
    (one file per table), so the folder needs no ``--format``; None otherwise (the suffix
    decides). A folder for one table is refused: it would be written as a file."""
    if not out.endswith(("/", os.sep)):
        return None
    from synthdata_sdk.schema.sources import load_source
    from synthdata_sdk.schema.table_set import is_table_set

    loaded = load_source(source)
    if not is_table_set(loaded.schema):
        raise UsageError(
            f"--out {out} names a folder, but {loaded.label} is one table, written to one "
            f"file: give a file name such as {out}data.jsonl"
        )
    return "jsonl"


def _print_trace(client: SynthDataClient) -> None:
    """The agent's trace events asked for with --trace, one JSON line each, on stderr."""
    for event in client.last_trace:
        err(f"{PROG}: trace: {json.dumps(event, default=str, ensure_ascii=False)}")


def _print_quality(summary: dict[str, Any] | None) -> None:
    """The quality summary line asked for with --quality (on stderr, beside the data)."""
    if summary is None or "score" not in summary:  # a table set's are per table
        return
    err(
        f"{PROG}: quality score {summary['score']:.2f} (validity {summary['validity_rate']:.2%}, "
        f"duplicate rows {summary['duplicate_row_rate']:.2%}, constraint violations "
        f"{summary['constraint_violation_rate']:.2%}; see 'synthdata quality' for the report)"
    )


def _generate_to_stdout(args: argparse.Namespace, source: str | Path) -> int:
    from synthdata_sdk.dataset import default_table_name
    from synthdata_sdk.formats import make_writer
    from synthdata_sdk.formats.base import write_stream
    from synthdata_sdk.output_checks import OutputChecks

    fmt = args.format or "jsonl"
    if fmt == "parquet":
        raise UsageError("parquet cannot be written to stdout; use --out FILE.parquet")
    client = _client(args)
    prepared = client.prepare(source, **_request_kwargs(args))
    if prepared.table_set is not None:
        raise UsageError(
            "a table set is written as one file per table: use --out FOLDER --format"
            " json|jsonl|csv|parquet, or --out FILE.sql"
        )
    request = prepared.request
    checks = OutputChecks(
        request, quality=args.quality, table=args.table or default_table_name(request)
    )
    writer = make_writer(
        fmt,
        schema=request.normalized_schema,
        table=checks.table,
        dialect=args.dialect,
        if_table_exists=args.if_table_exists,
    )
    # the data goes to stdout, so a bar on the same terminal would garble it
    with _progress(args.rows, args, show=not is_terminal(sys.stdout)) as bar:
        chunks = client.iter_chunks(
            prepared, workers=args.workers, progress=bar if bar.active else None
        )
        sys.stdout.flush()
        stream = _binary_stdout()
        write_stream(writer, checks.wrap(chunks), stream)
        stream.flush()
    _print_trace(client)
    _print_quality(checks.quality_summary())
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from synthdata_sdk.schema.report import SchemaIssue, SchemaReport

    try:
        report = _client().validate_schema(
            source_argument(args.source), strict_keywords=args.strict_keywords
        )
    except SchemaError as error:  # a missing file: reported like any other schema problem
        report = SchemaReport(False, [SchemaIssue(error.pointer, str(error))])
    if args.json:
        out(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    elif report.valid:
        out("valid")
        out_table(_plan_rows(report.plan))
        for issue in report.unknown_keywords:
            err(f"{PROG}: warning: {issue.pointer or '/'}: {issue.message}")
    else:
        out("invalid")
        for issue in report.errors:
            location = issue.pointer or "/"
            # SchemaIssue.message is str(SchemaError), which already names the pointer
            message = issue.message.removeprefix(f"schema {location}: ")
            out(f"{location}: {message}")
    if report.valid:
        return EXIT_OK
    count = len(report.errors)
    err(
        f"{PROG}: error: {args.source} is not a valid schema "
        f"({count} {'error' if count == 1 else 'errors'})"
    )
    return EXIT_USAGE


def _cmd_templates(args: argparse.Namespace) -> int:
    from synthdata_sdk.schema.templates import (
        list_bundles,
        list_templates,
        load_bundle,
        load_template,
        template_summary,
    )

    if args.name == "search":
        return _search_templates(args)
    if args.name == "resolve":
        from synthdata_sdk.cli.prompt import resolve_command

        if args.json:
            raise UsageError("templates resolve always prints JSON: leave out --json")
        return resolve_command(args.words)
    if args.words or args.json:
        raise UsageError(
            "WORDS go with 'templates search' or 'templates resolve', --json with search"
        )
    if args.name is not None:
        loaded = load_bundle(args.name) if args.name in list_bundles() else None
        out(json.dumps(loaded or load_template(args.name), indent=2, ensure_ascii=False))
        return EXIT_OK
    out_table([(name, template_summary(name)) for name in list_templates()])
    return EXIT_OK


def _search_templates(args: argparse.Namespace) -> int:
    from synthdata_sdk.schema.template_search import search

    query = " ".join(args.words)
    if not query.strip():
        raise UsageError("templates search needs WORDS, e.g. 'patients with diagnoses'")
    hits = search(query, limit=args.limit)
    if args.json:
        document = [
            {
                "name": h.name,
                "kind": h.kind,
                "score": round(h.score, 4),
                "description": h.description,
            }
            for h in hits
        ]
        out(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        out_table([(h.name, h.kind, f"{h.score:.2f}", h.description) for h in hits])
    if not hits:
        shown = query if len(query) <= 120 else f"{query[:120]}..."
        err(f"{PROG}: no template or bundle matches {shown!r}")
        return EXIT_FAILURE
    return EXIT_OK


def _cmd_fingerprint(args: argparse.Namespace) -> int:
    from synthdata_sdk.cli.prompt import source_and_rows

    prepared = _client().prepare(source_and_rows(args), **_request_kwargs(args))
    out(prepared.fingerprint)
    return EXIT_OK


# --------------------------------------------------------------------------------------------
# Field plan


def _plan_rows(node: dict[str, Any], pointer: str = "") -> list[tuple[str, ...]]:
    """(pointer, generator, semantic) for every field below ``node``, depth first."""
    rows: list[tuple[str, ...]] = []
    children: list[tuple[str, Any]] = []
    tables = node.get("tables") if not pointer else None
    if isinstance(tables, dict):  # a table set: each table's plan below /tables/<name>
        for name, plan in tables.items():
            rows.extend(_plan_rows(plan, f"/tables/{_escape(name)}"))
        return rows
    properties = node.get("properties")
    if isinstance(properties, dict):
        children += [(f"{pointer}/properties/{_escape(k)}", v) for k, v in properties.items()]
    prefix = node.get("prefixItems")
    if isinstance(prefix, list):
        children += [(f"{pointer}/prefixItems/{i}", v) for i, v in enumerate(prefix)]
    if isinstance(node.get("items"), dict):
        children.append((f"{pointer}/items", node["items"]))
    for child_pointer, child in children:
        if not isinstance(child, dict):
            continue
        generator = str(child.get("generator", "?"))
        semantic = child.get("semantic")
        rows.append((child_pointer, generator, str(semantic) if semantic else "-"))
        rows.extend(_plan_rows(child, child_pointer))
    return rows


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


# --------------------------------------------------------------------------------------------
# Output


class _TextSink:
    """A binary stream over a text stream, for a ``sys.stdout`` without ``.buffer``."""

    def __init__(self, text: TextIO) -> None:
        self._text = text
        self._pending = b""
        self.closed = False

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def write(self, data: bytes) -> int:
        joined = self._pending + bytes(data)
        # hold back an incomplete UTF-8 sequence until its continuation bytes arrive
        cut = len(joined)
        for back in range(1, min(4, len(joined)) + 1):
            byte = joined[-back]
            if byte & 0xC0 != 0x80:  # a lead or ASCII byte
                needed = 1 if byte < 0x80 else 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
                if needed > back:
                    cut = len(joined) - back
                break
        self._text.write(joined[:cut].decode("utf-8"))
        self._pending = joined[cut:]
        return len(data)

    def flush(self) -> None:
        self._text.flush()


def _binary_stdout() -> IO[bytes]:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        return buffer  # type: ignore[no-any-return]
    return _TextSink(sys.stdout)  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# Entry point


def main(argv: list[str] | None = None) -> int:
    """Run the ``synthdata`` command line and return its exit code."""
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as done:  # --help and --version
            return done.code if isinstance(done.code, int) else EXIT_OK
        handler: Handler = args.handler
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return handler(args)
    except (UsageError, SchemaError, RequestError) as error:
        return _fail(EXIT_USAGE, str(error))
    except CacheError as error:
        # a malformed lock file, URL file or fingerprint, or an unusable cache folder, is bad
        # input; a damaged or untrusted entry, or a cache another process holds, is not
        failed = isinstance(error, (CorruptCacheError, CacheBusyError))
        return _fail(EXIT_FAILURE if failed else EXIT_USAGE, str(error))
    except KeyboardInterrupt:
        err(f"{PROG}: interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (``synthdata generate ... | head``): stop quietly; pointing
        # stdout at devnull keeps the interpreter's final flush from raising again
        _silence_stdout()
        return EXIT_FAILURE
    except SynthDataError as error:
        # a cloud service that failed or refused (BackendError), a dataset not cached, a
        # compliance violation: the input was fine, so not 2
        return _fail(EXIT_FAILURE, str(error))
    except OSError as error:  # the file system or a device, not the request
        _print_traceback_if_debugging()
        where = f": {error.filename}" if error.filename is not None else ""
        return _fail(EXIT_FAILURE, f"{error.strerror or error}{where}")
    except Exception as error:
        hint = "" if _print_traceback_if_debugging() else f" (set {DEBUG_ENV}=1 for a traceback)"
        return _fail(EXIT_FAILURE, f"unexpected {type(error).__name__}: {error}{hint}")


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """synthdata's own warnings as one ``synthdata: warning: ...`` line on stderr."""
    if issubclass(category, SynthDataWarning):
        err(f"{PROG}: warning: {' '.join(str(message).split())}")
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _fail(code: int, message: str) -> int:
    one_line = " ".join(message.split())
    err(f"{PROG}: error: {one_line}")
    return code


def _print_traceback_if_debugging() -> bool:
    """Print the exception being handled when ``SYNTHDATA_DEBUG=1``; whether it did."""
    if os.environ.get(DEBUG_ENV) != "1":
        return False
    traceback.print_exc(file=sys.stderr)
    return True


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
