"""The AgentCore Gateway front door, and the MCP tool schema it publishes.

A gateway Lambda target receives the tool's arguments as the event; the tool's name arrives
in the Lambda context, ``context.client_context.custom["bedrockAgentCoreToolName"]``, as
``<target name>___<tool name>``, beside the gateway's session
(``bedrockAgentCoreSessionId``, possibly empty), the gateway and target ids and the message
version. The tools are the actions, by name; the session, when there is one, names the
session pointer (else the Lambda request id does). The answer is the action's response
body, or ``{"error": {...}}``: any JSON object, which the gateway hands to the MCP client as
the tool's result.

The gateway's tool schema is a restricted JSON Schema (``type``, ``properties``,
``required``, ``items``, ``description`` only), so ``tool_schema`` turns each request model's
schema into it: references inlined, ``null`` alternatives dropped, and enums, defaults and
bounds written into the description, where the model reading the tool list sees them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from synthdata_sdk.cloud.actions import ACTIONS
from synthdata_sdk.cloud.dispatch import Handled, ServicesProvider, failed, perform
from synthdata_sdk.cloud.failures import ActionError
from synthdata_sdk.cloud.invocation import Invocation, checked_session_id, requester_label

#: the client-context key naming the tool called
TOOL_NAME_KEY = "bedrockAgentCoreToolName"
#: the client-context key of the gateway's session (may be absent or empty)
SESSION_ID_KEY = "bedrockAgentCoreSessionId"
#: what separates the target's name from the tool's
TARGET_DELIMITER = "___"
_SCHEMA_TYPES = frozenset({"string", "number", "object", "array", "boolean", "integer"})


def tool_name(context: Any) -> str | None:
    """The qualified tool name a gateway put in ``context``, or None if it is no gateway call."""
    value = _custom(context).get(TOOL_NAME_KEY)
    return value if isinstance(value, str) else None


def session_id(context: Any) -> str | None:
    """The gateway's session id in ``context``, or None when it gives none (or an empty one)."""
    value = _custom(context).get(SESSION_ID_KEY)
    return value if isinstance(value, str) and value else None


def handle(event: object, context: Any, services: ServicesProvider, request_id: str) -> Handled:
    """The tool's answer to ``event`` (its arguments); never raises."""
    qualified = tool_name(context) or ""
    target, delimiter, tool = qualified.partition(TARGET_DELIMITER)
    if not delimiter:
        target, tool = "", qualified
    requester = requester_label("gateway", target)
    invocation = Invocation("gateway", request_id, requester, request_id)
    session = session_id(context)
    try:
        # The gateway's session, when it gives one, names the session pointer: the tool
        # calls of one MCP session share it, as an agent's calls share the agent's session.
        if session is not None:
            invocation = Invocation("gateway", checked_session_id(session), requester, request_id)
    except ActionError as error:
        outcome = failed(error, invocation)
    else:
        outcome = perform(tool, event, invocation, services)
    return Handled(outcome.body, outcome, tool if tool in ACTIONS else "")


def _custom(context: Any) -> Mapping[str, Any]:
    """The client context's custom fields (empty when there are none)."""
    custom = getattr(getattr(context, "client_context", None), "custom", None)
    return custom if isinstance(custom, Mapping) else {}


def tool_schema() -> list[dict[str, Any]]:
    """The gateway target's tool definitions, one per action, from the request models."""
    tools = []
    for action in ACTIONS.values():
        schema = action.request.model_json_schema()
        tools.append(
            {
                "name": action.name,
                "description": action.description,
                "inputSchema": _restricted(schema, schema.get("$defs", {})),
            }
        )
    return tools


def _restricted(schema: Mapping[str, Any], definitions: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` in the gateway's JSON Schema subset; what it cannot say goes in prose."""
    reference = schema.get("$ref")
    if isinstance(reference, str):
        target = definitions[reference.rsplit("/", 1)[-1]]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    options = [o for o in schema.get("anyOf", []) if o.get("type") != "null"]
    if options:
        schema = {**options[0], **{k: v for k, v in schema.items() if k != "anyOf"}}
    kind = schema.get("type", "object")
    out: dict[str, Any] = {"type": kind if kind in _SCHEMA_TYPES else "string"}
    notes = _notes(schema)
    description = " ".join(part for part in (schema.get("description", ""), notes) if part)
    if description:
        out["description"] = description
    properties = schema.get("properties")
    if isinstance(properties, Mapping) and properties:
        out["properties"] = {
            name: _restricted(sub, definitions) for name, sub in properties.items()
        }
        required = [name for name in schema.get("required", []) if name in properties]
        if required:
            out["required"] = required
    items = schema.get("items")
    if isinstance(items, Mapping):
        out["items"] = _restricted(items, definitions)
    return out


def _notes(schema: Mapping[str, Any]) -> str:
    """Enums, defaults, bounds and patterns, as sentences."""
    notes = []
    if "enum" in schema:
        notes.append("One of: " + ", ".join(str(v) for v in schema["enum"]) + ".")
    if "minimum" in schema and "maximum" in schema:
        notes.append(f"From {schema['minimum']:,} to {schema['maximum']:,}.")
    if "pattern" in schema:
        notes.append(f"Matches {schema['pattern']}.")
    if schema.get("default") not in (None, [], ""):
        notes.append(f"Default: {json.dumps(schema['default'])}.")
    return " ".join(notes)
