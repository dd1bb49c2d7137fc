"""The published never-issued and test ranges, written out here to judge generated values.

Safety tests judge synthdata's output with these rules, not with its compliance scanner:
generation already runs that scanner on its own output under a profile, so a test that ran it
again could only find what generation itself let through. Each rule is the published range
itself, with its source; checksums are computed here, not taken from a library the scanner
uses. ``unsafe(kind, value, locale)`` returns why a value is outside its kind's safe range,
or ``None`` when it is inside.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from urllib.parse import urlsplit

#: sandbox card numbers processors publish; none can be charged
TEST_PANS = frozenset(
    {
        # docs.stripe.com/testing
        *("4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222"),
        *("5200828282828210", "5105105105105100", "378282246310005", "371449635398431"),
        *("6011111111111117", "6011000990139424", "6011981111111113", "3056930009020004"),
        *("36227206271667", "3566002020360505", "6200000000000005"),
        # Braintree and PayPal sandbox cards (developer.paypal.com, braintreepayments.com)
        *("4111111111111111", "4012888888881881", "30569309025904", "38520000023237"),
        "3530111333300000",
    }
)
#: example IBANs of the SWIFT IBAN registry (ISO 13616) and GB82WEST12345698765432 (ECBS)
EXAMPLE_IBANS = frozenset(
    {
        *("GB82WEST12345698765432", "GB29NWBK60161331926819", "DE89370400440532013000"),
        *("FR1420041010050500013M02606", "AT611904300234573201", "CH9300762011623852957"),
        *("DK5000400440116243", "ES9121000418450200051332", "FI2112345600000785"),
        *("GR1601101250000000012300695", "IE29AIBK93115212345678", "NL91ABNA0417164300"),
    }
)
#: RFC 2606 / RFC 6761 reserved second-level domains and top-level domains
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = ("test", "example", "invalid", "localhost")
#: RFC 5737 TEST-NET-1/2/3; RFC 3849 and RFC 9637 IPv6 documentation prefixes
DOC_IPV4 = tuple(
    ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
)
DOC_IPV6 = tuple(ipaddress.ip_network(n) for n in ("2001:db8::/32", "3fff::/20"))
#: RFC 7042 / RFC 9542: 00-00-5E-00-53-00..FF, documentation unicast MACs
DOC_MAC_PREFIX = "00005e0053"
#: HMRC NIM39110: QQ (HMRC's own example) and the never-allocated BG GB KN NK NT ZZ
NINO_NEVER_ALLOCATED = ("QQ", "BG", "GB", "KN", "NK", "NT", "ZZ")
#: national (trunk 0) digit prefixes of the fiction ranges, each followed by free digits:
#: Ofcom "numbers for drama purposes"; Bundesnetzagentur drama numbers (Mitteilung
#: 148/2021); ARCEP numbers for audiovisual works (decision 2018-0881)
FICTION_PHONES: dict[str, tuple[tuple[str, int], ...]] = {
    "44": (("07700900", 3), ("02079460", 3), ("01632960", 3)),
    "49": (("03023125", 3), ("06990009", 3), ("04066969", 3), ("02214710", 3), ("08999998", 3)),
    "33": (
        *(("019900", 4), ("026191", 4), ("035301", 4)),
        *(("046571", 4), ("053649", 4), ("063998", 4)),
    ),
}
#: locale -> country calling code, for national numbers without one
CALLING_CODES = {"en_US": "1", "en_GB": "44", "de_DE": "49", "fr_FR": "33"}
#: HIPAA Safe Harbor (45 CFR 164.514(b)(2)): restricted ZIP3 prefixes, 2000 and 2010 census
RESTRICTED_ZIP3 = frozenset(
    {
        *("036", "059", "063", "102", "203", "205", "369", "556", "692", "790"),
        *("821", "823", "830", "831", "878", "879", "884", "890", "893"),
    }
)


def luhn_valid(digits: str) -> bool:
    """ISO/IEC 7812-1 Annex B: every issued card number passes."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def mod97_valid(iban: str) -> bool:
    """ISO 7064 mod 97-10 over the rearranged IBAN: every real IBAN gives 1."""
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(char, 36)) for char in moved)
    return int(number) % 97 == 1


def nhs_check_valid(digits: str) -> bool:
    """NHS number modulus 11 check, weights 10..2 (a result of 10 is never issued)."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _ssn(value: str, locale: str) -> str | None:
    match = re.fullmatch(r"(\d{3})-?(\d{2})-?(\d{4})", value)
    if match is None:
        return "not an SSN"
    area, group, serial = match.groups()
    if area.startswith("9"):
        # SSA issues no 9xx SSN; the IRS issues ITINs in groups 50-65, 70-88, 90-92 and
        # 94-99 and ATINs in group 93 (IRS ITIN and ATIN program pages): the rest is unused
        number = int(group)
        issued = 50 <= number <= 65 or 70 <= number <= 88 or 90 <= number <= 99
        return "area 9xx in an ITIN or ATIN group: issued by the IRS" if issued else None
    if area in ("000", "666") or group == "00" or serial == "0000":
        return None  # SSA POMS RM 10201.035: never assigned
    return "issuable SSN"


def _card(value: str, locale: str) -> str | None:
    digits = re.sub(r"[ -]", "", value)
    if not re.fullmatch(r"\d{13,19}", digits):
        return "not a card number"
    if luhn_valid(digits) and digits not in TEST_PANS:
        return "Luhn-valid and not a published test PAN"
    return None


def _phone(value: str, locale: str) -> str | None:
    digits = re.sub(r"[^\d+]", "", value)
    if digits.startswith("+"):
        code = next((c for c in ("1", "44", "49", "33") if digits[1:].startswith(c)), None)
        if code is None:
            return "country code with no fiction range"
        national = digits[1 + len(code) :]
        if code != "1":
            national = "0" + national
    else:
        code, national = CALLING_CODES[locale], digits
    if code == "1":
        # NANP: NXX-555-0100..0199 is reserved for fiction in every area code
        ok = len(national) == 10 and national[3:6] == "555" and 100 <= int(national[6:]) <= 199
        return None if ok else "outside NXX-555-0100..0199"
    for prefix, free in FICTION_PHONES[code]:
        if national.startswith(prefix) and len(national) == len(prefix) + free:
            return None
    return f"outside the +{code} fiction ranges"


def _domain_safe(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host.rsplit(".", 1)[-1] in RESERVED_TLDS or any(
        host == d or host.endswith("." + d) for d in RESERVED_DOMAINS
    )


def _email(value: str, locale: str) -> str | None:
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return "not an e-mail address"
    return None if _domain_safe(domain) else f"domain {domain} is not reserved"


def _url(value: str, locale: str) -> str | None:
    host = urlsplit(value).hostname
    if not host:
        return "no host"
    return None if _domain_safe(host) else f"host {host} is not reserved"


def _hostname(value: str, locale: str) -> str | None:
    return None if _domain_safe(value) else f"host {value} is not reserved"


def _postcode(value: str, locale: str) -> str | None:
    if locale == "en_GB":
        # BS 7666: no UK postcode area starts with Q, V or X
        return None if value[:1] in ("Q", "V", "X") else "a UK postcode area that exists"
    if not re.fullmatch(r"\d{5}", value):
        return "not a five-digit postcode"
    # below 00501, the lowest US ZIP; leading 00 is no German Leitregion, no French departement
    return None if value < "00501" else "an allocated postcode"


def _ipv4(value: str, locale: str) -> str | None:
    address = ipaddress.IPv4Address(value)
    return None if any(address in n for n in DOC_IPV4) else "outside RFC 5737"


def _ipv6(value: str, locale: str) -> str | None:
    address = ipaddress.IPv6Address(value)
    return None if any(address in n for n in DOC_IPV6) else "outside RFC 3849 and RFC 9637"


def _mac(value: str, locale: str) -> str | None:
    hexdigits = re.sub(r"[:.-]", "", value).lower()
    if not re.fullmatch(r"[0-9a-f]{12}", hexdigits):
        return "not a MAC address"
    return None if hexdigits.startswith(DOC_MAC_PREFIX) else "outside the documentation block"


def _iban(value: str, locale: str) -> str | None:
    compact = value.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", compact):
        return "not an IBAN"
    if mod97_valid(compact) and compact not in EXAMPLE_IBANS:
        return "mod 97 valid and not a registry example"
    return None


def _nhs(value: str, locale: str) -> str | None:
    digits = re.sub(r"[ -]", "", value)
    if not re.fullmatch(r"\d{10}", digits):
        return "not an NHS number"
    if digits.startswith("999") or not nhs_check_valid(digits):
        return None  # 999 000 0000-999 999 9999: the NHS synthetic-data range
    return "check-valid NHS number outside the 999 range"


def _nino(value: str, locale: str) -> str | None:
    compact = value.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", compact):
        return "not an NI number"
    return None if compact[:2] in NINO_NEVER_ALLOCATED else "allocatable prefix"


def _mbi(value: str, locale: str) -> str | None:
    compact = value.replace("-", "")
    if len(compact) != 11:
        return "not an MBI"
    # CMS MBI format: positions 2, 5, 8 and 9 are letters other than S L O I B Z
    return None if compact[1] == "S" else "position 2 is a letter CMS uses"


#: semantic -> its rule
RULES: dict[str, Callable[[str, str], str | None]] = {
    "ssn": _ssn,
    "credit_card": _card,
    "phone": _phone,
    "email": _email,
    "url": _url,
    "hostname": _hostname,
    "ipv4": _ipv4,
    "ipv6": _ipv6,
    "mac_address": _mac,
    "iban": _iban,
    "nhs_number": _nhs,
    "national_insurance_number": _nino,
    "medicare_mbi": _mbi,
    "postcode": _postcode,
}


def unsafe(kind: str, value: str, locale: str = "en_US") -> str | None:
    """Why ``value`` (an identifier of ``kind``) is outside the published safe range, or None."""
    try:
        return RULES[kind](value, locale)
    except ValueError as error:  # ipaddress: not an address at all
        return str(error)


# --- identifier shapes inside any text ------------------------------------------------------

_CARD_RUN = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
_SSN_SHAPE = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"\bhttps?://[^\s\"'<>]+")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_SHAPES = (
    (_CARD_RUN, "credit_card"),
    (_SSN_SHAPE, "ssn"),
    (_EMAIL, "email"),
    (_URL, "url"),
    (_IPV4, "ipv4"),
)


def text_unsafe(text: str, locale: str = "en_US") -> str | None:
    """Why some card-, SSN-, e-mail-, URL- or IPv4-shaped part of ``text`` is unsafe, or None.

    For values that are no identifier (names, codes, descriptions): whatever they hold, it
    must not be a real identifier either.
    """
    for shape, kind in _SHAPES:
        for found in shape.finditer(text):
            if kind == "ipv4" and any(int(part) > 255 for part in found[0].split(".")):
                continue  # a version number, not an address
            why = unsafe(kind, found[0], locale)
            # "not a ..." / "not an ...": the shape was no identifier of that kind after all
            if why is not None and not why.startswith(("not a ", "not an ")):
                return f"{found[0]!r}: {why}"
    return None


# --- HIPAA Safe Harbor (45 CFR 164.514(b)(2)) ----------------------------------------------

#: Safe Harbor counts ages on a fixed reference date; 1936 births are 89 on 2025-01-01
REFERENCE_YEAR = 2025


def hipaa_unsafe(kind: str, value: object, locale: str = "en_US") -> str | None:
    """Why a date of birth, age or US ZIP breaks Safe Harbor, or None."""
    if kind == "date_of_birth":
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value))
        if match is None:
            return "not a date"
        year, month, day = match.groups()
        if (month, day) != ("01", "01"):
            return "more specific than the year"
        return None if REFERENCE_YEAR - int(year) <= 89 else "an age over 89"
    if kind == "age":
        return None if isinstance(value, int | float) and value <= 89 else "an age over 89"
    if kind == "postcode" and locale == "en_US":
        text = str(value)
        if not re.fullmatch(r"\d{5}(-\d{4})?", text):
            return "not a US ZIP"
        if text[:3] in RESTRICTED_ZIP3:
            return "restricted ZIP3"
        return None if text[:5] < "00501" else "an assigned five-digit ZIP"
    return None
