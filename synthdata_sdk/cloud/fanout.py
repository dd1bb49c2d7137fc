"""Fan-out: a large generate request split into partitions that run as concurrent
invocations of the function, each writing its part; the last one writes the manifest.

- ``FanOut.start`` (in the invocation that took the request) records the generation in the
  history table with its partition count, sends one asynchronous event per partition
  (``Invoke`` with ``InvocationType=Event`` of the function itself) and answers ``running``.
- ``FanOut.run`` (in each partition's invocation) draws the partition's chunks, puts its
  part create-only, and counts it on the history item with one conditional, atomic
  UpdateItem (``history.count_part``). The partition whose count completes the set reads the
  parts back when the request asked for a compliance scan or quality, writes the manifest
  with the summaries local generation would give (``S3Store.finish``), points the session
  at the dataset and marks the generation ``completed``.
- A partition that fails marks the generation ``failed`` and points the session at that
  failure, so a caller waiting for the dataset stops waiting; later parts are not counted.
- powertools Idempotency (DynamoDB, keyed by generation id, attempt and partition index)
  makes a retried partition a no-op that returns the first answer; the counter's condition
  holds on its own too, should an idempotency record have expired.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from synthdata_sdk.cloud import models
from synthdata_sdk.cloud.aws_errors import backend_error
from synthdata_sdk.cloud.failures import refuse
from synthdata_sdk.cloud.history import REQUESTED
from synthdata_sdk.cloud.observability import log_internal_error, logger
from synthdata_sdk.cloud.partitions import (
    PARTITION_KEY,
    PartitionTask,
    partition_count,
    partition_event,
)
from synthdata_sdk.cloud.pointer import FAILED, RUNNING, write_pointer
from synthdata_sdk.cloud.publish import generation_id_for, record_failure
from synthdata_sdk.errors import BackendConflictError, BackendError

if TYPE_CHECKING:
    from synthdata_sdk.cloud.history import GenerationHistory
    from synthdata_sdk.cloud.invocation import Invocation
    from synthdata_sdk.cloud.s3_store import S3Store
    from synthdata_sdk.prepared import PreparedRequest

#: sends one partition's event to the function, asynchronously
Invoke = Callable[[dict[str, Any]], None]
#: the largest event an asynchronous invocation takes (Lambda's limit is 256 KB)
MAX_EVENT_BYTES = 256 * 1024
#: the idempotency records' key prefix, the same whatever the function is called
IDEMPOTENCY_PREFIX = "synthdata-partition"
#: how long a partition's answer is kept for its retries: Lambda's longest event age (6 h)
IDEMPOTENCY_SECONDS = 6 * 3600


class PartitionInProgressError(BackendConflictError):
    """The same partition is running in another invocation: this delivery is retried later
    (raised out of the handler so that Lambda's asynchronous retries deliver it again)."""


def lambda_invoker(client: Any, function_name: str) -> Invoke:
    """An ``Invoke`` sending events to ``function_name`` with ``InvocationType=Event``."""

    def invoke(event: dict[str, Any]) -> None:
        try:
            client.invoke(
                FunctionName=function_name,
                InvocationType="Event",
                Payload=json.dumps(event, separators=(",", ":")).encode("utf-8"),
            )
        except (BotoCoreError, ClientError) as error:
            raise backend_error(
                error, doing="Lambda Invoke (Event)", resource=f"function {function_name}"
            ) from None

    return invoke


class FanOut:
    """Partitions of large requests over ``store`` and ``history``, sent with ``invoke``.

    ``idempotency_client`` is a DynamoDB client and ``idempotency_table`` the table of the
    partitions' idempotency records (its partition key ``generation_id``, a string).
    """

    def __init__(
        self,
        store: S3Store,
        history: GenerationHistory,
        invoke: Invoke,
        *,
        idempotency_client: Any,
        idempotency_table: str,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        from aws_lambda_powertools.utilities.idempotency import (
            DynamoDBPersistenceLayer,
            IdempotencyConfig,
            idempotent_function,
        )

        self.store = store
        self.history = history
        self.invoke = invoke
        self._clock = clock
        persistence = DynamoDBPersistenceLayer(
            table_name=idempotency_table,
            key_attr="generation_id",
            # the table's TTL attribute: DynamoDB deletes expired records itself
            expiry_attr="ttl",
            # not "status": a reader of the history table takes that for a generation's
            status_attr="idempotency_status",
            boto3_client=idempotency_client,
        )
        self._config = IdempotencyConfig(
            event_key_jmespath="[generation_id, attempt, index]",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=IDEMPOTENCY_SECONDS,
        )
        self._once: Callable[..., dict[str, Any]] = idempotent_function(
            self._run,
            data_keyword_argument="task",
            persistence_store=persistence,
            config=self._config,
            key_prefix=IDEMPOTENCY_PREFIX,
        )

    # the invocation that took the request ----------------------------------------------------

    def start(
        self,
        prepared: PreparedRequest,
        request: models.GenerateRequest,
        invocation: Invocation,
        *,
        partition_rows: int,
    ) -> models.GenerateResponse:
        """Record the generation, send its partitions and answer ``running``."""
        fingerprint = prepared.fingerprint
        partitions = partition_count(request.rows, partition_rows)
        generation_id = generation_id_for(invocation.session_id, fingerprint)
        item = self.history.start(
            generation_id,
            fingerprint=fingerprint,
            requester=invocation.requester,
            session_id=invocation.session_id,
            partitions=partitions,
        )
        if item.get("status") != REQUESTED:
            raise refuse(
                409,
                "conflict",
                f"generation {generation_id} of this session is {item.get('status')} already; "
                "ask again in a new session",
            )
        tasks = [
            PartitionTask(
                generation_id=generation_id,
                attempt=int(item.get("attempts", 1)),
                index=index,
                partitions=partitions,
                partition_rows=partition_rows,
                fingerprint=fingerprint,
                session_id=invocation.session_id,
                requester=invocation.requester,
                request=request,
            )
            for index in range(partitions)
        ]
        events = [partition_event(task) for task in tasks]
        try:
            size = len(json.dumps(events[0], separators=(",", ":")).encode("utf-8"))
            if size > MAX_EVENT_BYTES:
                raise refuse(
                    413,
                    "limit_exceeded",
                    f"the request is {size:,} bytes as a partition's event, over the "
                    f"{MAX_EVENT_BYTES:,} an asynchronous invocation takes; send a smaller "
                    "schema, or fewer rows than one partition draws",
                    "json_schema",
                )
            # before any partition runs, so the last one's pointer is never overwritten
            write_pointer(
                self.store,
                invocation.session_id,
                fingerprint=fingerprint,
                rows=request.rows,
                generation_id=generation_id,
                status=RUNNING,
            )
            for event in events:
                self.invoke(event)
        except Exception as error:
            self._fail(tasks[0], error, "the partitions could not all be sent")
            raise
        logger.info(
            "generation fanned out",
            extra={"fingerprint": fingerprint, "rows": request.rows, "partitions": partitions},
        )
        return models.GenerateResponse(
            fingerprint=fingerprint,
            s3_uri=self.store.uri(fingerprint),
            rows=request.rows,
            name=prepared.request.name,
            compliance=None,
            quality=None,
            reused=False,
            status="running",
            generation_id=generation_id,
            partitions=partitions,
        )

    # each partition's invocation ----------------------------------------------------------------

    def run(self, event: Any, context: Any) -> dict[str, Any]:
        """Run the partition ``event`` holds, once: a retried delivery answers as the first."""
        task = event.get(PARTITION_KEY) if isinstance(event, dict) else None
        try:
            PartitionTask.model_validate(task)
        except ValidationError as error:
            # a malformed event is not retried: it would be malformed again
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem["loc"])
            return {"status": "invalid", "error": f"{where}: {problem['msg']}"}
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
        )

        if context is not None and hasattr(context, "get_remaining_time_in_millis"):
            # an in-progress record expires with the invocation that wrote it
            self._config.register_lambda_context(context)
        try:
            return self._once(task=task)
        except IdempotencyAlreadyInProgressError:
            raise PartitionInProgressError(
                "this partition is running in another invocation; delivered again later",
                code="IdempotencyAlreadyInProgress",
            ) from None

    def _run(self, task: dict[str, Any]) -> dict[str, Any]:
        part = PartitionTask.model_validate(task)
        answer: dict[str, Any] = {"index": part.index, "partitions": part.partitions}
        item = self.history.get(part.generation_id)
        if (
            item is None
            or item.get("status") != REQUESTED
            or item.get("attempts") != part.attempt
            or item.get("fingerprint") != part.fingerprint
        ):
            # the generation failed, finished or was retried since: this part is not wanted
            return {**answer, "status": "skipped"}
        started = self._clock()
        try:
            from synthdata_sdk.cloud.prepare import prepare_generate

            prepared = prepare_generate(part.request)
            if prepared.fingerprint != part.fingerprint:
                raise BackendConflictError(
                    f"the partition's request has fingerprint {prepared.fingerprint}, not the "
                    f"generation's {part.fingerprint} (another engine version?)",
                    code="fingerprint_mismatch",
                )
            self.store.put_part(part.fingerprint, part.index, self._drawn(prepared, part))
            done = self.history.count_part(
                part.generation_id, attempt=part.attempt, index=part.index
            )
            if done is None or done < part.partitions:
                return {**answer, "status": "written", "counted": done is not None}
            self._finish(prepared, part, started)
            return {**answer, "status": "finished", "counted": True}
        except Exception as error:
            log_internal_error(error)
            self._fail(part, error, f"partition {part.index} of {part.partitions} failed")
            return {**answer, "status": "failed"}

    def _drawn(self, prepared: PreparedRequest, part: PartitionTask) -> Iterator[list[Any]]:
        """The partition's chunks, drawn as local generation draws them."""
        from synthdata_sdk.backends import model_checked
        from synthdata_sdk.generation.engine import generate_chunk

        request = prepared.request

        def chunks() -> Iterator[list[Any]]:
            for chunk in part.chunks():
                yield generate_chunk(
                    prepared.plan,
                    seed=request.seed,
                    locale=request.locale,
                    rows=request.rows,
                    chunk=chunk,
                )

        yield from model_checked(prepared, chunks())

    def _finish(self, prepared: PreparedRequest, part: PartitionTask, started: float) -> None:
        """Write the manifest (with the summaries local generation gives), point the session
        at the dataset and mark the generation completed."""
        from synthdata_sdk.output_checks import OutputChecks

        request = prepared.request
        checks = OutputChecks(request, quality=part.request.quality)
        if checks.compliance is not None or checks.quality is not None:
            for _ in checks.wrap(self._written(part)):
                pass  # scanned and measured on the way, as local generation does
        manifest = self.store.finish(
            request,
            part.partitions,
            compliance=checks.compliance_summary(),
            quality=checks.quality_summary(),
        )
        rows = sum(int(count) for count in manifest["tables"].values())
        write_pointer(
            self.store,
            part.session_id,
            fingerprint=part.fingerprint,
            rows=rows,
            generation_id=part.generation_id,
        )
        self.history.complete(
            part.generation_id,
            rows=rows,
            s3_uri=self.store.uri(part.fingerprint),
            quality=manifest.get("quality"),
            compliance=manifest.get("compliance"),
            timings={"finish_ms": round((self._clock() - started) * 1000, 3)},
        )
        logger.info(
            "generation finished",
            extra={"fingerprint": part.fingerprint, "rows": rows, "partitions": part.partitions},
        )

    def _written(self, part: PartitionTask) -> Iterator[list[Any]]:
        """The records of every part, in order, in the engine's chunks (so the checks see
        what they see in local generation)."""
        from synthdata_sdk.cache.entry_format import part_name
        from synthdata_sdk.generation.engine import CHUNK_ROWS

        for index in range(part.partitions):
            key = self.store.entry_key(part.fingerprint, part_name(index))
            data = self.store.objects.get(key)
            if data is None:
                raise BackendError(f"part {index} of {part.partitions} is gone from {key}")
            records = json.loads(data)
            for start in range(0, len(records), CHUNK_ROWS):
                yield records[start : start + CHUNK_ROWS]

    def _fail(self, part: PartitionTask, error: BaseException, what: str) -> None:
        """Mark the generation failed and point the session at the failure."""
        record_failure(self.history, part.generation_id, error)
        try:
            write_pointer(
                self.store,
                part.session_id,
                fingerprint=part.fingerprint,
                rows=0,
                generation_id=part.generation_id,
                status=FAILED,
                error=f"{what}: {type(error).__name__}",
            )
        except Exception as also:  # the generation is failed in the history all the same
            error.add_note(f"the session pointer could not say so: {also}")
