"""The actions over fake storage: what they generate, store and answer, and their settings."""

from __future__ import annotations

import pytest

from synthdata_sdk.client import SynthDataClient
from synthdata_sdk.cloud import actions, models
from synthdata_sdk.cloud.config import ActionLimits, BackendSettings, ConfigurationError
from synthdata_sdk.cloud.handler import make_handler
from synthdata_sdk.cloud.invocation import Invocation
from tests.cloud.actions_support import URI, MemoryStore, direct_answer

CALL = Invocation("direct", "session-7", "direct:ci", "req-7")


def test_generate_stores_what_the_client_generates_and_answers_with_its_name() -> None:
    store = MemoryStore()
    request = models.GenerateRequest(
        template="employee", rows=25, seed=8, compliance=["gdpr"], quality=True
    )
    answer = actions.generate(request, CALL, store.services())
    local = SynthDataClient().generate(
        "employee", rows=25, seed=8, compliance=["gdpr"], quality=True
    )
    stored = store.datasets[answer.fingerprint]
    assert answer.fingerprint == local.fingerprint
    assert stored.records == local.records
    assert answer.s3_uri == URI.format(local.fingerprint) and answer.rows == 25
    assert answer.quality == local.manifest["quality"]
    assert answer.compliance is not None and answer.compliance["clean"] is True
    assert store.sessions == {"session-7": local.fingerprint}
    assert store.requesters == ["direct:ci"]


def test_a_name_labels_the_dataset_without_changing_its_fingerprint() -> None:
    store = MemoryStore()
    plain = actions.generate(
        models.GenerateRequest(template="order", rows=3), CALL, store.services()
    )
    named = actions.generate(
        models.GenerateRequest(template="order", rows=3, name="Q3 orders"),
        CALL,
        MemoryStore().services(),
    )
    assert (plain.fingerprint, plain.name) == (named.fingerprint, "order")
    assert named.name == "Q3 orders"


def test_lookup_and_quality_read_the_stored_dataset() -> None:
    store = MemoryStore()
    made = actions.generate(
        models.GenerateRequest(template="payment", rows=12), CALL, store.services()
    )
    found = actions.lookup_dataset(
        models.LookupRequest(fingerprint=made.fingerprint), CALL, store.services()
    )
    assert (found.rows, found.s3_uri, found.name) == (12, made.s3_uri, "payment")
    assert found.created_at is not None
    quality = actions.calculate_quality_metrics(
        models.QualityRequest(fingerprint=made.fingerprint), CALL, store.services()
    )
    assert quality.rows == 12 and quality.quality["score"] == 100.0


def test_templates_are_listed_and_described_without_any_storage() -> None:
    # no SYNTHDATA_BUCKET: the actions that store nothing still answer
    handler = make_handler()
    status, body = direct_answer(handler({"action": "list_templates"}, None))
    assert status == 200 and "customer" in [t["name"] for t in body["templates"]]
    status, body = direct_answer(
        handler({"action": "describe_template", "request": {"name": "customer"}}, None)
    )
    assert status == 200 and body["fields"][0] == "id"
    assert body["json_schema"]["properties"]["email"]["format"] == "email"


def test_bundles_are_listed_after_the_templates_and_described_as_table_sets() -> None:
    # an agent finds a bundle the way it finds a template, and the tables table_rows takes
    handler = make_handler()
    status, body = direct_answer(handler({"action": "list_templates"}, None))
    assert status == 200
    kinds = {t["name"]: t["kind"] for t in body["templates"]}
    assert kinds["customer"] == "template" and kinds["retail"] == "bundle"
    assert [t["kind"] for t in body["templates"]] == sorted(
        (t["kind"] for t in body["templates"]), key=["template", "bundle"].index
    )
    retail = next(t for t in body["templates"] if t["name"] == "retail")
    assert retail["tables"][0] == "customers" and "orders" in retail["tables"]
    status, body = direct_answer(
        handler({"action": "describe_template", "request": {"name": "retail"}}, None)
    )
    assert status == 200 and body["kind"] == "bundle"
    assert set(body["json_schema"]["tables"]) == set(body["tables"])
    orders = body["json_schema"]["tables"]["orders"]["properties"]
    assert orders["customer_id"]["x-synthdata"]["ref"] == "customers.id"
    assert "orders.customer_id" in body["fields"]


def test_a_function_without_its_bucket_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYNTHDATA_BUCKET", raising=False)
    handler = make_handler()
    event = {"action": "generate", "request": {"template": "customer", "rows": 2}}
    status, body = direct_answer(handler(event, None))
    assert (status, body["error"]["code"]) == (500, "not_configured")
    assert "SYNTHDATA_BUCKET is not set" in body["error"]["message"]


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTHDATA_BUCKET", "datasets-bucket")
    monkeypatch.setenv("SYNTHDATA_PREFIX", "/ci/synthdata/")
    monkeypatch.setenv("SYNTHDATA_HISTORY_TABLE", "synthdata-history")
    monkeypatch.setenv("SYNTHDATA_KMS_KEY_ID", "alias/synthdata")
    monkeypatch.setenv("SYNTHDATA_MAX_ACTION_ROWS", "250000")
    settings = BackendSettings.from_env()
    assert settings == BackendSettings(
        "datasets-bucket", "/ci/synthdata/", "synthdata-history", "alias/synthdata", None
    )
    assert ActionLimits.from_env().max_rows == 250_000
    monkeypatch.setenv("SYNTHDATA_MAX_ACTION_ROWS", "lots")
    with pytest.raises(ConfigurationError, match="SYNTHDATA_MAX_ACTION_ROWS"):
        ActionLimits.from_env()
    monkeypatch.setenv("SYNTHDATA_BUCKET", " ")
    with pytest.raises(ConfigurationError, match="SYNTHDATA_BUCKET is not set"):
        BackendSettings.from_env()
