"""Ways to reach someone: e-mail addresses, http(s) URLs and phone numbers.

Reserved names (RFC 2606, RFC 6761) and the telephone regulators' fiction ranges are safe;
anything else could reach a real person.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import ClassVar

from synthdata_sdk.quality.detectors.base import Detector, Text, digits_of, distinct, register
from synthdata_sdk.quality.detectors.fields import Field, says_phone
from synthdata_sdk.quality.detectors.network import judge_ip
from synthdata_sdk.quality.masking import mask_email, mask_url

#: RFC 2606 section 3: second-level domains reserved for documentation
RESERVED_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
#: RFC 2606 section 2 and RFC 6761: top-level names that never resolve publicly
RESERVED_TLDS = frozenset({"test", "example", "invalid", "localhost"})

_EMAIL_RULE = (
    "e-mail domain is not reserved (safe: example.com/.net/.org or the .test, .example,"
    " .invalid, .localhost TLDs; RFC 2606, RFC 6761)"
)
_URL_RULE = (
    "URL host is not a reserved domain or documentation address (safe: example.com/.net/.org,"
    " .test/.example/.invalid/.localhost, RFC 5737 / RFC 3849 addresses)"
)

# anchored on "@" (a literal is fast); the local part is read leftwards on the reversed text
_EMAIL_DOMAIN = re.compile(
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
    r"(?![\w\-]|\.[A-Za-z0-9])",
    re.ASCII,
)
_LOCAL_REVERSED = re.compile(r"[A-Za-z0-9._%+\-]+", re.ASCII)
# anchored on "://", with the scheme checked behind it
_URL = re.compile(
    r"://(?:(?<=(?<!\w)[hH][tT][tT][pP]://)|(?<=(?<!\w)[hH][tT][tT][pP][sS]://))"
    # the authority (host, maybe user and port), never ending on prose punctuation
    r"[A-Za-z0-9\-._~%:@\[\]+=&$*]*[A-Za-z0-9\-_~%\]]"
    r"(?:[/?#][^\s<>\"']*[^\s<>\"'.,;:!?)\]])?",
    re.ASCII,
)
_HOST = re.compile(
    r"^(?:[a-z][a-z0-9+.\-]*://)?(?:[^\s/?#@]*@)?(\[[^\]\s]*\]|[^\s/?#:]*)", re.IGNORECASE
)


_RESERVED_SUFFIXES = tuple(f".{domain}" for domain in sorted(RESERVED_DOMAINS))


def is_reserved_domain(host: str) -> bool:
    """Whether ``host`` is, or is under, a domain reserved for documentation or testing."""
    host = host.lower().rstrip(".")
    if host in RESERVED_DOMAINS or host.endswith(_RESERVED_SUFFIXES):
        return True
    return host.rpartition(".")[2] in RESERVED_TLDS


@register
class Email(Detector):
    """Addresses whose domain is not reserved."""

    name: ClassVar[str] = "email"
    description: ClassVar[str] = (
        "example.com/.net/.org and the .test/.example/.invalid/.localhost TLDs"
    )
    needles: ClassVar[tuple[str, ...]] = ("@",)

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        size, backwards = len(text.raw), text.reversed
        for match in _EMAIL_DOMAIN.finditer(text.raw):
            local = _LOCAL_REVERSED.match(backwards, size - match.start())
            if local is not None:  # it ends, read backwards, where the local part starts
                yield size - local.end(), match.end()

    def judge(self, value: str, field: Field) -> str | None:
        local, at, domain = value.strip().rpartition("@")
        if not at or not local or "." not in domain or is_reserved_domain(domain):
            return None
        return _EMAIL_RULE

    def mask(self, value: str) -> str:
        return mask_email(value)


@register
class Url(Detector):
    """http(s) URLs whose host is neither reserved nor a documentation (or non-personal) IP."""

    name: ClassVar[str] = "url"
    description: ClassVar[str] = "reserved hosts (as for e-mail) and documentation IP addresses"
    needles: ClassVar[tuple[str, ...]] = ("://",)

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        raw = text.raw
        for match in _URL.finditer(raw):
            start = match.start() - (5 if raw[match.start() - 1] in "sS" else 4)
            yield start, match.end()

    def judge(self, value: str, field: Field) -> str | None:
        match = _HOST.match(value.strip())
        host = match[1].strip("[]").lower() if match else ""
        if not host or is_reserved_domain(host):
            return None
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            # a host needs a dot to be a public name (``localhost``-like names are not)
            return _URL_RULE if "." in host.strip(".") else None
        return None if judge_ip(address) is None else _URL_RULE

    def mask(self, value: str) -> str:
        return mask_url(value)


# -- phones ------------------------------------------------------------------------------

_NANP_RULE = (
    "NANP number outside 555-0100..0199 (safe: any area code + 555-0100..0199, the NANP"
    " fictional range)"
)
_NATIONAL_RULE = (
    "phone number outside the regulators' fiction ranges (safe: Ofcom drama numbers,"
    " Bundesnetzagentur drama numbers, ARCEP numbers for audiovisual works)"
)
_FOREIGN_RULE = (
    "international phone number with no published fiction range"
    " (safe: +1 555-01xx, +44/+49/+33 fiction ranges only)"
)
#: national significant numbers (after the trunk 0 or the country code) kept for fiction
_FICTION = {
    # Ofcom, telephone numbers for drama purposes: 07700 900xxx, 020 7946 0xxx, 01632 960xxx
    "44": re.compile(r"(?:7700900|2079460|1632960)\d{3}", re.ASCII),
    # Bundesnetzagentur, Mitteilung Nr. 148/2021: Berlin, Frankfurt, Hamburg, Köln, München
    "49": re.compile(r"(?:3023125|6990009|4066969|2214710|8999998)\d{3}", re.ASCII),
    # ARCEP, décision n° 2018-0881, annexe 1, 2.5.12: numbers for audiovisual works
    "33": re.compile(r"(?:19900|26191|35301|46571|53649|63998)\d{4}", re.ASCII),
}
#: plausible national significant number lengths per country code
_NSN_LENGTHS = {"44": range(9, 11), "49": range(6, 14), "33": range(9, 10)}

# On the shape (digits are 9): international "+9...", NANP "(999) 999-9999" and
# "999-999-9999", and in a phone field bare runs of 9-15 digits. On the raw text, because the
# digit matters: national numbers with a trunk 0 ("0221 4710123", "(030) 23125123").
_NOT_AFTER = r"(?<![\w+.\-/]{a})(?<!9[ .\-/]{a})"
_INTERNATIONAL = re.compile(
    r"\+9" + _NOT_AFTER.format(a=r"\+9") + r"(?:[ .\-]?(?:\(9\)|\(9{1,4}\)|9)){7,16}(?!\w|[.\-/]9)",
    re.ASCII,
)
_NANP_PAREN = re.compile(
    r"\(999\)" + _NOT_AFTER.format(a=r"\(999\)") + r"[ .\-]?999[ .\-]9999(?!\w|[.\-/]9)",
    re.ASCII,
)
# "999-999-9999", or "9-999-999-9999" where the leading 9 (a 1) stands alone; the span
# is widened over that head afterwards
_NANP_PLAIN = re.compile(
    r"999[ .\-]999(?:"
    + _NOT_AFTER.format(a=r"999[ .\-]999")
    + "|"
    + r"(?<=(?<![\w+.\-/])9[ .\-]999[ .\-]999)(?<!9[ .\-/]9[ .\-]999[ .\-]999)"
    + r")[ .\-]9999(?!\w|[.\-/]9)",
    re.ASCII,
)
_NATIONAL = re.compile(
    r"(?:0(?<![\w+.\-/]0)(?<!\d[ .\-/]0)\d{1,4}|\(0(?<![\w+.\-/]\(0)\d{1,4}\))"
    r"(?:[ .\-/]\d{2,8}){1,4}(?!\w|[.\-/]\d)",
    re.ASCII,
)
# "012-34-5678" is an SSN and "012 345 6789" an NHS number (or Scottish CHI) shape, and
# "01/02/2023 10:00" or "01.02.2023 10:00" a date and time: no UK, German or French number
# is written that way
_NOT_NATIONAL = re.compile(
    r"\d{3}-\d{2}-\d{4}$|\d{3} \d{3} \d{4}$"
    r"|(?:0?[1-9]|[12]\d|3[01])([./-])(?:0?[1-9]|1[0-2])\1\d{4}(?!\d)",
    re.ASCII,
)
_BARE = re.compile(
    r"999999999(?<![\w+.\-/]999999999)9{0,6}(?!\w|[.\-/]9)",
    re.ASCII,
)


def _nanp(digits: str) -> str | None:
    """Ten NANP digits. Area code and exchange start with 2-9; area codes with a middle 9
    (reserved for expansion) and N11 service codes are never a subscriber's number."""
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return None
    if digits[3:6] == "555" and "0100" <= digits[6:] <= "0199":  # fictional (the usual)
        return None
    area, exchange = digits[:3], digits[3:6]
    if area[1] == "9" or area[1:] == "11" or exchange[1:] == "11":
        return None
    return _NANP_RULE


def _fiction(nsn: str, countries: tuple[str, ...]) -> bool:
    return any(_FICTION[c].fullmatch(nsn) for c in countries)


def _international(digits: str) -> str | None:
    """Digits after ``+`` (or ``00``): country code and national significant number."""
    if digits.startswith("1"):
        return _nanp(digits[1:]) if len(digits) == 11 else None
    for code, lengths in _NSN_LENGTHS.items():
        if digits.startswith(code):
            nsn = digits[len(code) :].removeprefix("0")
            if _fiction(nsn, (code,)) or len(nsn) not in lengths:
                return None
            return _NATIONAL_RULE
    return _FOREIGN_RULE if 8 <= len(digits) <= 15 else None


def _national(nsn: str) -> str | None:
    """Digits after a trunk ``0``; the format alone does not say UK, DE or FR, so a number in
    any of those countries' fiction ranges is safe."""
    if _fiction(nsn, tuple(_FICTION)) or not 8 <= len(nsn) <= 11 or nsn[0] == "0":
        return None
    return _NATIONAL_RULE


def judge_phone(value: str) -> str | None:
    """The rule a phone-shaped ``value`` breaks, or ``None``."""
    value = value.strip()
    if value.startswith("+"):
        return _international(digits_of(value.replace("(0)", "")))
    digits = digits_of(value)
    if digits.startswith("00"):
        return _international(digits[2:])
    if digits.startswith("0"):
        return _national(digits[1:])
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return _nanp(digits)


@register
class Phone(Detector):
    """NANP, UK, German, French and other international numbers outside fiction ranges.

    Free text needs phone-like formatting (a leading ``+``, parentheses or separators);
    in a phone field (by name or semantic) bare digit runs count too.
    """

    name: ClassVar[str] = "phone"
    description: ClassVar[str] = (
        "NANP 555-0100..0199, Ofcom, Bundesnetzagentur and ARCEP fiction ranges"
    )
    numeric: ClassVar[bool] = True

    def active(self, field: Field) -> bool:
        # "943 476 5919" in an NHS field is an NHS number
        return field.semantic != "nhs_number" and not field.says("nhs")

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        shape, raw = text.shape, text.raw
        spans: list[tuple[int, int]] = []
        if "+9" in shape:
            spans += [m.span() for m in _INTERNATIONAL.finditer(shape)]
        # NANP area codes start with 2-9; "012 345 6789" is left to the national pattern
        if "(999)" in shape:
            paren = _NANP_PAREN.finditer(shape)
            spans += [m.span() for m in paren if raw[m.start() + 1] not in "01"]
        if "999-999" in shape or "999 999" in shape or "999.999" in shape:
            for match in _NANP_PLAIN.finditer(shape):
                start = match.start()
                if raw[start] in "01":
                    continue
                if start >= 2 and shape[start - 1] in " .-" and shape[start - 2] == "9":
                    start -= 2  # the "1-" of "1-800-555-0199"
                spans.append((start, match.end()))
        if "0" in raw:
            national = _NATIONAL.finditer(raw)
            spans += [m.span() for m in national if not _NOT_NATIONAL.match(m[0])]
        if says_phone(field):
            spans += [m.span() for m in _BARE.finditer(shape)]
        yield from distinct(spans)

    def judge(self, value: str, field: Field) -> str | None:
        return judge_phone(value)
