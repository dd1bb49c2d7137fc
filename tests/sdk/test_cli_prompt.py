"""Prompts on the command line: ``generate --prompt`` and ``templates resolve``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synthdata_sdk import SynthDataClient
from tests.sdk.cli_support import Run

CLIENT = SynthDataClient()


def test_templates_resolve_prints_the_resolved_request(run: Run) -> None:
    code, out, err = run("templates", "resolve", "500 patients with diagnoses")
    assert code == 0, err
    resolved = json.loads(out)
    assert {key: resolved[key] for key in ("prompt", "name", "kind", "rows")} == {
        "prompt": "500 patients with diagnoses",
        "name": "healthcare",
        "kind": "bundle",
        "rows": 500,
    }
    assert resolved["score"] > 2.8
    assert "patient" in resolved["alternatives"]


def test_templates_resolve_takes_the_prompt_as_several_words(run: Run) -> None:
    code, out, _ = run("templates", "resolve", "twelve", "employees")
    assert code == 0
    assert json.loads(out) | {"score": 0, "alternatives": []} == {
        "prompt": "twelve employees",
        "name": "employee",
        "kind": "template",
        "rows": 12,
        "score": 0,
        "alternatives": [],
    }


def test_a_prompt_without_a_count_resolves_to_null_rows(run: Run) -> None:
    code, out, _ = run("templates", "resolve", "employees")
    assert code == 0
    assert json.loads(out)["rows"] is None


def test_an_unresolvable_prompt_exits_2_naming_the_nearest(run: Run) -> None:
    code, out, err = run("templates", "resolve", "300 names")
    assert code == 2 and out == ""
    assert err.startswith("synthdata: error: prompt '300 names' names no template clearly")
    assert "nearest: " in err
    code, _, err = run("generate", "--prompt", "300 names")
    assert code == 2 and "nearest: " in err


@pytest.mark.parametrize(
    "argv",
    [
        ["templates", "resolve"],
        ["templates", "resolve", "--json", "12 employees"],
        ["generate"],
        ["generate", "customer", "--prompt", "12 employees"],
        ["fingerprint"],
    ],
)
def test_prompt_usage_errors_exit_2(run: Run, argv: list[str]) -> None:
    code, out, err = run(*argv)
    assert code == 2 and out == ""
    assert err.startswith("synthdata: error: "), err


def test_generate_prompt_takes_its_rows_and_says_what_it_chose(run: Run) -> None:
    code, out, err = run("generate", "--prompt", "12 employees", "--seed", "3")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert records == CLIENT.generate("employee", rows=12, seed=3).records
    assert err.splitlines()[0].startswith(
        "synthdata: prompt '12 employees' -> template 'employee', 12 rows (score "
    )


def test_rows_given_win_over_the_prompts_count(run: Run) -> None:
    code, out, err = run("generate", "--prompt", "12 employees", "--rows", "3")
    assert code == 0
    assert len(out.splitlines()) == 3
    assert "-> template 'employee', 3 rows (--rows)" in err


def test_a_prompt_without_a_count_takes_the_default_rows(run: Run) -> None:
    code, out, err = run("generate", "--prompt", "employees")
    assert code == 0
    assert len(out.splitlines()) == 100
    assert "100 rows (the default)" in err


def test_quiet_leaves_out_the_resolution(run: Run) -> None:
    code, _, err = run("generate", "--prompt", "5 employees", "-q")
    assert code == 0 and err == ""


def test_generate_prompt_to_a_folder_writes_the_bundle(run: Run, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, _, err = run(
        "generate", "--prompt", "20 patients with diagnoses", "-o", f"{out_dir}/", "--seed", "2"
    )
    assert code == 0, err
    expected = CLIENT.generate("healthcare", rows=20, seed=2)
    assert sorted(path.name for path in out_dir.iterdir()) == sorted(
        f"{name}.jsonl" for name in expected.tables
    )
    for name, table in expected.tables.items():
        lines = (out_dir / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in lines] == table


def test_a_folder_for_one_table_is_refused(run: Run, tmp_path: Path) -> None:
    code, _, err = run("generate", "customer", "-o", f"{tmp_path / 'out'}/")
    assert code == 2
    assert "names a folder" in err
    assert not (tmp_path / "out").exists()


def test_fingerprint_of_a_prompt_is_its_resolved_requests(run: Run) -> None:
    code, out, err = run("fingerprint", "--prompt", "40 customers")
    assert code == 0
    assert out.strip() == CLIENT.prepare("customer", rows=40).fingerprint
    assert "-> template 'customer', 40 rows" in err
