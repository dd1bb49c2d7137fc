"""JSON Schemas for the pydantic field types whose own JSON Schema says less than they check.

pydantic writes ``PastDate`` as ``format: date``, ``NaiveDatetime`` as ``format: date-time``
(which requires an offset), ``IPvAnyAddress`` as ``format: ipvanyaddress`` (a format no
validator knows, so any string), a ``PostgresDsn`` as any URI. What the model checks is in
its core schema (``now_op``, ``tz_constraint``, ``allowed_schemes``, the UUID version, the
validator's class); each function here reads it and gives a schema whose values the model
accepts, fixed whatever the day, or a :class:`RefusedTypeError` naming the type. The windows:

- past dates and datetimes: 1970-01-01 to 1999-12-31; future ones: 2100-01-01 to
  2199-12-31 (past, or future, on any day a test runs this century);
- a date or datetime bounded by ``gt``/``ge``/``lt``/``le``: the bounds within 1970-2035
  (the engine's dates), or ten years from a bound outside it; a datetime's bounds are kept
  to whole days away, so any time and offset of a day in the range is within them;
- ``NaiveDatetime``: no offset; a datetime with a required offset (``AwareDatetime``,
  ``TzInfo`` constraints): ``Z``, or the fixed offset asked for;
- IP networks and interfaces: the documentation networks (RFC 5737, RFC 3849), as for
  ``ipv4``/``ipv6`` addresses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from synthdata_sdk.schema.date_patterns import TIME_PATTERN, date_pattern

#: the dates every plain ``date``/``date-time`` is drawn from (nodes/strings.py)
ENGINE_DATES = (dt.date(1970, 1, 1), dt.date(2035, 12, 31))
#: where ``PastDate``/``PastDatetime`` values come from: past on any day after 1999
PAST_DATES = (dt.date(1970, 1, 1), dt.date(1999, 12, 31))
#: where ``FutureDate``/``FutureDatetime`` values come from: future on any day before 2100
FUTURE_DATES = (dt.date(2100, 1, 1), dt.date(2199, 12, 31))
#: the span from a bound when the other side is open and the engine's dates are out of range
_OPEN_SPAN = dt.timedelta(days=3652)
_DAY = dt.timedelta(days=1)
#: drawn from the pattern alone: no semantic inferred from the field's name
NO_SEMANTIC = {"semantic": "none"}

#: documentation networks: RFC 5737 (IPv4) and RFC 3849 (IPv6)
IPV4_NETWORKS = ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
IPV6_NETWORKS = ("2001:db8::/32", "2001:db8:1::/48", "2001:db8:abcd::/48", "2001:db8:0:1::/64")
_IPV4_HOSTS = (
    r"(?:192\.0\.2|198\.51\.100|203\.0\.113)\.(?:[1-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-4])"
)
_IPV6_HOSTS = r"2001:db8:(?:[1-9a-f][0-9a-f]{0,3}|0)::(?:[1-9a-f][0-9a-f]{0,3})"


class RefusedTypeError(Exception):
    """A field type whose checks no schema here can promise; the reason names what it needs."""

    def __init__(self, type_name: str, reason: str, expected: str) -> None:
        super().__init__(f"{type_name}: {reason}")
        self.type_name, self.reason, self.expected = type_name, reason, expected
        #: the core schema of the field whose type this is, once known
        self.field: object = None


def date_schema(schema: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """A ``date`` core schema: pydantic's ``base`` as it is, or a range as a pattern."""
    if not any(key in schema for key in ("gt", "ge", "lt", "le", "now_op")):
        return base
    low, high = _window(schema, lambda value: value, lambda value: value, "date")
    return {"type": "string", "format": "date", "pattern": f"^{date_pattern(low, high)}$"}


def datetime_schema(schema: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """A ``datetime`` core schema: bounds, past/future and time zone rules as a pattern."""
    tz = schema.get("tz_constraint")
    if tz is None and not any(key in schema for key in ("gt", "ge", "lt", "le", "now_op")):
        return base  # format date-time: UTC, 2000-2035
    low, high = _window(schema, _day_after, _day_before, "datetime")
    offset = "" if tz == "naive" else "Z" if tz in (None, "aware", 0) else _offset(int(tz))
    pattern = f"^{date_pattern(low, high)}{TIME_PATTERN}{offset}$"
    out: dict[str, Any] = {"type": "string", "pattern": pattern}
    if tz == "naive":
        out["x-synthdata"] = dict(NO_SEMANTIC)  # RFC 3339 (format date-time) wants an offset
    else:
        out["format"] = "date-time"
    return out


def uuid_schema(schema: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """A UUID with a ``version``: the version digit, and RFC 4122's variant, in a pattern."""
    version = schema.get("version")
    if version is None:
        return base
    return {
        "type": "string",
        "format": "uuid",
        "pattern": f"^[0-9a-f]{{8}}-[0-9a-f]{{4}}-{int(version)}[0-9a-f]{{3}}-[89ab][0-9a-f]{{3}}"
        "-[0-9a-f]{12}$",
    }


def url_schema(schema: dict[str, Any], base: dict[str, Any], multi_host: bool) -> dict[str, Any]:
    """A URL whose schemes are limited (``PostgresDsn``, ``FileUrl``...): the first scheme
    on a documentation host with a short path; other URLs as pydantic writes them."""
    schemes = schema.get("allowed_schemes")
    if not schemes and not multi_host:
        return base
    scheme = sorted(schemes)[0] if schemes else "https"
    if scheme in ("http", "https") and not multi_host:
        return base  # format uri: https on example.com/.net/.org
    host = "" if scheme == "file" else r"(?:db|mq|cache)\.example\.(?:com|net|org)"
    pattern = f"^{_escape(scheme)}://{host}/[a-z]{{1,12}}$"
    # no format uri: that would make it a url of the safe rule's, drawn as https only
    out: dict[str, Any] = {"type": "string", "pattern": pattern, "x-synthdata": dict(NO_SEMANTIC)}
    max_length = schema.get("max_length")
    if max_length is not None:
        out["maxLength"] = max_length
    return out


def complex_schema() -> dict[str, Any]:
    """A complex number as pydantic reads one from JSON: a string such as ``1.5-2j``."""
    return {
        "type": "string",
        "pattern": r"^-?[1-9][0-9]{0,2}(?:\.[0-9]{1,2})?[+-][0-9]{1,3}j$",
        "x-synthdata": dict(NO_SEMANTIC),
    }


def refuse_json() -> dict[str, Any]:
    """``Json[...]`` holds a JSON document inside a string, which JSON Schema cannot bound."""
    raise RefusedTypeError(
        "Json", "a string holding JSON text has no JSON Schema to draw it from", "the inner type"
    )


def _addresses(kinds: tuple[str, ...]) -> dict[str, Any]:
    formats = [{"type": "string", "format": kind} for kind in kinds]
    return formats[0] if len(formats) == 1 else {"anyOf": formats}


def _networks(v4: bool, v6: bool) -> dict[str, Any]:
    return {"enum": [*(IPV4_NETWORKS if v4 else ()), *(IPV6_NETWORKS if v6 else ())]}


def _interfaces(v4: bool, v6: bool) -> dict[str, Any]:
    parts = [
        *([rf"{_IPV4_HOSTS}/(?:2[4-9]|3[0-2])"] if v4 else []),
        *([rf"{_IPV6_HOSTS}/(?:3[2-9]|[4-9][0-9]|1[01][0-9]|12[0-8])"] if v6 else []),
    ]
    return {
        "type": "string",
        "pattern": "^(?:" + "|".join(parts) + ")$",
        "x-synthdata": dict(NO_SEMANTIC),
    }


#: pydantic's own formats for types its JSON Schema does not bound, and what they become
FORMATS: dict[str, Callable[[], dict[str, Any]]] = {
    "ipvanyaddress": lambda: _addresses(("ipv4", "ipv6")),
    "ipvanynetwork": lambda: _networks(True, True),
    "ipv4network": lambda: _networks(True, False),
    "ipv6network": lambda: _networks(False, True),
    "ipvanyinterface": lambda: _interfaces(True, True),
    "ipv4interface": lambda: _interfaces(True, False),
    "ipv6interface": lambda: _interfaces(False, True),
}


def base64_schema(text: bool, url: bool) -> dict[str, Any]:
    """Base64 of whole 3-byte groups (so no padding); ``Base64Str`` is refused."""
    if text:
        raise RefusedTypeError(
            "Base64UrlStr" if url else "Base64Str",
            "its decoded bytes must be UTF-8 text",
            "Base64Bytes or a str field",
        )
    alphabet = "A-Za-z0-9_-" if url else "A-Za-z0-9+/"
    return {
        "type": "string",
        "pattern": f"^(?:[{alphabet}]{{4}}){{1,8}}$",
        "x-synthdata": dict(NO_SEMANTIC),
    }


def _window(
    schema: dict[str, Any],
    after: Callable[[Any], dt.date],
    before: Callable[[Any], dt.date],
    kind: str,
) -> tuple[dt.date, dt.date]:
    """The dates to draw from: the window of ``now_op`` (or the engine's), cut by the bounds
    (``after``/``before`` turn a bound into the first/last date wholly within it)."""
    low_bound = high_bound = None
    if "ge" in schema:
        low_bound = after(schema["ge"]) if kind == "datetime" else schema["ge"]
    if "gt" in schema:
        low_bound = after(schema["gt"]) if kind == "datetime" else schema["gt"] + _DAY
    if "le" in schema:
        high_bound = before(schema["le"]) if kind == "datetime" else schema["le"]
    if "lt" in schema:
        high_bound = before(schema["lt"]) if kind == "datetime" else schema["lt"] - _DAY
    now_op = schema.get("now_op")
    window = {"past": PAST_DATES, "future": FUTURE_DATES}.get(now_op or "", ENGINE_DATES)
    low = max(window[0], low_bound) if low_bound else window[0]
    high = min(window[1], high_bound) if high_bound else window[1]
    if low > high and now_op is None:
        # bounds outside the engine's dates: from one bound towards the other
        low = low_bound or max((high_bound or window[1]) - _OPEN_SPAN, dt.date(1, 1, 1))
        high = high_bound or min(low + _OPEN_SPAN, dt.date(9999, 12, 31))
    if low > high:
        where = f" in the {now_op} window {window[0]}..{window[1]}" if now_op else ""
        raise RefusedTypeError(
            f"{now_op.capitalize()}{kind.capitalize()}" if now_op else kind,
            f"no {kind} lies within its bounds{where}",
            "bounds that hold a date" + (" in that window" if now_op else ""),
        )
    return low, high


def _day_after(bound: dt.datetime) -> dt.date:
    """The first date all of whose times, at any offset, are after ``bound``."""
    return _utc_date(bound) + 2 * _DAY


def _day_before(bound: dt.datetime) -> dt.date:
    """The last date all of whose times, at any offset, are before ``bound``."""
    return _utc_date(bound) - 2 * _DAY


def _utc_date(value: dt.datetime) -> dt.date:
    """The date of ``value`` in UTC (a naive value as it is)."""
    return (value.astimezone(dt.UTC) if value.tzinfo is not None else value).date()


def _offset(seconds: int) -> str:
    sign = "-" if seconds < 0 else r"\+"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def _escape(scheme: str) -> str:
    return scheme.replace("+", r"\+").replace(".", r"\.")


def function_schema(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The schema for a validator-function core schema of one of pydantic's own types
    (``ByteSize``, ``PaymentCardNumber``, the path types, ``ImportString``), read from the
    validator's name; ``None`` for any other."""
    if not str(schema.get("type", "")).startswith("function-"):
        return None
    function = schema.get("function", {}).get("function")
    if not str(getattr(function, "__module__", "")).startswith("pydantic."):
        return None
    owner, _, method = str(getattr(function, "__qualname__", "")).rpartition(".")
    if owner == "ByteSize":
        return {"type": "integer", "minimum": 0, "maximum": 10**12}  # bytes, as a number
    if owner == "PaymentCardNumber":
        # published test numbers (Visa, Mastercard), never a card that exists
        return {"enum": ["4242424242424242", "4000056655665556", "5555555555554444"]}
    if owner == "PathType" and method != "validate_new":
        kind = method.removeprefix("validate_")
        raise RefusedTypeError(
            {"file": "FilePath", "directory": "DirectoryPath", "socket": "SocketPath"}.get(
                kind, f"{kind} path"
            ),
            "whether a path exists depends on the machine that checks it",
            "a pathlib.Path or str field",
        )
    if method == "import_string":
        raise RefusedTypeError(
            "ImportString", "its values must name an importable object", "a str field"
        )
    return None
