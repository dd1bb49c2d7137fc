"""The validators of ``<!-- docs-test: valid KIND -->`` blocks accept what the code takes and
name what it does not."""

from __future__ import annotations

import re

import pytest

from tests.docs.validators import check

GENERATE = (
    "synthdata generate [SOURCE] [--prompt TEXT] [--rows N] [--seed S] [--locale L]\n"
    "                          [--compliance P,...] [--strict-keywords] [--format F]\n"
    "                          [-o | --out PATH] [--workers N]\n"
    "                          [--table NAME] [--dialect D] [--if-table-exists E]\n"
    "                          [--quality] [-q | --quiet]\n"
    "                          [--backend local|lambda|agent] [--function-name NAME]\n"
    "                          [--agent-id ID] [--agent-alias-id ID] [--endpoint-url URL]\n"
    "                          [--region REGION] [--bucket BUCKET] [--prefix PREFIX] [--trace]\n"
)
OTHERS = (
    "synthdata templates [NAME] [WORDS ...] [--json] [--limit N]\n"
    "synthdata cache verify  [--cache-dir DIR] [FINGERPRINT ...]\n"
    "synthdata scan PATH... [--profile P,...] [--format text|json|sarif] [-o | --output FILE]\n"
    "                       [--presidio]\n"
    "synthdata quality PATH [--schema [TABLE=]SOURCE ...] [--html FILE] [--json]\n"
)
LAYOUT = (
    ".synthdata/\n"
    "  .gitignore                  # never committed\n"
    "  datasets/<fingerprint>/\n"
    "    manifest.json\n"
    "    records.json\n"
    "  locks/<fingerprint>.lock\n"
    "  locks/.tmp-<...>.lock       # while an entry is written\n"
)


def test_synopses_that_match_their_parsers_are_valid(pytester: pytest.Pytester) -> None:
    assert check("usage", GENERATE, pytester) == []
    assert check("usage", OTHERS, pytester) == []


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("[--workers N]", "", "synthdata generate: the synopsis leaves out --workers"),
        ("[-q | --quiet]", "[-q | --quiet] [--fast]", "shows --fast, which the command does not"),
        ("[--seed S]", "[--seed SEED]", "--seed takes S, the synopsis shows SEED"),
        ("[--quality]", "[--quality Q]", "--quality takes no value, the synopsis shows Q"),
        ("[-q | --quiet]", "[-q | --table]", "-q | --table are not spellings of one option"),
        ("[SOURCE] [", "SOURCE [", "positional arguments are [SOURCE], the synopsis shows SOURCE"),
        ("synthdata generate", "synthdata generat", "no synthdata command in: synthdata generat"),
    ],
)
def test_a_synopsis_that_differs_from_its_parser_is_named(
    pytester: pytest.Pytester, old: str, new: str, problem: str
) -> None:
    problems = check("usage", GENERATE.replace(old, new, 1), pytester)
    assert any(problem in found for found in problems), problems


def test_choices_are_shown_in_full_or_by_a_placeholder(pytester: pytest.Pytester) -> None:
    wrong = OTHERS.replace("text|json|sarif", "text|json")
    assert check("usage", wrong, pytester) == [
        "synthdata scan: --format takes one of text|json|sarif, the synopsis shows text|json"
    ]
    assert check("usage", OTHERS.replace("[NAME]", "NAME"), pytester) == [
        "synthdata templates: positional arguments are [NAME] [WORDS ...], the synopsis shows"
        " NAME [WORDS ...]"
    ]


def test_a_property_schema_must_be_accepted_strictly_and_generate(
    pytester: pytest.Pytester,
) -> None:
    good = '{"type": "string", "format": "email", "x-synthdata": {"semantic": "email"}}'
    assert check("property", good, pytester) == []
    [typo] = check("property", good.replace('"format"', '"formt"'), pytester)
    assert "unknown keyword 'formt'" in typo
    [semantic] = check(
        "property", good.replace('"semantic": "email"', '"semantic": "emial"'), pytester
    )
    assert "unknown semantic 'emial'" in semantic
    assert "not JSON" in check("property", "{'type': 'string'}", pytester)[0]


def test_ci_commands_must_be_accepted_by_synthdata_and_pytest(pytester: pytest.Pytester) -> None:
    config = (
        "- run: pip install synthdata\n"
        "- run: synthdata scan tests/fixtures --format sarif --output synthdata.sarif\n"
        "- entry: synthdata scan --profile gdpr,pci_dss\n"
        "- run: >-\n"
        "    pytest --synthdata-prune\n"
        "    --synthdata-mode=${{ steps.x.outputs.cache-hit == 'true' && 'none' || 'new' }}\n"
    )
    assert check("ci-config", config, pytester) == []
    wrong = config.replace("--format sarif", "--formats sarif").replace("'new'", "'newer'")
    problems = check("ci-config", wrong, pytester)
    assert [problem.split(" is refused")[0] for problem in problems] == [
        "`synthdata scan tests/fixtures --formats sarif --output synthdata.sarif`",
        "`pytest --synthdata-prune --synthdata-mode=newer`",
    ]
    assert "invalid choice: 'newer'" in problems[1]


def test_a_ci_config_must_be_yaml_with_a_command(pytester: pytest.Pytester) -> None:
    assert "not YAML" in check("ci-config", "- run: [unclosed\n", pytester)[0]
    assert check("ci-config", "- uses: actions/checkout@v4\n", pytester) == [
        "no run or entry command to check in this configuration"
    ]
    assert check("ci-config", "- run: synthdata x ${{ github.ref }}\n", pytester) == [
        "cannot tell what the expression of `synthdata x ${{ github.ref }}` gives"
    ]


def test_the_cache_layout_is_the_one_on_disk(pytester: pytest.Pytester) -> None:
    assert check("cache-layout", LAYOUT, pytester) == []
    renamed = check("cache-layout", LAYOUT.replace("records.json", "rows.json"), pytester)
    assert len(renamed) == 2
    assert renamed[0] == "datasets/<fingerprint>/rows.json is never in a cache folder"
    assert re.fullmatch(
        r"the cache folder holds datasets/[0-9a-f]{64}/records\.json, which the tree leaves out",
        renamed[1],
    )


def test_a_name_that_exists_only_while_an_entry_is_written_is_found(
    pytester: pytest.Pytester,
) -> None:
    wrong = LAYOUT.replace("locks/.tmp-<...>.lock", "locks/.temp-<...>.lock")
    assert check("cache-layout", wrong, pytester) == [
        "locks/.temp-<...>.lock is never in a cache folder"
    ]


def test_an_unknown_kind_is_named(pytester: pytest.Pytester) -> None:
    assert check("schemaa", "{}", pytester) == [
        "unknown kind 'valid schemaa' (expected one of property, usage, ci-config, "
        "cache-layout, pyproject)"
    ]


def test_a_pyproject_is_read_as_the_client_reads_it(pytester: pytest.Pytester) -> None:
    table = '[tool.synthdata]\nbackend = "lambda"\nfunction_name = "f"\n'
    assert check("pyproject", table, pytester) == []
    assert check("pyproject", table.replace("function_name", "function-name"), pytester) == [
        "pyproject.toml [tool.synthdata]: unknown key 'function-name' (did you mean "
        "'function_name'?); expected any of backend, function_name, agent_id, agent_alias_id, "
        "endpoint_url, region, bucket, prefix, trace"
    ]
    assert check("pyproject", '[project]\nname = "x"\n', pytester) == [
        "no [tool.synthdata] settings in this pyproject.toml"
    ]
