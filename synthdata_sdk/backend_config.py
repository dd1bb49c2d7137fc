"""Which backend generates, and how to reach it: one resolution for the client and the CLI.

Each setting the chosen backend uses is taken from the first place that has it:

1. an argument (``SynthDataClient(function_name=...)``, ``synthdata generate --function-name``);
2. ``[tool.synthdata]`` in the nearest ``pyproject.toml``, from the working folder upwards;
3. the environment (``SYNTHDATA_FUNCTION_NAME``...; an empty variable counts as unset);
4. the default.

This is the plugin's order too (command line, then the ini file, then the environment): the
project's own file is what its users agreed on, the environment a fallback for machines
without one, and an argument or option the one-off override.

``backend`` is resolved first; the local backend uses no other setting, so none is read or
checked for it. Every value is checked here, and a wrong one is a ``BackendConfigError``
naming where it came from (the argument, the variable or the file) and what fits. This
module imports nothing from the cloud package: the core decides configuration, ``cloud/``
acts on it.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from synthdata_sdk.errors import BackendConfigError
from synthdata_sdk.suggest import did_you_mean

#: the backends this release can run
BACKENDS = ("local", "lambda", "agent")
DEFAULT_PREFIX = "synthdata"
PYPROJECT = "pyproject.toml"
TABLE = "[tool.synthdata]"

#: an S3 bucket name (the rules for new buckets, dots allowed but never two in a row)
BUCKET_PATTERN = re.compile(r"(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
#: a Lambda function (at most 170 characters): its name, a partial ARN or an ARN, with an
#: optional version or alias
_FUNCTION = re.compile(
    r"(?=.{1,170}\Z)(arn:aws[a-zA-Z-]*:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d:)?(\d{12}:)?"
    r"(function:)?[a-zA-Z0-9_-]{1,64}(:(\$LATEST|[a-zA-Z0-9_-]+))?"
)
_AGENT_ID = re.compile(r"[0-9A-Za-z]{1,10}")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def check_backend(value: object) -> str:
    """``backend``: one of ``BACKENDS``."""
    text = _string(value)
    if text not in BACKENDS:
        raise ValueError(
            f"unknown backend {text!r}{did_you_mean(text, BACKENDS)}; expected one of "
            f"{', '.join(BACKENDS)}"
        )
    return text


def _matching(pattern: re.Pattern[str], expected: str) -> Callable[[object], str]:
    """A check of strings that ``pattern`` matches whole; the message says ``expected``."""

    def check(value: object) -> str:
        text = _string(value)
        if not pattern.fullmatch(text):
            raise ValueError(f"expected {expected}, got {text!r}")
        return text

    return check


#: ``function_name``: a Lambda function's name or ARN, optionally with a version or alias
check_function_name = _matching(
    _FUNCTION, "a Lambda function name such as 'synthdata-actions' or its ARN"
)
#: ``agent_id`` and ``agent_alias_id``: 1 to 10 letters and digits, as Bedrock makes them
check_agent_id = _matching(_AGENT_ID, "1 to 10 letters and digits such as 'AB12CD34EF'")
#: ``region``: an AWS region name
check_region = _matching(_REGION, "an AWS region such as 'eu-west-1'")
#: ``bucket``: an S3 bucket name
check_bucket = _matching(
    BUCKET_PATTERN, "an S3 bucket name (3 to 63 lowercase letters, digits, '.' or '-')"
)


def check_endpoint_url(value: object) -> str:
    """``endpoint_url``: an ``http://`` or ``https://`` URL with a host."""
    text = _string(value)
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"expected a URL such as 'http://127.0.0.1:4566', got {text!r}")
    return text


def clean_prefix(prefix: object) -> str:
    """``prefix``: a key prefix without surrounding slashes; no empty, ``.`` or ``..`` parts."""
    text = _string(prefix)
    stripped = text.strip("/")
    if not stripped:
        return ""
    if any(part in ("", ".", "..") for part in stripped.split("/")) or len(stripped) > 512:
        raise ValueError(
            f"expected names separated by single '/', without '.' or '..', at most 512 "
            f"characters, got {text!r}"
        )
    return stripped


def check_trace(value: object) -> bool:
    """``trace``: True or False (in the environment: 1/0, true/false, yes/no, on/off)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"expected true or false, got {value!r}")


@dataclass(frozen=True)
class Setting:
    """One setting: its key, environment variable, command-line flag, check and default."""

    key: str
    check: Callable[[object], Any]
    default: Any = None
    #: what the setting is, for messages
    what: str = ""

    @property
    def env(self) -> str:
        """The environment variable, ``SYNTHDATA_<KEY>``."""
        return f"SYNTHDATA_{self.key.upper()}"

    @property
    def flag(self) -> str:
        """The command-line flag, ``--<key with dashes>``."""
        return "--" + self.key.replace("_", "-")


SETTINGS: dict[str, Setting] = {
    setting.key: setting
    for setting in (
        Setting("backend", check_backend, "local", "the backend that generates"),
        Setting("function_name", check_function_name, what="the action function's name or ARN"),
        Setting("agent_id", check_agent_id, what="the Bedrock agent's id"),
        Setting("agent_alias_id", check_agent_id, what="the agent alias's id"),
        Setting("endpoint_url", check_endpoint_url, what="one endpoint URL for every service"),
        Setting("region", check_region, what="the AWS region"),
        Setting("bucket", check_bucket, what="the dataset bucket"),
        Setting("prefix", clean_prefix, DEFAULT_PREFIX, "the key prefix in the bucket"),
        Setting("trace", check_trace, False, "whether the agent sends its trace"),
    )
}
_OPTIONAL = ("endpoint_url", "region", "prefix")
#: the settings each backend uses; the first ones it cannot do without
USES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "local": ((), ()),
    "lambda": (("function_name", "bucket"), _OPTIONAL),
    "agent": (("agent_id", "agent_alias_id", "bucket"), (*_OPTIONAL, "trace")),
}


@dataclass(frozen=True)
class BackendConfig:
    """The resolved settings; ``origins`` says where each one came from."""

    backend: str = "local"
    function_name: str | None = None
    agent_id: str | None = None
    agent_alias_id: str | None = None
    endpoint_url: str | None = None
    region: str | None = None
    bucket: str | None = None
    prefix: str = DEFAULT_PREFIX
    trace: bool = False
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)


def resolve_config(
    arguments: Mapping[str, object] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    start: Path | None = None,
    flags: bool = False,
    flag_prefix: str = "--",
) -> BackendConfig:
    """The settings from ``arguments`` (None values are unset), ``environ`` (default: the
    process's) and the nearest ``pyproject.toml`` from ``start`` (default: the working folder)
    upwards. ``flags``: name arguments by their command-line flags in messages;
    ``flag_prefix``: how the caller's flags begin (the plugin's are ``--synthdata-``).
    """
    given = dict(arguments or {})
    for key in given:
        if key not in SETTINGS:
            raise BackendConfigError(
                str(key),
                "",
                f"unknown backend setting {key!r}{did_you_mean(str(key), SETTINGS)}; "
                f"expected any of {', '.join(SETTINGS)}",
            )
    sources = _Sources(
        {key: value for key, value in given.items() if value is not None},
        os.environ if environ is None else environ,
        Path.cwd() if start is None else start,
        flags,
    )
    backend = sources.value("backend")
    required, optional = USES[backend]
    values: dict[str, Any] = {"backend": backend}
    for key in (*required, *optional):
        values[key] = sources.value(key)
    for key in required:
        if values[key] is None:
            raise _missing(key, backend, sources.origins["backend"], flag_prefix)
    return BackendConfig(**values, origins=MappingProxyType(dict(sources.origins)))


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start`` or a folder above it."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / PYPROJECT
        if path.is_file():
            return path
    return None


def read_pyproject(path: Path) -> dict[str, Any]:
    """The checked settings of ``path``'s ``[tool.synthdata]`` table (empty without one)."""
    where = f"{path} {TABLE}"
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise BackendConfigError("", str(path), f"cannot be read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise BackendConfigError("", str(path), f"is not valid TOML: {error}") from None
    tool = document.get("tool")
    table = tool.get("synthdata", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise BackendConfigError("", where, "expected a table of settings")
    checked: dict[str, Any] = {}
    # the whole table is checked, so a mistake in it shows even where an argument wins
    for key, value in table.items():
        if key not in SETTINGS:
            raise BackendConfigError(
                key,
                where,
                f"unknown key {key!r}{did_you_mean(key, SETTINGS)}; expected any of "
                f"{', '.join(SETTINGS)}",
            )
        try:
            checked[key] = SETTINGS[key].check(value)
        except ValueError as error:
            raise BackendConfigError(key, f"{where} {key}", str(error)) from None
    return checked


class _Sources:
    """The three places a setting may come from, the file read only when it is needed."""

    def __init__(
        self, arguments: dict[str, object], environ: Mapping[str, str], start: Path, flags: bool
    ) -> None:
        self.arguments = arguments
        self.environ = environ
        self.start = start
        self.flags = flags
        self.origins: dict[str, str] = {}
        self._file: tuple[Path | None, dict[str, Any]] | None = None

    def value(self, key: str) -> Any:
        """The checked value of ``key`` from the first place that has it, else its default."""
        setting = SETTINGS[key]
        found = self._find(setting)
        if found is None:
            self.origins[key] = "default"
            return setting.default
        origin, raw = found
        try:
            value = setting.check(raw)
        except ValueError as error:
            raise BackendConfigError(key, origin, str(error)) from None
        self.origins[key] = origin
        return value

    def _find(self, setting: Setting) -> tuple[str, object] | None:
        # the precedence: arguments, then pyproject.toml, then the environment
        if setting.key in self.arguments:
            name = setting.flag if self.flags else f"argument {setting.key}"
            return name, self.arguments[setting.key]
        path, table = self._pyproject()
        if setting.key in table:
            return f"{path} {TABLE} {setting.key}", table[setting.key]
        text = self.environ.get(setting.env, "")
        if text.strip():
            return setting.env, text.strip()
        return None

    def _pyproject(self) -> tuple[Path | None, dict[str, Any]]:
        if self._file is None:
            path = find_pyproject(self.start)
            self._file = (path, read_pyproject(path) if path is not None else {})
        return self._file


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r} ({type(value).__name__})")
    return value


def _missing(key: str, backend: str, origin: str, flag_prefix: str) -> BackendConfigError:
    setting = SETTINGS[key]
    chosen = f" (chosen by {origin})" if origin != "argument backend" else ""
    flag = flag_prefix + key.replace("_", "-")
    return BackendConfigError(
        key,
        "",
        f"the {backend} backend{chosen} needs {key}, {setting.what}: pass {key}=... "
        f'(on the command line {flag}), set {setting.env}, or add {key} = "..." '
        f"to {TABLE} in {PYPROJECT}",
    )
