"""Read-only records: datasets shared between tests without copying them.

``FrozenDict`` and ``FrozenList`` subclass ``dict`` and ``list``, so ``json.dumps``,
``isinstance(record, dict)`` and pyarrow take them as they are; every method that would
change them raises ``TypeError`` saying how to get a mutable copy. ``copy.copy`` and
``copy.deepcopy`` give plain, mutable containers.
"""

from __future__ import annotations

import gc
import json
from typing import Any, NoReturn

READ_ONLY = (
    "synthdata records are read-only because tests share them; "
    "use dataset.copy_records() or copy.deepcopy(record) for a mutable copy"
)


def _refuse(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise TypeError(READ_ONLY)


class FrozenDict(dict[str, Any]):
    """A ``dict`` that refuses every change."""

    __slots__ = ()

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return thaw(self)  # type: ignore[no-any-return]

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (dict(self),))


class FrozenList(list[Any]):
    """A ``list`` that refuses every change."""

    __slots__ = ()

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = clear = extend = insert = pop = remove = reverse = sort = _refuse

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return thaw(self)  # type: ignore[no-any-return]

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenList, (list(self),))


def freeze(value: Any) -> Any:
    """``value`` with every dict and list inside it replaced by a read-only one."""
    if isinstance(value, FrozenDict | FrozenList):
        return value
    if isinstance(value, dict):
        return FrozenDict({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return FrozenList([freeze(item) for item in value])
    return value


def thaw(value: Any) -> Any:
    """A mutable deep copy of ``value``: plain dicts and lists all the way down."""
    if isinstance(value, dict):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [thaw(item) for item in value]
    return value


def _frozen_object(pairs: dict[str, Any]) -> FrozenDict:
    # Nested objects arrive already frozen; only lists still need it.
    for key, item in pairs.items():
        if type(item) is list:
            pairs[key] = freeze(item)
    return FrozenDict(pairs)


def loads_frozen(text: str | bytes, *, lists: bool = True) -> Any:
    """Parse JSON straight into read-only containers (cheaper than parsing, then freezing).

    ``lists=False`` promises that no record holds a list (the store knows from the schema):
    objects are then frozen by the parser itself, as cheap as a plain parse. The cyclic
    garbage collector is paused meanwhile: JSON cannot hold cycles, and its passes over the
    many new containers would otherwise take about a third of the time.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    paused = gc.isenabled()
    gc.disable()
    try:
        if not lists:
            parsed = json.loads(text, object_hook=FrozenDict)
            return FrozenList(parsed) if type(parsed) is list else parsed
        return freeze(json.loads(text, object_hook=_frozen_object))
    finally:
        if paused:
            gc.enable()


def may_hold_lists(schema: Any) -> bool:
    """Whether values valid against ``schema`` may contain a JSON array (conservatively)."""
    if not isinstance(schema, dict):
        return schema is not False
    if "const" in schema:
        return _has_list(schema["const"])
    if isinstance(schema.get("enum"), list):
        return any(_has_list(value) for value in schema["enum"])
    declared = schema.get("type")
    types = [declared] if isinstance(declared, str) else declared
    if not isinstance(types, list) or "array" in types:
        return True
    for keyword in ("anyOf", "oneOf", "allOf"):
        branches = schema.get(keyword)
        if isinstance(branches, list) and any(may_hold_lists(b) for b in branches):
            return True
    if "object" in types:
        children = list((schema.get("properties") or {}).values())
        children += list((schema.get("patternProperties") or {}).values())
        children.append(schema.get("additionalProperties", True))
        return any(may_hold_lists(child) for child in children)
    return False


def _has_list(value: Any) -> bool:
    if isinstance(value, list):
        return True
    if isinstance(value, dict):
        return any(_has_list(item) for item in value.values())
    return False
