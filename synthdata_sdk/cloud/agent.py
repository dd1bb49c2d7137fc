"""The Bedrock agent front door: the action group's routes on powertools' BedrockAgentResolver.

Each route is a typed function over one action; the resolver validates the request against
the action's model, calls it and builds the agent's response (OpenAPI variant), and it
generates the action group's OpenAPI document from the same routes (``openapi_document``,
printed by ``synthdata backend openapi``). Before the resolver sees an event, the door reads
it defensively (``agent_input``) and hands on a rebuilt event holding only checked values.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, cast

from aws_lambda_powertools.event_handler import BedrockAgentResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from synthdata_sdk.cloud import models
from synthdata_sdk.cloud.actions import ACTIONS
from synthdata_sdk.cloud.agent_input import (
    AgentCall,
    decode_arguments,
    read_call,
    structured_request,
)
from synthdata_sdk.cloud.dispatch import Handled, Outcome, ServicesProvider, failed
from synthdata_sdk.cloud.failures import invalid_request, refuse
from synthdata_sdk.cloud.invocation import Invocation, checked_session_id

TITLE = "synthdata action functions"
DESCRIPTION = (
    "Generate schema-valid, reproducible synthetic datasets that never contain real "
    "people's data, check schemas and measure stored datasets. Datasets are stored in S3 "
    "and named by fingerprint; responses never hold the records."
)
JSON = content_types.APPLICATION_JSON
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Route:
    """Where an action lives in the action group: method, path and its path parameters."""

    action: str
    method: str
    path: str
    params: tuple[str, ...] = ()

    @property
    def rule(self) -> str:
        """The path as a powertools rule (``/datasets/<fingerprint>``)."""
        return self.path.replace("{", "<").replace("}", ">")


ROUTES = {
    route.action: route
    for route in (
        Route("generate", "POST", "/datasets"),
        Route("validate_schema", "POST", "/schemas/validate"),
        Route(
            "calculate_quality_metrics", "GET", "/datasets/{fingerprint}/quality", ("fingerprint",)
        ),
        Route("lookup_dataset", "GET", "/datasets/{fingerprint}", ("fingerprint",)),
        Route("list_templates", "GET", "/templates"),
        Route("describe_template", "GET", "/templates/{name}", ("name",)),
    )
}
_ROUTE_AT = {(route.method, route.path): route for route in ROUTES.values()}

#: every failure answers with ErrorResponse; the statuses an operation may give
_FAILURES: dict[int, str] = {
    400: "The request is malformed or a field is wrong; the message says which.",
    404: "No such dataset, template or operation.",
    413: "The request is over a limit (rows, schema size or depth).",
    422: "The schema cannot be generated from, or broke a compliance profile.",
    500: "The function failed; the message names the request id.",
    503: "The dataset store is busy or unreachable; retry.",
}
_ERROR_RESPONSES: dict[int, OpenAPIResponse] = {
    status: {"description": text, "content": {JSON: {"model": models.ErrorResponse}}}
    for status, text in _FAILURES.items()
}
_FINGERPRINT = Path(
    pattern=models.FINGERPRINT_PATTERN,
    description=models.FingerprintRequest.model_fields["fingerprint"].description,
)
_TEMPLATE = Path(description=models.DescribeTemplateRequest.model_fields["name"].description)


def _operation(action: str) -> dict[str, Any]:
    # a response without content is documented by the route's return type
    success: OpenAPIResponse = {"description": ACTIONS[action].response.__doc__ or "Success."}
    return {
        "description": ACTIONS[action].description,
        "summary": action.replace("_", " "),
        "operation_id": action,
        "responses": {200: success, **_ERROR_RESPONSES},
    }


def _typed(decorator: Any) -> Callable[[F], F]:
    """A powertools decorator, typed: it registers the function and returns it unchanged."""
    return cast(Callable[[F], F], decorator)


def build_resolver() -> BedrockAgentResolver:
    """The resolver with one route per action; calls read ``invocation`` and ``services``
    from its context."""
    app = BedrockAgentResolver(debug=False)

    def run(action: str, request: BaseModel) -> Any:
        services: ServicesProvider = app.context["services"]
        return ACTIONS[action].run(request, app.context["invocation"], services())

    @_typed(app.post(ROUTES["generate"].rule, **_operation("generate")))
    def generate(request: Annotated[models.GenerateRequest, Body()]) -> models.GenerateResponse:
        return cast(models.GenerateResponse, run("generate", request))

    @_typed(app.post(ROUTES["validate_schema"].rule, **_operation("validate_schema")))
    def validate_schema(
        request: Annotated[models.ValidateSchemaRequest, Body()],
    ) -> models.ValidateSchemaResponse:
        return cast(models.ValidateSchemaResponse, run("validate_schema", request))

    @_typed(
        app.get(ROUTES["calculate_quality_metrics"].rule, **_operation("calculate_quality_metrics"))
    )
    def calculate_quality_metrics(
        fingerprint: Annotated[str, _FINGERPRINT],
    ) -> models.QualityResponse:
        request = models.QualityRequest(fingerprint=fingerprint)
        return cast(models.QualityResponse, run("calculate_quality_metrics", request))

    @_typed(app.get(ROUTES["lookup_dataset"].rule, **_operation("lookup_dataset")))
    def lookup_dataset(fingerprint: Annotated[str, _FINGERPRINT]) -> models.DatasetSummary:
        request = models.LookupRequest(fingerprint=fingerprint)
        return cast(models.DatasetSummary, run("lookup_dataset", request))

    @_typed(app.get(ROUTES["list_templates"].rule, **_operation("list_templates")))
    def list_templates() -> models.TemplateList:
        return cast(models.TemplateList, run("list_templates", models.ListTemplatesRequest()))

    @_typed(app.get(ROUTES["describe_template"].rule, **_operation("describe_template")))
    def describe_template(name: Annotated[str, _TEMPLATE]) -> models.TemplateDescription:
        request = models.DescribeTemplateRequest(name=name)
        return cast(models.TemplateDescription, run("describe_template", request))

    @_typed(app.exception_handler(RequestValidationError))
    def invalid(error: RequestValidationError) -> Response[Any]:
        failure = invalid_request(error.errors())
        return Response(status_code=failure.status, content_type=JSON, body=failure.body())

    @_typed(app.exception_handler(Exception))
    def broken(error: Exception) -> Response[Any]:
        outcome = failed(error, app.context["invocation"])
        return Response(status_code=outcome.status, content_type=JSON, body=outcome.body)

    return app


def openapi_document() -> dict[str, Any]:
    """The action group's OpenAPI document (3.0), generated from the routes and models."""
    text = build_resolver().get_openapi_json_schema(
        title=TITLE, version=models.API_VERSION, description=DESCRIPTION
    )
    document: dict[str, Any] = json.loads(text)
    # validation failures answer 400 with ErrorResponse like every failure, not powertools'
    # own 422 body: give 422 (a schema that cannot be generated from) its true description
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            if "422" in responses and "400" in responses:
                responses["422"] = {**responses["400"], "description": _FAILURES[422]}
            operation["responses"] = dict(sorted(responses.items()))
    schemas = document.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        schemas.pop(unused, None)
    return document


class AgentDoor:
    """Answers action-group events; one resolver, used by one event at a time."""

    def __init__(self) -> None:
        self._app = build_resolver()
        # the resolver keeps the current event and context on itself
        self._lock = threading.Lock()

    def handle(
        self, event: Mapping[str, Any], context: Any, services: ServicesProvider, request_id: str
    ) -> Handled:
        """The agent's response to ``event``; never raises."""
        invocation = Invocation("agent", request_id, "agent", request_id)
        call: AgentCall | None = None
        action = ""
        try:
            call = read_call(event)
            route = _ROUTE_AT.get((call.http_method, call.api_path))
            if route is None:
                raise refuse(
                    404,
                    "unknown_operation",
                    f"no operation {call.http_method} {call.api_path[:100]}; expected one of "
                    + ", ".join(f"{r.method} {r.path}" for r in ROUTES.values()),
                )
            action = route.action
            invocation = Invocation(
                "agent",
                checked_session_id(call.session_id or request_id),
                call.requester,
                request_id,
            )
            routed = _routed_event(call, route, _arguments(call, route))
            with self._lock:
                self._app.context.update(invocation=invocation, services=services)
                response = self._app.resolve(routed, context)
            _echo_session(response, call)
            outcome = _outcome(response)
        except Exception as error:  # every failure is answered in the agent's format
            outcome = failed(error, invocation)
            response = agent_response(event, outcome, call)
        return Handled(response, outcome, action)


def agent_response(event: object, outcome: Outcome, call: AgentCall | None) -> dict[str, Any]:
    """An action-group response (OpenAPI variant) carrying ``outcome``'s body as JSON."""
    raw = event if isinstance(event, Mapping) else {}

    def text(key: str) -> str:
        value = raw.get(key)
        return value if isinstance(value, str) else ""

    response: dict[str, Any] = {
        "messageVersion": "1.0",
        "response": {
            "actionGroup": text("actionGroup"),
            "apiPath": text("apiPath"),
            "httpMethod": text("httpMethod"),
            "httpStatusCode": outcome.status,
            # compact, as the resolver's own answers
            "responseBody": {JSON: {"body": json.dumps(outcome.body, separators=(",", ":"))}},
        },
    }
    if call is not None:
        _echo_session(response, call)
    return response


def _arguments(call: AgentCall, route: Route) -> dict[str, Any]:
    """The structured request if it is for this operation, else the agent's decoded values."""
    structured = structured_request(call)
    if structured is not None:
        action, request = structured
        if action not in ACTIONS:
            raise refuse(
                400,
                "invalid_request",
                f"the structured request names an unknown action {action[:80]!r}; "
                f"expected one of {', '.join(ACTIONS)}",
                "action",
            )
        if action == route.action:
            return request
    return decode_arguments(call.arguments, ACTIONS[route.action].request)


def _routed_event(call: AgentCall, route: Route, arguments: dict[str, Any]) -> dict[str, Any]:
    """The event the resolver sees: the route's template path and the checked values only."""
    body = {name: value for name, value in arguments.items() if name not in route.params}
    if route.method == "GET" and body:
        # the words a request model uses for an unknown field
        first = str(next(iter(body)))
        raise refuse(400, "invalid_request", f"{first}: Extra inputs are not permitted", first)
    event: dict[str, Any] = {
        "messageVersion": "1.0",
        "actionGroup": call.action_group,
        "apiPath": route.path,
        "httpMethod": route.method,
        "parameters": [
            {"name": name, "type": "string", "value": arguments[name]}
            for name in route.params
            if name in arguments
        ],
        "sessionAttributes": {},
        "promptSessionAttributes": {},
    }
    if route.method == "POST":
        properties = [{"name": k, "type": "", "value": v} for k, v in body.items()]
        event["requestBody"] = {"content": {JSON: {"properties": properties}}}
    return event


def _echo_session(response: dict[str, Any], call: AgentCall) -> None:
    """Hand the session attributes back unchanged, so the session keeps them."""
    if call.session_attributes:
        response["sessionAttributes"] = dict(call.session_attributes)
    if call.prompt_session_attributes:
        response["promptSessionAttributes"] = dict(call.prompt_session_attributes)


def _outcome(response: Mapping[str, Any]) -> Outcome:
    answer = response["response"]
    body = json.loads(answer["responseBody"][JSON]["body"])
    return Outcome(int(answer["httpStatusCode"]), body)
