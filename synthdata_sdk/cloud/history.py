"""The generation history: one DynamoDB item per generation, with an index by fingerprint.

An item moves ``requested`` -> ``completed`` or ``requested`` -> ``failed``, and only so:
it is created with ``attribute_not_exists`` and each transition is conditional on the current
status, so a retried call never adds a second item or moves a finished one back. A retry of a
failed generation (same id) makes it ``requested`` again and counts the attempt.

Item: ``generation_id`` (the key), ``fingerprint``, ``requester``, ``session_id``,
``status``, ``attempts``, ``requested_at`` / ``completed_at`` / ``failed_at`` (ISO 8601,
UTC), ``timings`` (milliseconds by step), ``rows``, ``s3_uri``, ``quality`` and
``compliance`` (the manifest's summaries), ``error`` (on failure) and ``ttl`` (epoch
seconds; DynamoDB deletes the item after it). A fanned-out generation also has
``partitions``, and counts the parts written in ``parts_done`` and ``done_parts`` (the set
of their indexes, see ``count_part``). The index ``by_fingerprint`` has the
fingerprint as its partition key and ``requested_at`` as its sort key.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from synthdata_sdk.cache.names import is_fingerprint
from synthdata_sdk.cloud.aws_errors import backend_error, error_code
from synthdata_sdk.cloud.ids import check_id
from synthdata_sdk.errors import BackendConflictError, BackendError, RequestError

REQUESTED = "requested"
COMPLETED = "completed"
FAILED = "failed"
BY_FINGERPRINT = "by_fingerprint"
DEFAULT_TTL_DAYS = 90
_KEY = "generation_id"
_CHECK_FAILED = "ConditionalCheckFailedException"
_MAX_TEXT = 1000
_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()


class GenerationHistory:
    """Generation items in the DynamoDB table ``table`` (see ``create_history_table``).

    ``client`` is a boto3 DynamoDB client; ``clock`` gives seconds since the epoch.
    """

    def __init__(
        self,
        client: Any,
        table: str,
        *,
        ttl_days: int = DEFAULT_TTL_DAYS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not isinstance(ttl_days, int) or isinstance(ttl_days, bool) or ttl_days < 1:
            raise RequestError(f"ttl_days {ttl_days!r} is not a whole number >= 1")
        self.client = client
        self.table = table
        self.ttl_days = ttl_days
        self._clock = clock

    def __repr__(self) -> str:
        return f"GenerationHistory({self.table!r})"

    def start(
        self,
        generation_id: str,
        *,
        fingerprint: str,
        requester: str,
        session_id: str | None = None,
        partitions: int | None = None,
    ) -> dict[str, Any]:
        """Record a requested generation; returns its item.

        A second start of the same id (a retry) adds nothing: it returns the item as it is,
        or makes a failed one ``requested`` again (its parts counted afresh, see
        ``count_part``). An id recorded for another fingerprint is a BackendConflictError.
        ``partitions`` records how many parts a fanned-out generation has.
        """
        check_id("generation id", generation_id)
        if not isinstance(fingerprint, str) or not is_fingerprint(fingerprint):
            raise RequestError(f"{fingerprint!r} is not a fingerprint (expected 64 hex digits)")
        now = self._clock()
        item: dict[str, Any] = {
            _KEY: generation_id,
            "fingerprint": fingerprint,
            "requester": _text("requester", requester),
            "status": REQUESTED,
            "attempts": 1,
            "requested_at": _iso(now),
            "ttl": int(now) + self.ttl_days * 86_400,
        }
        if session_id is not None:
            item["session_id"] = check_id("session id", session_id)
        if partitions is not None:
            item["partitions"] = partitions
            item["parts_done"] = 0
        if self._write(
            "PutItem",
            Item=_encode(item),
            ConditionExpression="attribute_not_exists(#key)",
            ExpressionAttributeNames={"#key": _KEY},
        ):
            return item
        existing = self._existing(generation_id)
        if existing.get("fingerprint") != fingerprint:
            raise BackendConflictError(
                f"generation {generation_id} is recorded for dataset "
                f"{existing.get('fingerprint')}, not {fingerprint}; use another generation id",
                code=_CHECK_FAILED,
                resource=self.table,
            )
        if existing.get("status") != FAILED:
            return existing  # a retry of one in progress or done: nothing to add
        return self._move(
            generation_id,
            FAILED,
            # an attempt counts its parts from none: a part of the failed one is not this one's
            "SET #status = :to, attempts = attempts + :one, requested_at = :at "
            + (", parts_done = :zero " if partitions is not None else " ")
            + "REMOVE failed_at, #error, done_parts",
            {":to": REQUESTED, ":one": 1, ":at": _iso(now)}
            | ({":zero": 0} if partitions is not None else {}),
            names={"#error": "error"},
        )

    def count_part(self, generation_id: str, *, attempt: int, index: int) -> int | None:
        """Count part ``index`` of a fanned-out generation as written; returns how many parts
        are written now, or None when this call counted nothing: the part was counted before
        (a retried partition), or the generation is no longer ``requested`` in ``attempt``.

        One atomic, conditional UpdateItem: ``index`` joins the set ``done_parts`` and
        ``parts_done`` goes up by one, only if ``index`` is not in the set yet. So each part
        counts once, and exactly one call sees the last count.
        """
        check_id("generation id", generation_id)
        answer = self._write(
            "UpdateItem",
            Key={_KEY: {"S": generation_id}},
            UpdateExpression="ADD done_parts :part, parts_done :one",
            ConditionExpression=(
                "#status = :requested AND attempts = :attempt AND NOT contains(done_parts, :index)"
            ),
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":part": {"NS": [str(index)]},
                ":index": {"N": str(index)},
                ":one": {"N": "1"},
                ":requested": {"S": REQUESTED},
                ":attempt": {"N": str(attempt)},
            },
            ReturnValues="UPDATED_NEW",
        )
        if answer is None:
            return None
        return int(_plain(_DESERIALIZER.deserialize(answer["Attributes"]["parts_done"])))

    def complete(
        self,
        generation_id: str,
        *,
        rows: int,
        s3_uri: str,
        quality: Mapping[str, Any] | None = None,
        compliance: Mapping[str, Any] | None = None,
        timings: Mapping[str, float] | None = None,
    ) -> dict[str, Any]:
        """Move a requested generation to ``completed``; a completed one is left as it is."""
        values = {
            ":to": COMPLETED,
            ":at": _iso(self._clock()),
            ":rows": rows,
            ":uri": s3_uri,
            ":quality": dict(quality) if quality is not None else None,
            ":compliance": dict(compliance) if compliance is not None else None,
            ":timings": dict(timings or {}),
        }
        return self._move(
            generation_id,
            REQUESTED,
            "SET #status = :to, completed_at = :at, #rows = :rows, s3_uri = :uri, "
            "quality = :quality, compliance = :compliance, timings = :timings",
            values,
            names={"#rows": "rows"},
            done=COMPLETED,
        )

    def fail(
        self, generation_id: str, *, error: str, timings: Mapping[str, float] | None = None
    ) -> dict[str, Any]:
        """Move a requested generation to ``failed`` with what went wrong (no data in it)."""
        values = {
            ":to": FAILED,
            ":at": _iso(self._clock()),
            ":error": _text("error", error),
            ":timings": dict(timings or {}),
        }
        return self._move(
            generation_id,
            REQUESTED,
            "SET #status = :to, failed_at = :at, #error = :error, timings = :timings",
            values,
            names={"#error": "error"},
            done=FAILED,
        )

    def get(self, generation_id: str) -> dict[str, Any] | None:
        """The item of ``generation_id``, or None (a consistent read)."""
        check_id("generation id", generation_id)
        answer = self._call("GetItem", Key={_KEY: {"S": generation_id}}, ConsistentRead=True)
        found = answer.get("Item")
        return _decode(found) if found else None

    def by_fingerprint(self, fingerprint: str, *, limit: int = 100) -> list[dict[str, Any]]:
        """The generations of one dataset, newest first (through the ``by_fingerprint`` index)."""
        if not isinstance(fingerprint, str) or not is_fingerprint(fingerprint):
            raise RequestError(f"{fingerprint!r} is not a fingerprint (expected 64 hex digits)")
        items: list[dict[str, Any]] = []
        params: dict[str, Any] = {
            "IndexName": BY_FINGERPRINT,
            "KeyConditionExpression": "fingerprint = :fingerprint",
            "ExpressionAttributeValues": {":fingerprint": {"S": fingerprint}},
            "ScanIndexForward": False,
        }
        while len(items) < limit:
            answer = self._call("Query", Limit=limit - len(items), **params)
            items.extend(_decode(found) for found in answer.get("Items") or ())
            if not answer.get("LastEvaluatedKey"):
                break
            params["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        return items

    # ----------------------------------------------------------------------------------------

    def _move(
        self,
        generation_id: str,
        source: str,
        update: str,
        values: Mapping[str, Any],
        *,
        names: Mapping[str, str] | None = None,
        done: str | None = None,
    ) -> dict[str, Any]:
        """Apply ``update`` if the item's status is ``source``; an item already in ``done``
        (a retry) is returned as it is; any other state is a BackendConflictError."""
        check_id("generation id", generation_id)
        encoded = _encode({":from": source, **values})
        answer = self._write(
            "UpdateItem",
            Key={_KEY: {"S": generation_id}},
            UpdateExpression=update,
            ConditionExpression="#status = :from",
            ExpressionAttributeNames={"#status": "status", **(names or {})},
            ExpressionAttributeValues=encoded,
            ReturnValues="ALL_NEW",
        )
        if answer is not None:
            return _decode(answer.get("Attributes") or {})
        existing = self._existing(generation_id)
        if done is not None and existing.get("status") == done:
            return existing
        raise BackendConflictError(
            f"generation {generation_id} is {existing.get('status')}, not {source}, so it "
            f"cannot become {values.get(':to')}",
            code=_CHECK_FAILED,
            resource=self.table,
        )

    def _existing(self, generation_id: str) -> dict[str, Any]:
        existing = self.get(generation_id)
        if existing is None:
            raise BackendConflictError(
                f"generation {generation_id} is not in {self.table}; start it first",
                code=_CHECK_FAILED,
                resource=self.table,
            )
        return existing

    def _write(self, operation: str, **params: Any) -> dict[str, Any] | None:
        """A conditional write: its answer, or None when the condition did not hold."""
        try:
            answer: dict[str, Any] = self._method(operation)(TableName=self.table, **params)
        except ClientError as error:
            if error_code(error) == _CHECK_FAILED:
                return None
            raise self._failure(error, operation) from None
        except BotoCoreError as error:
            raise self._failure(error, operation) from None
        return answer

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        try:
            answer: dict[str, Any] = self._method(operation)(TableName=self.table, **params)
        except (BotoCoreError, ClientError) as error:
            raise self._failure(error, operation) from None
        return answer

    def _method(self, operation: str) -> Any:
        return getattr(self.client, _snake(operation))

    def _failure(self, error: BotoCoreError | ClientError, operation: str) -> BackendError:
        return backend_error(error, doing=f"DynamoDB {operation}", resource=self.table)


def create_history_table(client: Any, table: str) -> None:
    """Create the history table with its ``by_fingerprint`` index and TTL (tests, local stack).

    On-demand billing; returns once the table is active. Deployed tables come from infra/.
    """
    key = [{"AttributeName": _KEY, "KeyType": "HASH"}]
    index = {
        "IndexName": BY_FINGERPRINT,
        "KeySchema": [
            {"AttributeName": "fingerprint", "KeyType": "HASH"},
            {"AttributeName": "requested_at", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    }
    attributes = [
        {"AttributeName": name, "AttributeType": "S"}
        for name in (_KEY, "fingerprint", "requested_at")
    ]
    try:
        client.create_table(
            TableName=table,
            KeySchema=key,
            AttributeDefinitions=attributes,
            GlobalSecondaryIndexes=[index],
            BillingMode="PAY_PER_REQUEST",
        )
        client.get_waiter("table_exists").wait(TableName=table)
        client.update_time_to_live(
            TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
        )
    except (BotoCoreError, ClientError) as error:
        raise backend_error(error, doing="DynamoDB CreateTable", resource=table) from None


def _snake(operation: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_")


def _iso(seconds: float) -> str:
    # Milliseconds: the index sorts by this text, and two generations rarely share one.
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds")


def _text(kind: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise RequestError(f"{kind} must be a non-empty string")
    return value[:_MAX_TEXT]


def _encode(item: Mapping[str, Any]) -> dict[str, Any]:
    # DynamoDB numbers are decimals: floats go through their shortest text, not binary.
    plain = json.loads(json.dumps(item), parse_float=Decimal)
    return {name: _SERIALIZER.serialize(value) for name, value in plain.items()}


def _decode(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _plain(_DESERIALIZER.deserialize(value)) for name, value in item.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        # "100.0" stays a float: the exponent remembers how the number was written
        exponent = value.as_tuple().exponent
        return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)
    if isinstance(value, dict):
        return {name: _plain(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
