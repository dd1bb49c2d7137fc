"""``SafeProvider``: every value passes the scanner and its judges; seeding reproduces them."""

from __future__ import annotations

from typing import Any

import pytest
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from synthdata_sdk.faker import SafeProvider, add_safe_provider
from synthdata_sdk.options import SUPPORTED_LOCALES
from synthdata_sdk.quality import scan
from synthdata_sdk.quality.detectors.base import detectors
from synthdata_sdk.quality.detectors.fields import field_for
from synthdata_sdk.quality.profiles import ALL_PROFILES

#: method, its arguments, the field the value is stored under and the detector that judges it
#: (None: no detector reads the value whole; the scan of every profile still runs over it)
METHODS: list[tuple[str, dict[str, Any], str, str | None]] = [
    ("safe_ssn", {}, "ssn", "us_ssn"),
    ("safe_credit_card", {}, "card_number", "payment_card"),
    ("safe_credit_card", {"luhn": True}, "card_number", "payment_card"),
    ("safe_phone", {}, "phone", "phone"),
    ("safe_email", {}, "email", "email"),
    ("safe_iban", {}, "iban", "iban"),
    ("safe_iban", {"checksum": True}, "iban", "iban"),
    ("safe_ipv4", {}, "ip_address", "ipv4"),
    ("safe_ipv6", {}, "ip_address", "ipv6"),
    ("safe_mac", {}, "mac_address", "mac_address"),
    ("safe_nhs_number", {}, "nhs_number", "nhs_number"),
    ("safe_nino", {}, "national_insurance_number", "uk_nino"),
    ("safe_medicare_mbi", {}, "medicare_mbi", "medicare_mbi"),
    ("safe_url", {}, "website", "url"),
    ("safe_domain", {}, "hostname", None),
    ("safe_postcode", {}, "postcode", None),
]
IDS = [f"{name}({','.join(kwargs)})" for name, kwargs, _, _ in METHODS]
JUDGED = [(m, k, key, d) for m, k, key, d in METHODS if d is not None]


def fake(locale: str = "en_US", seed: int = 0) -> Any:
    """A Faker with the safe provider, seeded."""
    out = Faker(locale)
    out.add_provider(SafeProvider)
    out.seed_instance(seed)
    return out


def draw(faker: Any, method: str, kwargs: dict[str, Any], n: int) -> list[str]:
    return [getattr(faker, method)(**kwargs) for _ in range(n)]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize(("method", "kwargs", "key", "detector"), METHODS, ids=IDS)
def test_every_value_passes_the_scan_of_every_profile(
    locale: str, method: str, kwargs: dict[str, Any], key: str, detector: str | None
) -> None:
    values = draw(fake(locale, seed=1), method, kwargs, 150)
    report = scan([{key: value} for value in values], ALL_PROFILES)
    assert report.clean, report.violations[:3]
    assert report.values == len(values)
    if detector is not None:
        assert report.candidates > 0  # the detectors read the values: a real check


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize(
    ("method", "kwargs", "key", "detector"),
    JUDGED,
    ids=[f"{name}({','.join(kwargs)})" for name, kwargs, _, _ in JUDGED],
)
def test_each_value_is_found_and_judged_never_real(
    locale: str, method: str, kwargs: dict[str, Any], key: str, detector: str
) -> None:
    judge = detectors()[detector]
    field = field_for(key)
    for value in draw(fake(locale, seed=2), method, kwargs, 150):
        found = judge.find(value, field)
        assert found, f"{detector} does not see {value!r}"
        assert [rule for _, _, rule in found] == [None] * len(found), value


@pytest.mark.parametrize(
    ("method", "safe", "key", "detector"),
    [
        ("ssn", "safe_ssn", "ssn", "us_ssn"),
        ("credit_card_number", "safe_credit_card", "card_number", "payment_card"),
        ("ipv4", "safe_ipv4", "ip_address", "ipv4"),
        ("mac_address", "safe_mac", "mac_address", "mac_address"),
    ],
)
def test_the_judges_call_fakers_own_values_real_and_the_safe_ones_not(
    method: str, safe: str, key: str, detector: str
) -> None:
    # the same judge that passes every safe value refuses Faker's own: the check can fail
    judge, field = detectors()[detector], field_for(key)
    faker = fake(seed=3)
    real = [getattr(faker, method)() for _ in range(50)]
    assert any(rule for value in real for _, _, rule in judge.find(value, field))
    assert not any(
        rule for value in draw(faker, safe, {}, 50) for _, _, rule in judge.find(value, field)
    )


def test_faker_seed_makes_the_values_reproducible() -> None:
    def values() -> list[str]:
        faker = Faker("en_GB")
        faker.add_provider(SafeProvider)
        return [faker.safe_phone() for _ in range(5)] + [faker.safe_iban() for _ in range(5)]

    Faker.seed(42)
    first = values()
    Faker.seed(42)
    assert values() == first
    Faker.seed(43)
    assert values() != first


def test_the_safe_calls_share_fakers_random_stream() -> None:
    # a safe call draws from the instance's random, as Faker's own calls do: interleaving
    # them with Faker calls stays reproducible
    def mixed(seed: int) -> list[str]:
        faker = fake("de_DE", seed)
        return [faker.name(), faker.safe_email(), faker.city(), faker.safe_iban()]

    assert mixed(5) == mixed(5)
    assert mixed(5) != mixed(6)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**64 - 1), st.sampled_from(SUPPORTED_LOCALES))
def test_any_seed_gives_safe_values_it_gives_again(seed: int, locale: str) -> None:
    values = {method: getattr(fake(locale, seed), method)() for method, *_ in METHODS}
    again = {method: getattr(fake(locale, seed), method)() for method, *_ in METHODS}
    assert values == again
    for method, kwargs, key, detector in METHODS:
        if detector is None or kwargs:
            continue
        found = detectors()[detector].find(values[method], field_for(key))
        assert found and all(rule is None for _, _, rule in found), values[method]


def test_values_follow_the_fakers_locale_or_an_explicit_one() -> None:
    assert fake("de_DE").safe_iban().startswith("DE")
    assert fake("fr_FR").safe_iban().startswith("FR")
    assert fake("en_GB").safe_postcode()[0] in "QVX"  # never a first letter of a UK code
    assert "555-01" in fake("en_US").safe_phone()
    assert "555-01" in fake("ja_JP").safe_phone()  # a locale synthdata lacks: en_US
    assert fake("en_US").safe_iban(locale="de_DE").startswith("DE")


def test_a_locale_synthdata_lacks_asked_for_by_name_is_refused() -> None:
    from synthdata_sdk.errors import SynthDataError

    with pytest.raises(SynthDataError, match="did you mean 'de_DE'"):
        fake().safe_phone(locale="de-DE")


def test_the_module_name_does_not_shadow_the_faker_package() -> None:
    import faker as faker_package

    import synthdata_sdk.faker as provider_module

    assert faker_package.__name__ == "faker"
    assert faker_package.Faker is Faker
    assert SafeProvider.__mro__[1].__module__.startswith("faker.providers")
    assert provider_module.SafeProvider is SafeProvider


def _several_locales(seed: int) -> Any:
    fake = Faker(["de_DE", "fr_FR"])
    add_safe_provider(fake)
    fake.seed_instance(seed)
    return fake


def test_a_faker_with_several_locales_gets_the_provider_in_each() -> None:
    # before: the documented fake.add_provider(SafeProvider) raised Faker's
    # NotImplementedError (its proxy passes no add_provider on), and there was no other way
    fake = _several_locales(3)
    assert fake["de_DE"].safe_iban()[:2] == "DE"
    assert fake["fr_FR"].safe_iban()[:2] == "FR"
    # each call draws in the locale Faker picked for it
    ibans = [fake.safe_iban() for _ in range(40)]
    assert {iban[:2] for iban in ibans} == {"DE", "FR"}
    assert scan([{"iban": iban} for iban in ibans]).clean
    again = _several_locales(3)
    again["de_DE"].safe_iban(), again["fr_FR"].safe_iban()
    assert [again.safe_iban() for _ in range(40)] == ibans


def test_add_safe_provider_on_one_locale_is_add_provider() -> None:
    fake, plain = Faker("en_GB"), Faker("en_GB")
    assert add_safe_provider(fake) is fake
    plain.add_provider(SafeProvider)
    fake.seed_instance(5)
    plain.seed_instance(5)
    assert [fake.safe_phone() for _ in range(5)] == [plain.safe_phone() for _ in range(5)]
