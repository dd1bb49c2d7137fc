"""Realistic pydantic models: every record validates, validators are honoured by redrawing."""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    condecimal,
    conint,
    constr,
    create_model,
    field_validator,
    model_validator,
)

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import ModelRejectedError
from synthdata_sdk.schema.model_check import ATTEMPTS

CLIENT = SynthDataClient()


class Tier(enum.Enum):
    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"


class Address(BaseModel):
    street: Annotated[str, Field(min_length=3, max_length=60)]
    city: str
    postcode: Annotated[str, Field(pattern=r"^[0-9]{5}$")]
    country: Literal["DE", "FR", "GB"]


class Item(BaseModel):
    sku: Annotated[str, Field(pattern=r"^SKU-[A-Z0-9]{6}$")]
    quantity: conint(ge=1, le=20)  # type: ignore[valid-type]
    unit_price: Decimal
    discount: condecimal(ge=0, le=Decimal("0.5"), decimal_places=2) = Decimal(0)  # type: ignore[valid-type]


class Order(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    items: Annotated[list[Item], Field(min_length=1, max_length=5)]
    total: Annotated[Decimal, Field(max_digits=10, decimal_places=2, ge=0)]
    currency: constr(pattern=r"^[A-Z]{3}$")  # type: ignore[valid-type]
    note: str | None = None
    status: Literal["placed", "paid", "shipped", "cancelled"]
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def ends_after_start(self) -> Order:
        if self.end < self.start:
            raise ValueError("end must not be before start")
        return self


class Subscription(BaseModel):
    model_config = ConfigDict(strict=True)

    id: uuid.UUID
    plan: Tier
    seats: Annotated[int, Field(ge=1, le=500)]
    monthly_fee: Annotated[Decimal, Field(max_digits=7, decimal_places=2, gt=0)]
    started_at: dt.datetime
    renews_on: dt.date | None
    coupon: Annotated[str, Field(pattern=r"^[A-Z]{4}-[0-9]{4}$")] | None = None


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


class Shipment(BaseModel):
    tracking: Annotated[str, AfterValidator(_not_blank), Field(min_length=1, max_length=12)]
    weight_kg: Annotated[float, Field(gt=0, le=70)]
    destination: Address
    window_from: dt.datetime
    window_to: dt.datetime

    @field_validator("weight_kg")
    @classmethod
    def whole_grams(cls, value: float) -> float:
        if round(value, 3) != value:
            raise ValueError("weights are whole grams")
        return value

    @model_validator(mode="after")
    def window_is_ordered(self) -> Shipment:
        if self.window_to < self.window_from:
            raise ValueError("the window ends before it starts")
        return self


def customer_model() -> type[BaseModel]:
    """A customer with an EmailStr, which needs email-validator (pydantic's ``email`` extra)."""
    pytest.importorskip("email_validator")
    from pydantic import EmailStr

    return create_model(
        "Customer",
        id=(uuid.UUID, ...),
        name=(Annotated[str, Field(min_length=1, max_length=80)], ...),
        email=(EmailStr, ...),
        status=(Literal["active", "suspended", "closed"], ...),
        tier=(Tier, ...),
        address=(Address, ...),
        phone=(str | None, None),
        born=(dt.date, ...),
        created_at=(dt.datetime, ...),
        tags=(list[Literal["vip", "b2b", "newsletter"]], []),
    )


MODELS: dict[str, Any] = {
    "customer": customer_model,
    "item": lambda: Item,
    "order": lambda: Order,
    "subscription": lambda: Subscription,
    "shipment": lambda: Shipment,
}


def rejected(model: type[BaseModel], records: list[dict[str, Any]]) -> int:
    """How many records the model rejects as the JSON they are."""
    count = 0
    for record in records:
        try:
            model.model_validate_json(json.dumps(record))
        except ValidationError:
            count += 1
    return count


@pytest.mark.parametrize("name", MODELS)
def test_every_record_of_a_realistic_model_validates(name: str) -> None:
    model = MODELS[name]()
    dataset = CLIENT.generate(model, rows=400, seed=11)
    assert rejected(model, dataset.records) == 0
    instances = dataset.as_models(model)
    assert len(instances) == 400
    assert all(type(instance) is model for instance in instances)
    if not model.model_config.get("strict"):
        # a lax model takes the records as Python data too (a strict one wants date objects)
        assert all(model.model_validate(record) for record in dataset.records)


def test_as_models_gives_nested_instances_and_typed_values() -> None:
    orders = CLIENT.generate(Order, rows=50, seed=2).as_models(Order)
    assert all(isinstance(order.id, uuid.UUID) for order in orders)
    assert all(isinstance(order.total, Decimal) for order in orders)
    assert all(isinstance(item, Item) for order in orders for item in order.items)
    assert all(order.end >= order.start for order in orders)


def test_as_models_reads_a_shared_read_only_dataset() -> None:
    # the plugin serves read-only datasets; instances are new objects the test may change
    shared = CLIENT.generate(Order, rows=20, seed=2).frozen()
    orders = shared.as_models(Order)
    orders[0].note = "changed"
    assert shared.read_only and len(orders) == 20


def test_as_models_with_a_model_the_records_do_not_fit_names_the_record() -> None:
    dataset = CLIENT.generate(Item, rows=20, seed=2)
    with pytest.raises(ModelRejectedError, match=r"field Order\.id rejects generated record 0"):
        dataset.as_models(Order)


def test_decimal_fields_get_numbers_never_words() -> None:
    # pydantic's own schema says anyOf [number, string]: drawn from it, about half the rows
    # get a word the model rejects; the model's source writes a number the model accepts
    plain = CLIENT.generate(Item.model_json_schema(), rows=400, seed=5).records
    drawn = CLIENT.generate(Item, rows=400, seed=5).records
    assert rejected(Item, plain) > 100
    assert rejected(Item, drawn) == 0
    assert all(isinstance(record["unit_price"], int | float) for record in drawn)


class Parcel(BaseModel):
    # two dates no naming rule pairs (start/end pairs are drawn in order already): only the
    # model's validator says which comes first
    shipped: dt.date
    delivered: dt.date

    @model_validator(mode="after")
    def delivered_after_shipping(self) -> Parcel:
        if self.delivered < self.shipped:
            raise ValueError("delivered before it was shipped")
        return self


def test_records_a_model_validator_rejects_are_drawn_again() -> None:
    schema_only = CLIENT.generate(Parcel.model_json_schema(), rows=300, seed=4).records
    assert any(r["delivered"] < r["shipped"] for r in schema_only)  # it has work to do
    records = CLIENT.generate(Parcel, rows=300, seed=4).records
    assert all(r["delivered"] >= r["shipped"] for r in records)
    assert rejected(Parcel, records) == 0


class Impossible(BaseModel):
    low: int
    high: int

    @model_validator(mode="after")
    def never_valid(self) -> Impossible:
        raise ValueError("this model accepts nothing")


def test_a_model_validator_that_never_passes_is_refused_naming_it() -> None:
    with pytest.raises(ModelRejectedError) as refused:
        CLIENT.generate(Impossible, rows=20, seed=1)
    error = refused.value
    assert error.validator == "Impossible.never_valid"
    assert (error.row, error.field, error.attempts) == (0, "", ATTEMPTS)
    assert "model Impossible rejects generated record 0 after 30 redraws" in str(error)
    assert "(validator Impossible.never_valid)" in str(error)


def test_a_validator_that_rejects_a_whole_large_chunk_is_refused_after_one_redraw() -> None:
    # 10,000 records rejected, drawn again and rejected again: no need for 29 more rounds
    with pytest.raises(ModelRejectedError) as refused:
        CLIENT.generate(Impossible, rows=10_000, seed=1)
    assert refused.value.attempts == 1
    assert refused.value.validator == "Impossible.never_valid"


def test_a_validator_that_rejects_most_records_still_gets_its_records() -> None:
    # 1 value in 3 passes: many rows need several redraws, none is refused early
    class Rare(BaseModel):
        n: Annotated[int, Field(ge=0, le=999)]

        @field_validator("n")
        @classmethod
        def third(cls, value: int) -> int:
            if value % 3:
                raise ValueError("only multiples of 3")
            return value

    records = CLIENT.generate(Rare, rows=2_000, seed=6).records
    assert all(record["n"] % 3 == 0 for record in records)


def test_a_validator_in_a_helper_is_named_by_the_validator_that_called_it() -> None:
    def refuse(value: int) -> int:
        raise ValueError("no")

    class Helped(BaseModel):
        n: int

        @field_validator("n")
        @classmethod
        def checked(cls, value: int) -> int:
            return refuse(value)

    with pytest.raises(ModelRejectedError) as refused:
        CLIENT.generate(Helped, rows=5)
    assert refused.value.validator.endswith("Helped.checked")
    assert refused.value.field == "n"


def test_the_same_request_gives_the_same_bytes(tmp_path: Path) -> None:
    first = CLIENT.write(Order, tmp_path / "a.jsonl", rows=300, seed=9)
    second = CLIENT.write(Order, tmp_path / "b.jsonl", rows=300, seed=9)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert first["fingerprint"] == second["fingerprint"]
    dataset = CLIENT.generate(Order, rows=300, seed=9)
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(json.dumps(dataset.records))


@pytest.mark.slow
def test_redraws_past_the_first_chunk_do_not_depend_on_workers() -> None:
    one = CLIENT.generate(Order, rows=12_000, seed=3)
    two = CLIENT.generate(Order, rows=12_000, seed=3, workers=2)
    assert json.dumps(one.records) == json.dumps(two.records)
    assert rejected(Order, one.records[10_000:]) == 0


def test_validators_are_part_of_the_fingerprint() -> None:
    fields: dict[str, Any] = {
        name: (field.annotation, field) for name, field in Order.model_fields.items()
    }
    unchecked = create_model("Order", **fields)
    assert CLIENT.prepare(Order).request.normalized_schema["x-model-checks"] == [
        "Order.ends_after_start"
    ]
    assert "x-model-checks" not in CLIENT.prepare(unchecked).request.normalized_schema
    assert CLIENT.fingerprint(Order, rows=10) != CLIENT.fingerprint(unchecked, rows=10)
    assert CLIENT.prepare(Shipment).request.normalized_schema["x-model-checks"] == [
        "Shipment.whole_grams",
        "Shipment.window_is_ordered",
        "_not_blank",
    ]
