"""Collect the real-world schema corpus from a SchemaStore checkout (or its bare git directory).

    python benchmarks/collect_corpus.py GIT_DIR [--count 200] [--max-bytes 100000]

Takes the JSON schemas under ``src/schemas/json/`` at the checkout's HEAD, orders them by the
sha256 of their file name (a fixed pseudo-random order that favours no kind of schema),
keeps those of at most ``--max-bytes`` that parse as a JSON object, and copies the first
``--count`` unchanged into ``tests/sdk/schema/corpus/schemas/``, less those in ``LEFT_OUT``. ``MANIFEST.json`` records
the commit and each file's path and blob, so the corpus can be checked against its source.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "sdk" / "schema" / "corpus"
SOURCE_DIR = "src/schemas/json/"


def git(git_dir: str, *args: str) -> bytes:
    """The output of one git command against ``git_dir``."""
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True
    ).stdout


#: schemas skipped: they name a package index's or registry's address, which the project
#: keeps out of its files
LEFT_OUT = (
    "abc-supply-plan-11.3.0.json",
    "abc-supply-plan-13.0.0.json",
    "abc-supply-plan-14.0.0.json",
    "abc-supply-plan-4.0.0.json",
    "bxci.schema-3.x.json",
    "chart.json",
    "claude-code-marketplace.json",
    "dependabot-2.0.json",
    "nightwatch.json",
    "pdm.json",
    "pubspec.json",
    "rancher-fleet-0.5.json",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("git_dir", help="the .git directory of a SchemaStore checkout")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--max-bytes", type=int, default=100_000)
    args = parser.parse_args()
    commit = git(args.git_dir, "rev-parse", "HEAD").decode().strip()
    listing = git(args.git_dir, "ls-tree", "-l", "HEAD", SOURCE_DIR).decode().splitlines()
    entries = []
    for line in listing:
        meta, path = line.split("\t", 1)
        _mode, kind, blob, size = meta.split()  # size "BAD": absent from a partial clone
        if (
            kind == "blob"
            and path.endswith(".json")
            and size.isdigit()
            and int(size) <= args.max_bytes
        ):
            entries.append((hashlib.sha256(Path(path).name.encode()).hexdigest(), path, blob))
    schemas = CORPUS / "schemas"
    schemas.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict[str, str]] = {}
    chosen = 0
    for _, path, blob in sorted(entries):
        if chosen == args.count:
            break
        try:
            data = git(args.git_dir, "cat-file", "blob", blob)
            parsed = json.loads(data.decode("utf-8-sig"))
        except (subprocess.CalledProcessError, UnicodeDecodeError, json.JSONDecodeError):
            continue  # absent from a partial clone, or not JSON
        if not isinstance(parsed, dict):
            continue
        name = Path(path).name
        chosen += 1  # a schema left out still counts: the rest of the selection stays put
        if name in LEFT_OUT:
            continue
        (schemas / name).write_bytes(data)
        manifest[name] = {"path": path, "blob": blob}
    document = {
        "source": "https://github.com/SchemaStore/schemastore",
        "commit": commit,
        "selection": f"sha256(file name) order, at most {args.max_bytes} bytes, JSON objects; "
        "the schemas in left_out are skipped (they name a package index's address)",
        "schemas": dict(sorted(manifest.items())),
        "left_out": list(LEFT_OUT),
    }
    (CORPUS / "MANIFEST.json").write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(f"{len(manifest)} schemas from {commit[:12]} in {schemas}")


if __name__ == "__main__":
    main()
