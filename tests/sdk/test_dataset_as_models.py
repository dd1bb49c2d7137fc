"""``Dataset.as_models`` refuses what is not a model class with a message naming it."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import RequestError


class Customer(BaseModel):
    id: str
    email: str


@pytest.mark.parametrize(
    "model",
    [None, Customer(id="a", email="b"), "Customer", 3],
    ids=["none", "instance", "str", "int"],
)
def test_as_models_of_something_not_a_class_is_a_request_error(model: object) -> None:
    dataset = SynthDataClient().generate("customer", rows=2, seed=1)
    # before: AttributeError ('NoneType' object has no attribute '__name__')
    with pytest.raises(RequestError, match="as_models takes a pydantic model class"):
        dataset.as_models(model)  # type: ignore[arg-type]


def test_as_models_of_a_model_class_gives_instances() -> None:
    dataset = SynthDataClient().generate("customer", rows=2, seed=1)
    customers = dataset.as_models(Customer)
    assert [c.email for c in customers] == [r["email"] for r in dataset.records]
