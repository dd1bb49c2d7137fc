"""Where a setting comes from: the command line, then the ini file, then the environment.

One precedence for every option with twins (command line > ini > environment > default, as
``--synthdata-cache-dir`` has always had it): a committed ini file describes the project, the
environment the machine, and the command line this run. Each lookup returns the value and the
name of the place that gave it, for messages.
"""

from __future__ import annotations

import os

import pytest

from synthdata_sdk.cache.defaults import env_flag


def text_setting(config: pytest.Config, name: str, env: str) -> tuple[str | None, str]:
    """A text option ``--name`` (dest ``name``), its ini twin ``name`` and ``$env``: the first
    one set to something other than blanks, with where it came from (``None, ""`` if none)."""
    option = config.getoption(name)
    if option is not None and str(option).strip():
        return str(option).strip(), "--" + name.replace("_", "-")
    ini = config.getini(name)
    if ini is not None and str(ini).strip():
        return str(ini).strip(), f"ini option {name}"
    value = os.environ.get(env, "").strip()
    if value:
        return value, f"${env}"
    return None, ""


def flag_setting(config: pytest.Config, name: str, env: str) -> bool:
    """A flag ``--name`` (store_true, default None), its bool ini twin (default None) and
    ``$env`` (1/true/yes/on or 0/false/no/off): the first one set."""
    option = config.getoption(name)
    if option is not None:
        return bool(option)
    ini = config.getini(name)
    if ini is not None:
        return bool(ini)
    try:
        return env_flag(env)
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
