"""``synthdata backend``: the deployed backend's interface documents, and a local stack.

``openapi`` prints the Bedrock agent action group's OpenAPI document and ``tool-schema``
the AgentCore gateway target's tool definitions, both generated from the action functions'
routes and models (``synthdata_sdk.cloud``). The copies under ``infra/schemas/`` are these
outputs; a test fails when they drift. ``serve`` runs the local stack
(``synthdata_sdk.cloud.local``) on 127.0.0.1 until Ctrl-C or SIGTERM. ``package`` builds the
action function's deployment zips (``synthdata_sdk.packaging``), and needs no extra. The
cloud package is imported only when a command runs, so the rest of the CLI never loads
powertools or boto3; without the ``aws`` extra (or, for ``serve``, ``aws-local``) the command
exits with 2 and says what to install.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

from synthdata_sdk.backends import AWS_HINT, LOCAL_HINT, import_cloud
from synthdata_sdk.cli.common import EXIT_OK, UsageError, err, integer, out
from synthdata_sdk.packaging.lambda_package import DEFAULT_OUT as DEFAULT_PACKAGE_OUT

__all__ = ["add_backend_command"]

#: the modules the aws-local extra adds (moto's server)
_LOCAL_MODULES = frozenset({"moto", "werkzeug", "flask", "flask_cors"})


def add_backend_command(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``backend`` and its subcommands to the ``synthdata`` subcommands."""
    backend = commands.add_parser(
        "backend",
        help="the cloud backend's interface documents, local stack and deployment package",
        description="Print the documents that describe the deployed action functions, run "
        "the local stack, or build the function's deployment package.",
        epilog=f"Exit codes: 0 success, 2 the aws extra is missing ({AWS_HINT}; package "
        "needs no extra).",
    )
    actions = backend.add_subparsers(dest="backend_command", metavar="SUBCOMMAND", required=True)
    openapi = actions.add_parser(
        "openapi",
        help="print the agent action group's OpenAPI document",
        description="Print the OpenAPI document of the Bedrock agent action group, as JSON.",
    )
    openapi.set_defaults(handler=_cmd_openapi)
    tools = actions.add_parser(
        "tool-schema",
        help="print the AgentCore gateway target's tool schema",
        description="Print the MCP tool definitions of the AgentCore gateway's Lambda target.",
    )
    tools.set_defaults(handler=_cmd_tool_schema)
    serve = actions.add_parser(
        "serve",
        help="run the local stack: S3, DynamoDB, KMS, Lambda and InvokeAgent on 127.0.0.1",
        description="Serve S3, DynamoDB and KMS (moto) and the Lambda Invoke and Bedrock "
        "InvokeAgent APIs (over the action functions, in this process) at one endpoint on "
        "127.0.0.1, with the bucket, history table and KMS keys made; print their names, "
        "then a 'ready at URL' line, and run until Ctrl-C or SIGTERM. State is in memory.",
        epilog=f"Exit codes: 0 stopped, 2 bad input or the aws-local extra is missing "
        f"({LOCAL_HINT}).",
    )
    serve.add_argument(
        "--port",
        type=integer(0),
        default=4570,
        metavar="P",
        help="port on 127.0.0.1 (default: 4570; 0: a free one, printed)",
    )
    serve.add_argument(
        "--data-dir",
        type=Path,
        metavar="D",
        help="folder to write the settings to (D/stack.json, removed at stop); the stack's "
        "data itself stays in memory",
    )
    serve.add_argument("--bucket", default="synthdata-local", help="dataset bucket to create")
    serve.add_argument("--prefix", default="synthdata", help="key prefix of the datasets")
    serve.add_argument("--region", default="us-east-1", help="region of every resource")
    serve.set_defaults(handler=_cmd_serve)
    package = actions.add_parser(
        "package",
        help="build the action function's deployment zips (function.zip, layer.zip)",
        description="Write function.zip (the entry point, synthdata_lambda.handler), "
        "layer.zip (python/synthdata_sdk from the installed package and, with "
        "--with-dependencies, its runtime dependencies for Lambda: CPython 3.11, "
        "manylinux2014 x86_64, without the AWS SDK the runtime has) and package.json (each "
        "zip's size and sha256, hex and base64 as Terraform's filebase64sha256, and the "
        "template files) into DIR. "
        "The build is reproducible: sorted entries, fixed dates (SOURCE_DATE_EPOCH if set, "
        "else 1980-01-01) and modes, so the same files give the same sha256.",
        epilog="Exit codes: 0 built, 1 pip failed or a file could not be read, 2 bad input "
        "(DIR or a file in it is a link or not a regular file, a missing --wheel-dir, a bad "
        "SOURCE_DATE_EPOCH).",
    )
    package.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_PACKAGE_OUT,
        metavar="DIR",
        help=f"folder to write into, made if missing (default: {DEFAULT_PACKAGE_OUT})",
    )
    package.add_argument(
        "--with-dependencies",
        action="store_true",
        help="also install the runtime dependencies into the layer with pip (what a "
        "deployment needs; needs their wheels from the index or --wheel-dir)",
    )
    package.add_argument(
        "--wheel-dir",
        type=Path,
        metavar="DIR",
        help="install the dependencies from the wheels in DIR only, without an index",
    )
    package.set_defaults(handler=_cmd_package)


def _cmd_openapi(args: argparse.Namespace) -> int:
    _print(_cloud("agent").openapi_document())
    return EXIT_OK


def _cmd_tool_schema(args: argparse.Namespace) -> int:
    _print(_cloud("gateway").tool_schema())
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    stack_module = _cloud("local.stack", _LOCAL_MODULES, LOCAL_HINT)
    stack = stack_module.LocalStack(
        args.port,
        region=args.region,
        bucket=args.bucket,
        prefix=args.prefix,
        data_dir=args.data_dir,
        log_requests=True,
    )
    stopping = threading.Event()
    previous = _on_stop_signals(stopping)
    try:
        settings = stack.start()
        out("synthdata local stack: S3, DynamoDB, KMS, Lambda and InvokeAgent; state in memory")
        for name, value in settings.as_dict().items():
            out(f"{name:<24}{value}")
        if args.data_dir is not None:
            out(f"settings written to {args.data_dir / 'stack.json'}")
        out(f"ready at {settings.endpoint_url} (SYNTHDATA_ENDPOINT_URL; Ctrl-C stops it)")
        sys.stdout.flush()
        stopping.wait()
    finally:
        stack.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    err("synthdata backend serve: stopped")
    return EXIT_OK


def _cmd_package(args: argparse.Namespace) -> int:
    from synthdata_sdk.packaging import build_package

    if args.wheel_dir is not None and not args.with_dependencies:
        raise UsageError("--wheel-dir is only used with --with-dependencies")
    built = build_package(
        args.out, with_dependencies=args.with_dependencies, wheel_dir=args.wheel_dir
    )
    for made in (built.function_zip, built.layer_zip):
        out(f"{made.path}  {made.size:,} bytes  sha256 {made.sha256}")
    if built.dependencies:
        out(f"dependencies in the layer: {', '.join(built.dependencies)}")
    else:
        out("dependencies in the layer: none (--with-dependencies adds them)")
    out(f"hashes and template files: {built.manifest}")
    return EXIT_OK


def _on_stop_signals(stopping: threading.Event) -> dict[int, Any]:
    """Make SIGINT and SIGTERM set ``stopping`` (in the main thread); the handlers before."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def stop(number: int, frame: object) -> None:
        stopping.set()

    return {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}


def _print(document: object) -> None:
    out(json.dumps(document, indent=2, ensure_ascii=False))


def _cloud(module: str, extra: frozenset[str] = frozenset(), hint: str = AWS_HINT) -> ModuleType:
    """``synthdata_sdk.cloud.<module>``, or an error saying which extra to install (``hint``)
    when it or one of the ``extra`` modules is missing."""
    return import_cloud(module, "synthdata backend", extra_modules=extra, hint=hint)
