"""Type checks of the SDK's request arguments, so a wrong type is a ``RequestError``.

Python would otherwise fail deep inside (``'int' object is not iterable`` for
``compliance=5``, ``'int' object is not callable`` for ``progress=5``); each check here
names the argument, what it got and what it takes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from synthdata_sdk.errors import RequestError


def check_int(name: str, value: Any) -> int:
    """``value`` if it is an int (not a bool), else RequestError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestError(f"{name} must be an integer, got {value!r}")
    return value


def check_bool(name: str, value: Any) -> bool:
    """``value`` if it is True or False, else RequestError."""
    if not isinstance(value, bool):
        raise RequestError(f"{name} must be True or False, got {value!r}")
    return value


def check_str(name: str, value: Any, *, optional: bool = False) -> Any:
    """``value`` if it is a string (or None when ``optional``), else RequestError."""
    if value is None and optional:
        return value
    if not isinstance(value, str):
        expected = "a string or None" if optional else "a string"
        raise RequestError(f"{name} must be {expected}, got {value!r}")
    return value


def check_path(name: str, value: Any, *, optional: bool = False) -> Any:
    """``value`` if it is a str or path-like (or None when ``optional``), else RequestError."""
    if value is None and optional:
        return value
    if not isinstance(value, (str, os.PathLike)):
        raise RequestError(f"{name} must be a path (str or pathlib.Path), got {value!r}")
    return Path(value)


def check_callable(name: str, value: Any) -> Callable[..., Any] | None:
    """``value`` if it is None or callable, else RequestError."""
    if value is not None and not callable(value):
        raise RequestError(f"{name} must be a function or None, got {value!r}")
    return cast("Callable[..., Any] | None", value)
