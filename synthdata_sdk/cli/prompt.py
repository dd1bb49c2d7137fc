"""Prompts on the command line: ``generate --prompt TEXT`` and ``templates resolve TEXT``.

A prompt names a template or bundle in words, with a row count ("500 patients with
diagnoses"); ``schema.prompt.resolve_prompt`` reads it, locally and without the engine. An
unresolvable prompt is an ``UnresolvedPromptError`` (a ``RequestError``: exit 2) listing the
nearest templates.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synthdata_sdk import options
from synthdata_sdk.cli.common import PROG, UsageError, err, out, source_argument

if TYPE_CHECKING:
    from synthdata_sdk.schema.prompt import ResolvedPrompt


def add_prompt_option(parser: argparse.ArgumentParser) -> None:
    """``--prompt TEXT``, the alternative to SOURCE."""
    parser.add_argument(
        "--prompt",
        metavar="TEXT",
        help="a template or bundle and a row count in words instead of SOURCE, e.g. '500 "
        "patients with diagnoses' (see 'templates resolve'); --rows overrides its count",
    )


def source_and_rows(args: argparse.Namespace) -> str | Path:
    """The source SOURCE or ``--prompt`` names (exactly one of them), with ``args.rows`` set:
    from ``--rows`` if given, else the prompt's count, else the default. A prompt's resolution
    is shown on stderr unless ``--quiet``."""
    if (args.source is None) == (args.prompt is None):
        raise UsageError("give exactly one of SOURCE and --prompt TEXT")
    if args.prompt is None:
        if args.rows is None:
            args.rows = options.DEFAULT_ROWS
        return source_argument(args.source)
    resolved = resolve(args.prompt)
    given = args.rows is not None
    if not given:
        args.rows = options.DEFAULT_ROWS if resolved.rows is None else resolved.rows
    if not getattr(args, "quiet", False):
        err(f"{PROG}: {describe(resolved, args.rows, rows_given=given)}")
    return resolved.name


def resolve(prompt: str) -> ResolvedPrompt:
    from synthdata_sdk.schema.prompt import resolve_prompt

    return resolve_prompt(prompt)


def describe(resolved: ResolvedPrompt, rows: int, *, rows_given: bool = False) -> str:
    """``prompt '...' -> bundle 'healthcare', 500 rows (score 6.10; next: patient, ...)``."""
    why = " (--rows)" if rows_given else "" if resolved.rows is not None else " (the default)"
    others = f"; next: {', '.join(resolved.alternatives)}" if resolved.alternatives else ""
    return (
        f"prompt {resolved.prompt!r} -> {resolved.kind} {resolved.name!r}, "
        f"{rows:,} {'row' if rows == 1 else 'rows'}{why} (score {resolved.score:.2f}{others})"
    )


def as_json(resolved: ResolvedPrompt) -> dict[str, Any]:
    """The resolved request as ``templates resolve`` prints it (``rows`` null: none given)."""
    return {
        "prompt": resolved.prompt,
        "name": resolved.name,
        "kind": resolved.kind,
        "rows": resolved.rows,
        "score": round(resolved.score, 4),
        "alternatives": list(resolved.alternatives),
    }


def resolve_command(words: list[str]) -> int:
    """``templates resolve PROMPT``: the resolved request as JSON on stdout."""
    prompt = " ".join(words)
    if not prompt.strip():
        raise UsageError("templates resolve needs a prompt, e.g. '500 patients with diagnoses'")
    out(json.dumps(as_json(resolve(prompt)), indent=2, ensure_ascii=False))
    return 0
