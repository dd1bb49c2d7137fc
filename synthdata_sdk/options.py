"""The request options: one home for their defaults, checks and messages.

Every way in (the pytest marker, ``SynthDataClient``, the ``synthdata`` command and the
request model) declares ``rows``, ``seed``, ``locale``, ``compliance`` and ``name`` through
this module, so a default or a rule changes in one place and every caller gives the same
message for the same mistake. It imports nothing heavy: the plugin checks markers with it
at collection time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from synthdata_sdk.errors import RequestError
from synthdata_sdk.suggest import did_you_mean

DEFAULT_ROWS = 100
DEFAULT_SEED = 0
DEFAULT_LOCALE = "en_US"
#: the largest dataset one request may ask for
MAX_ROWS = 100_000_000
#: seeds are unsigned 63-bit integers, so they fit every platform's signed 64-bit integer
MAX_SEED = 2**63 - 1
#: the locales whose pools the engine ships
SUPPORTED_LOCALES: tuple[str, ...] = ("en_US", "en_GB", "de_DE", "fr_FR")
#: compliance profiles a request may name
PROFILE_NAMES: tuple[str, ...] = ("gdpr", "hipaa", "pci_dss")


class OptionError(RequestError):
    """One request option is wrong; ``option`` names it and the message says what fits."""

    def __init__(self, option: str, message: str) -> None:
        self.option = option
        self.detail = message
        super().__init__(f"{option}: {message}")


def check_rows(value: object) -> int:
    """``rows``: an integer from 0 to ``MAX_ROWS``."""
    return _bounded_int("rows", value, MAX_ROWS)


def check_seed(value: object) -> int:
    """``seed``: an integer from 0 to ``MAX_SEED``."""
    return _bounded_int("seed", value, MAX_SEED)


def check_locale(value: object) -> str:
    """``locale``: one of ``SUPPORTED_LOCALES``, with a "did you mean" for a near miss."""
    if not isinstance(value, str):
        raise OptionError("locale", f"expected a string such as {DEFAULT_LOCALE!r}, got {value!r}")
    if value not in SUPPORTED_LOCALES:
        # de-DE and en_us are common spellings of de_DE and en_US
        folded = [known for known in SUPPORTED_LOCALES if _fold(known) == _fold(value)]
        hint = (
            f" (did you mean {folded[0]!r}?)" if folded else did_you_mean(value, SUPPORTED_LOCALES)
        )
        raise OptionError(
            "locale",
            f"unknown locale {value!r}{hint}; expected one of {', '.join(SUPPORTED_LOCALES)}",
        )
    return value


def check_profiles(value: object) -> tuple[str, ...]:
    """``compliance``: profile names, sorted and de-duplicated.

    A string names one profile or several separated by commas (``"gdpr,hipaa"``), as on
    the command line; any other iterable of strings is taken as the names.
    """
    if isinstance(value, str):
        names: list[object] = [part.strip() for part in value.split(",") if part.strip()]
    elif isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        names = list(value)
    else:
        raise OptionError(
            "compliance",
            f"expected profile names such as ('gdpr',) or 'gdpr,hipaa', got {value!r}",
        )
    for name in names:
        if not isinstance(name, str):
            raise OptionError("compliance", f"profile names are strings, got {name!r}")
        if name not in PROFILE_NAMES:
            raise OptionError(
                "compliance",
                f"unknown compliance profile {name!r}{did_you_mean(name, PROFILE_NAMES)}; "
                f"expected any of {', '.join(PROFILE_NAMES)}",
            )
    return tuple(sorted({str(name) for name in names}))


def check_name(value: object) -> str | None:
    """``name``: a non-empty string naming the dataset, or None."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise OptionError("name", f"expected a non-empty string or None, got {value!r}")
    return value


@dataclass(frozen=True)
class RequestOptions:
    """The options of one dataset request, each checked by its ``check_*`` function."""

    rows: int = DEFAULT_ROWS
    seed: int = DEFAULT_SEED
    locale: str = DEFAULT_LOCALE
    compliance: tuple[str, ...] = ()
    name: str | None = None

    def __post_init__(self) -> None:
        # frozen: checked values are written back through object.__setattr__
        for option, check in _CHECKS.items():
            object.__setattr__(self, option, check(getattr(self, option)))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> RequestOptions:
        """Options from keyword arguments; an unknown key is an ``OptionError`` naming it."""
        for key in values:
            if key not in _CHECKS:
                raise OptionError(
                    str(key),
                    f"unknown option{did_you_mean(str(key), list(_CHECKS))}; "
                    f"expected any of {', '.join(_CHECKS)}",
                )
        return cls(**values)

    def fingerprinted(self) -> dict[str, Any]:
        """The options the request fingerprint covers (``name`` only labels the dataset)."""
        return {
            "rows": self.rows,
            "seed": self.seed,
            "locale": self.locale,
            "compliance": list(self.compliance),
        }


_CHECKS = {
    "rows": check_rows,
    "seed": check_seed,
    "locale": check_locale,
    "compliance": check_profiles,
    "name": check_name,
}
assert list(_CHECKS) == [f.name for f in fields(RequestOptions)]


def _bounded_int(option: str, value: object, maximum: int) -> int:
    # bool is an int subclass; rows=True is a mistake, not 1
    if isinstance(value, bool) or not isinstance(value, int):
        raise OptionError(option, f"expected an integer from 0 to {maximum:,}, got {value!r}")
    if not 0 <= value <= maximum:
        raise OptionError(option, f"expected an integer from 0 to {maximum:,}, got {value:,}")
    return value


def _fold(locale: str) -> str:
    return locale.lower().replace("-", "_")
