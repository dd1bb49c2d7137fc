"""The coherence figure of every built-in template: the share of records whose fields agree.

Run: ``python benchmarks/bench_coherence.py [--rows 1000] [--seed 7] [--locales en_US de_DE]``.
Prints the Markdown table docs/quality.md shows: each template, the rules that applied to
its records, and its coherent share in each locale. ``tests/sdk/generation/test_coherence.py``
keeps every template at 100% in every locale.
"""

from __future__ import annotations

import argparse

from synthdata_sdk import SynthDataClient
from synthdata_sdk.quality.coherence import RULES, measure_coherence
from synthdata_sdk.schema.templates import list_templates, load_template


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--locales", nargs="+", default=["en_US", "de_DE"])
    args = parser.parse_args()
    client = SynthDataClient()
    print("| template | rules checked | " + " | ".join(args.locales) + " |")
    print("|---|---|" + "---|" * len(args.locales))
    for name in list_templates():
        schema = load_template(name)
        rates, checked = [], set()
        for locale in args.locales:
            records = client.generate(name, rows=args.rows, seed=args.seed, locale=locale)
            result = measure_coherence(records.records, schema, name)
            rates.append(f"{result.rate:.1%}")
            checked |= {count.rule for count in result.rules.values() if count.checked}
        rules = ", ".join(rule for rule in RULES if rule in checked) or "none applies"
        print(f"| {name} | {rules} | " + " | ".join(rates) + " |")


if __name__ == "__main__":
    main()
