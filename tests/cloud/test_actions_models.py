"""The request models take their defaults, checks and messages from the core's options."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from synthdata_sdk import options
from synthdata_sdk.cloud.models import (
    DescribeTemplateRequest,
    GenerateRequest,
    LookupRequest,
    ValidateSchemaRequest,
)


def _problem(model: Any, **values: Any) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught:
        model(**values)
    first = caught.value.errors(include_input=False)[0]
    return ".".join(map(str, first["loc"])), first["msg"].removeprefix("Value error, ")


def test_defaults_are_the_options_models() -> None:
    request = GenerateRequest(template="customer")
    defaults = options.RequestOptions()
    assert (request.rows, request.seed, request.locale) == (
        defaults.rows,
        defaults.seed,
        defaults.locale,
    )
    assert (request.compliance, request.name, request.quality) == ([], None, False)
    assert ValidateSchemaRequest(template="customer").locale == options.DEFAULT_LOCALE


@pytest.mark.parametrize(
    ("field", "value", "check"),
    [
        ("rows", -1, options.check_rows),
        ("rows", True, options.check_rows),
        ("rows", options.MAX_ROWS + 1, options.check_rows),
        ("seed", "7", options.check_seed),
        ("locale", "en-us", options.check_locale),
        ("compliance", ["gdpr", "sox"], options.check_profiles),
        ("compliance", 5, options.check_profiles),
        ("name", "  ", options.check_name),
    ],
)
def test_a_bad_option_gets_the_cores_message(field: str, value: Any, check: Any) -> None:
    with pytest.raises(options.OptionError) as core:
        check(value)
    assert _problem(GenerateRequest, template="customer", **{field: value}) == (
        field,
        core.value.detail,
    )


def test_compliance_is_sorted_and_may_be_comma_separated() -> None:
    assert GenerateRequest(template="order", compliance="pci_dss,gdpr").compliance == [
        "gdpr",
        "pci_dss",
    ]


@pytest.mark.parametrize(
    "name", ["../customer", "customer.json", "/etc/passwd", "templates/customer", "..\\x"]
)
def test_a_template_name_is_never_a_path(name: str) -> None:
    field, message = _problem(GenerateRequest, template=name)
    assert field == "template" and "not a path" in message
    assert _problem(DescribeTemplateRequest, name=name)[0] == "name"


def test_an_unknown_template_lists_the_known_ones() -> None:
    assert (
        "expected one of account, audit_log, customer, device"
        in _problem(GenerateRequest, template="custmer")[1]
    )


@pytest.mark.parametrize("name", ["a/b", "..", "x..y", "tab\there", "x" * 201])
def test_a_dataset_name_is_a_label_not_a_path(name: str) -> None:
    assert _problem(GenerateRequest, template="customer", name=name)[0] == "name"
    assert GenerateRequest(template="customer", name="Orders (EU) v2.1").name == "Orders (EU) v2.1"


def test_exactly_one_source_and_no_unknown_fields() -> None:
    assert _problem(GenerateRequest)[1] == "give exactly one of template or json_schema"
    assert _problem(GenerateRequest, template="customer", json_schema={})[0] == ""
    assert _problem(GenerateRequest, template="customer", row=5) == (
        "row",
        "Extra inputs are not permitted",
    )
    assert _problem(LookupRequest, fingerprint="A" * 64)[0] == "fingerprint"
