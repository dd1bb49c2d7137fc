"""Checks of blocks that show an input rather than output: ``<!-- docs-test: valid KIND -->``.

- ``property``: a JSON Schema of one property (as the ``x-synthdata`` examples show). As the
  only property of an object, it must pass ``validate_schema`` with unknown keywords refused
  (a misspelt keyword is an error, not an annotation), and generate.
- ``usage``: synopses of ``synthdata`` commands, one per command, continuation lines
  indented. Each is compared with the command's argument parser: the same options (every
  spelling), the same value placeholders (a choice list, or any one-word placeholder for
  it), the same positional arguments, optional and repeated as the parser has them.
- ``ci-config``: a CI or pre-commit configuration in YAML. It must parse, and each
  ``synthdata`` or ``pytest`` command of its ``run`` and ``entry`` values must be accepted by
  the command's parser (with pytest: the plugin's options and their choices). pre-commit
  appends file names to an ``entry``, so one is appended. A GitHub expression chooses among
  the quoted values after its ``&&`` and ``||``: each is tried.
- ``pyproject``: a ``pyproject.toml`` with a ``[tool.synthdata]`` table, read as the client
  reads it (``backend_config.read_pyproject``): every key known, every value of its type.
- ``cache-layout``: the tree of a cache folder. Every name in it (``<fingerprint>`` standing
  for 64 hex digits, ``<...>`` for any name) must be in a real cache folder while the plugin's
  cache writes an entry or after, and everything in that folder afterwards must be in the
  tree.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import shlex
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

Validator = Callable[[str, pytest.Pytester], list[str]]


def check(kind: str, code: str, pytester: pytest.Pytester) -> list[str]:
    """The problems of ``code`` as a ``kind`` (empty when it is valid)."""
    validator = VALIDATORS.get(kind)
    if validator is None:
        return [f"unknown kind 'valid {kind}' (expected one of {', '.join(VALIDATORS)})"]
    return validator(code, pytester)


# property -------------------------------------------------------------------------------------


def _property(code: str, _pytester: pytest.Pytester) -> list[str]:
    from synthdata_sdk import SynthDataClient
    from synthdata_sdk.errors import SynthDataError

    try:
        prop = json.loads(code)
    except json.JSONDecodeError as error:
        return [f"this property schema is not JSON: {error}"]
    schema = {"type": "object", "properties": {"field": prop}, "required": ["field"]}
    client = SynthDataClient()
    report = client.validate_schema(schema, strict_keywords=True)
    if not report.valid:
        return [
            f"this property schema is refused: {error.pointer}: {error.message}"
            for error in report.errors
        ]
    try:
        client.generate(schema, rows=20)
    except SynthDataError as error:
        return [f"this property schema does not generate: {error}"]
    return []


# usage ----------------------------------------------------------------------------------------


def _usage(code: str, _pytester: pytest.Pytester) -> list[str]:
    from synthdata_sdk.cli.main import build_parser

    root = build_parser()
    problems: list[str] = []
    synopses = re.split(r"\n(?=\S)", code.strip())
    for synopsis in synopses:
        words = synopsis.split()
        if words[:1] != [root.prog]:
            problems.append(f"a synopsis starts with {root.prog!r}: {synopsis.splitlines()[0]}")
            continue
        parser, rest = root, words[1:]
        while rest and rest[0] in _subcommands(parser):
            parser, rest = _subcommands(parser)[rest[0]], rest[1:]
        if parser is root:
            problems.append(f"no {root.prog} command in: {synopsis.splitlines()[0]}")
            continue
        problems.extend(f"{parser.prog}: {problem}" for problem in _compare(parser, rest))
    return problems


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _compare(parser: argparse.ArgumentParser, words: list[str]) -> list[str]:
    shown_options, aliases, shown_positionals = _read_synopsis(words)
    problems: list[str] = []
    actions = [action for action in parser._actions if "-h" not in action.option_strings]
    options = {spelling: action for action in actions for spelling in action.option_strings}
    for spelling in sorted(set(options) - set(shown_options)):
        problems.append(f"the synopsis leaves out {spelling}")
    for spelling in sorted(set(shown_options) - set(options)):
        problems.append(f"the synopsis shows {spelling}, which the command does not take")
    for group in aliases:
        if len({id(options.get(spelling)) for spelling in group}) > 1:
            problems.append(f"{' | '.join(group)} are not spellings of one option")
    for spelling, shown in shown_options.items():
        action = options.get(spelling)
        if action is not None:
            problems.extend(_compare_value(spelling, shown, action))
    positionals = [
        (action.metavar or action.dest.upper(), action.nargs)
        for action in actions
        if not action.option_strings
    ]
    expected = [_synopsis_of(str(name), nargs) for name, nargs in positionals]
    if shown_positionals != expected:
        problems.append(
            f"positional arguments are {' '.join(expected) or 'none'}, the synopsis shows "
            f"{' '.join(shown_positionals) or 'none'}"
        )
    return problems


def _compare_value(spelling: str, shown: str | None, action: argparse.Action) -> list[str]:
    if action.nargs == 0:
        return [] if shown is None else [f"{spelling} takes no value, the synopsis shows {shown}"]
    if shown is None:
        return [f"{spelling} takes a value, which the synopsis leaves out"]
    if action.choices is not None:
        listed = "|".join(str(choice) for choice in action.choices)
        if shown == listed or re.fullmatch(r"[A-Z]", shown):
            return []
        return [f"{spelling} takes one of {listed}, the synopsis shows {shown}"]
    metavar = str(action.metavar or action.dest.upper())
    return [] if shown == metavar else [f"{spelling} takes {metavar}, the synopsis shows {shown}"]


def _synopsis_of(name: str, nargs: Any) -> str:
    return {None: name, "?": f"[{name}]", "*": f"[{name} ...]", "+": f"{name}..."}.get(
        nargs, f"{name}{{{nargs}}}"
    )


def _read_synopsis(
    words: list[str],
) -> tuple[dict[str, str | None], list[list[str]], list[str]]:
    """Options with the value they show, groups of spellings, positionals (normalised)."""
    options: dict[str, str | None] = {}
    aliases: list[list[str]] = []
    positionals: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word.lstrip("[").startswith("-"):
            group = [word.lstrip("[").rstrip("]")]
            closed = word.endswith("]")
            while not closed and i + 2 < len(words) and words[i + 1] == "|":
                i += 2
                group.append(words[i].lstrip("[").rstrip("]"))
                closed = words[i].endswith("]")
            value = None
            if not closed and i + 1 < len(words) and not words[i + 1].lstrip("[").startswith("-"):
                i += 1
                value = words[i][:-1] if words[i].endswith("]") else words[i]
                if i + 1 < len(words) and words[i + 1] in ("...", "...]"):
                    i += 1  # an option that may be repeated: ``[--schema SOURCE ...]``
            for spelling in group:
                options[spelling] = value
            if len(group) > 1:
                aliases.append(group)
        elif word in ("...", "...]"):
            positionals[-1] = positionals[-1].rstrip("]") + " ...]"
        else:
            name = word.rstrip("]") + ("]" if word.startswith("[") else "")
            positionals.append(name)
        i += 1
    return options, aliases, positionals


# ci-config ------------------------------------------------------------------------------------

_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")
_CHOSEN = re.compile(r"(?:&&|\|\|)\s*'([^']*)'")
#: what pre-commit appends to an ``entry``: the staged files
_STAGED_FILE = "tests/fixtures/customers.csv"


def _ci_config(code: str, pytester: pytest.Pytester) -> list[str]:
    import yaml

    try:
        document = yaml.safe_load(code)
    except yaml.YAMLError as error:
        return [f"this configuration is not YAML: {error}"]
    commands = list(_commands(document))
    if not commands:
        return ["no run or entry command to check in this configuration"]
    problems: list[str] = []
    for key, text in commands:
        for line in text.splitlines():
            problems.extend(_check_command(line.strip(), key == "entry", pytester))
    return problems


def _commands(node: Any) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "entry") and isinstance(value, str):
                yield key, value
            else:
                yield from _commands(value)
    elif isinstance(node, list):
        for item in node:
            yield from _commands(item)


def _check_command(line: str, appends_files: bool, pytester: pytest.Pytester) -> list[str]:
    expressions = _EXPRESSION.findall(line)
    choices = [_CHOSEN.findall(expression) for expression in expressions]
    if any(not chosen for chosen in choices):
        return [f"cannot tell what the expression of `{line}` gives"]
    problems: list[str] = []
    for values in itertools.product(*choices):
        command = _fill(line, values)
        words = shlex.split(command)
        if not words or words[0] not in ("synthdata", "pytest"):
            continue
        args = words[1:] + ([_STAGED_FILE] if appends_files else [])
        refused = _refusal(words[0], args, pytester)
        if refused:
            problems.append(f"`{command}` is refused: {refused}")
    return problems


def _fill(line: str, values: tuple[str, ...]) -> str:
    """``line`` with its expressions replaced by ``values``, in order."""
    pieces = iter(values)
    return _EXPRESSION.sub(lambda _: next(pieces), line)


def _refusal(program: str, args: list[str], pytester: pytest.Pytester) -> str | None:
    if program == "pytest":
        try:
            pytester.parseconfig(*args)
        except pytest.UsageError as error:
            return str(error)
        return None
    from synthdata_sdk.cli.common import UsageError
    from synthdata_sdk.cli.main import build_parser

    try:
        build_parser().parse_args(args)
    except UsageError as error:
        return str(error)
    return None


# cache-layout ---------------------------------------------------------------------------------

_PLACEHOLDERS = {"<fingerprint>": "[0-9a-f]{64}", "<...>": "[^/]+"}


def _cache_layout(code: str, _pytester: pytest.Pytester) -> list[str]:
    from synthdata_sdk import SynthDataClient
    from synthdata_sdk.cache.resolver import DatasetCache
    from synthdata_sdk.cache.store import LocalStore

    shown = _tree(code)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / shown[0].rstrip("/")
        store = LocalStore(root)
        seen: set[str] = set()
        move = LocalStore._move_into_place

        def watched(self: LocalStore, *args: Any, **kwargs: Any) -> bool:
            seen.update(_listing(root))  # while the entry is being written
            return move(self, *args, **kwargs)

        with mock.patch.object(LocalStore, "_move_into_place", watched):
            client = SynthDataClient()
            DatasetCache(client, store).get(client.prepare("customer", rows=5))
        after = _listing(root)
    patterns = [_pattern(path) for path in shown[1:]]
    problems = [
        f"{path} is never in a cache folder"
        for path, pattern in zip(shown[1:], patterns, strict=True)
        if not any(pattern.fullmatch(name) for name in seen | after)
    ]
    covered = [_pattern(prefix) for path in shown[1:] for prefix in _prefixes(path)]
    problems.extend(
        f"the cache folder holds {name}, which the tree leaves out"
        for name in sorted(after)
        if not any(pattern.fullmatch(name) for pattern in covered)
    )
    return problems


def _tree(code: str) -> list[str]:
    """The paths of an indented tree, the root first, folders ending in ``/``."""
    stack: list[tuple[int, str]] = []
    paths: list[str] = []
    for line in code.splitlines():
        entry = re.sub(r"\s+#.*$", "", line).rstrip()
        if not entry.strip():
            continue
        indent = len(entry) - len(entry.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1] if len(stack) > 1 else ""
        path = parent + entry.strip() if stack else entry.strip()
        stack.append((indent, path))
        paths.append(path)
    return paths


def _listing(root: Path) -> set[str]:
    return {
        path.relative_to(root).as_posix() + ("/" if path.is_dir() else "")
        for path in root.rglob("*")
    }


def _pattern(path: str) -> re.Pattern[str]:
    pieces = re.split(r"(<fingerprint>|<\.\.\.>)", path)
    return re.compile("".join(_PLACEHOLDERS.get(piece, re.escape(piece)) for piece in pieces))


def _prefixes(path: str) -> list[str]:
    parts = path.rstrip("/").split("/")
    return [*("/".join(parts[:n]) + "/" for n in range(1, len(parts))), path]


# pyproject ------------------------------------------------------------------------------------


def _pyproject(code: str, _pytester: pytest.Pytester) -> list[str]:
    from synthdata_sdk.backend_config import read_pyproject
    from synthdata_sdk.errors import BackendConfigError

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pyproject.toml"
        path.write_text(code, encoding="utf-8")
        try:
            settings = read_pyproject(path)
        except BackendConfigError as error:
            return [str(error).replace(str(path), "pyproject.toml")]
    return [] if settings else ["no [tool.synthdata] settings in this pyproject.toml"]


VALIDATORS: dict[str, Validator] = {
    "property": _property,
    "usage": _usage,
    "ci-config": _ci_config,
    "cache-layout": _cache_layout,
    "pyproject": _pyproject,
}
