"""Wrong argument types to the client are RequestErrors naming the argument, never
TypeError or AttributeError from deep inside."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from synthdata_sdk import SynthDataClient
from synthdata_sdk.errors import RequestError, SchemaError, SynthDataError

CLIENT = SynthDataClient()
SCHEMA = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}

#: name -> (call, the argument the message must name)
MISUSE: dict[str, tuple[Callable[[Path], Any], str]] = {
    "compliance=5": (lambda _: CLIENT.generate(SCHEMA, compliance=5), "compliance"),
    "compliance=None": (lambda _: CLIENT.generate(SCHEMA, compliance=None), "compliance"),
    "compliance=b'gdpr'": (lambda _: CLIENT.generate(SCHEMA, compliance=b"gdpr"), "compliance"),
    "compliance=[5]": (lambda _: CLIENT.generate(SCHEMA, compliance=[5]), "compliance"),
    "compliance={'gdpr': 1}": (
        lambda _: CLIENT.generate(SCHEMA, compliance={"gdpr": 1}),
        "compliance",
    ),
    "rows='5'": (lambda _: CLIENT.generate(SCHEMA, rows="5"), "rows"),
    "rows=5.0": (lambda _: CLIENT.generate(SCHEMA, rows=5.0), "rows"),
    "rows=True": (lambda _: CLIENT.generate(SCHEMA, rows=True), "rows"),
    "rows=-1": (lambda _: CLIENT.generate(SCHEMA, rows=-1), "rows"),
    "seed='1'": (lambda _: CLIENT.generate(SCHEMA, seed="1"), "seed"),
    "seed=1.5": (lambda _: CLIENT.prepare(SCHEMA, seed=1.5), "seed"),
    "seed=None": (lambda _: CLIENT.generate(SCHEMA, seed=None), "seed"),
    "locale=5": (lambda _: CLIENT.generate(SCHEMA, locale=5), "locale"),
    "locale=['en_US']": (lambda _: CLIENT.generate(SCHEMA, locale=["en_US"]), "locale"),
    "workers='2'": (lambda _: CLIENT.generate(SCHEMA, workers="2"), "workers"),
    "progress=5": (lambda _: CLIENT.generate(SCHEMA, rows=3, progress=5), "progress"),
    "quality='yes'": (lambda _: CLIENT.generate(SCHEMA, rows=3, quality="yes"), "quality"),
    "base_dir=5": (lambda _: CLIENT.generate("x.json", base_dir=5), "base_dir"),
    "write path=5": (lambda _: CLIENT.write(SCHEMA, 5, rows=3), "path"),
    "write table=5": (lambda tmp: CLIENT.write(SCHEMA, tmp / "x.sql", rows=3, table=5), "table"),
    "write quality=1": (
        lambda tmp: CLIENT.write(SCHEMA, tmp / "x.csv", rows=3, quality=1),
        "quality",
    ),
    "fingerprint(bogus=1)": (lambda _: CLIENT.fingerprint(SCHEMA, bogus=1), "bogus"),
}


@pytest.mark.parametrize("case", sorted(MISUSE))
def test_misuse_is_a_request_error_naming_the_argument(case: str, tmp_path: Path) -> None:
    call, argument = MISUSE[case]
    with pytest.raises(SynthDataError) as raised:
        call(tmp_path)
    assert isinstance(raised.value, (RequestError, SchemaError))
    assert argument in str(raised.value)
    assert not list(tmp_path.iterdir())  # nothing written


@pytest.mark.parametrize(
    "source", [5, [], b"{}", True, int, 1.5, {"type": "object", "properties": []}]
)
def test_a_source_that_is_no_schema_is_a_schema_error(source: Any) -> None:
    with pytest.raises(SchemaError):
        CLIENT.generate(source, rows=1)
    assert not CLIENT.validate_schema(source).valid


def test_no_source_is_a_request_error_naming_source_and_prompt() -> None:
    # generate(None) gives neither a source nor a prompt
    with pytest.raises(RequestError, match="exactly one of source and prompt"):
        CLIENT.generate(None, rows=1)
    assert not CLIENT.validate_schema(None).valid


def test_the_checked_arguments_still_accept_what_they_should(tmp_path: Path) -> None:
    CLIENT.generate(SCHEMA, rows=2, compliance=("gdpr", "pci_dss"), progress=lambda n: None)
    CLIENT.generate(SCHEMA, rows=2, compliance="gdpr, hipaa", quality=True)
    CLIENT.write(SCHEMA, str(tmp_path / "x.sql"), rows=2, table="t", base_dir=tmp_path)
    assert "CREATE TABLE" in (tmp_path / "x.sql").read_text()
    assert (
        CLIENT.fingerprint(SCHEMA, rows=5, seed=1)
        == CLIENT.prepare(SCHEMA, rows=5, seed=1).fingerprint
    )


def test_validate_reports_a_wrong_compliance_type() -> None:
    from synthdata_sdk.schema.report import validate_schema

    report = validate_schema(SCHEMA, compliance=5)  # type: ignore[arg-type]
    assert not report.valid
    assert report.errors[0].message.startswith(
        "compliance: expected profile names such as ('gdpr',) or 'gdpr,hipaa', got 5"
    )
