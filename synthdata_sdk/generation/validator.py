"""The validator generated values are checked with: jsonschema's, with linear ``enum`` and
``uniqueItems``.

jsonschema compares a value with each enum member in turn, and items with each other when
they cannot be sorted, so checking every member of a 10,000-value enum against the enum
takes 10**8 comparisons (over a minute). Here both compare canonical JSON texts
(``containers.canonical``: 1 and 1.0 alike, true and 1 apart, keys sorted), which is the
equality JSON Schema defines, through a set: one lookup a value.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from synthdata_sdk.generation.nodes.containers import canonical

#: enums whose member sets are kept (a plan has few; each set is as large as its enum)
_CACHED_ENUMS = 64
_members: OrderedDict[int, tuple[list[Any], frozenset[str]]] = OrderedDict()


def _enum_members(enums: list[Any]) -> frozenset[str]:
    """The canonical texts of an enum's members, cached by the identity of the list."""
    found = _members.get(id(enums))
    if found is not None and found[0] is enums:
        _members.move_to_end(id(enums))
        return found[1]
    members = frozenset(canonical(member) for member in enums)
    # the list is kept with its set, so its id cannot be reused while cached
    _members[id(enums)] = (enums, members)
    if len(_members) > _CACHED_ENUMS:
        _members.popitem(last=False)
    return members


def _enum(validator: Any, enums: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if canonical(instance) not in _enum_members(enums):
        yield ValidationError(f"{instance!r} is not one of {enums!r}")


def _unique_items(
    validator: Any, unique: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if unique and validator.is_type(instance, "array"):
        texts = {canonical(item) for item in instance}
        if len(texts) != len(instance):
            yield ValidationError(f"{instance!r} has non-unique elements")


ValueValidator = validators.extend(
    Draft202012Validator, {"enum": _enum, "uniqueItems": _unique_items}
)


def value_validator(schema: Any) -> Any:
    """A validator with format checking for a normalised (ref-free) subschema.

    A schema read approximately keeps its source, an embedded resource with its own
    ``$ref``s, under ``allOf`` (``schema.normalize``). Each lookup of a reference the
    validator's registry does not hold crawls the whole schema again (the registry is
    immutable), which for a large source cost seconds a record; such a schema gets a registry
    crawled once instead.
    """
    if not _embeds_resources(schema):
        return ValueValidator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    resource = DRAFT202012.create_resource(schema)
    registry = Registry().with_resource(resource.id() or _ROOT, resource).crawl()
    return ValueValidator(
        schema, format_checker=Draft202012Validator.FORMAT_CHECKER, registry=registry
    )


_ROOT = "urn:synthdata:checked"


def _embeds_resources(schema: Any) -> bool:
    """Whether ``schema`` holds, under ``allOf``, a resource with its own ``$id``."""
    parts = schema.get("allOf", ()) if isinstance(schema, dict) else ()
    return any(isinstance(part, dict) and "$id" in part for part in parts)
