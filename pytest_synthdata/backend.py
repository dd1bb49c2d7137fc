"""The backend the plugin generates with: its options, their ini twins, and the client.

Each backend setting (``synthdata_sdk.backend_config.SETTINGS``) has an option
``--synthdata-<setting>`` and an ini twin ``synthdata_<setting>``, but ``trace``: the flag
``--synthdata-agent-trace`` (ini ``synthdata_agent_trace``), since only the agent has one. The one that is set is
passed to ``resolve_config`` as an argument, with the rootdir as the project folder, so the
precedence is the SDK's with the plugin's two places in front: command line, then ini file,
then ``[tool.synthdata]`` in ``pyproject.toml``, then ``SYNTHDATA_*`` in the environment,
then the default. A bad or missing value stops the run with one line before any test.

Offline, a remote backend is never built: cached datasets are still served, and generating
one is an error that says why, without a connection being tried.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from synthdata_sdk.backend_config import BACKENDS, SETTINGS, BackendConfig, resolve_config
from synthdata_sdk.errors import BackendConfigError

if TYPE_CHECKING:
    from synthdata_sdk import SynthDataClient

#: the backend settings the plugin takes as text; ``trace`` is a flag (``TRACE_OPTION``)
PLUGIN_SETTINGS = (
    "backend",
    "function_name",
    "agent_id",
    "agent_alias_id",
    "endpoint_url",
    "region",
    "bucket",
    "prefix",
)
#: the flag of the ``trace`` setting: the agent's alone, so named for it
TRACE_OPTION = "--synthdata-agent-trace"
TRACE_NAME = "synthdata_agent_trace"


def option_name(key: str) -> str:
    """``--synthdata-function-name`` for ``function_name``."""
    return "--synthdata-" + key.replace("_", "-")


def add_backend_options(group: pytest.OptionGroup, parser: pytest.Parser) -> None:
    """``--synthdata-backend`` and the settings of the remote backends, with ini twins."""
    for key in PLUGIN_SETTINGS:
        setting = SETTINGS[key]
        choices = f" ({'|'.join(BACKENDS)})" if key == "backend" else ""
        group.addoption(
            option_name(key),
            default=None,
            dest=f"synthdata_{key}",
            metavar=key.upper(),
            help=f"{setting.what}{choices} (default: ini synthdata_{key}, then "
            f"[tool.synthdata] {key} in pyproject.toml, then ${setting.env}).",
        )
        parser.addini(f"synthdata_{key}", f"default for {option_name(key)}", default=None)
    trace = SETTINGS["trace"]
    group.addoption(
        TRACE_OPTION,
        action="store_true",
        default=None,
        dest=TRACE_NAME,
        help="agent backend: ask the agent for its trace and attach the events of each "
        f"dataset generated to the report of the test that asked for it (default: ini "
        f"{TRACE_NAME}, then [tool.synthdata] trace in pyproject.toml, then ${trace.env}).",
    )
    parser.addini(TRACE_NAME, f"default for {TRACE_OPTION}", type="bool", default=None)


def resolve_backend(config: pytest.Config) -> BackendConfig:
    """The backend settings of this session, checked; a UsageError names what is wrong."""
    arguments: dict[str, object] = {}
    named: dict[str, str] = {}
    for key in PLUGIN_SETTINGS:
        name = f"synthdata_{key}"
        option = config.getoption(name)
        ini = config.getini(name)
        if option is not None and str(option).strip():
            arguments[key], named[key] = str(option).strip(), option_name(key)
        elif ini is not None and str(ini).strip():
            arguments[key], named[key] = str(ini).strip(), f"ini option {name}"
    # A flag: set on the command line, else in the ini file (a bool there), else not given.
    flag, ini_flag = config.getoption(TRACE_NAME), config.getini(TRACE_NAME)
    if flag is not None:
        arguments["trace"], named["trace"] = bool(flag), TRACE_OPTION
    elif ini_flag is not None:
        arguments["trace"], named["trace"] = bool(ini_flag), f"ini option {TRACE_NAME}"
    try:
        return resolve_config(arguments, start=config.rootpath, flag_prefix="--synthdata-")
    except BackendConfigError as error:
        # "argument bucket: ..." names the option or ini line the value came from instead
        message = str(error)
        if error.key in named and error.origin == f"argument {error.key}":
            message = f"{named[error.key]}: {message.partition(': ')[2]}"
        raise pytest.UsageError(f"synthdata: {message}") from None


def open_client(settings: BackendConfig, *, offline: bool, project_dir: Path) -> SynthDataClient:
    """The client of ``settings``; offline, a remote backend's client refuses to generate."""
    from synthdata_sdk import SynthDataClient

    if settings.backend == "local":
        return SynthDataClient(backend="local", project_dir=project_dir)
    if offline:
        return _offline_client(settings.backend, project_dir)
    arguments: dict[str, Any] = {
        key: getattr(settings, key) for key in PLUGIN_SETTINGS if getattr(settings, key) is not None
    }
    if settings.trace:
        arguments["trace"] = True
    return SynthDataClient(**arguments, project_dir=project_dir)


def describe_backend(settings: BackendConfig) -> str:
    """``backend agent (agent A1, alias B2, trace)``: the backend and what it calls, for the
    header (``backend local`` for the local one)."""
    ids: list[str] = []
    if settings.backend == "lambda":
        ids.append(f"function {settings.function_name}")
    elif settings.backend == "agent":
        ids += [f"agent {settings.agent_id}", f"alias {settings.agent_alias_id}"]
        if settings.trace:
            ids.append("trace")
    return f"backend {settings.backend}" + (f" ({', '.join(ids)})" if ids else "")


def _offline_client(backend: str, project_dir: Path) -> SynthDataClient:
    """A client that prepares requests as every backend does, and refuses to generate."""
    from synthdata_sdk import SynthDataClient
    from synthdata_sdk.errors import RequestError

    class OfflineClient(SynthDataClient):
        def generate_prepared(self, prepared: Any, **options: Any) -> Any:
            raise RequestError(
                f"the {backend} backend needs the network and this run is offline "
                "(--synthdata-offline or $SYNTHDATA_OFFLINE): only cached datasets are served. "
                "Record this one without --synthdata-offline, or pull it into the local cache"
            )

    client = OfflineClient(backend="local", project_dir=project_dir)
    client.backend = backend
    return client
