"""The marker's ``prompt``: resolved once, served as the resolved request, reported, checked."""

from __future__ import annotations

import pytest

from pytest_synthdata.markers import MarkerError, spec_from_arguments
from synthdata_sdk import SynthDataClient
from tests.plugin.helpers import entries, summary

TEST_FILE = """
import pytest

@pytest.mark.synthdata(prompt="200 customers with orders", seed=3)
def test_bundle(synthdata):
    assert list(synthdata.tables)[:2] == ["customers", "products"]
    assert len(synthdata.tables["customers"]) == 200
    print("FINGERPRINT", synthdata.fingerprint)

@pytest.mark.synthdata(prompt="12 employees")
def test_prompt_rows(synthdata):
    assert len(synthdata.records) == 12

@pytest.mark.synthdata(prompt="12 employees", rows=3)
def test_rows_given_win(synthdata):
    assert len(synthdata.records) == 3

@pytest.mark.synthdata(prompt="employees")
def test_default_rows(synthdata):
    assert len(synthdata.records) == 100

def test_factory(synthdata_dataset):
    assert len(synthdata_dataset(prompt="7 employees").records) == 7
"""


def test_a_prompt_serves_the_resolved_request(project: pytest.Pytester) -> None:
    project.makepyfile(TEST_FILE)
    result = project.runpytest("-p", "no:cacheprovider", "--synthdata-cache-dir=cache", "-s")
    result.assert_outcomes(passed=5)
    client = SynthDataClient()
    expected = {
        client.prepare("retail", rows=200, seed=3).fingerprint,
        client.prepare("employee", rows=12).fingerprint,
        client.prepare("employee", rows=3).fingerprint,
        client.prepare("employee", rows=100).fingerprint,
        client.prepare("employee", rows=7).fingerprint,
    }
    # the fingerprint is the resolved request's: the same entry as the template by name
    assert set(entries(project.path / "cache")) == expected
    result.stdout.fnmatch_lines(
        [f"*FINGERPRINT {client.prepare('retail', rows=200, seed=3).fingerprint}"]
    )
    assert summary(result)[:3] == (5, 0, 0)


def test_the_header_and_verbose_summary_say_what_a_prompt_resolved_to(
    project: pytest.Pytester,
) -> None:
    project.makepyfile(TEST_FILE)
    result = project.runpytest("-p", "no:cacheprovider", "--synthdata-cache-dir=cache", "-v")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(
        [
            "*collected 5 items",
            "synthdata: prompt '200 customers with orders' -> bundle 'retail', 200 rows",
            "synthdata: prompt '12 employees' -> template 'employee', 12 rows",
            "synthdata: prompt '12 employees' -> template 'employee', 3 rows",
            "synthdata: prompt 'employees' -> template 'employee', 100 rows",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "  *  bundle 'retail'  * (prompt '200 customers with orders' -> bundle 'retail', 200 rows)"
        ]
    )


def test_a_typo_d_prompt_fails_its_test_with_the_sdk_s_message(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import pytest

        @pytest.mark.synthdata(prompt="300 names")
        def test_typo(synthdata):
            pass

        @pytest.mark.synthdata(prompt="5 employees")
        def test_fine(synthdata):
            assert len(synthdata.records) == 5
        """
    )
    result = project.runpytest("-p", "no:cacheprovider", "--synthdata-cache-dir=cache")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "synthdata: prompt '300 names' -> no template (nearest: *)",
            "*synthdata: cannot prepare the dataset: prompt '300 names' names no template clearly"
            " (nearest: *",
        ]
    )


def test_prompt_with_source_is_a_usage_error_naming_both(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import pytest

        @pytest.mark.synthdata("customer", prompt="200 customers")
        def test_both(synthdata):
            pass
        """
    )
    result = project.runpytest("-p", "no:cacheprovider", "--synthdata-cache-dir=cache")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*test_both: @pytest.mark.synthdata: source='customer' and prompt='200 customers':*"]
    )
    assert entries(project.path / "cache") == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"source": "customer", "prompt": "5 customers"}, "source='customer' and prompt="),
        ({"prompt": ""}, "prompt='': expected the request in words"),
        ({"prompt": 5}, "prompt=5: expected the request in words"),
        ({"rows": 5}, "give a source or a prompt"),
    ],
)
def test_bad_prompt_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(MarkerError, match=message):
        spec_from_arguments((), kwargs)


def test_a_prompt_spec_resolves_to_its_template_and_rows() -> None:
    spec = spec_from_arguments((), {"prompt": "a dozen drugs", "seed": 4}).resolve()
    assert (spec.source, spec.rows, spec.seed) == ("prescription", 12, 4)
    given = spec_from_arguments((), {"prompt": "a dozen drugs", "rows": 2}).resolve()
    assert (given.source, given.rows) == ("prescription", 2)
