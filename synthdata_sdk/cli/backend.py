"""``synthdata backend``: the deployed backend's interface documents, generated from the code.

``openapi`` prints the Bedrock agent action group's OpenAPI document and ``tool-schema``
the AgentCore gateway target's tool definitions, both generated from the action functions'
routes and models (``synthdata_sdk.cloud``). The copies under ``infra/schemas/`` are these
outputs; a test fails when they drift. The cloud package is imported only when a command
runs, so the rest of the CLI never loads powertools or boto3; without the ``aws`` extra the
command exits with 2 and says what to install.
"""

from __future__ import annotations

import argparse
import json
from types import ModuleType
from typing import Any

from synthdata_sdk.backends import AWS_HINT, import_cloud
from synthdata_sdk.cli.common import EXIT_OK, out

__all__ = ["add_backend_command"]


def add_backend_command(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``backend`` and its subcommands to the ``synthdata`` subcommands."""
    backend = commands.add_parser(
        "backend",
        help="the cloud backend's interface documents (needs the aws extra)",
        description="Print the documents that describe the deployed action functions.",
        epilog=f"Exit codes: 0 success, 2 the aws extra is missing ({AWS_HINT}).",
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


def _cmd_openapi(args: argparse.Namespace) -> int:
    _print(_cloud("agent").openapi_document())
    return EXIT_OK


def _cmd_tool_schema(args: argparse.Namespace) -> int:
    _print(_cloud("gateway").tool_schema())
    return EXIT_OK


def _print(document: object) -> None:
    out(json.dumps(document, indent=2, ensure_ascii=False))


def _cloud(module: str) -> ModuleType:
    """``synthdata_sdk.cloud.<module>``, or an error saying to install the aws extra."""
    return import_cloud(module, "synthdata backend")
