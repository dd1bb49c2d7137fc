"""Names for the extra properties ``minProperties`` asks for beyond the declared ones.

First ``extra_1``, ``extra_2``...; when ``propertyNames`` rules those out (a pattern such
as ``^\\('[a-z]+'\\)$``), names drawn from ``propertyNames`` itself. Trying ten thousand
``extra_N`` names against a pattern none of them matches took most of a minute on one
real-world schema; a bounded list of candidates, worked out once per ``propertyNames``,
refuses such a schema at once or names its properties.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.validator import value_validator

#: ``extra_N`` names tried
PLAIN_NAMES = 100
#: names drawn from ``propertyNames`` when fewer than this many plain names fit it
DRAWN_NAMES = 200


#: plans a string schema (the planner's ``build_plan``, passed in: the planner calls this)
PlanStrings = Callable[..., Any]


def extra_names(name_schema: Any, locale: str, build_plan: PlanStrings) -> tuple[str, ...]:
    """Candidate names that ``propertyNames`` (if any) accepts, plain ones first."""
    if not isinstance(name_schema, dict):
        return tuple(f"extra_{counter}" for counter in range(1, PLAIN_NAMES + 1))
    return _fitting(json.dumps(name_schema, sort_keys=True), locale, build_plan)


@lru_cache(maxsize=256)
def _fitting(name_schema: str, locale: str, build_plan: PlanStrings) -> tuple[str, ...]:
    schema = json.loads(name_schema)
    check = value_validator(schema)
    plain = [f"extra_{counter}" for counter in range(1, PLAIN_NAMES + 1)]
    names = [name for name in plain if check.is_valid(name)]
    if len(names) < PLAIN_NAMES:
        names += [name for name in _drawn(schema, locale, build_plan) if check.is_valid(name)]
    return tuple(dict.fromkeys(names))


def _drawn(name_schema: dict[str, Any], locale: str, build_plan: PlanStrings) -> list[str]:
    """Strings drawn from ``propertyNames`` (a fixed seed: the names are part of the plan)."""
    from synthdata_sdk.generation.nodes.base import Context
    from synthdata_sdk.schema.normalize import merge

    names = merge(name_schema, {"type": "string"})
    if names is False:
        return []
    try:
        plan = build_plan(names, locale=locale)
        values = plan.root.generate(Context(0, 0, locale, None), DRAWN_NAMES)
    except SchemaError:
        return []
    return [value for value in values if isinstance(value, str)]
