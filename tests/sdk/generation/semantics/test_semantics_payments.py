"""Card numbers and IBANs: checksum deliberately wrong, or drawn from published test values."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest
from stdnum import iban, luhn
from stdnum.exceptions import InvalidChecksum

from synthdata_sdk.generation.semantics import get_semantic
from synthdata_sdk.generation.semantics.payments import (
    EXAMPLE_IBANS,
    TEST_PANS,
    luhn_check_digits,
    mod97_check_digits,
)

Sample = Callable[..., tuple[np.ndarray, list[str]]]

_IBAN_SHAPES = {
    "en_US": re.compile(r"GB\d{2}[A-Z]{4}\d{14}"),
    "en_GB": re.compile(r"GB\d{2}[A-Z]{4}\d{14}"),
    "de_DE": re.compile(r"DE\d{2}[1-8]\d{17}"),
    "fr_FR": re.compile(r"FR\d{2}\d{23}"),
}


def test_default_pans_fail_luhn_on_4_and_5_series_prefixes(locale: str, sample: Sample) -> None:
    _, values = sample("credit_card", locale)
    for value in values:
        assert re.fullmatch(r"(4\d|5[1-5])\d{14}", value), value
        assert not luhn.is_valid(value), value
        # fixing the last digit alone makes it Luhn-valid: only the check digit is wrong
        assert luhn.is_valid(value[:-1] + luhn.calc_check_digit(value[:-1]))


def test_luhn_option_draws_only_published_test_pans(locale: str, sample: Sample) -> None:
    _, values = sample("credit_card", locale, {"luhn": True})
    assert sorted(values) == sorted(TEST_PANS.items)
    assert all(luhn.is_valid(v) for v in values)
    assert {"4242424242424242", "4111111111111111", "5555555555554444"} <= set(values)


def test_luhn_check_digits_match_stdnum() -> None:
    rows = np.random.default_rng(3).integers(0, 10, (200, 15))
    expected = [int(luhn.calc_check_digit("".join(map(str, row)))) for row in rows.tolist()]
    assert luhn_check_digits(rows).tolist() == expected


def test_default_ibans_fail_only_their_check_digits(locale: str, sample: Sample) -> None:
    _, values = sample("iban", locale)
    for value in values[:3000]:
        assert _IBAN_SHAPES[locale].fullmatch(value), value
        with pytest.raises(InvalidChecksum):
            iban.validate(value)
        fixed = value[:2] + iban.calc_check_digits(value) + value[4:]
        assert iban.is_valid(fixed), f"{value}: the BBAN should fit the country's format"


def test_french_ibans_carry_a_valid_rib_key(sample: Sample) -> None:
    _, values = sample("iban", "fr_FR")
    for value in values[:1000]:
        bank, branch, account, key = value[4:9], value[9:14], value[14:25], value[25:]
        assert int(key) == 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97


def test_checksum_option_draws_only_registry_example_ibans(locale: str, sample: Sample) -> None:
    _, values = sample("iban", locale, {"checksum": True})
    assert sorted(values) == sorted(EXAMPLE_IBANS.items)
    assert all(iban.is_valid(v) for v in values)
    assert {"GB82WEST12345698765432", "DE89370400440532013000"} <= set(values)


def test_mod97_check_digits_match_stdnum() -> None:
    for example in EXAMPLE_IBANS.items:
        bban = np.frombuffer(example[4:].encode(), dtype=np.uint8)[None, :]
        assert mod97_check_digits(example[:2], bban).tolist() == [int(example[2:4])]


def test_default_ibans_use_every_wrong_check_value() -> None:
    semantic = get_semantic("iban")
    indices = np.arange(0, 200 * 9973, 9973, dtype=np.int64)
    checks = {value[2:4] for value in semantic.values(indices, "de_DE", {})}
    assert len(checks) > 60, "the wrong check digits should vary, not give away the scheme"
