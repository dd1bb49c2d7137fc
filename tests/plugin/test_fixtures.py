"""Markers to fixtures: one marker, several, class and module markers, params, sources, factory."""

from __future__ import annotations

import pytest

from tests.plugin.helpers import entries, summary


def test_marker_gives_a_read_only_dataset_of_the_asked_size(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import json
        import pytest
        from jsonschema import Draft202012Validator
        from synthdata_sdk import Dataset

        @pytest.mark.synthdata("customer", rows=25, seed=4, locale="de_DE")
        def test_dataset(synthdata):
            assert isinstance(synthdata, Dataset)
            assert synthdata.rows == 25 and len(synthdata.records) == 25
            assert synthdata.request.seed == 4 and synthdata.request.locale == "de_DE"
            assert len(synthdata.fingerprint) == 64
            validator = Draft202012Validator(synthdata.schema)
            assert all(validator.is_valid(record) for record in synthdata.records)
            json.dumps(synthdata.records)  # read-only records still serialise
            assert synthdata.read_only
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_records_are_shared_read_only_and_copies_are_private(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import copy
        import pytest

        MARK = pytest.mark.synthdata("customer", rows=5)

        @MARK
        def test_a_cannot_change_shared_records(synthdata):
            record = synthdata.records[0]
            with pytest.raises(TypeError, match="copy_records"):
                record["email"] = "changed"
            with pytest.raises(TypeError):
                synthdata.records.append({})
            with pytest.raises(TypeError):
                del synthdata.records[0]
            mine = synthdata.copy_records()
            mine[0]["email"] = "changed"
            mine.clear()
            other = copy.deepcopy(record)
            other["email"] = "changed too"

        @MARK
        def test_b_sees_the_original(synthdata):
            assert len(synthdata.records) == 5
            assert all(r["email"] not in ("changed", "changed too") for r in synthdata.records)
        """
    )
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2)
    assert summary(result)[:2] == (1, 1)


def test_several_markers_give_a_read_only_mapping_by_name(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import pytest

        @pytest.mark.synthdata("customer", rows=3)
        @pytest.mark.synthdata("order", rows=4)
        @pytest.mark.synthdata({"title": "Point", "type": "object",
                                "properties": {"x": {"type": "integer"}}, "required": ["x"]},
                               rows=2)
        @pytest.mark.synthdata("customer", rows=6, seed=1, name="more_customers")
        def test_mapping(synthdata):
            assert sorted(synthdata) == ["Point", "customer", "more_customers", "order"]
            assert synthdata["customer"].rows == 3
            assert synthdata["order"].rows == 4
            assert synthdata["Point"].rows == 2
            assert synthdata["more_customers"].rows == 6
            with pytest.raises(TypeError):
                synthdata["extra"] = synthdata["order"]
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_names_that_clash_only_at_setup_are_a_test_error_before_generating(
    project: pytest.Pytester,
) -> None:
    # The schema file appears after collection, so only setup can see the clash.
    project.makeconftest(
        """
        import pytest

        @pytest.fixture(scope="session", autouse=True)
        def late_schema(pytestconfig):
            (pytestconfig.rootpath / "late.json").write_text(
                '{"title": "customer", "type": "object"}'
            )
        """
    )
    project.makepyfile(
        """
        import pytest

        @pytest.mark.synthdata("customer", rows=3)
        @pytest.mark.synthdata("late.json", rows=4)
        def test_twice(synthdata):
            pass
        """
    )
    result = project.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*two synthdata markers named 'customer'*name=*"])
    assert entries(project.path / ".synthdata") == []  # neither dataset was generated


def test_class_and_module_markers_apply_and_the_closest_wins(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.synthdata("device", rows=3)

        def test_module_marker(synthdata):
            assert synthdata.request.name == "device" and synthdata.rows == 3

        @pytest.mark.synthdata("order", rows=2)
        def test_function_marker_wins(synthdata):
            assert synthdata.request.name == "order" and synthdata.rows == 2

        @pytest.mark.synthdata("patient", rows=4)
        class TestClass:
            def test_class_marker(self, synthdata):
                assert synthdata.request.name == "patient" and synthdata.rows == 4

            @pytest.mark.synthdata("payment", rows=5)
            def test_method_marker_wins(self, synthdata):
                assert synthdata.request.name == "payment" and synthdata.rows == 5
        """
    )
    project.runpytest().assert_outcomes(passed=4)


def test_parametrising_over_datasets(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import pytest

        @pytest.mark.parametrize(
            "template",
            [
                pytest.param(name, marks=pytest.mark.synthdata(name, rows=7), id=name)
                for name in ("customer", "employee", "user_account")
            ],
        )
        def test_each(template, synthdata):
            assert synthdata.request.name == template and synthdata.rows == 7
        """
    )
    result = project.runpytest("-v")
    result.assert_outcomes(passed=3)
    assert summary(result)[3] == 3


def test_schema_paths_resolve_next_to_the_test_then_at_rootdir(project: pytest.Pytester) -> None:
    schema = '{"title": "%s", "type": "object", "properties": {"n": {"type": "integer"}}}'
    project.mkdir("schemas").joinpath("root.json").write_text(schema % "Root")
    tests = project.mkdir("tests")
    (tests / "local.json").write_text(schema % "Local")
    (tests / "test_paths.py").write_text(
        """
import pytest

@pytest.mark.synthdata("local.json", rows=2)
def test_next_to_the_test(synthdata):
    assert synthdata.request.name == "Local"

@pytest.mark.synthdata("schemas/root.json", rows=2)
def test_at_rootdir(synthdata):
    assert synthdata.request.name == "Root"

@pytest.mark.synthdata("nowhere.json", rows=2)
def test_missing(synthdata):
    pass
"""
    )
    result = project.runpytest()
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*schema file 'nowhere.json' not found (looked for '*/tests/nowhere.json' or '*/nowhere.json')*"
        ]
    )


def test_pydantic_model_source(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import pytest
        from pydantic import BaseModel

        class Account(BaseModel):
            id: int
            email: str

        @pytest.mark.synthdata(Account, rows=5)
        def test_model(synthdata):
            assert [Account(**r) for r in synthdata.records]
            assert synthdata.request.name == "Account"
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_factory_fixture_and_session_client(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import pytest

        CLIENTS = []

        def test_factory(synthdata_dataset, synthdata_client):
            CLIENTS.append(synthdata_client)
            first = synthdata_dataset("order", rows=9, seed=2)
            again = synthdata_dataset("order", rows=9, seed=2)
            assert first.rows == 9 and first.records == again.records
            with pytest.raises(TypeError, match="'row'.*did you mean 'rows'"):
                synthdata_dataset("order", row=9)

        def test_client_is_per_session(synthdata_client):
            assert CLIENTS == [synthdata_client]
        """
    )
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2)
    assert summary(result)[:2] == (1, 1)


def test_conftest_can_override_the_config(project: pytest.Pytester) -> None:
    project.makeconftest(
        """
        import dataclasses
        import pytest

        @pytest.fixture(scope="session")
        def synthdata_config(synthdata_config, tmp_path_factory):
            return dataclasses.replace(
                synthdata_config, cache_dir=tmp_path_factory.mktemp("elsewhere"), mode="none"
            )
        """
    )
    project.makepyfile(
        """
        import pytest

        @pytest.mark.synthdata("customer", rows=3)
        def test_a(synthdata):
            pass
        """
    )
    result = project.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*mode 'none' never generates*"])


def test_fixture_without_marker_is_a_clear_error(project: pytest.Pytester) -> None:
    project.makepyfile("def test_unmarked(synthdata):\n    pass\n")
    result = project.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*test_unmarked uses the 'synthdata' fixture but has no*"])


def test_bad_schema_is_a_test_error_naming_the_problem(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import pytest

        CODE = {"type": "string", "minLength": 5, "maxLength": 2}

        @pytest.mark.synthdata(
            {"type": "object", "properties": {"code": CODE}, "required": ["code"]}, rows=3
        )
        def test_bad(synthdata):
            pass
        """
    )
    result = project.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*cannot prepare the dataset: schema /properties/code: *minLength*"]
    )
    assert summary(result)[2] == 1


def test_a_session_reads_each_dataset_from_disk_once(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import shutil
        import pytest

        MARK = pytest.mark.synthdata("customer", rows=8)

        @MARK
        def test_first(synthdata):
            pass

        def test_cache_folder_disappears(synthdata_config):
            shutil.rmtree(synthdata_config.cache_dir)

        @MARK
        def test_served_from_memory(synthdata):
            assert synthdata.rows == 8
        """
    )
    project.runpytest("-k", "test_first").assert_outcomes(passed=1)  # records the dataset
    result = project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=3)
    # one load from disk, then memory: nothing generated although the folder is gone
    assert summary(result)[:2] == (0, 2)
