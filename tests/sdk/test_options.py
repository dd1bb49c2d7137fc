"""The request options model: defaults, checks and messages shared by every way in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synthdata_sdk.errors import RequestError
from synthdata_sdk.options import (
    MAX_ROWS,
    MAX_SEED,
    PROFILE_NAMES,
    SUPPORTED_LOCALES,
    OptionError,
    RequestOptions,
    check_profiles,
)


def test_defaults_are_the_documented_ones() -> None:
    options = RequestOptions()
    assert (options.rows, options.seed, options.locale) == (100, 0, "en_US")
    assert options.compliance == ()
    assert options.name is None


@given(rows=st.integers(0, MAX_ROWS), seed=st.integers(0, MAX_SEED))
def test_integers_in_range_are_kept(rows: int, seed: int) -> None:
    options = RequestOptions(rows=rows, seed=seed)
    assert (options.rows, options.seed) == (rows, seed)


@given(
    value=st.one_of(
        st.integers(max_value=-1),
        st.integers(min_value=MAX_ROWS + 1),
        st.booleans(),
        st.floats(),
        st.text(max_size=5),
        st.none(),
    )
)
def test_rows_outside_the_range_or_not_an_int_is_an_option_error(value: object) -> None:
    with pytest.raises(OptionError) as caught:
        RequestOptions(rows=value)  # type: ignore[arg-type]
    assert caught.value.option == "rows"
    assert "rows: expected an integer from 0 to 100,000,000" in str(caught.value)


def test_seed_above_the_largest_is_refused() -> None:
    with pytest.raises(OptionError, match="seed: expected an integer from 0 to"):
        RequestOptions(seed=MAX_SEED + 1)


def test_an_option_error_is_a_request_error() -> None:
    with pytest.raises(RequestError):
        RequestOptions(locale="xx")


def test_a_near_miss_locale_gets_a_suggestion() -> None:
    with pytest.raises(OptionError, match=r"unknown locale 'en_us' \(did you mean 'en_US'\?\)"):
        RequestOptions(locale="en_us")


@given(st.lists(st.sampled_from(PROFILE_NAMES), max_size=6))
def test_profiles_are_sorted_and_deduplicated_from_a_list_or_a_comma_string(
    names: list[str],
) -> None:
    expected = tuple(sorted(set(names)))
    assert check_profiles(names) == expected
    assert check_profiles(" , ".join(names)) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (5, "expected profile names"),
        (b"gdpr", "expected profile names"),
        ({"gdpr": 1}, "expected profile names"),
        (["gdpr", 3], "profile names are strings, got 3"),
        ("gdpr,hipa", r"unknown compliance profile 'hipa' \(did you mean 'hipaa'\?\)"),
    ],
)
def test_wrong_compliance_values_say_what_fits(value: object, message: str) -> None:
    with pytest.raises(OptionError, match=message):
        check_profiles(value)


def test_unknown_keyword_names_itself_and_suggests() -> None:
    with pytest.raises(OptionError, match=r"^row: unknown option \(did you mean 'rows'\?\)"):
        RequestOptions.from_mapping({"row": 5})


def test_empty_name_is_refused() -> None:
    with pytest.raises(OptionError, match="name: expected a non-empty string"):
        RequestOptions(name=" ")


def test_every_supported_locale_is_accepted() -> None:
    assert [RequestOptions(locale=loc).locale for loc in SUPPORTED_LOCALES] == list(
        SUPPORTED_LOCALES
    )


def test_fingerprinted_options_leave_the_name_out() -> None:
    options = RequestOptions(rows=3, seed=4, locale="de_DE", compliance=("hipaa",), name="x")
    assert options.fingerprinted() == {
        "rows": 3,
        "seed": 4,
        "locale": "de_DE",
        "compliance": ["hipaa"],
    }
