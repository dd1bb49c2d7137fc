"""The real-world schema corpus: what each schema is, and running it in bounded time and memory.

Each schema runs in a worker process (one at a time, reused): generation of :data:`ROWS`
records through ``SynthDataClient``, then every record checked with the validator of the
draft the schema declares. The worker's memory is capped, and a worker that does not answer
within :data:`WALL_LIMIT` is killed and replaced, so no schema can stop the run. What is
judged is the CPU time of generation (a shared machine may be slow, not a busy one).
``benchmarks/bench_corpus.py`` runs the same worker to print the figures in docs/schema.md,
and can run hypothesis-jsonschema in it instead, for comparison.
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import time
import traceback
import warnings
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

CORPUS = Path(__file__).resolve().parent / "corpus"
SCHEMAS = CORPUS / "schemas"
#: records generated per schema
ROWS = 10
#: CPU seconds the generation of one schema's records may take
CPU_BOUND = 10.0
#: wall seconds after which a worker is presumed hung and replaced (well above CPU_BOUND)
WALL_LIMIT = 180.0
#: address space of a worker process
MEMORY_LIMIT = 3 * 2**30

STATUSES = ("generated", "refused", "invalid", "crash", "hung")


@dataclass(frozen=True)
class Outcome:
    """What one schema gave: a status from STATUSES, why, and the CPU seconds it took."""

    name: str
    status: str
    detail: str = ""
    cpu: float = 0.0


def names() -> list[str]:
    """The corpus schemas' file names, sorted."""
    return sorted(path.name for path in SCHEMAS.glob("*.json"))


def load(name: str) -> dict[str, Any]:
    """One corpus schema (a few carry a byte order mark)."""
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8-sig"))
    assert isinstance(schema, dict)
    return schema


# --------------------------------------------------------------------------- classification


def remote_refs(schema: dict[str, Any]) -> list[str]:
    """The ``$ref``s that point outside the document (no embedded ``$id``/``id`` matches)."""
    base = _id(schema) or "urn:corpus:root"
    ids = {urldefrag(urljoin(base, value))[0] for value in _values(schema, ("$id", "id"))}
    ids.add(urldefrag(base)[0])
    return [
        ref
        for ref in _values(schema, ("$ref",))
        if not ref.startswith("#") and urldefrag(urljoin(base, ref))[0] not in ids
    ]


def object_root(schema: dict[str, Any]) -> bool:
    """Whether the root (through a local ``$ref``) declares objects, or only object keywords."""
    node: Any = schema
    for _ in range(8):
        if not isinstance(node, dict):
            return False
        declared = node.get("type")
        if declared is not None:
            return declared == "object" or (isinstance(declared, list) and "object" in declared)
        ref = node.get("$ref")
        if not (isinstance(ref, str) and ref.startswith("#/")):
            break
        node = _pointer(schema, ref[2:])
    object_keywords = ("properties", "additionalProperties", "patternProperties", "required")
    return isinstance(node, dict) and any(key in node for key in object_keywords)


def draft(schema: dict[str, Any]) -> str:
    """The draft a schema declares, as synthdata reads it."""
    from synthdata_sdk.schema.drafts import dialect_of

    return str(dialect_of(schema).name)


def refusal_group(detail: str) -> str:
    """A short reason for a refusal, grouping similar messages."""
    keyword, _, message = detail.partition(": ")
    if message.startswith("too expensive"):
        return f"{keyword}: too expensive (redraw or size limit)"
    if "cannot resolve" in message:
        return "$ref: a reference it cannot resolve (remote)"
    if "after 30 attempts" in message:
        return f"{keyword}: no value met it in 30 redraws"
    if "accepts no value" in message:
        return "schema: a required part accepts no value"
    if "drawn only from safe ones" in message:
        return f"{keyword}: rules out the safe values of an identifier field"
    if keyword == "pattern":
        return "pattern: not drawable or not met"
    if "root schema" in message:
        return "type: the root has no object"
    return keyword


def _id(schema: dict[str, Any]) -> str | None:
    value = schema.get("$id", schema.get("id"))
    return value if isinstance(value, str) else None


def _values(node: Any, keys: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in keys and isinstance(value, str):
                out.append(value)
            out.extend(_values(value, keys))
    elif isinstance(node, list):
        for value in node:
            out.extend(_values(value, keys))
    return out


def _pointer(document: Any, pointer: str) -> Any:
    node = document
    for token in pointer.split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


# --------------------------------------------------------------------------- the worker


class Worker:
    """A process that runs one schema at a time; replaced when it hangs or dies.

    ``tool`` is ``synthdata`` or ``hypothesis-jsonschema`` (for the comparison figure).
    """

    def __init__(self, tool: str = "synthdata", wall_limit: float = WALL_LIMIT) -> None:
        self.tool = tool
        self.wall_limit = wall_limit
        self._process: Any = None
        self._conn: Connection | None = None

    def run(self, name: str) -> Outcome:
        """The outcome of one corpus schema."""
        if self._conn is None:
            self._start()
        assert self._conn is not None
        self._conn.send(name)
        if not self._conn.poll(self.wall_limit):
            self.close()
            return Outcome(name, "hung", f"no answer within {self.wall_limit:.0f} s", 0.0)
        try:
            status, detail, cpu = self._conn.recv()
        except EOFError:
            code = self._process.exitcode if self._process is not None else None
            self.close()
            return Outcome(name, "crash", f"the worker died (exit code {code})")
        return Outcome(name, status, detail, cpu)

    def close(self) -> None:
        """Stop the worker process (a new one starts with the next ``run``)."""
        if self._process is not None:
            self._process.kill()
            self._process.join()
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def _start(self) -> None:
        # spawn: a fresh interpreter, whatever threads the test runner holds
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, self.tool), daemon=True)
        self._process.start()
        child.close()
        self._conn = parent


def _serve(conn: Connection, tool: str) -> None:
    """The worker's loop: a schema name in, (status, detail, CPU seconds) out."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    warnings.simplefilter("ignore")
    attempt = _synthdata if tool == "synthdata" else _hypothesis_jsonschema
    while True:
        try:
            name = conn.recv()
        except EOFError:
            return
        conn.send(attempt(load(name)))


def _synthdata(schema: dict[str, Any]) -> tuple[str, str, float]:
    from synthdata_sdk.client import SynthDataClient
    from synthdata_sdk.errors import SchemaError, SynthDataError

    started = time.process_time()
    try:
        records = SynthDataClient().generate(schema, rows=ROWS).records
    except SchemaError as error:
        return "refused", f"{error.keyword}: {error.detail}", time.process_time() - started
    except SynthDataError as error:
        return "refused", f"{type(error).__name__}: {error}", time.process_time() - started
    except Exception:
        return "crash", traceback.format_exc(limit=-4), time.process_time() - started
    return _checked(schema, records, time.process_time() - started)


def _hypothesis_jsonschema(schema: dict[str, Any]) -> tuple[str, str, float]:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis_jsonschema import from_schema

    started = time.process_time()
    drawn: list[Any] = []
    try:

        @settings(
            max_examples=ROWS,
            database=None,
            derandomize=True,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(from_schema(schema))
        def collect(value: Any) -> None:
            drawn.append(value)

        collect()
    except Exception as error:  # its refusals have no common type
        return "refused", f"{type(error).__name__}: {error}"[:300], time.process_time() - started
    return _checked(schema, drawn, time.process_time() - started)


def _checked(schema: dict[str, Any], values: list[Any], cpu: float) -> tuple[str, str, float]:
    """``generated``, or ``invalid`` naming the first value the declared draft rejects."""
    from synthdata_sdk.schema.drafts import validator_for_schema

    if not values:
        return "refused", "no values", cpu
    validator = validator_for_schema(schema)
    for value in values:
        error = next(iter(validator.iter_errors(value)), None)
        if error is not None:
            where = "/".join(str(part) for part in error.absolute_path)
            return "invalid", f"/{where}: {error.message}"[:300], cpu
    return "generated", "", cpu
