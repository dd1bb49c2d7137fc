"""Backend settings: arguments > [tool.synthdata] > environment > defaults, each value checked
and every mistake named with where it came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthdata_sdk import SynthDataClient
from synthdata_sdk.backend_config import (
    SETTINGS,
    USES,
    BackendConfig,
    find_pyproject,
    resolve_config,
)
from synthdata_sdk.errors import BackendConfigError, RequestError

LAMBDA = {"function_name": "synthdata-actions", "bucket": "datasets-bucket"}
AGENT = {"agent_id": "AGENT12345", "agent_alias_id": "TSTALIASID", "bucket": "datasets-bucket"}


def pyproject(folder: Path, table: str) -> Path:
    path = folder / "pyproject.toml"
    path.write_text(f'[project]\nname = "demo"\n\n[tool.synthdata]\n{table}\n', encoding="utf-8")
    return path


def toml_value(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else f'"{value}"'


def env_value(value: object) -> str:
    return ("1" if value else "0") if isinstance(value, bool) else str(value)


# three distinct valid values of every setting the agent backend uses
VALUES: dict[str, tuple[Any, Any, Any]] = {
    "agent_id": ("AAAAAAAAA1", "BBBBBBBBB2", "CCCCCCCCC3"),
    "agent_alias_id": ("TSTALIASID", "LIVE", "A1"),
    "bucket": ("arg-bucket", "env-bucket", "file-bucket"),
    "prefix": ("arg/p", "env/p", "file/p"),
    "endpoint_url": ("http://127.0.0.1:1", "http://127.0.0.1:2", "https://example.test"),
    "region": ("eu-west-1", "us-east-1", "ap-southeast-2"),
    "trace": (True, False, True),
}
SOURCES = ("argument", "environment", "pyproject")
_CHOICES = st.fixed_dictionaries(
    {key: st.sets(st.sampled_from(SOURCES)) for key in ("backend", *VALUES)}
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chosen=_CHOICES)
def test_each_setting_comes_from_the_first_source_that_has_it(
    chosen: dict[str, set[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("project")
    arguments: dict[str, Any] = {}
    environ: dict[str, str] = {}
    table: list[str] = []
    expected: dict[str, tuple[Any, str]] = {}
    # "agent" wherever the backend is set, so that every agent setting is resolved
    values = {**VALUES, "backend": ("agent", "agent", "agent")}
    must_be_set = {"backend", *USES["agent"][0]}
    for key, sources in chosen.items():
        if not sources and key in must_be_set:
            sources = {"pyproject"}
        first, second, third = values[key]
        if "argument" in sources:
            arguments[key] = first
        if "environment" in sources:
            environ[SETTINGS[key].env] = env_value(second)
        if "pyproject" in sources:
            table.append(f"{key} = {toml_value(third)}")
        # the precedence, spelled out: the first source that has the setting wins
        if "argument" in sources:
            expected[key] = (first, f"argument {key}")
        elif "pyproject" in sources:
            path = folder.resolve() / "pyproject.toml"
            expected[key] = (third, f"{path} [tool.synthdata] {key}")
        elif "environment" in sources:
            expected[key] = (second, SETTINGS[key].env)
        else:
            expected[key] = (SETTINGS[key].default, "default")
    pyproject(folder, "\n".join(table))

    config = resolve_config(arguments, environ=environ, start=folder)

    assert {key: (getattr(config, key), config.origins[key]) for key in expected} == expected


def test_without_any_setting_the_backend_is_local(tmp_path: Path) -> None:
    config = resolve_config({}, environ={}, start=tmp_path)
    assert config == BackendConfig()
    assert config.origins == {"backend": "default"}


def test_the_local_backend_reads_and_checks_no_other_setting(tmp_path: Path) -> None:
    # a bad prefix matters only to a backend that uses one
    environ = {"SYNTHDATA_PREFIX": "a/../b", "SYNTHDATA_BUCKET": "Not A Bucket"}
    assert resolve_config({}, environ=environ, start=tmp_path).backend == "local"
    assert resolve_config({"backend": "local"}, environ=environ, start=tmp_path).prefix == (
        "synthdata"
    )


def test_the_nearest_pyproject_counts(tmp_path: Path) -> None:
    pyproject(tmp_path, 'backend = "agent"')
    inner = tmp_path / "service"
    (inner / "src").mkdir(parents=True)
    pyproject(inner, 'backend = "lambda"\nfunction_name = "f"\nbucket = "inner-bucket"')
    config = resolve_config({}, environ={}, start=inner / "src")
    assert (config.backend, config.bucket) == ("lambda", "inner-bucket")
    assert find_pyproject(tmp_path) == tmp_path / "pyproject.toml"


def test_an_empty_variable_counts_as_unset(tmp_path: Path) -> None:
    pyproject(tmp_path, 'backend = "lambda"\nfunction_name = "f"')
    environ = {"SYNTHDATA_BUCKET": " "}
    with pytest.raises(BackendConfigError, match="needs bucket"):
        resolve_config({}, environ=environ, start=tmp_path)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            'function-name = "f"',
            "[tool.synthdata]: unknown key 'function-name' (did you mean 'function_name'?)",
        ),
        ('buckt = "b"', "unknown key 'buckt' (did you mean 'bucket'?)"),
        ("bucket = 5", "[tool.synthdata] bucket: expected a string, got 5 (int)"),
        ('trace = "sometimes"', "[tool.synthdata] trace: expected true or false"),
        ('backend = "lamda"', "unknown backend 'lamda' (did you mean 'lambda'?)"),
        ('prefix = "a/../b"', "[tool.synthdata] prefix: expected names separated by single '/'"),
    ],
)
def test_a_bad_pyproject_setting_names_the_file_the_key_and_what_fits(
    tmp_path: Path, table: str, message: str
) -> None:
    path = pyproject(tmp_path, 'backend = "agent"\n' * ("backend" not in table) + table)
    with pytest.raises(BackendConfigError) as raised:
        resolve_config(AGENT, environ={}, start=tmp_path)
    assert message in str(raised.value)
    assert str(path.resolve()) in str(raised.value)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SYNTHDATA_BACKEND", "Lambda", "SYNTHDATA_BACKEND: unknown backend 'Lambda'"),
        ("SYNTHDATA_ENDPOINT_URL", "localhost:4566", "expected a URL such as"),
        ("SYNTHDATA_ENDPOINT_URL", "http://127.0.0.1:port", "expected a URL such as"),
        ("SYNTHDATA_REGION", "Europe", "SYNTHDATA_REGION: expected an AWS region"),
        ("SYNTHDATA_BUCKET", "My_Bucket", "SYNTHDATA_BUCKET: expected an S3 bucket name"),
        ("SYNTHDATA_FUNCTION_NAME", "my function", "expected a Lambda function name"),
        ("SYNTHDATA_TRACE", "maybe", "SYNTHDATA_TRACE: expected true or false, got 'maybe'"),
    ],
)
def test_a_bad_variable_is_named(tmp_path: Path, variable: str, value: str, message: str) -> None:
    backend, needs = ("lambda", LAMBDA) if "FUNCTION" in variable else ("agent", AGENT)
    environ = {"SYNTHDATA_BACKEND": backend, **{variable: value}}
    # an argument would win over the variable
    arguments = {key: value for key, value in needs.items() if SETTINGS[key].env != variable}
    with pytest.raises(BackendConfigError) as raised:
        resolve_config(arguments, environ=environ, start=tmp_path)
    assert message in str(raised.value)
    assert raised.value.origin == variable


def test_unknown_and_mistyped_arguments_are_request_errors(tmp_path: Path) -> None:
    with pytest.raises(BackendConfigError, match=r"'bucket_name' \(did you mean 'bucket'\?\)"):
        resolve_config({"bucket_name": "b"}, environ={}, start=tmp_path)
    with pytest.raises(RequestError, match="argument trace: expected true or false, got 1"):
        SynthDataClient(backend="agent", **AGENT, trace=1, project_dir=tmp_path)  # type: ignore[arg-type]
    with pytest.raises(RequestError, match=r"argument bucket: expected a string, got \['b'\]"):
        SynthDataClient("lambda", function_name="f", bucket=["b"], project_dir=tmp_path)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("backend", "given", "missing"),
    [
        ("lambda", {"bucket": "b-b"}, "function_name"),
        ("lambda", {"function_name": "f"}, "bucket"),
        ("agent", {"agent_id": "A", "bucket": "b-b"}, "agent_alias_id"),
    ],
)
def test_a_missing_setting_says_every_way_to_set_it(
    tmp_path: Path, backend: str, given: dict[str, str], missing: str
) -> None:
    with pytest.raises(BackendConfigError) as raised:
        resolve_config(given, environ={"SYNTHDATA_BACKEND": backend}, start=tmp_path)
    text = str(raised.value)
    setting = SETTINGS[missing]
    assert f"the {backend} backend (chosen by SYNTHDATA_BACKEND) needs {missing}" in text
    assert all(
        way in text for way in (f"{missing}=", setting.flag, setting.env, "[tool.synthdata]")
    )


def test_a_pyproject_that_is_not_toml_is_named(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.synthdata\n", encoding="utf-8")
    with pytest.raises(BackendConfigError, match=r"pyproject\.toml: is not valid TOML"):
        resolve_config({}, environ={}, start=tmp_path)


def test_arguments_are_named_by_their_flags_on_the_command_line(tmp_path: Path) -> None:
    with pytest.raises(BackendConfigError, match="--agent-id: expected 1 to 10 letters"):
        resolve_config(
            {**AGENT, "agent_id": "no-dashes"},
            environ={"SYNTHDATA_BACKEND": "agent"},
            start=tmp_path,
            flags=True,
        )
