"""Street addresses and cities look local; postcodes come from unallocated ranges only."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest

from synthdata_sdk.generation.semantics import get_semantic
from synthdata_sdk.generation.semantics.pools import cities, countries, ending_free

Sample = Callable[..., tuple[np.ndarray, list[str]]]

_STREETS = {
    "en_US": re.compile(r"[1-9]\d{0,3} \S+ [A-Z][a-z]+"),
    "en_GB": re.compile(r"[1-9]\d{0,2} \S+ [A-Z][a-z]+"),
    "de_DE": re.compile(r"\S+(?:gasse|platz|ring|straße|str\.|weg|allee) [1-9]\d{0,2}"),
    "fr_FR": re.compile(r"[1-9]\d{0,2}, (?:rue|chemin|avenue|boulevard) \S+ .+"),
}
_UK_POSTCODE = re.compile(r"[QVX][A-HK-Y][1-9] \d[ABD-HJLNP-UW-Z]{2}")


def test_street_addresses_have_the_locale_shape(locale: str, sample: Sample) -> None:
    for value in sample("street_address", locale)[1]:
        assert _STREETS[locale].fullmatch(value), value


def test_cities_are_invented_towns(locale: str, sample: Sample) -> None:
    values = sample("city", locale)[1]
    assert all(value and value[0].isupper() for value in values)


_GERMAN_TOWN = re.compile(
    r"(?:(?:Bad|Groß|Klein|Alt|Neu) )?[A-ZÄÖÜ]\S*"
    r"(?:dorf|hausen|heim|berg|stadt|feld|burg|bach|hagen|furt|brück|ingen|rode|wald|tal|au)"
)


def test_german_towns_are_invented_and_never_a_real_city_faker_lists(sample: Sample) -> None:
    # a real city would get an invented Land: München in Schleswig-Holstein
    values = sample("city", "de_DE")[1]
    assert all(_GERMAN_TOWN.fullmatch(v) for v in values), values[:5]
    domain = get_semantic("city").values(
        np.arange(get_semantic("city").domain_size("de_DE", {})), "de_DE", {}
    )
    assert not set(domain) & set(cities("de_DE").items)
    # without the filter, stems like Stoll + berg would make real cities
    assert "Stollberg" in cities("de_DE").items


_REGIONS = {
    "en_US": (51, "California", "CA"),
    "en_GB": (4, "Wales", "WLS"),
    "de_DE": (16, "Bayern", "BY"),
    "fr_FR": (13, "Île-de-France", "IDF"),
}


def test_regions_are_the_locales_first_level_subdivisions(locale: str, sample: Sample) -> None:
    count, name, code = _REGIONS[locale]
    names, codes = sample("region", locale)[1], sample("region_code", locale)[1]
    assert len(names) == len(codes) == count
    # index for index, the name and the code are one region
    assert names.index(name) == codes.index(code)
    if locale == "en_US":
        assert all(re.fullmatch(r"[A-Z]{2}", c) for c in codes)  # USPS codes
    else:
        assert all(re.fullmatch(r"[A-Z0-9]{2,3}", c) for c in codes)  # ISO 3166-2, no prefix


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "fr_FR"])
def test_numeric_postcodes_enumerate_the_unallocated_ranges(locale: str, sample: Sample) -> None:
    expected = {
        "en_US": {f"{p}{n:02d}" for p in ("000", "003") for n in range(100)},
        "de_DE": {f"{n:05d}" for n in range(500)},  # below the lowest US ZIP, 00501
        "fr_FR": {f"{n:05d}" for n in range(500)},
    }[locale]
    assert set(sample("postcode", locale)[1]) == expected


def test_uk_postcodes_start_with_a_never_allocated_letter(sample: Sample) -> None:
    values = sample("postcode", "en_GB")[1]
    assert all(_UK_POSTCODE.fullmatch(v) for v in values)
    assert get_semantic("postcode").domain_size("en_GB", {}) == 3 * 23 * 9 * 10 * 20 * 20


def test_countries_are_in_the_locale_language(sample: Sample) -> None:
    assert "Deutschland" in countries("de_DE").items
    assert "Allemagne" in countries("fr_FR").items
    assert "Germany" in countries("en_GB").items
    # a record's country is its locale's own, named in the locale's language
    assert set(sample("country", "fr_FR")[1]) == {"France"}
    assert set(sample("country", "de_DE")[1]) == {"Deutschland"}
    assert set(sample("country_code", "en_GB")[1]) == {"GB"}


def test_ending_free_drops_values_ending_with_another() -> None:
    assert ending_free(["ton", "town", "eton", "ville", "ton"]) == ["ton", "town", "ville"]
