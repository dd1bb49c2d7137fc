"""Names, user names, companies and jobs come from the locale's Faker pools."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from synthdata_sdk.generation.semantics import get_semantic
from synthdata_sdk.generation.semantics.pools import (
    ascii_fold,
    company_suffixes,
    first_names,
    job_titles,
    last_names,
)

Sample = Callable[..., tuple[np.ndarray, list[str]]]


def _faker(kind: str, locale: str) -> Any:
    return importlib.import_module(f"faker.providers.{kind}.{locale}").Provider


def test_first_and_last_names_are_faker_entries(locale: str, sample: Sample) -> None:
    person = _faker("person", locale)
    assert set(sample("first_name", locale)[1]) <= set(person.first_names)
    assert set(sample("last_name", locale)[1]) == set(person.last_names)


def test_first_names_have_no_space_so_full_names_split_back(locale: str, sample: Sample) -> None:
    assert not any(" " in name for name in first_names(locale).items)
    firsts, lasts = set(first_names(locale).items), set(last_names(locale).items)
    for value in sample("full_name", locale)[1]:
        first, _, last = value.partition(" ")
        assert first in firsts and last in lasts, value


def test_usernames_are_lowercase_ascii_name_handles(locale: str, sample: Sample) -> None:
    for value in sample("username", locale)[1]:
        assert re.fullmatch(r"[a-z]+[._][a-z]+(?:[1-9]\d?)?", value), value


@pytest.mark.parametrize(
    ("text", "locale", "folded"),
    [
        ("Müller", "de_DE", "mueller"),
        ("Müller", "fr_FR", "muller"),
        ("Strauß", "de_DE", "strauss"),
        ("Zoë", "en_GB", "zoe"),
        ("Hélène", "fr_FR", "helene"),
        ("Łukasz", "de_DE", "lukasz"),
        ("O'Neill", "en_GB", "oneill"),
        ("Le Gall", "fr_FR", "legall"),
        ("Hans-Jürgen", "de_DE", "hansjuergen"),
    ],
)
def test_ascii_fold_keeps_only_lowercase_ascii_letters(text: str, locale: str, folded: str) -> None:
    assert ascii_fold(text, locale) == folded


def test_companies_join_two_family_names_and_a_legal_form(locale: str, sample: Sample) -> None:
    suffixes = set(company_suffixes(locale).items)
    lasts = set(last_names(locale).items)
    for value in sample("company", locale)[1]:
        match = re.fullmatch(r"([^\s&-]+)(?:-| & )([^\s&-]+) (.+)", value)
        assert match, value
        first, second, suffix = match.groups()
        assert first in lasts and second in lasts and suffix in suffixes, value


def test_job_titles_fall_back_to_en_us_where_faker_has_none() -> None:
    assert job_titles("en_GB") == job_titles("en_US")
    assert "Bäcker" in job_titles("de_DE").items
    semantic = get_semantic("job_title")
    assert semantic.domain_size("fr_FR", {}) > semantic.domain_size("de_DE", {})
