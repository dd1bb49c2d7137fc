"""Bank accounts: IBANs that pass the ISO 7064 mod 97-10 check and are not registry examples.

Every real IBAN passes mod 97 and fits its country's BBAN format (stdnum's ``iban``
checks both against the ISO 13616 registry); one that fails cannot be an account.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from stdnum import iban

from synthdata_sdk.quality.detectors.base import Detector, Text, register
from synthdata_sdk.quality.detectors.fields import Field

#: the example IBAN of each country in the SWIFT IBAN registry (ISO 13616), and
#: GB82WEST12345698765432, the example of the ECBS IBAN standard (EBS204)
EXAMPLE_IBANS = frozenset(
    {
        "GB82WEST12345698765432",
        "GB29NWBK60161331926819",
        "DE89370400440532013000",
        "FR1420041010050500013M02606",
        "AT611904300234573201",
        "BE68539007547034",
        "BG80BNBG96611020345678",
        "CH9300762011623852957",
        "CY17002001280000001200527600",
        "CZ6508000000192000145399",
        "DK5000400440116243",
        "EE382200221020145685",
        "ES9121000418450200051332",
        "FI2112345600000785",
        "GI75NWBK000000007099453",
        "GR1601101250000000012300695",
        "HR1210010051863000160",
        "HU42117730161111101800000000",
        "IE29AIBK93115212345678",
        "IS140159260076545510730339",
        "IT60X0542811101000000123456",
        "LI21088100002324013AA",
        "LT121000011101001000",
        "LU280019400644750000",
        "LV80BANK0000435195001",
        "MC5811222000010123456789030",
        "MT84MALT011000012345MTLCAST001S",
        "NL91ABNA0417164300",
        "NO9386011117947",
        "PL61109010140000071219812874",
        "PT50000201231234567890154",
        "RO49AAAA1B31007593840000",
        "SE4550000000058398257466",
        "SI56263300012039086",
        "SK3112000000198742637541",
        "SM86U0322509800000000270100",
    }
)

_RULE = (
    "checksum-valid IBAN that is not a registry example"
    " (safe: ISO 13616 registry examples or wrong mod 97-10 check digits)"
)
# on the shape (letters A, digits 9): compact, or printed in groups of four
_IBAN = re.compile(r"AA99(?<![\w]AA99)(?:(?: [A9]{4})+(?: [A9]{1,3})?|[A9]{11,30})(?!\w)", re.ASCII)
_SHORTEST = 15


def _compact(value: str) -> str:
    return value.replace(" ", "").strip().upper()


@register
class Iban(Detector):
    """mod 97-10 valid IBANs in a registry format, other than the registry examples."""

    name: ClassVar[str] = "iban"
    description: ClassVar[str] = "ISO 13616 registry example IBANs, or wrong mod 97-10 check digits"

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        raw = text.raw
        if "AA99" not in text.shape:
            return
        for match in _IBAN.finditer(text.shape):
            start, end = match.span()
            # a grouped IBAN may have swallowed a following four-letter word
            while " " in match[0] and not iban.is_valid(_compact(raw[start:end]), False):
                cut = raw.rfind(" ", start, end)
                if cut < 0 or len(_compact(raw[start:cut])) < _SHORTEST:
                    end = match.end()
                    break
                end = cut
            yield start, end

    def judge(self, value: str, field: Field) -> str | None:
        compact = _compact(value)
        if compact in EXAMPLE_IBANS or not iban.is_valid(compact, check_country=False):
            return None
        return _RULE
