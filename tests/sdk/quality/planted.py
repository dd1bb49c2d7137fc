"""Real-format identifiers to plant in records, and safe look-alikes, for the scanner tests.

Checksummed values are computed here with python-stdnum rather than hard-coded, so every
planted value provably passes its checksum (or provably fails it, for the safe ones).
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum import iban, luhn
from stdnum.gb import nhs


def luhn_valid(prefix: str, length: int) -> str:
    """A Luhn-valid number of ``length`` digits starting with ``prefix``."""
    body = (prefix + "0123456789" * 2)[: length - 1]
    return body + luhn.calc_check_digit(body)


def luhn_invalid(number: str) -> str:
    """``number`` with a wrong Luhn check digit."""
    wrong = (int(number[-1]) + 1) % 10
    return number[:-1] + str(wrong)


def iban_with_check(country: str, bban: str) -> str:
    """An IBAN with correct mod 97-10 check digits."""
    return f"{country}{iban.calc_check_digits(f'{country}00{bban}')}{bban}"


def nhs_valid(first_nine: str) -> str:
    """A 10-digit NHS number with a valid mod-11 check digit, as ``123 456 7890``."""
    for check in "0123456789":
        number = first_nine + check
        if nhs.is_valid(number):
            return f"{number[:3]} {number[3:6]} {number[6:]}"
    raise ValueError(f"no check digit for {first_nine} (mod 11 gives 10)")


def spaced(number: str, groups: tuple[int, ...]) -> str:
    """``number`` split into groups of the given widths with spaces."""
    parts, start = [], 0
    for width in groups:
        parts.append(number[start : start + width])
        start += width
    return " ".join(parts)


@dataclass(frozen=True)
class Plant:
    """A value, the detector that judges it, and the field it is stored under."""

    detector: str
    value: str
    field: str = "value"

    @property
    def id(self) -> str:
        return f"{self.detector}:{self.value}"


VISA = luhn_valid("453914", 16)
MASTERCARD = luhn_valid("542523", 16)
AMEX = luhn_valid("371234", 15)
DISCOVER = luhn_valid("601112", 16)
UK_IBAN = iban_with_check("GB", "NWBK60161331926820")
DE_IBAN = iban_with_check("DE", "370400440532013001")
NHS = nhs_valid("943476591")
NHS_TEST_RANGE = nhs_valid("999123457")

#: values that no safe rule covers: each must be a violation of its detector
FLAGGED = (
    Plant("payment_card", "4539 1488 0343 6467"),
    Plant("payment_card", VISA),
    Plant("payment_card", spaced(MASTERCARD, (4, 4, 4, 4))),
    Plant("payment_card", "-".join((AMEX[:4], AMEX[4:10], AMEX[10:]))),
    Plant("payment_card", DISCOVER),
    Plant("us_ssn", "123-45-6789"),
    # stdnum calls these "invalid", but they were issued to real people
    Plant("us_ssn", "078-05-1120"),
    Plant("us_ssn", "219099999", "ssn"),
    Plant("us_itin", "912-70-1234"),
    Plant("us_itin", "900-50-1234"),
    Plant("us_itin", "999-94-0000"),
    Plant("us_itin", "912-93-1234"),
    Plant("email", "john.smith@gmail.com"),
    Plant("email", "j.doe+news@outlook.com"),
    Plant("email", "a@yahoo.co.uk"),
    Plant("url", "https://www.facebook.com/jane.doe"),
    Plant("url", "http://8.8.8.8/dns"),
    Plant("url", "https://gmail.com"),
    Plant("ipv4", "8.8.8.8"),
    Plant("ipv4", "81.2.69.160"),
    Plant("ipv6", "2606:4700:4700::1111"),
    Plant("ipv6", "2001:4860:4860::8888"),
    Plant("mac_address", "3c:22:fb:12:34:56"),
    Plant("mac_address", "00-1B-63-84-45-E6"),
    Plant("mac_address", "b827.eb12.3456"),
    Plant("iban", UK_IBAN),
    Plant("iban", spaced(DE_IBAN, (4, 4, 4, 4, 4, 2))),
    Plant("nhs_number", NHS),
    Plant("nhs_number", NHS.replace(" ", ""), "nhs_number"),
    Plant("uk_nino", "AB123456C"),
    Plant("uk_nino", "JG 10 37 82 D"),
    Plant("uk_nino", "TN123456A"),
    Plant("medicare_mbi", "1EG4-TE5-MK73"),
    Plant("medicare_mbi", "3C57D89FG12"),
    Plant("phone", "415-867-5309"),
    Plant("phone", "212-555-0234"),
    Plant("phone", "(212) 555-0234"),
    Plant("phone", "+1 415 867 5309"),
    Plant("phone", "1-800-234-5678"),
    Plant("phone", "07911 123456"),
    Plant("phone", "+44 7911 123456"),
    Plant("phone", "+44 (0)20 7946 1234"),
    Plant("phone", "030 12345678"),
    Plant("phone", "+49 30 12345678"),
    Plant("phone", "01 45 67 89 01"),
    Plant("phone", "+33 1 45 67 89 01"),
    Plant("phone", "+81 3-1234-5678"),
    Plant("phone", "07911123456", "mobile"),
    Plant("date_of_birth", "1950-03-04", "date_of_birth"),
    Plant("date_of_birth", "03/04/1950", "dob"),
    Plant("date_of_birth", "1930", "birth_year"),
    Plant("date_of_birth", "1935-01-01", "date_of_birth"),
    Plant("age", "93", "age"),
    Plant("zip_code", "10001", "zip"),
    Plant("zip_code", "03601", "postal_code"),
    Plant("zip_code", "036", "zip"),
    Plant("zip_code", "10001-1234", "billing_zip"),
)

#: look-alikes inside a safe rule (or not identifiers at all): never a violation
SAFE = (
    Plant("payment_card", "4242424242424242"),
    Plant("payment_card", "4111 1111 1111 1111"),
    Plant("payment_card", "378282246310005"),
    Plant("payment_card", "5555-5555-5555-4444"),
    Plant("payment_card", luhn_invalid(VISA)),
    Plant("payment_card", "4539 1488 0343 6468"),
    Plant("us_ssn", "000-12-3456"),
    Plant("us_ssn", "666-12-3456"),
    Plant("us_ssn", "123-00-4567"),
    Plant("us_ssn", "123-45-0000"),
    Plant("us_ssn", "000123456", "ssn"),
    Plant("us_itin", "912-89-1234"),
    Plant("us_itin", "912-66-1234"),
    Plant("email", "jane@example.com"),
    Plant("email", "x@mail.example.org"),
    Plant("email", "a@example.net"),
    Plant("email", "a@b.test"),
    Plant("email", "a@host.invalid"),
    Plant("email", "dev@box.localhost"),
    Plant("url", "https://example.com/a/b"),
    Plant("url", "https://www.example.org"),
    Plant("url", "http://192.0.2.1/"),
    Plant("url", "http://[2001:db8::1]/x"),
    Plant("url", "http://localhost:8080/"),
    Plant("ipv4", "192.0.2.1"),
    Plant("ipv4", "198.51.100.7"),
    Plant("ipv4", "203.0.113.255"),
    Plant("ipv4", "10.0.0.1"),
    Plant("ipv4", "172.16.5.4"),
    Plant("ipv4", "192.168.1.1"),
    Plant("ipv4", "127.0.0.1"),
    Plant("ipv4", "169.254.1.1"),
    Plant("ipv4", "0.0.0.0"),
    Plant("ipv4", "224.0.0.1"),
    Plant("ipv4", "255.255.255.255"),
    Plant("ipv6", "2001:db8::1"),
    Plant("ipv6", "2001:db8:85a3::8a2e:370:7334"),
    Plant("ipv6", "3fff::1"),
    Plant("ipv6", "::1"),
    Plant("ipv6", "fe80::1"),
    Plant("ipv6", "fd12:3456::1"),
    Plant("ipv6", "ff02::1"),
    Plant("mac_address", "00-00-5E-00-53-01"),
    Plant("mac_address", "00:00:5e:00:53:ff"),
    Plant("mac_address", "0000.5e00.5301"),
    Plant("mac_address", "ff:ff:ff:ff:ff:ff"),
    Plant("mac_address", "01:00:5e:00:00:01"),
    Plant("iban", "GB82WEST12345698765432"),
    Plant("iban", "GB82 WEST 1234 5698 7654 32"),
    Plant("iban", "DE89370400440532013000"),
    Plant("iban", "BE68539007547034"),
    Plant("iban", UK_IBAN[:2] + f"{(int(UK_IBAN[2:4]) + 1) % 97 + 2:02d}" + UK_IBAN[4:]),
    Plant("nhs_number", NHS_TEST_RANGE),
    # spaced 3-3-4 it would also be a plausible US phone number, so in an NHS field
    Plant("nhs_number", NHS[:-1] + str((int(NHS[-1]) + 1) % 10), "nhs_number"),
    Plant("uk_nino", "QQ123456C"),
    Plant("uk_nino", "BG123456A"),
    Plant("uk_nino", "ZZ 12 34 56 D"),
    Plant("uk_nino", "DA123456A"),
    Plant("medicare_mbi", "1SG4TE5MK73"),
    Plant("medicare_mbi", "1SA2-BC3-DE45"),
    Plant("medicare_mbi", "1EO4TE5MK73"),
    Plant("phone", "(212) 555-0100"),
    Plant("phone", "212-555-0199"),
    Plant("phone", "212-555-0123"),
    Plant("phone", "+1 212 555 0142"),
    Plant("phone", "07700 900123"),
    Plant("phone", "+44 7700 900123"),
    Plant("phone", "020 7946 0123"),
    Plant("phone", "01632 960123"),
    Plant("phone", "030 23125123"),
    Plant("phone", "+49 30 23125123"),
    Plant("phone", "0221 4710123"),
    Plant("phone", "01 99 00 12 34"),
    Plant("phone", "+33 1 99 00 12 34"),
    Plant("date_of_birth", "1950", "date_of_birth"),
    Plant("date_of_birth", "1950-01-01", "date_of_birth"),
    Plant("date_of_birth", "1936", "birth_year"),
    Plant("age", "89", "age"),
    Plant("age", "90+", "age"),
    Plant("zip_code", "00012", "zip"),
    Plant("zip_code", "003", "zip"),
    Plant("zip_code", "100", "zip"),
    Plant("zip_code", "00312-1234", "postal_code"),
)

#: the words that give each detector's free-text context ("SSN 123456789", "born 1950")
KEYWORDS = {"date_of_birth": "born on", "age": "aged", "us_ssn": "SSN", "nhs_number": "NHS"}


def in_free_text(plant: Plant) -> bool:
    """Whether ``plant`` is still an identifier without its field: a plain value, or one
    whose detector has a keyword to say what it is (ZIP codes have none)."""
    return plant.field == "value" or plant.detector in KEYWORDS
