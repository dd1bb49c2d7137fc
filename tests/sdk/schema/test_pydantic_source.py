"""A pydantic model as the source gives records the model accepts, or is refused."""

from __future__ import annotations

import datetime as dt
import enum
import ipaddress
import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import (
    UUID1,
    UUID5,
    AnyWebsocketUrl,
    AwareDatetime,
    Base64Bytes,
    Base64Str,
    Base64UrlBytes,
    BaseModel,
    ByteSize,
    ConfigDict,
    DirectoryPath,
    Field,
    FilePath,
    FileUrl,
    FutureDate,
    FutureDatetime,
    HttpUrl,
    ImportString,
    IPvAnyAddress,
    IPvAnyInterface,
    IPvAnyNetwork,
    Json,
    NaiveDatetime,
    NewPath,
    PastDate,
    PastDatetime,
    PaymentCardNumber,
    PostgresDsn,
    RedisDsn,
    SecretStr,
    SocketPath,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    UrlConstraints,
    condate,
    condecimal,
    confloat,
    conint,
    conlist,
    constr,
    create_model,
    field_validator,
)

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import ModelRejectedError, SchemaError

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
        Annotated[Decimal, Field(max_digits=3, decimal_places=4)],
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


def test_a_narrow_decimal_range_gets_its_few_values() -> None:
    # a grid of 2**-2 had no value in (0, 0.1); cents have nine
    model = create_model(
        "Tiny", x=(Annotated[Decimal, Field(gt=0, lt=Decimal("0.1"), decimal_places=2)], ...)
    )
    records = CLIENT.generate(model, rows=500, seed=3).records
    assert_accepted(model, records)
    assert {record["x"] for record in records} == {k / 100 for k in range(1, 10)}


def test_a_decimal_range_with_no_value_of_its_places_is_refused() -> None:
    model = create_model(
        "Tiny",
        x=(Annotated[Decimal, Field(gt=Decimal("0.1"), lt=Decimal("0.2"), decimal_places=1)], ...),
    )
    with pytest.raises(SchemaError, match="no number with 1 decimals"):
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


class Cat(BaseModel):
    kind: Literal["cat"]
    lives: int


class Dog(BaseModel):
    kind: Literal["dog"]
    name: str


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
    # types whose JSON Schema says less than the model checks (pydantic_types)
    NaiveDatetime,
    AwareDatetime,
    PastDate,
    FutureDate,
    PastDatetime,
    FutureDatetime,
    condate(gt=dt.date(2020, 1, 1), lt=dt.date(2020, 3, 1)),
    condate(ge=dt.date(2090, 5, 17)),
    condate(le=dt.date(1900, 2, 3)),
    Annotated[dt.datetime, Field(gt=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))],
    Annotated[AwareDatetime, Field(lt=dt.datetime(2001, 6, 1, 12, tzinfo=dt.UTC))],
    Annotated[NaiveDatetime, Field(ge=dt.datetime(2030, 1, 1))],
    Annotated[PastDate, Field(gt=dt.date(1990, 1, 1))],
    IPvAnyAddress,
    IPvAnyNetwork,
    IPvAnyInterface,
    ipaddress.IPv4Network,
    ipaddress.IPv6Network,
    ipaddress.IPv4Interface,
    ipaddress.IPv6Interface,
    UUID1,
    UUID5,
    HttpUrl,
    Annotated[HttpUrl, UrlConstraints(max_length=40)],
    FileUrl,
    AnyWebsocketUrl,
    PostgresDsn,
    RedisDsn,
    ByteSize,
    PaymentCardNumber,
    Base64Bytes,
    Base64UrlBytes,
    SecretStr,
    NewPath,
    complex,
    constr(strip_whitespace=True, min_length=3),
    constr(to_lower=True, pattern=r"^[a-z]+$"),
    conlist(int, min_length=2, max_length=4),
    confloat(allow_inf_nan=False),
    Annotated[Cat | Dog, Field(discriminator="kind")],
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
    except ModelRejectedError:
        raise  # a record the model rejects is no refusal: the schema promised it
    except SchemaError:
        return
    assert_accepted(model, records)


@pytest.mark.parametrize(
    ("field", "drawn", "window"),
    [
        (PastDate, dt.date.fromisoformat, ("1970-01-01", "1999-12-31")),
        (FutureDate, dt.date.fromisoformat, ("2100-01-01", "2199-12-31")),
        (PastDatetime, dt.datetime.fromisoformat, ("1970-01-01", "2000-01-01")),
        (FutureDatetime, dt.datetime.fromisoformat, ("2100-01-01", "2200-01-01")),
    ],
)
def test_past_and_future_come_from_fixed_windows(field: Any, drawn: Any, window: Any) -> None:
    # the windows do not move with the clock: past before 2000, future in the 22nd century
    model = create_model("Timed", when=(field, ...))
    values = [record["when"] for record in CLIENT.generate(model, rows=200, seed=2).records]
    assert all(window[0] <= value[:10] <= window[1] for value in values)
    assert all(drawn(value) for value in values)
    assert_accepted(model, [{"when": value} for value in values])


def test_naive_datetimes_have_no_offset_and_aware_ones_have_one() -> None:
    model = create_model("Zones", naive=(NaiveDatetime, ...), aware=(AwareDatetime, ...))
    records = CLIENT.generate(model, rows=100, seed=4).records
    assert all(dt.datetime.fromisoformat(r["naive"]).tzinfo is None for r in records)
    assert all(dt.datetime.fromisoformat(r["aware"]).tzinfo is not None for r in records)
    assert_accepted(model, records)


def test_ip_any_values_come_from_the_documentation_ranges() -> None:
    model = create_model(
        "Hosts",
        address=(IPvAnyAddress, ...),
        network=(IPvAnyNetwork, ...),
        interface=(IPvAnyInterface, ...),
    )
    documentation = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24")]
    documentation += [ipaddress.ip_network(n) for n in ("203.0.113.0/24", "2001:db8::/32")]
    records = CLIENT.generate(model, rows=200, seed=5).records
    for record in records:
        address = ipaddress.ip_address(record["address"])
        network = ipaddress.ip_network(record["network"])
        interface = ipaddress.ip_interface(record["interface"])
        assert any(address in n for n in documentation)
        assert any(network.subnet_of(n) for n in documentation if n.version == network.version)
        assert any(interface.ip in n for n in documentation)
    assert_accepted(model, records)


def test_honoured_constraints_are_in_the_fingerprint() -> None:
    # a PastDate and a plain date differ only in what the model checks: so must their requests
    past = CLIENT.fingerprint(create_model("D", d=(PastDate, ...)), rows=5)
    plain = CLIENT.fingerprint(create_model("D", d=(dt.date, ...)), rows=5)
    assert past != plain


@pytest.mark.parametrize(
    ("field", "name"),
    [
        (FilePath, "FilePath"),
        (DirectoryPath, "DirectoryPath"),
        (SocketPath, "SocketPath"),
        (ImportString, "ImportString"),
        (Json, "Json"),
        (Json[int], "Json"),
        (Base64Str, "Base64Str"),
        (Annotated[PastDate, Field(gt=dt.date(2001, 1, 1))], "PastDate"),
        (
            Annotated[FutureDatetime, Field(lt=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))],
            "FutureDatetime",
        ),
        (condate(gt=dt.date(2020, 1, 2), lt=dt.date(2020, 1, 3)), "date"),
    ],
)
def test_a_type_the_model_checks_beyond_its_schema_is_refused_by_field(
    field: Any, name: str
) -> None:
    model = create_model("Checked", ok=(int, ...), bad=(field, ...))
    with pytest.raises(SchemaError, match=rf"field Checked\.bad \({name}") as refused:
        CLIENT.generate(model, rows=5)
    assert refused.value.pointer == "/properties/bad"


def test_a_refused_type_in_a_nested_model_names_the_nested_field() -> None:
    nested = create_model("Holder", path=(FilePath, ...))
    model = create_model("Outer", holder=(nested, ...))
    with pytest.raises(SchemaError, match=r"field Holder\.path \(FilePath\)"):
        CLIENT.generate(model, rows=5)


class EvenOnly(BaseModel):
    n: int

    @field_validator("n")
    @classmethod
    def even(cls, value: int) -> int:
        if value % 2:
            raise ValueError("n must be even")
        return value


class Never(BaseModel):
    n: int

    @field_validator("n")
    @classmethod
    def never(cls, value: int) -> int:
        raise ValueError("no value is ever right")


def test_records_a_field_validator_rejects_are_drawn_again() -> None:
    # half the drawn values are odd: each is drawn again until the validator takes it
    records = CLIENT.generate(EvenOnly, rows=200, seed=3).records
    assert all(record["n"] % 2 == 0 for record in records)
    assert_accepted(EvenOnly, records)


def test_a_field_validator_that_never_passes_is_refused_naming_it(tmp_path: Any) -> None:
    with pytest.raises(
        ModelRejectedError, match=r"field Never\.n rejects generated record 0 after"
    ):
        CLIENT.write(Never, tmp_path / "n.jsonl", rows=50)
    assert not (tmp_path / "n.jsonl").exists()


def test_the_model_check_counts_rows_across_chunks() -> None:
    # a unique column keeps its row's value on every redraw: the value of row 15000 (in the
    # second chunk) can never pass, and the refusal names that row
    unique_n = Annotated[
        int, Field(ge=0, le=10**6, json_schema_extra={"x-synthdata": {"unique": True}})
    ]
    plain = create_model("Plain", n=(unique_n, ...))
    banned = CLIENT.generate(plain, rows=20_000, seed=1).records[15_000]["n"]

    class Banned(BaseModel):
        n: unique_n

        @field_validator("n")
        @classmethod
        def not_banned(cls, value: int) -> int:
            if value == banned:
                raise ValueError("banned value")
            return value

    with pytest.raises(ModelRejectedError) as rejected:
        CLIENT.generate(Banned, rows=20_000, seed=1)
    assert rejected.value.row == 15_000
    assert rejected.value.validator.endswith("Banned.not_banned")
