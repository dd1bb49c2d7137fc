"""``--backend`` and the settings of the remote backends, for the commands that generate.

Each option defaults to unset, so the environment (``SYNTHDATA_BACKEND``...) and
``[tool.synthdata]`` in pyproject.toml apply when it is left out, in the precedence
``synthdata_sdk.backend_config`` implements for the client too; the backend is ``local``
when nothing names one.
"""

from __future__ import annotations

import argparse
from typing import Any

from synthdata_sdk.backend_config import BACKENDS, SETTINGS

__all__ = ["add_backend_options", "backend_settings"]

_METAVARS = {
    "function_name": "NAME",
    "agent_id": "ID",
    "agent_alias_id": "ID",
    "endpoint_url": "URL",
    "region": "REGION",
    "bucket": "BUCKET",
    "prefix": "PREFIX",
}


def add_backend_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--backend``, ``--function-name``... ``--trace`` to ``parser``."""
    group = parser.add_argument_group(
        "backend",
        "where the records are generated (each option also comes from SYNTHDATA_<OPTION> or "
        "[tool.synthdata] in pyproject.toml; see docs/aws.md)",
    )
    group.add_argument(
        "--backend",
        choices=BACKENDS,
        default=None,
        help="local (in this process, the default), lambda (the deployed action function) "
        "or agent (a Bedrock agent)",
    )
    for key, metavar in _METAVARS.items():
        setting = SETTINGS[key]
        group.add_argument(setting.flag, metavar=metavar, default=None, help=setting.what)
    group.add_argument(
        "--trace",
        action="store_true",
        default=None,
        help="agent: ask for the agent's trace and print its events on stderr",
    )


def backend_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The backend settings given on the command line (None: not given)."""
    return {key: getattr(args, key) for key in SETTINGS}
