"""Payment card numbers (PANs): Luhn-valid numbers that are not published test PANs.

Every issued PAN passes Luhn, so a Luhn-invalid number is not a card. ISO/IEC 7812 has no
public test IIN: the only Luhn-valid numbers known never to be live are the sandbox PANs
processors publish, listed below by source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import ClassVar

from stdnum import luhn

from synthdata_sdk.quality.detectors.base import Detector, Text, register
from synthdata_sdk.quality.detectors.fields import Field
from synthdata_sdk.quality.masking import mask_card

#: published sandbox PANs by source; none can be charged
TEST_PAN_SOURCES: Mapping[str, tuple[str, ...]] = {
    # docs.stripe.com/testing (cards by brand, declines, fraud, 3-D Secure)
    "Stripe": (
        "4242424242424242",
        "4000056655665556",
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
        "6555900000604105",
        "3566002020360505",
        "6200000000000005",
        "6200000000000047",
        "6205500000000000004",
        "4000002500003155",
        "4000002760003184",
        "4000000000003063",
        "4000000000003220",
        "4000008400001629",
        "4000000000000002",
        "4000000000000010",
        "4000000000000028",
        "4000000000000036",
        "4000000000000044",
        "4000000000000069",
        "4000000000000077",
        "4000000000000093",
        "4000000000000101",
        "4000000000000119",
        "4000000000000127",
        "4000000000000259",
        "4000000000000341",
        "4000000000006975",
        "4000000000009979",
        "4000000000009987",
        "4000000000009995",
    ),
    # Braintree sandbox testing reference (developer.paypal.com/braintree/docs)
    "Braintree": (
        "4111111111111111",
        "4005519200000004",
        "4009348888881881",
        "4012000033330026",
        "4012000077777777",
        "4012888888881881",
        "4217651111111119",
        "4500600000000061",
        "4000111111111115",
        "4000111111111511",
        "2223000048400011",
        "5431111111111111",
        "6304000000000000",
        "6011000991300009",
        "3530111333300000",
        "36259600000004",
        "6243030000000001",
    ),
    # Adyen test card numbers (docs.adyen.com/development-resources/test-cards/test-card-numbers)
    "Adyen": (
        "4111111145551142",
        "4988438843884305",
        "4166676667666746",
        "4646464646464644",
        "4000620000000007",
        "4000060000000006",
        "4293189100000008",
        "4988080000000000",
        "4444333322221111",
        "4001590000000001",
        "4000180000000002",
        "2222400070000005",
        "2222400010000008",
        "2222400030000004",
        "2222400050000009",
        "2222400060000007",
        "2222410700000002",
        "2222410740360010",
        "2223000048410010",
        "2223520443560010",
        "5555341244441115",
        "5577000055770004",
        "5555444433331111",
        "5100060000000002",
        "5100290029002909",
        "5454545454545454",
        "370000000000002",
        "370000000100018",
        "36006666333344",
        "36070500001020",
        "6011601160116611",
        "6445644564456445",
        "3569990010095841",
        "6771798021000008",
        "4035501000000008",
        "4360000001000005",
        "6250946000000016",
    ),
    # PayPal Payflow / Authorize.net sandbox lists (13-digit Visa, Diners, JCB, Dankort, Switch)
    "PayPal and Authorize.net": (
        "4222222222222",
        "4007000000027",
        "4012888818888",
        "30569309025904",
        "38520000023237",
        "378734493671000",
        "5019717010103742",
        "6331101999990016",
        "5610591081018250",
        "6011000000000012",
    ),
}
#: every published test PAN, digits only
TEST_PANS: frozenset[str] = frozenset(p for pans in TEST_PAN_SOURCES.values() for p in pans)

_RULE = (
    "Luhn-valid PAN that is not a published test PAN"
    " (safe: test PANs or Luhn-invalid; PCI DSS 6.5.5)"
)
_RUN = "9" * 13
# on the shape: 13-19 digits in a row, or groups split by one kind of separator; never
# part of a longer digit run, a word, a dotted number or a dash-joined code such as a UUID
_BARE = re.compile(rf"{_RUN}(?<![\w.]{_RUN})(?<!\w-{_RUN})9{{0,6}}(?!\w|[-.]9)", re.ASCII)
# a grouped number never continues another digit group ("12 4539 ...") or the bank
# code of a printed IBAN ("GB82 WEST 1234 5698 ..."); after a run of seven or more digits,
# too long for a group, it may start ("4111111111111111 4539 1488 ...")
_GROUPED = re.compile(
    r"9999(?P<sep>[ -])999(?<![\w.]9999[ -]999)(?<!\w-9999[ -]999)"
    r"(?:(?<!9[ -]9999[ -]999)|(?<=9999999[ -]9999[ -]999))"
    r"(?<!AA99 [A9][A9][A9][A9] 9999[ -]999)9{0,3}(?:(?P=sep)9{1,6}){1,3}(?!\w|[-.]9)",
    re.ASCII,
)
_GROUP_SEPARATOR = re.compile(r"[ -]")


def is_pan_shape(digits: str) -> bool:
    """13 to 19 ASCII digits."""
    return 13 <= len(digits) <= 19 and digits.isascii() and digits.isdigit()


#: the byte of an ASCII digit -> the digit sum of its double (``b"7"`` -> 14 -> 5)
_LUHN_DOUBLED = bytes.maketrans(b"0123456789", bytes([0, 2, 4, 6, 8, 1, 3, 5, 7, 9]))


def luhn_passes(digits: str) -> bool:
    """``stdnum.luhn.is_valid(digits)``, decided without stdnum for ASCII digits."""
    if digits and digits.isascii() and digits.isdigit():
        return _luhn_sum(digits) % 10 == 0
    return luhn.is_valid(digits)


def _luhn_sum(digits: str) -> int:
    """The Luhn sum of non-empty ASCII ``digits`` (valid when a multiple of 10).

    Table-driven, in a few C calls: the digits kept as they are (every second one from
    the right) are summed as bytes, which adds ``ord("0")`` each for the subtraction to
    take off, and the doubled ones are first mapped to the digit sum of their double.
    """
    data = digits.encode()
    kept = sum(data[-1::-2]) - ord("0") * ((len(data) + 1) // 2)
    return kept + sum(data[-2::-2].translate(_LUHN_DOUBLED))


def _luhn_valid(digits: str) -> bool:
    """Luhn on ASCII ``digits``: the table check rules out most numbers (exact, see
    ``luhn_passes``), and stdnum decides the ones that pass it."""
    return _luhn_sum(digits) % 10 == 0 and luhn.is_valid(digits)


def _compact(value: str) -> str:
    return value.replace(" ", "").replace("-", "")


@register
class PaymentCard(Detector):
    """Luhn-valid 13-19 digit numbers outside the published test PANs."""

    name: ClassVar[str] = "payment_card"
    description: ClassVar[str] = "published test PANs, or Luhn-invalid numbers"
    numeric: ClassVar[bool] = True

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        shape = text.shape
        if _RUN in shape:
            yield from (m.span() for m in _BARE.finditer(shape))
        if "9999 999" not in shape and "9999-999" not in shape:
            return
        for match in _GROUPED.finditer(shape):
            start, end = _trimmed(text.raw, *match.span())
            if is_pan_shape(_compact(text.raw[start:end])):
                yield start, end

    def judge(self, value: str, field: Field) -> str | None:
        digits = value.strip().replace(" ", "").replace("-", "")  # as ``_compact``
        if not is_pan_shape(digits) or not _luhn_valid(digits) or digits in TEST_PANS:
            return None
        return _RULE

    def mask(self, value: str) -> str:
        return mask_card(value)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A grouped match whose digits fail Luhn may have swallowed a trailing number
    ("4539 1488 0343 6467 100 times"): the longest group prefix that passes, if any."""
    value = text[start:end]
    stops = [m.start() for m in _GROUP_SEPARATOR.finditer(value)]
    if _luhn_valid(_compact(value)):
        return start, end
    for stop in reversed(stops):
        digits = _compact(value[:stop])
        if len(digits) < 13:
            break
        if _luhn_valid(digits):
            return start, start + stop
    return start, end
