"""The cloud backend through the local stack: local vs lambda vs agent, a shared-cache pull,
and the backend calls a warm cache makes.

Run: ``python benchmarks/bench_backend.py [--rows 10000] [--pull-rows 100000] [--repeat 5]
[--function-rows 1000000]``. Needs the ``aws-local`` extra. Everything runs in this process against ``LocalStack`` on
127.0.0.1, with test credentials set here (real ones are never read). The stack runs the action
function in-process, so Lambda cold starts, network latency and S3's own speed are not in
these figures: they measure the code on both sides of the wire, moto and loopback HTTP.

1. ``--rows`` customers from each backend, rounds interleaving the backends (a new seed every
   call, so the function always generates): median wall and CPU seconds (CPU of the whole
   process: client, stack and function), per-round ratios to local, and the function's own
   wall and thread CPU time with the AWS calls it made (what the cost model prices).
2. ``--pull-rows`` customers from the lambda backend (the function's time at that size), then
   warm shared-cache pulls of its entry into empty local caches, through
   ``plan_pull``/``run_pull`` with an ``S3Source``, as ``synthdata cache pull`` does: MB/s.
3. A ``DatasetCache`` with the shared tier, agent backend, run on an empty shared cache and
   then as a second job (a fresh local cache) on the warm one: the Invoke/InvokeAgent
   requests the stack served for each (0 expected on the warm run).
4. With ``--function-rows N``: one request of N rows through the Invoke API, timed in the
   function only (its records are not downloaded), and the growth of the peak RSS.

Record results in docs/performance.md with the machine and date; never turn them into timed
tests.
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# test credentials and no profile, before boto3 is imported: this never touches a real account
FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
BACKENDS = ("local", "lambda", "agent")


@dataclass
class Counter:
    """What the action function did: its calls, time, and the AWS calls made while it ran."""

    invocations: int = 0
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    aws_calls: collections.Counter[str] = field(default_factory=collections.Counter)
    client_calls: collections.Counter[str] = field(default_factory=collections.Counter)
    running: threading.local = field(default_factory=threading.local)

    def reset(self) -> None:
        self.invocations = 0
        self.wall.clear()
        self.cpu.clear()
        self.aws_calls.clear()
        self.client_calls.clear()

    def wrap(self, handler: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        """``handler``, counted: every Invoke and InvokeAgent the stack serves runs it."""

        def counted(event: Any, context: Any) -> Any:
            self.invocations += 1
            self.running.active = True
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return handler(event, context)
            finally:
                self.wall.append(time.perf_counter() - wall)
                self.cpu.append(time.thread_time() - cpu)
                self.running.active = False

        return counted


@contextmanager
def counting_aws_calls(counter: Counter) -> Iterator[None]:
    """Count every botocore API call, by ``service:operation``: the function's apart from the
    caller's (the function runs in the stack's request thread, flagged by ``Counter.wrap``)."""
    from botocore.client import BaseClient

    original = BaseClient._make_api_call

    def make_api_call(client: Any, operation: str, params: Any) -> Any:
        name = f"{client.meta.service_model.service_name}:{operation}"
        calls = counter.aws_calls if getattr(counter.running, "active", False) else None
        (calls if calls is not None else counter.client_calls)[name] += 1
        return original(client, operation, params)

    BaseClient._make_api_call = make_api_call
    try:
        yield
    finally:
        BaseClient._make_api_call = original


def clients(stack: Any, project: Path) -> dict[str, Any]:
    """One client per backend, the remote ones pointed at the stack by arguments."""
    from synthdata_sdk import SynthDataClient

    found = stack.settings
    where = {
        "endpoint_url": found.endpoint_url,
        "region": found.region,
        "bucket": found.bucket,
        "prefix": found.prefix,
        "project_dir": project,
    }
    return {
        "local": SynthDataClient(backend="local", project_dir=project),
        "lambda": SynthDataClient(backend="lambda", function_name=found.function_name, **where),
        "agent": SynthDataClient(
            backend="agent", agent_id=found.agent_id, agent_alias_id=found.agent_alias_id, **where
        ),
    }


def timed(call: Callable[[], Any]) -> tuple[float, float]:
    """Wall and process CPU seconds of ``call()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def backends(stack: Any, counter: Counter, project: Path, rows: int, repeat: int) -> None:
    """Section 1: ``rows`` customers from each backend, interleaved rounds."""
    made = clients(stack, project)
    seeds = iter(range(1, 10_000))
    for client in made.values():  # warm-up: imports, connections, the function's first call
        client.generate("customer", rows=100, seed=next(seeds))
    counter.reset()
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in BACKENDS}
    callers: dict[str, collections.Counter[str]] = {
        name: collections.Counter() for name in BACKENDS
    }
    for _ in range(repeat):
        for name, client in made.items():
            call = functools.partial(client.generate, "customer", rows=rows, seed=next(seeds))
            runs[name].append(timed(call))
            callers[name].update(counter.client_calls)
            counter.client_calls.clear()
    say(f"\n1. {rows:,} customer rows, {repeat} interleaved rounds (median):")
    base = runs["local"]
    for name in BACKENDS:
        walls = [wall for wall, _ in runs[name]]
        cpus = [cpu for _, cpu in runs[name]]
        ratios = [wall / local for (wall, _), (local, _) in zip(runs[name], base, strict=True)]
        say(
            f"  {name:6} {statistics.median(walls):7.3f} s wall {statistics.median(cpus):7.3f}"
            f" s CPU   {statistics.median(ratios):5.2f}x local"
            f" (rounds: {', '.join(f'{r:.2f}' for r in ratios)})"
        )
    calls = counter.invocations
    say(
        f"  the function, {calls} calls: {statistics.median(counter.wall):.3f} s wall,"
        f" {statistics.median(counter.cpu):.3f} s thread CPU (median)"
    )
    say(f"  AWS calls per function call: {per_call(counter.aws_calls, calls)}")
    for name in BACKENDS[1:]:
        say(f"  the {name} caller's AWS calls per request: {per_call(callers[name], repeat)}")


def say(*text: object) -> None:
    """Print to the real standard output (the function's logs and metrics go to a null one)."""
    print(*text, file=sys.__stdout__, flush=True)


def per_call(calls: collections.Counter[str], invocations: int) -> str:
    """``service:Operation n`` averaged over ``invocations``, most frequent first."""
    if not invocations:
        return "none"
    return ", ".join(f"{name} {count / invocations:g}" for name, count in calls.most_common())


def pull(stack: Any, counter: Counter, root: Path, rows: int, repeat: int) -> None:
    """Section 2: a warm shared-cache pull of ``rows`` customers, as ``cache pull`` does."""
    from synthdata_sdk import SynthDataClient
    from synthdata_sdk.cache.store import LocalStore
    from synthdata_sdk.cloud.s3_source import S3Source
    from synthdata_sdk.cloud.shared import open_shared_cache
    from synthdata_sdk.cloud.transfer import plan_pull, run_pull

    found = stack.settings
    # the function's own output is the shared cache: its prefix, its entry
    uri = f"s3://{found.bucket}/{found.prefix}"
    counter.reset()
    wall, cpu = timed(
        lambda: clients(stack, root)["lambda"].generate("customer", rows=rows, seed=1)
    )
    say(
        f"\n2. {rows:,} rows from the lambda backend: {wall:.2f} s wall, {cpu:.2f} s CPU; the"
        f" function {counter.wall[0]:.2f} s wall, {counter.cpu[0]:.2f} s thread CPU"
    )
    dataset = SynthDataClient(backend="local").generate("customer", rows=rows, seed=1)
    source = S3Source(open_shared_cache(uri, endpoint=found.endpoint_url))
    counter.reset()
    rates: list[float] = []
    seconds: list[float] = []
    size = 0
    for number in range(repeat):
        local = LocalStore(root / f"pull{number}")
        start = time.perf_counter()
        plans = plan_pull(source, local, [dataset.fingerprint])
        outcomes = list(run_pull(source, local, plans))
        elapsed = time.perf_counter() - start
        assert [outcome.status for outcome in outcomes] == ["pulled"], outcomes
        size = outcomes[0].size
        seconds.append(elapsed)
        rates.append(size / 1e6 / elapsed)
        assert local.load(dataset.fingerprint).records == dataset.records
    say(
        f"  warm shared-cache pull, {rows:,} rows ({size / 1e6:.1f} MB) into an empty cache:"
        f" {statistics.median(rates):.1f} MB/s median, {statistics.median(seconds):.2f} s"
        f" (rounds: {', '.join(f'{r:.1f}' for r in rates)} MB/s)"
    )
    say(f"  AWS calls per pull: {per_call(counter.client_calls, repeat)}")


def warm_cache(stack: Any, counter: Counter, root: Path, rows: int) -> None:
    """Section 3: the backend calls of a cold and a warm shared cache (agent backend)."""
    from synthdata_sdk.cache.resolver import DatasetCache
    from synthdata_sdk.cache.store import LocalStore
    from synthdata_sdk.cloud.shared import open_shared_cache

    found = stack.settings
    agent = clients(stack, root)["agent"]
    prepared = agent.prepare("customer", rows=rows, seed=424242)
    uri = f"s3://{found.bucket}/ci-cache"
    say(f"\n3. DatasetCache with the shared tier, agent backend, {rows:,} rows:")
    for label, folder in (("empty shared cache", "job1"), ("warm shared cache", "job2")):
        shared = open_shared_cache(uri, write=True, endpoint=found.endpoint_url)
        cache = DatasetCache(agent, LocalStore(root / folder), shared=shared, write_shared=True)
        counter.reset()
        served = cache.get(prepared)
        assert len(served.dataset.records) == rows
        say(
            f"  {label:18}: served from {served.origin.value}, {counter.invocations}"
            f" Invoke/InvokeAgent requests served by the stack, {served.seconds:.2f} s"
        )


def function_only(stack: Any, counter: Counter, rows: int) -> None:
    """Optional: one request of ``rows`` through Lambda's Invoke API, records not downloaded."""
    found = stack.settings
    request = {"template": "customer", "rows": rows, "seed": 99}
    event = {"action": "generate", "request": request, "session_id": "bench-function"}
    counter.reset()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    answer = stack.client("lambda").invoke(
        FunctionName=found.function_name, Payload=json.dumps(event).encode()
    )
    body = json.loads(answer["Payload"].read())["body"]
    assert body["rows"] == rows, body
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(
        f"\n4. the function alone, {rows:,} rows: {counter.wall[0]:.2f} s wall,"
        f" {counter.cpu[0]:.2f} s thread CPU; peak RSS of the process {before:.0f} -> {after:.0f} MB"
    )
    say(f"  AWS calls: {per_call(counter.aws_calls, 1)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--pull-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--function-rows", type=int, default=0, help="also time one such request, function only"
    )
    args = parser.parse_args()
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "SYNTHDATA_ENDPOINT_URL"):
        os.environ.pop(name, None)
    os.environ.update(FAKE_ENVIRONMENT)
    # the function's JSON logs and EMF metrics are still written (their cost is in the
    # figures), to a null stream: the handler's logger binds sys.stdout when imported
    sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115 (for the rest of the process)
    from synthdata_sdk.cloud.local import LocalStack

    say(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs,"
        f" load average {os.getloadavg()[0]:.2f} before the runs"
    )
    started = time.perf_counter()
    counter = Counter()
    with tempfile.TemporaryDirectory() as tmp, LocalStack() as stack, counting_aws_calls(counter):
        stack.handler = counter.wrap(stack.handler)
        root = Path(tmp)
        backends(stack, counter, root, args.rows, args.repeat)
        pull(stack, counter, root, args.pull_rows, args.repeat)
        warm_cache(stack, counter, root, args.rows)
        if args.function_rows:
            function_only(stack, counter, args.function_rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(f"\npeak RSS of the process {peak:.0f} MB; {time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
