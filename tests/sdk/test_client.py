"""SynthDataClient: the public API, sources, determinism, manifest and errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from synthdata_sdk import RequestError, SchemaError, SynthDataClient, SynthDataError
from synthdata_sdk.schema.templates import list_templates, load_template


@pytest.fixture(scope="module")
def client() -> SynthDataClient:
    return SynthDataClient()


@pytest.mark.parametrize("template", list_templates())
@pytest.mark.parametrize("locale", ["en_US", "en_GB", "de_DE", "fr_FR"])
def test_every_template_gives_valid_records_in_every_locale(
    client: SynthDataClient, template: str, locale: str, assert_valid: Any
) -> None:
    ds = client.generate(template, rows=300, seed=1, locale=locale)
    assert len(ds.records) == 300
    assert_valid(load_template(template), ds.records)
    assert_valid(ds.schema, ds.records)


def test_same_request_same_fingerprint_and_records(client: SynthDataClient) -> None:
    a = client.generate("customer", rows=50, seed=7)
    b = client.generate("customer", rows=50, seed=7)
    assert a.fingerprint == b.fingerprint
    assert a.records == b.records
    c = client.generate("customer", rows=50, seed=8)
    assert c.fingerprint != a.fingerprint
    assert c.records != a.records


def test_fingerprint_covers_rows_locale_and_compliance_but_not_format(
    client: SynthDataClient,
) -> None:
    base = client.fingerprint("customer", rows=10)
    assert client.fingerprint("customer", rows=11) != base
    assert client.fingerprint("customer", rows=10, locale="de_DE") != base
    assert client.fingerprint("customer", rows=10, compliance=("gdpr",)) != base
    assert client.fingerprint(
        "customer", rows=10, compliance=("gdpr", "gdpr")
    ) == client.fingerprint("customer", rows=10, compliance=("gdpr",))


def test_fingerprint_changes_with_property_order(client: SynthDataClient) -> None:
    ab = {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}
    ba = {"type": "object", "properties": {"b": {"type": "integer"}, "a": {"type": "integer"}}}
    assert client.fingerprint(ab) != client.fingerprint(ba)


def test_dataset_exposes_request_schema_and_manifest(client: SynthDataClient) -> None:
    ds = client.generate("customer", rows=20, seed=7, compliance=("gdpr",))
    assert ds.request.rows == 20 and ds.request.seed == 7 and ds.request.compliance == ("gdpr",)
    assert list(ds.schema["properties"])[:3] == ["id", "first_name", "last_name"]
    manifest = ds.manifest
    assert manifest["fingerprint"] == ds.fingerprint
    assert manifest["tables"] == {"customer": 20}
    assert manifest["request"]["seed"] == 7
    assert manifest["compliance"]["profiles"] == ["gdpr"]
    assert len(ds.fingerprint) == 64


def test_sources_dict_file_and_pydantic_model(
    client: SynthDataClient, tmp_path: Path, assert_valid: Any
) -> None:
    class Person(BaseModel):
        name: str
        age: int = Field(ge=18, le=99)
        email: str | None = None

    model_ds = client.generate(Person, rows=100)
    assert_valid(Person.model_json_schema(), model_ds.records)
    assert all(18 <= r["age"] <= 99 for r in model_ds.records)

    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    path = tmp_path / "thing.json"
    path.write_text(json.dumps(schema))
    assert client.generate(path, rows=5).records == client.generate(schema, rows=5).records
    assert (
        client.generate("thing.json", rows=5, base_dir=tmp_path).records
        == client.generate(schema, rows=5).records
    )


def test_write_and_to_arrow(client: SynthDataClient, tmp_path: Path) -> None:
    ds = client.generate("order", rows=100, seed=2)
    out = ds.write(tmp_path / "orders.jsonl")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == ds.records
    table = ds.to_arrow()
    assert table.num_rows == 100
    assert table.column_names == list(ds.schema["properties"])


def test_streaming_write_returns_a_manifest_with_file_digest(
    client: SynthDataClient, tmp_path: Path
) -> None:
    manifest = client.write("customer", tmp_path / "c.csv", rows=250, seed=3)
    (entry,) = manifest["files"]
    assert entry["path"] == "c.csv" and entry["format"] == "csv" and entry["size"] > 0
    assert manifest["tables"] == {"customer": 250}
    assert len((tmp_path / "c.csv").read_text(encoding="utf-8").splitlines()) == 251


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rows": -5}, "rows"),
        ({"rows": 10**12}, "rows"),
        ({"rows": "ten"}, "rows: expected an integer"),
        ({"seed": -1}, "seed"),
        ({"locale": "xx_XX"}, "unknown locale 'xx_XX'"),
        ({"compliance": ("sox",)}, "unknown compliance profile 'sox'"),
        ({"workers": 0}, "workers"),
    ],
)
def test_bad_requests_raise_request_error(
    client: SynthDataClient, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(RequestError, match=message):
        client.generate("customer", **{"rows": 5, **kwargs})


def test_unknown_template_lists_the_available_ones(client: SynthDataClient) -> None:
    with pytest.raises(SchemaError, match="customer") as raised:
        client.generate("custmer")
    assert isinstance(raised.value, SynthDataError)


def test_non_object_root_is_refused(client: SynthDataClient) -> None:
    with pytest.raises(SchemaError, match="root schema does not describe objects"):
        client.generate({"type": "integer"})


def test_unknown_backend_is_a_request_error() -> None:
    with pytest.raises(RequestError, match="backend"):
        SynthDataClient(backend="mainframe")


def test_validate_schema_reports_plan_or_errors(client: SynthDataClient) -> None:
    report = client.validate_schema("customer")
    assert report.valid
    assert report.plan["properties"]["email"]["semantic"] == "email"
    bad = client.validate_schema(
        {"type": "object", "properties": {"x": {"type": "string", "minLength": 3, "maxLength": 1}}}
    )
    assert not bad.valid
    assert bad.errors[0].pointer == "/properties/x"


def test_semantics_are_inferred_from_names(client: SynthDataClient) -> None:
    schema = {
        "type": "object",
        "properties": {
            "email": {"type": "string"},
            "phoneNumber": {"type": "string"},
            "zip": {"type": "string"},
        },
        "required": ["email", "phoneNumber", "zip"],
    }
    plan = client.validate_schema(schema).plan["properties"]
    assert plan["email"]["semantic"] == "email"
    assert plan["phoneNumber"]["semantic"] == "phone"
    assert plan["zip"]["semantic"] == "postcode"
    records = client.generate(schema, rows=50).records
    assert all(
        r["email"].rsplit("@", 1)[1] in {"example.com", "example.net", "example.org"}
        for r in records
    )
