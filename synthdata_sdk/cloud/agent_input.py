"""Reading a Bedrock agent's action-group event without trusting it.

The agent's model fills in the operation's parameters and request body from a conversation,
so every value is a string, nested values may come as JSON or as ``{key=value}`` text, and
anything may be missing, malformed or hostile. Two ways in, in order:

1. ``sessionAttributes["synthdata_request"]``: a structured request, JSON
   ``{"action": "generate", "request": {...}}``, set by the caller when it invoked the
   agent. When it names the operation the agent called, it is the request: the agent's
   parameters are ignored, so the model's free text never decides what is generated.
2. Otherwise the parameters and the ``application/json`` request-body properties, each
   decoded by the type its field declares in the action's request model.

Anything that cannot be read is an ``ActionError`` (a 4xx with a message the agent can
relay), never an exception from deeper down.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from synthdata_sdk.cloud.failures import ActionError, refuse
from synthdata_sdk.cloud.invocation import requester_label
from synthdata_sdk.cloud.map_text import MapTextError, parse_map_text, scalar
from synthdata_sdk.limits import DEPTH

#: the session attribute holding a structured request (JSON)
SESSION_KEY = "synthdata_request"
_INTEGER = re.compile(r"\s*-?[0-9]+\s*")
_EMPTY = frozenset({"", "null", "none"})


@dataclass(frozen=True)
class AgentCall:
    """The parts of an action-group event the function uses, each checked for its type."""

    action_group: str
    api_path: str
    http_method: str
    session_id: str | None
    requester: str
    #: parameters, then request-body properties, as sent (strings)
    arguments: dict[str, str]
    session_attributes: dict[str, str]
    prompt_session_attributes: dict[str, str]


def read_call(event: Mapping[str, Any]) -> AgentCall:
    """The checked parts of ``event``; a 400 names the first part that is malformed."""
    api_path = event.get("apiPath")
    if not isinstance(api_path, str) or not api_path:
        raise _bad_event(
            "apiPath is missing: define the action group with its OpenAPI schema "
            "(synthdata backend openapi), not with function details"
        )
    method = event.get("httpMethod")
    if not isinstance(method, str) or not method:
        raise _bad_event("httpMethod is missing")
    group = event.get("actionGroup")
    session = event.get("sessionId")
    agent = event.get("agent")
    agent = agent if isinstance(agent, Mapping) else {}
    arguments = _properties(event.get("parameters"), "parameters")
    arguments.update(_body_properties(event.get("requestBody")))
    return AgentCall(
        action_group=group if isinstance(group, str) else "",
        api_path=api_path,
        http_method=method.upper(),
        session_id=session if isinstance(session, str) and session else None,
        requester=requester_label("agent", agent.get("id"), agent.get("alias")),
        arguments=arguments,
        session_attributes=_strings(event.get("sessionAttributes")),
        prompt_session_attributes=_strings(event.get("promptSessionAttributes")),
    )


def structured_request(call: AgentCall) -> tuple[str, dict[str, Any]] | None:
    """The ``(action, request)`` of the structured session attribute, if the caller set one."""
    return read_structured(call.session_attributes)


def read_structured(session_attributes: Mapping[str, str]) -> tuple[str, dict[str, Any]] | None:
    """The ``(action, request)`` in ``session_attributes[SESSION_KEY]``, or None if unset; a
    400 ``ActionError`` if it is not JSON of that shape."""
    text = session_attributes.get(SESSION_KEY)
    if text is None:
        return None
    where = f"sessionAttributes[{SESSION_KEY!r}]"
    value = _json(text, where)
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("action"), str)
        or not isinstance(value.get("request", {}), dict)
        or set(value) - {"action", "request"}
    ):
        raise refuse(
            400,
            "invalid_request",
            f'{where}: expected {{"action": "<action>", "request": {{...}}}}',
            SESSION_KEY,
        )
    return value["action"], dict(value.get("request", {}))


def decode_arguments(arguments: Mapping[str, str], model: type[BaseModel]) -> dict[str, Any]:
    """``arguments`` (strings) as the values ``model``'s fields declare; unknown names as sent."""
    kinds = field_kinds(model)
    return {
        name: _decode(name, text, kinds.get(name, frozenset({"string"})))
        for name, text in arguments.items()
    }


@cache
def field_kinds(model: type[BaseModel]) -> dict[str, frozenset[str]]:
    """The JSON types each field of ``model`` accepts, from its JSON Schema."""
    properties = model.model_json_schema().get("properties", {})
    kinds: dict[str, frozenset[str]] = {}
    for name, schema in properties.items():
        options = schema.get("anyOf", [schema])
        kinds[name] = frozenset(str(option.get("type", "string")) for option in options)
    return kinds


def _decode(name: str, text: str, kinds: frozenset[str]) -> Any:
    stripped = text.strip()
    if "null" in kinds and stripped.lower() in _EMPTY:
        return None
    if kinds & {"object", "array"}:
        if stripped[:1] in ("{", "["):
            return _nested(name, stripped)
        return text  # a comma-separated list, or a wrong type the model names
    if "integer" in kinds and _INTEGER.fullmatch(text):
        return int(stripped)
    if kinds & {"number", "boolean"}:
        value = scalar(stripped.lower() if "boolean" in kinds else stripped)
        return value if not isinstance(value, str) else text
    return text


def _nested(name: str, text: str) -> Any:
    """A JSON value, else one in ``{key=value}`` notation."""
    try:
        return _json(text, name)
    except ActionError as not_json:
        if not_json.failure.status != 400:
            raise  # too deep for JSON is too deep for the map notation too
        try:
            return parse_map_text(text, DEPTH.value())
        except MapTextError as error:
            raise refuse(
                400,
                "invalid_request",
                f"{name}: cannot read the value as JSON ({not_json.failure.message}) or as "
                f"{{key=value}} text ({error}); send it as JSON, or send the whole request "
                f"in sessionAttributes[{SESSION_KEY!r}]",
                name,
            ) from None


def _json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise refuse(413, "limit_exceeded", f"{where}: nested too deeply to read", where) from None
    except json.JSONDecodeError as error:
        raise refuse(
            400,
            "invalid_request",
            f"{where} is not JSON: line {error.lineno} column {error.colno}: {error.msg}",
            where,
        ) from None


def _properties(items: object, where: str) -> dict[str, str]:
    """``[{"name": ..., "value": ...}, ...]`` as a dict; values kept as the strings sent."""
    if items is None:
        return {}
    if not isinstance(items, list):
        raise _bad_event(f"{where} is not a list")
    found: dict[str, str] = {}
    for item in items:
        name = item.get("name") if isinstance(item, Mapping) else None
        if not isinstance(name, str) or not name:
            raise _bad_event(f"{where}: an entry has no name")
        value = item.get("value")
        if value is None:
            continue
        found[name] = value if isinstance(value, str) else json.dumps(value, default=str)
    return found


def _body_properties(body: object) -> dict[str, str]:
    if body is None:
        return {}
    content = body.get("content") if isinstance(body, Mapping) else None
    if not isinstance(content, Mapping):
        raise _bad_event("requestBody has no content")
    media = content.get("application/json")
    if media is None:
        raise _bad_event(
            f"requestBody is not application/json (got {', '.join(map(str, content))[:80]})"
        )
    properties = media.get("properties") if isinstance(media, Mapping) else None
    return _properties(properties, "requestBody properties")


def _strings(value: object) -> dict[str, str]:
    """The string-to-string entries of a session attribute map (others cannot be echoed)."""
    if not isinstance(value, Mapping):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _bad_event(problem: str) -> ActionError:
    return refuse(400, "invalid_event", f"not an action-group event: {problem}")
