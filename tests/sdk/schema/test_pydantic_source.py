"""A pydantic model as the source gives records the model accepts, or is refused."""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    condecimal,
    confloat,
    conint,
    constr,
    create_model,
)

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import SchemaError

CLIENT = SynthDataClient()


def assert_accepted(model: type[BaseModel], records: list[dict[str, Any]]) -> None:
    """The model accepts each record as the JSON data it is; a lax model (pydantic's default)
    also as a Python dict, and any model with ``strict=False`` (a strict one wants a ``date``
    or ``UUID`` object in Python mode, where JSON holds a string)."""
    for record in records:
        model.model_validate_json(json.dumps(record))
        model.model_validate(record, strict=False)
        if not is_strict(model):
            model.model_validate(record)


def is_strict(model: type[BaseModel]) -> bool:
    """Whether the model, or one of its fields (nested models' included), is strict."""
    return '"strict": true' in json.dumps(model.__pydantic_core_schema__, default=repr)


class Invoice(BaseModel):
    number: int
    total: Decimal


def test_plain_decimal_fields_are_numbers_the_model_accepts() -> None:
    # pydantic's schema is anyOf [number, string]: half the rows were random words
    records = CLIENT.generate(Invoice, rows=200, seed=3).records
    assert all(isinstance(record["total"], float | int) for record in records)
    assert_accepted(Invoice, records)


@pytest.mark.parametrize(
    "field",
    [
        Annotated[Decimal, Field(max_digits=5, decimal_places=2)],
        Annotated[Decimal, Field(ge=0, le=1, decimal_places=3)],
        Annotated[Decimal, Field(gt=-10, lt=10, decimal_places=2)],
        Annotated[Decimal, Field(max_digits=3)],
        Annotated[Decimal, Field(max_digits=1)],
        Annotated[Decimal, Field(max_digits=1, decimal_places=1)],
        Annotated[Decimal, Field(max_digits=2, decimal_places=2, ge=0)],
        Annotated[Decimal, Field(decimal_places=0)],
        Annotated[Decimal, Field(max_digits=30, decimal_places=10)],
        Annotated[Decimal, Field(multiple_of=Decimal("0.25"))],
        Annotated[Decimal, Field(multiple_of=Decimal("0.05"), decimal_places=2)],
        Annotated[Decimal, Field(multiple_of=Decimal("0.3"))],
        Annotated[Decimal, Field(le=-5, decimal_places=3)],
        condecimal(gt=0, lt=100, max_digits=4, decimal_places=1),
        condecimal(max_digits=12, decimal_places=4, ge=Decimal("-1e6")),
        list[Annotated[Decimal, Field(decimal_places=1)]],
        Annotated[Decimal, Field(max_digits=5, decimal_places=2)] | None,
    ],
)
def test_constrained_decimals_give_values_the_model_accepts(field: Any) -> None:
    model = create_model("Priced", price=(field, ...))
    records = CLIENT.generate(model, rows=300, seed=1).records
    assert_accepted(model, records)


def test_a_decimal_range_with_no_value_on_the_grid_is_refused() -> None:
    # two decimal places are drawn as multiples of 0.25; none lies in (0, 0.1)
    model = create_model(
        "Tiny", x=(Annotated[Decimal, Field(gt=0, lt=Decimal("0.1"), decimal_places=2)], ...)
    )
    with pytest.raises(SchemaError, match="multipleOf"):
        CLIENT.generate(model, rows=5)


def test_a_field_with_no_json_schema_is_a_schema_error() -> None:
    model = create_model("Hooked", hook=(Callable[[int], int], ...))
    with pytest.raises(SchemaError, match="no JSON Schema"):
        CLIENT.generate(model, rows=1)


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Inner(BaseModel):
    n: int
    amount: Decimal


@st.composite
def decimal_fields(draw: st.DrawFn) -> Any:
    constraints: dict[str, Any] = {}
    if draw(st.booleans()):
        constraints["max_digits"] = draw(st.integers(1, 20))
    if draw(st.booleans()):
        constraints["decimal_places"] = draw(st.integers(0, 8))
    bound = st.decimals(-(10**6), 10**6, allow_nan=False, allow_infinity=False, places=3)
    for key in draw(st.lists(st.sampled_from(["ge", "gt", "le", "lt"]), max_size=2, unique=True)):
        constraints[key] = draw(bound)
    if draw(st.booleans()):
        constraints["multiple_of"] = draw(
            st.sampled_from([Decimal("0.5"), Decimal("0.05"), 3, Decimal("1.5")])
        )
    return Annotated[Decimal, Field(**constraints)]


OTHER_FIELDS = [
    int,
    float,
    bool,
    str,
    conint(ge=-5, le=5, multiple_of=2),
    confloat(ge=0, lt=1),
    confloat(multiple_of=0.01),
    constr(min_length=2, max_length=5, pattern=r"^[a-z]+$"),
    dt.date,
    dt.datetime,
    dt.time,
    dt.timedelta,
    uuid.UUID,
    Literal["a", 1],
    Colour,
    dict[str, int],
    list[int],
    tuple[int, str],
    Inner,
    Decimal | None,
]


class StrictInner(BaseModel):
    model_config = ConfigDict(strict=True)
    when: dt.date
    amount: Decimal


def can_be_strict(field: Any) -> bool:
    """Whether pydantic takes ``Field(strict=True)`` on ``field`` (not on a Literal...)."""
    try:
        create_model("Probe", x=(Annotated[field, Field(strict=True)], ...))
    except (RuntimeError, TypeError, ValueError):
        return False
    return True


#: strict field types: pydantic's own, and every field it lets ``Field(strict=True)`` make so
STRICT_FIELDS = [
    StrictInt,
    StrictFloat,
    StrictBool,
    StrictStr,
    conint(strict=True, ge=0, le=9),
    confloat(strict=True, ge=0, le=1),
    constr(strict=True, max_length=4),
    condecimal(strict=True, max_digits=5, decimal_places=2),
    StrictInner,
    *(Annotated[field, Field(strict=True)] for field in OTHER_FIELDS if can_be_strict(field)),
]


def strict_or_lax(field: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from([field, Annotated[field, Field(strict=True)]])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            decimal_fields(),
            st.sampled_from(OTHER_FIELDS),
            st.sampled_from(STRICT_FIELDS),
            decimal_fields().flatmap(strict_or_lax),
        ),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
def test_any_model_gives_records_it_accepts_or_is_refused(fields: list[Any], strict: bool) -> None:
    model = create_model(
        "Drawn",
        __config__=ConfigDict(strict=True) if strict else None,
        **{f"f{i}": (field, ...) for i, field in enumerate(fields)},
    )
    try:
        records = CLIENT.generate(model, rows=25).records
    except SchemaError:
        return
    assert_accepted(model, records)
