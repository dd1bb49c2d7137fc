"""Waiting for a fanned-out generation: poll the session pointer until it names the dataset.

The function answers a request split into partitions with ``running`` at once; the last
partition writes the manifest, then the session pointer (``pointer.py``), and a failing
partition points the session at its failure. The caller polls that pointer with a bounded
back-off, for at most ``timeout`` seconds; clock and sleep are injectable, so tests never
sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from synthdata_sdk.cloud.pointer import FAILED, RUNNING, read_pointer
from synthdata_sdk.errors import BackendDependencyError, BackendUnavailableError

if TYPE_CHECKING:
    from synthdata_sdk.cloud.s3_store import S3Store

#: seconds between looks: doubling from the first to the last, then the last again
FIRST_WAIT = 0.5
LONGEST_WAIT = 10.0
#: how long a caller waits for a fanned-out dataset: Lambda's 15 minutes, and the
#: partitions' queueing on top
DEFAULT_TIMEOUT = 1800.0


def await_result(
    store: S3Store,
    session_id: str,
    *,
    fingerprint: str,
    generation_id: str,
    via: str,
    timeout: float = DEFAULT_TIMEOUT,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Mapping[str, Any]:
    """The session's pointer once it names this generation's dataset.

    BackendDependencyError when it names the generation's failure; BackendUnavailableError
    after ``timeout`` seconds without either.
    """
    deadline = clock() + timeout
    wait = FIRST_WAIT
    location = store.uri(fingerprint)
    while True:
        pointer = read_pointer(store, session_id)
        if pointer is not None and pointer.get("generation_id") == generation_id:
            if pointer.get("status") == FAILED:
                raise BackendDependencyError(
                    f"{via} could not generate dataset {fingerprint} (generation "
                    f"{generation_id}): {str(pointer.get('error') or 'no reason given')[:300]}; "
                    "its logs and history item have the details",
                    code="generation_failed",
                    resource=location,
                )
            if pointer.get("fingerprint") == fingerprint and pointer.get("status") != RUNNING:
                return pointer
        left = deadline - clock()
        if left <= 0:
            raise BackendUnavailableError(
                f"{via} split the request into partitions, and dataset {fingerprint} was not "
                f"stored within {timeout:g} s (generation {generation_id}); look it up later "
                "by fingerprint, or check the function's logs",
                code="generation_timeout",
                resource=location,
            )
        sleep(min(wait, left))
        wait = min(wait * 2, LONGEST_WAIT)


@dataclass(frozen=True)
class Waiting:
    """How a backend waits for a fanned-out generation: for how long, on which clock."""

    timeout: float = DEFAULT_TIMEOUT
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def until_stored(
        self,
        store: S3Store,
        session_id: str,
        *,
        fingerprint: str,
        generation_id: str,
        via: str,
    ) -> Mapping[str, Any]:
        """``await_result`` with this timeout, clock and sleep."""
        return await_result(
            store,
            session_id,
            fingerprint=fingerprint,
            generation_id=generation_id,
            via=via,
            timeout=self.timeout,
            clock=self.clock,
            sleep=self.sleep,
        )
