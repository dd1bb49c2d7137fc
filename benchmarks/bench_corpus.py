"""The real-world corpus figure: how many schemas give valid records, and why the others don't.

Run: ``python benchmarks/bench_corpus.py [--tool synthdata|hypothesis-jsonschema] [--only N]``.
Runs every schema of ``tests/sdk/schema/corpus`` in the test suite's worker (10 records,
each checked with the validator of the schema's declared draft; memory capped; a schema
that does not answer in 180 s is counted as hung) and prints the counts by outcome, for the
whole corpus and for the schemas with an object root and no remote ``$ref``, the refusals
grouped by reason, and the CPU time per schema (a hung schema's is not known: 0). ``--tool hypothesis-jsonschema`` runs that
library instead, for comparison (install it first; it is not a dependency). Record results
in docs/schema.md; the test suite asserts only the floor (tests/sdk/schema/test_corpus.py).
"""

from __future__ import annotations

import argparse
import collections
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.sdk.schema.corpus_support import (
    STATUSES,
    Outcome,
    Worker,
    load,
    names,
    object_root,
    refusal_group,
    remote_refs,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tool", default="synthdata", choices=["synthdata", "hypothesis-jsonschema"]
    )
    parser.add_argument("--only", type=int, default=0, help="run the first N schemas only")
    parser.add_argument(
        "--wall", type=float, default=180.0, help="seconds before a schema counts as hung"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per schema")
    args = parser.parse_args()
    corpus = names()[: args.only] if args.only else names()
    worker = Worker(args.tool, args.wall)
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    try:
        for name in corpus:
            outcome = worker.run(name)
            outcomes.append(outcome)
            if args.verbose:
                print(f"{outcome.status:9} {outcome.cpu:6.2f} {name} {outcome.detail[:120]}")
    finally:
        worker.close()
    elapsed = time.perf_counter() - started
    core = {n for n in corpus if object_root(load(n)) and not remote_refs(load(n))}
    print(f"{args.tool} on {len(corpus)} schemas ({platform.python_version()}), {elapsed:.0f} s")
    for label, chosen in (
        ("all", outcomes),
        ("object root, no remote $ref", [o for o in outcomes if o.name in core]),
    ):
        counts = collections.Counter(o.status for o in chosen)
        shown = ", ".join(f"{counts[s]} {s}" for s in STATUSES)
        share = counts["generated"] / len(chosen) if chosen else 0.0
        print(f"  {label}: {len(chosen)} schemas: {shown} ({share:.1%} generated)")
    remote = sum(1 for n in corpus if remote_refs(load(n)))
    print(f"  schemas with a remote $ref: {remote}")
    groups = collections.Counter(
        refusal_group(o.detail) if args.tool == "synthdata" else o.detail.split(":")[0]
        for o in outcomes
        if o.status == "refused"
    )
    print("  refusals by reason:")
    for reason, count in groups.most_common():
        print(f"    {count:4}  {reason}")
    for status in ("invalid", "crash", "hung"):
        for o in outcomes:
            if o.status == status:
                print(f"  {status}: {o.name}: {o.detail[:200]}")
    cpu = sorted(o.cpu for o in outcomes)
    print(
        f"  CPU per schema: median {statistics.median(cpu):.2f} s, max {cpu[-1]:.2f} s"
        f" ({max(outcomes, key=lambda o: o.cpu).name}), total {sum(cpu):.0f} s"
    )


if __name__ == "__main__":
    main()
