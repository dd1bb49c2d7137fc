"""Payment identifiers: card numbers (PANs) and IBANs.

By default both break their checksum on purpose: every issued PAN passes Luhn and every
IBAN passes mod 97, so a failing one can never be a real card or account. Options switch
to checksum-valid values, drawn only from published test and example numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from synthdata_sdk.generation.semantics.base import MAX_DOMAIN, Indices, Semantic, mixed_radix
from synthdata_sdk.generation.semantics.pools import Pool, check_locale
from synthdata_sdk.generation.semantics.render import Codes, codes, rows_as_text

_DIGITS = codes("0123456789")
_UPPER = codes("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

#: Visa-like 40-49 and Mastercard 51-55 issuer prefixes for Luhn-invalid PANs
PAN_PREFIXES = np.array([*range(40, 50), *range(51, 56)], dtype=np.int64)
PAN_FREE_DIGITS = 13
PAN_BODIES: int = 10**PAN_FREE_DIGITS
#: sandbox PANs published by Stripe (docs.stripe.com/testing) and, for 4111111111111111,
#: Braintree and PayPal; all pass Luhn and none can be charged
TEST_PANS = Pool.of(
    (
        "4242424242424242",
        "4000056655665556",
        "4012888888881881",
        "4111111111111111",
        "5555555555554444",
        "2223003122003222",
        "5200828282828210",
        "5105105105105100",
        "378282246310005",
        "371449635398431",
        "6011111111111117",
        "6011000990139424",
        "6011981111111113",
        "3056930009020004",
        "36227206271667",
        "30569309025904",
        "38520000023237",
        "3566002020360505",
        "3530111333300000",
        "6200000000000005",
    )
)
#: the example IBANs of the SWIFT IBAN registry (ISO 13616), plus GB82WEST12345698765432,
#: the example of the ECBS IBAN standard; all pass mod 97
EXAMPLE_IBANS = Pool.of(
    (
        "GB82WEST12345698765432",
        "GB29NWBK60161331926819",
        "DE89370400440532013000",
        "FR1420041010050500013M02606",
        "AT611904300234573201",
        "CH9300762011623852957",
        "DK5000400440116243",
        "ES9121000418450200051332",
        "FI2112345600000785",
        "GR1601101250000000012300695",
        "IE29AIBK93115212345678",
        "NL91ABNA0417164300",
    )
)


def luhn_check_digits(digits: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The Luhn check digit that completes each row of ``digits`` (most significant first)."""
    doubled = digits[:, ::-1].copy()
    # counting from the check digit's left neighbour, every other digit is doubled
    doubled[:, 0::2] *= 2
    doubled -= 9 * (doubled > 9)
    return (10 - doubled.sum(axis=1) % 10) % 10  # type: ignore[no-any-return]


def mod97_check_digits(country: str, bban: Codes) -> npt.NDArray[np.int64]:
    """ISO 7064 mod 97-10 IBAN check digits (2..98) for each BBAN row of ASCII codes."""
    remainder = np.zeros(len(bban), dtype=np.int64)
    # the checksum reads BBAN, country code, "00" with letters as 10..35
    tail = np.frombuffer(f"{country}00".encode("ascii"), dtype=np.uint8)
    columns = [*bban.T, *(np.full(len(bban), code, dtype=np.uint8) for code in tail)]
    for column in columns:
        value = column.astype(np.int64)
        letter = value >= ord("A")
        value = np.where(letter, value - ord("A") + 10, value - ord("0"))
        remainder = np.where(letter, remainder * 100 + value, remainder * 10 + value) % 97
    return 98 - remainder


@dataclass(frozen=True)
class _BbanField:
    """A run of ``width`` characters of a BBAN: digits, or upper-case letters."""

    width: int
    letters: bool = False
    #: the lowest first digit (German bank codes start with 1-8, never 0 or 9)
    low: int = 0
    high: int = 10

    def radices(self) -> list[int]:
        """One radix per character, in reading order."""
        if self.letters:
            return [26] * self.width
        return [self.high - self.low] + [10] * (self.width - 1)

    def render(self, digits: npt.NDArray[np.int64]) -> Codes:
        """ASCII codes of the ``(n, width)`` drawn digits."""
        if self.letters:
            return _UPPER[digits]
        shifted = digits.copy()
        shifted[:, 0] += self.low
        return _DIGITS[shifted]


@dataclass(frozen=True)
class _IbanFormat:
    """A country's BBAN fields (ISO 13616 registry) in reading order.

    A BBAN has more combinations than ``MAX_DOMAIN``, so one field, ``spread``, is not drawn
    in full: it takes as many values as the index range leaves room for, spaced evenly
    over the field, so every field still looks random and the mapping stays injective.
    """

    country: str
    fields: tuple[_BbanField, ...]
    spread: int
    #: fr_FR: the BBAN ends with the RIB key, computed from the fields rather than drawn
    rib_key: bool = False

    def domain_size(self) -> int:
        """How many BBANs are drawn: every combination, up to ``MAX_DOMAIN``."""
        return min(math.prod(r for field in self.fields for r in field.radices()), MAX_DOMAIN)

    def draw(self, indices: Indices) -> list[npt.NDArray[np.int64]]:
        """Each field's ``(n, width)`` digits for ``indices``."""
        full = [i for i in range(len(self.fields)) if i != self.spread]
        radices = [r for i in full for r in self.fields[i].radices()[::-1]]
        *digits, rest = mixed_radix(indices, [*radices, MAX_DOMAIN])
        # ``rest`` takes ``steps`` values; spacing them ``stride`` apart keeps them distinct
        spread_radices = self.fields[self.spread].radices()
        steps = -(-self.domain_size() // math.prod(radices))
        stride = math.prod(spread_radices) // steps
        digits += mixed_radix(rest * stride + stride // 2, spread_radices[::-1])
        drawn: dict[int, npt.NDArray[np.int64]] = {}
        start = 0
        for i in [*full, self.spread]:
            width = self.fields[i].width
            drawn[i] = np.stack(digits[start : start + width][::-1], axis=1)
            start += width
        return [drawn[i] for i in range(len(self.fields))]


# GB: bank code (spread), sort code, account number; DE: Bankleitzahl (first digit 1-8),
# account number (spread); FR: bank, branch, account number (spread), RIB key
_IBAN_FORMATS = {
    "GB": _IbanFormat("GB", (_BbanField(4, letters=True), _BbanField(6), _BbanField(8)), 0),
    "DE": _IbanFormat("DE", (_BbanField(1, low=1, high=9), _BbanField(7), _BbanField(10)), 2),
    "FR": _IbanFormat("FR", (_BbanField(5), _BbanField(5), _BbanField(11)), 2, rib_key=True),
}
_IBAN_COUNTRY = {"en_US": "GB", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR"}


def _as_numbers(digits: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Each row of decimal digits (most significant first) as one number."""
    return digits @ (10 ** np.arange(digits.shape[1] - 1, -1, -1, dtype=np.int64))  # type: ignore[no-any-return]


def _rib_keys(
    bank: npt.NDArray[np.int64], branch: npt.NDArray[np.int64], account: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """The French RIB key: 97 - (89 bank + 15 branch + 3 account) mod 97."""
    total = 89 * _as_numbers(bank) + 15 * _as_numbers(branch) + 3 * _as_numbers(account)
    return 97 - total % 97


class CreditCard(Semantic):
    """16-digit PANs with a wrong Luhn digit; ``luhn: true`` draws published test PANs."""

    name: ClassVar[str] = "credit_card"
    identifier: ClassVar[bool] = True
    description: ClassVar[str] = (
        "A card number: Luhn-invalid by default, published test PANs with luhn."
    )
    safe_rule: ClassVar[str] = (
        "default: 16 digits on 4x/51-55 prefixes with a deliberately wrong Luhn digit (every"
        " issued PAN passes Luhn); luhn: true: published sandbox test PANs only (Stripe,"
        " Braintree, PayPal test-card docs)"
    )
    options: ClassVar[frozenset[str]] = frozenset({"luhn"})

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        if options.get("luhn", False):
            return len(TEST_PANS)
        return 9 * PAN_BODIES * len(PAN_PREFIXES)

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        if options.get("luhn", False):
            return TEST_PANS.texts(indices)
        wrong, body, prefix = mixed_radix(indices, [9, PAN_BODIES, len(PAN_PREFIXES)])
        number = PAN_PREFIXES[prefix] * PAN_BODIES + body
        digits = np.stack(mixed_radix(number, [10] * 15)[::-1], axis=1)
        # any digit but the right one: 1..9 added to it, modulo 10
        check = (luhn_check_digits(digits) + wrong + 1) % 10
        return rows_as_text(_DIGITS[np.concatenate([digits, check[:, None]], axis=1)])

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [TEST_PANS.items, tuple(str(p) for p in PAN_PREFIXES.tolist())]


class Iban(Semantic):
    """IBANs in the locale's country format (en_US: GB) with wrong mod-97 check digits.

    ``checksum: true`` draws the registry example IBANs instead (every locale: one pool).
    """

    name: ClassVar[str] = "iban"
    identifier: ClassVar[bool] = True
    description: ClassVar[str] = (
        "An IBAN: wrong check digits by default, registry examples with checksum."
    )
    safe_rule: ClassVar[str] = (
        "default: the locale's ISO 13616 BBAN format with deliberately wrong mod 97-10 check"
        " digits (no real IBAN fails them); checksum: true: SWIFT IBAN registry / ECBS"
        " example IBANs only"
    )
    options: ClassVar[frozenset[str]] = frozenset({"checksum"})

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        if options.get("checksum", False):
            return len(EXAMPLE_IBANS)
        return _IBAN_FORMATS[_IBAN_COUNTRY[check_locale(locale)]].domain_size()

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        if options.get("checksum", False):
            return EXAMPLE_IBANS.texts(indices)
        layout = _IBAN_FORMATS[_IBAN_COUNTRY[check_locale(locale)]]
        fields = layout.draw(indices)
        chars = [field.render(digits) for field, digits in zip(layout.fields, fields, strict=True)]
        if layout.rib_key:
            keys = _rib_keys(*fields)
            chars.append(_DIGITS[np.stack([keys // 10, keys % 10], axis=1)])
        bban = np.concatenate(chars, axis=1)
        right = mod97_check_digits(layout.country, bban)
        # shifting 2..98 cyclically by 1..96 never lands on a value congruent mod 97; the
        # shift varies with the index, or valid-RIB French BBANs would all read FR77
        wrong = 2 + (right - 2 + 1 + indices % 96) % 97
        head = np.tile(
            np.frombuffer(layout.country.encode("ascii"), dtype=np.uint8), (len(bban), 1)
        )
        check = _DIGITS[np.stack([wrong // 10, wrong % 10], axis=1)]
        return rows_as_text(np.concatenate([head, check, bban], axis=1))

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [EXAMPLE_IBANS.items, (_IBAN_COUNTRY[check_locale(locale)],)]
