"""Marker arguments are bound to the real signature and checked at collection."""

from __future__ import annotations

import inspect

import pytest

from pytest_synthdata.markers import (
    DISPLAY_SIGNATURE,
    SIGNATURE,
    MarkerError,
    spec_from_arguments,
)


def test_display_signature_matches_the_bound_one() -> None:
    shown = DISPLAY_SIGNATURE.replace('"', "'")
    plain = SIGNATURE.replace(
        parameters=[
            p.replace(annotation=inspect.Parameter.empty) for p in SIGNATURE.parameters.values()
        ],
        return_annotation=inspect.Signature.empty,
    )
    assert shown == str(plain)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("customer",), {"row": 10}, "unexpected argument 'row'; did you mean 'rows'?"),
        ((), {"rows": 10}, "give a source or a prompt"),
        (("customer", 10), {}, "too many positional arguments"),
        (
            ("customer",),
            {"rows": "10"},
            "rows='10': expected an integer from 0 to 100,000,000, got '10'",
        ),
        (
            ("customer",),
            {"rows": True},
            "rows=True: expected an integer from 0 to 100,000,000, got True",
        ),
        (("customer",), {"seed": -1}, "seed=-1: expected an integer from 0 to"),
        (("customer",), {"locale": 1}, "locale=1"),
        (("customer",), {"compliance": [1]}, "compliance=[1]"),
        (("customer",), {"name": ""}, "name=''"),
        ((3.5,), {}, "source=3.5 is a float"),
    ],
)
def test_bad_arguments_are_named(
    args: tuple[object, ...], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(MarkerError) as raised:
        spec_from_arguments(args, kwargs)
    assert message in str(raised.value)


def test_compliance_accepts_a_comma_separated_string() -> None:
    spec = spec_from_arguments(("customer",), {"compliance": "pci_dss, gdpr"})
    assert spec.compliance == ("gdpr", "pci_dss")


def test_a_typo_fails_collection_naming_the_test_and_argument(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_typo="""
        import pytest

        @pytest.mark.synthdata("customer", row=10)
        def test_typo(synthdata):
            pass

        def test_other():
            pass
        """
    )
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*bad synthdata marker arguments:*",
            "*test_typo.py::test_typo: @pytest.mark.synthdata: unexpected argument 'row'; "
            "did you mean 'rows'?*",
        ]
    )
    result.assert_outcomes()  # nothing ran


def test_a_bad_module_marker_is_reported_once(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_module="""
        import pytest

        pytestmark = pytest.mark.synthdata("customer", rows=-5)

        def test_one(synthdata):
            pass

        def test_two(synthdata):
            pass
        """
    )
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.errlines if "rows=-5" in line]
    assert len(errors) == 1 and "test_module.py: @pytest.mark.synthdata" in errors[0]


@pytest.mark.parametrize(
    ("locale", "hint"),
    [("en-US", "did you mean 'en_US'?"), ("fr_fr", "did you mean 'fr_FR'?"), ("xx_YY", "")],
)
def test_an_unknown_locale_is_named_with_a_suggestion(locale: str, hint: str) -> None:
    with pytest.raises(MarkerError) as raised:
        spec_from_arguments(("customer",), {"locale": locale})
    message = str(raised.value)
    assert message.startswith(f"locale={locale!r}: unknown locale {locale!r}")
    assert hint in message
    assert message.endswith("expected one of en_US, en_GB, de_DE, fr_FR")


XDIST = pytest.mark.parametrize(
    "workers",
    [pytest.param([], id="plain"), pytest.param(["-n", "2"], id="xdist", marks=pytest.mark.slow)],
)


@XDIST
def test_an_unknown_locale_fails_collection(project: pytest.Pytester, workers: list[str]) -> None:
    project.makepyfile(
        test_locale="""
        import pytest

        @pytest.mark.synthdata("customer", rows=3, locale="de-DE")
        def test_german(synthdata):
            pass

        def test_other():
            pass
        """
    )
    result = project.runpytest(*workers)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*bad synthdata marker arguments:*",
            "*test_locale.py::test_german: @pytest.mark.synthdata: locale='de-DE': unknown "
            "locale 'de-DE' (did you mean 'de_DE'?)*",
        ]
    )
    result.assert_outcomes()  # nothing ran


@XDIST
def test_same_name_markers_fail_collection_before_anything_is_generated(
    project: pytest.Pytester, workers: list[str]
) -> None:
    project.mkdir("schemas").joinpath("customer.json").write_text(
        '{"type": "object", "properties": {"id": {"type": "integer"}}}'
    )
    project.makepyfile(
        test_names="""
        import pytest

        @pytest.mark.synthdata("customer", rows=3)
        @pytest.mark.synthdata("customer", rows=4)
        def test_twice(synthdata):
            pass

        @pytest.mark.synthdata("customer", rows=3)
        @pytest.mark.synthdata("schemas/customer.json", rows=4)
        def test_file_named_like_the_template(synthdata):
            pass

        @pytest.mark.synthdata("order", rows=3)
        @pytest.mark.synthdata({"type": "object"}, rows=4)
        def test_untitled(synthdata):
            pass

        @pytest.mark.synthdata("customer", rows=3)
        @pytest.mark.synthdata("customer", rows=4, name="more")
        def test_fine(synthdata):
            pass
        """
    )
    result = project.runpytest(*workers)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines_random(
        [
            "*test_names.py::test_twice: @pytest.mark.synthdata: two markers name their "
            "dataset 'customer'; give them distinct name=... arguments",
            "*test_names.py::test_file_named_like_the_template: @pytest.mark.synthdata: two "
            "markers name their dataset 'customer'; *",
            "*test_names.py::test_untitled: @pytest.mark.synthdata: inline schema has no name "
            "(no title) and the test has several markers; give it name=...",
        ]
    )
    assert not any("test_fine" in line for line in result.errlines)
    result.assert_outcomes()  # nothing ran
    assert not (project.path / ".synthdata").exists()  # and nothing was generated
