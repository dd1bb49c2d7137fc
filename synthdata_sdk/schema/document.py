"""The schema document as JSON: a checked copy, before anything else reads it.

A schema given as a Python dict may hold what JSON cannot (``b"x"``, ``1: {...}`` keys,
``nan``, ``inf``, a 10**400 integer) and may be nested or sized beyond what the rest of
synthdata should be asked to walk. ``json_copy`` copies it in one iterative pass (no
recursion, so any depth is safe to look at) and raises ``SchemaError`` at the first value
that is not JSON, or ``LimitError`` once it is deeper or larger than the limits allow.
Tuples and other mappings are copied as the lists and objects JSON would make of them.
``checked_document`` also holds each ``enum`` and ``properties`` to its limit, and refuses
a ``pattern`` (or ``patternProperties`` name) that ``re`` cannot compile or could take
exponential time to match (``schema.pattern_backtracking``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.limits import DEPTH, ENUM_VALUES, PROPERTIES, SCHEMA_SIZE
from synthdata_sdk.schema.metaschema import subschemas
from synthdata_sdk.schema.pattern_backtracking import check_backtracking
from synthdata_sdk.schema.pattern_syntax import compile_pattern

#: the largest integer magnitude kept: beyond a double's range, validators disagree
_MAX_INT_BITS = 1024


def checked_document(document: Any) -> Any:
    """``json_copy(document)``, with every ``enum`` and ``properties`` within its limit."""
    copy = json_copy(document)
    max_enum = ENUM_VALUES.value()
    max_properties = PROPERTIES.value()
    max_depth = DEPTH.value()
    for node, path in subschemas(copy):
        if not isinstance(node, dict):
            continue
        pointer = _pointer(tuple(map(str, path)))
        named = node.get("patternProperties")
        patterns = [("pattern", node.get("pattern"))]
        patterns += (
            [("patternProperties", key) for key in named or ()] if isinstance(named, dict) else []
        )
        for keyword, pattern in patterns:
            if isinstance(pattern, str):
                _check_pattern(pattern, pointer, keyword, max_depth)
        minimum = node.get("minProperties")
        if (
            isinstance(minimum, int | float)
            and not isinstance(minimum, bool)
            and minimum > max_properties
        ):
            # met by planning one property after another: refused before that work
            raise PROPERTIES.error(
                pointer=pointer,
                keyword="minProperties",
                subject=f"minProperties asks for {minimum:,} properties",
            )
        values = node.get("enum")
        if isinstance(values, list) and len(values) > max_enum:
            raise ENUM_VALUES.error(
                pointer=pointer,
                keyword="enum",
                subject=f"the enum has {len(values):,} values",
            )
        declared = node.get("properties")
        declared = declared if isinstance(declared, dict) else {}
        required = node.get("required")
        required = required if isinstance(required, list) else []
        if len(declared) + len(required) > max_properties:
            # every required name is generated too: counted before planning does the work
            names = set(declared) | {name for name in required if isinstance(name, str)}
            if len(names) > max_properties:
                raise PROPERTIES.error(
                    pointer=pointer,
                    keyword="properties" if len(declared) > max_properties else "required",
                    subject=f"the object declares {len(names):,} properties",
                )
    return copy


def _check_pattern(pattern: str, pointer: str, keyword: str, max_depth: int) -> None:
    """A pattern ``re`` can compile and match in less than exponential time: SchemaError,
    or LimitError for groups nested so deeply that ``re`` would exhaust the stack parsing
    them."""
    if group_depth(pattern) > max_depth:
        raise DEPTH.error(
            pointer=pointer,
            keyword=keyword,
            subject=f"the pattern {pattern[:40]!r} nests its groups too deeply",
        )
    compile_pattern(pattern, pointer, keyword)
    check_backtracking(pattern, pointer, keyword)


def json_copy(document: Any) -> Any:
    """A copy of ``document`` made of dict, list, str, int, float, bool and None only."""
    max_depth = DEPTH.value()
    max_size = SCHEMA_SIZE.value()
    root: list[Any] = [None]
    # (source container, target container, path of the container, its depth)
    stack: list[tuple[Any, Any, tuple[str, ...], int]] = []
    size = _place(document, root, 0, (), stack)
    while stack:
        source, target, path, depth = stack.pop()
        if depth > max_depth:
            raise DEPTH.error(
                pointer=_pointer(path),
                keyword="schema",
                subject="the schema is nested too deeply",
            )
        if isinstance(target, dict):
            for key, value in source.items():
                if not isinstance(key, str):
                    raise SchemaError(
                        _pointer(path),
                        repr(key),
                        f"property names and keywords must be strings, got {type(key).__name__}",
                        "a string key",
                    )
                size += len(key) + 4 + _place(value, target, key, (*path, key), stack)
        else:
            for index, value in enumerate(source):
                size += 1 + _place(value, target, index, (*path, str(index)), stack)
        if size > max_size:
            raise SCHEMA_SIZE.error(
                pointer="",
                keyword="schema",
                subject="the schema document is too long",
            )
    return root[0]


def _place(
    value: Any,
    target: Any,
    key: str | int,
    path: tuple[str, ...],
    stack: list[tuple[Any, Any, tuple[str, ...], int]],
) -> int:
    """Put (a copy of) ``value`` at ``target[key]``; returns its size, children excluded."""
    if isinstance(value, str):
        _set(target, key, str(value))
        return len(value) + 2
    if isinstance(value, bool) or value is None:
        _set(target, key, value)
        return 5
    if isinstance(value, int):
        if value.bit_length() > _MAX_INT_BITS:
            raise _not_json(path, f"the integer of {value.bit_length()} bits is too large")
        _set(target, key, int(value))
        return value.bit_length() * 3 // 10 + 2
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _not_json(path, f"{value!r} is not a JSON number")
        _set(target, key, float(value))
        return 24
    if isinstance(value, Mapping):
        copy: Any = {}
    elif isinstance(value, (list, tuple)):
        copy = [None] * len(value)
    else:
        raise _not_json(path, f"a {type(value).__name__} is not a JSON value")
    _set(target, key, copy)
    stack.append((value, copy, path, len(path) + 1))
    return 2


def _set(target: Any, key: str | int, value: Any) -> None:
    target[key] = value


def _not_json(path: tuple[str, ...], message: str) -> SchemaError:
    return SchemaError(
        _pointer(path[:-1]),
        path[-1] if path else "schema",
        message,
        "a JSON value (finite numbers within a double's range, strings, lists, objects)",
    )


def _pointer(path: tuple[str, ...]) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in path)


def group_depth(pattern: str) -> int:
    """How deeply the groups of ``pattern`` nest (``re`` recurses once a level to parse it).

    Character classes and escapes are skipped as ``re`` reads them; a ``(`` in a comment
    counts too, which can only make the answer larger.
    """
    depth = deepest = 0
    i, end = 0, len(pattern)
    while i < end:
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i += 1
            if i < end and pattern[i] == "^":
                i += 1
            if i < end and pattern[i] == "]":  # a ``]`` first in a class is a literal
                i += 1
            while i < end and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(depth - 1, 0)
        i += 1
    return deepest
