"""Network addresses: IPv4, IPv6 and MAC addresses outside the documentation ranges.

Addresses that can never name one person's device on the internet are not personal data
and are exempt: private and unique-local networks, loopback, link-local, unspecified,
multicast and broadcast addresses (and, for MACs, group addresses).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import ClassVar

from synthdata_sdk.quality.detectors.base import Detector, Text, register
from synthdata_sdk.quality.detectors.fields import Field

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: RFC 5737 TEST-NET-1/2/3
IPV4_DOCUMENTATION = tuple(
    ipaddress.IPv4Network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
)
#: not a person's address: this network (incl. unspecified), RFC 1918 private, loopback,
#: link-local, multicast, reserved (incl. the limited broadcast 255.255.255.255)
IPV4_EXEMPT = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
)
#: RFC 3849 and RFC 9637 documentation prefixes
IPV6_DOCUMENTATION = tuple(ipaddress.IPv6Network(n) for n in ("2001:db8::/32", "3fff::/20"))
#: unspecified, loopback, link-local, unique local (ULA), multicast
IPV6_EXEMPT = tuple(
    ipaddress.IPv6Network(n) for n in ("::/128", "::1/128", "fe80::/10", "fc00::/7", "ff00::/8")
)

_IPV4_RULE = (
    "public IPv4 address outside the documentation networks"
    " (safe: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24; RFC 5737)"
)
_IPV6_RULE = (
    "public IPv6 address outside the documentation prefixes"
    " (safe: 2001:db8::/32, 3fff::/20; RFC 3849, RFC 9637)"
)
_MAC_RULE = (
    "MAC address outside the documentation range (safe: 00-00-5E-00-53-00..FF; RFC 7042 / RFC 9542)"
)

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?!\w|\.\d)", re.ASCII)
# on the shape, anchored on the first dot: the last digit of the first octet, then ".9"
_IPV4_ANCHOR = re.compile(r"9\.9{1,3}\.9{1,3}\.9{1,3}(?!\w|\.9)", re.ASCII)
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?"
    r"(?![\w:]|\.\d)",
    re.ASCII,
)
# an address has "::" or three colons; a time ("17:51:00") has neither
_IPV6_ANCHOR = re.compile(r"::|:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{0,4}:", re.ASCII)
_HEX_COLON_REVERSED = re.compile(r"[0-9A-Fa-f:]*", re.ASCII)
_MAC = re.compile(
    r"(?<![\w:.\-])(?:[0-9A-Fa-f]{2}(?P<sep>[:\-])(?:[0-9A-Fa-f]{2}(?P=sep)){4}[0-9A-Fa-f]{2}"
    r"|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:\-]|\.\w)",
    re.ASCII,
)
# anchored on the first separator, one regex per form so each starts with a literal:
# ":xx:xx:", "-xx-xx-" and Cisco ".xxxx."; the MAC starts 2 (or 4) characters earlier
_MAC_ANCHORS = (
    (":", 2, re.compile(r":[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}:", re.ASCII)),
    ("-", 2, re.compile(r"-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}-", re.ASCII)),
    (".", 4, re.compile(r"\.[0-9A-Fa-f]{4}\.", re.ASCII)),
)
_MAC_SHAPE = re.compile(
    r"[0-9a-f]{2}([:\-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}",
    re.ASCII,
)
_MAC_DOCUMENTATION = "00005e0053"


def judge_ip(address: IPAddress) -> str | None:
    """The rule an address breaks, or ``None`` for documentation and exempt addresses."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return judge_ip(address.ipv4_mapped)
        ranges = (*IPV6_DOCUMENTATION, *IPV6_EXEMPT)
        return None if any(address in n for n in ranges) else _IPV6_RULE
    ranges4 = (*IPV4_DOCUMENTATION, *IPV4_EXEMPT)
    return None if any(address in n for n in ranges4) else _IPV4_RULE


def _parse(value: str, version: int) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None
    return address if address.version == version else None


@register
class IPv4(Detector):
    """Dotted-quad addresses outside RFC 5737 and the non-personal ranges."""

    name: ClassVar[str] = "ipv4"
    description: ClassVar[str] = "192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737)"
    needles: ClassVar[tuple[str, ...]] = (".",)

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        shape = text.shape
        if "9.9" not in shape:
            return
        for anchor in _IPV4_ANCHOR.finditer(shape):
            start = anchor.start()
            while start > anchor.start() - 2 and start > 0 and shape[start - 1] == "9":
                start -= 1
            match = _IPV4.match(text.raw, start)
            if match is not None and match.end() == anchor.end():
                yield match.span()

    def judge(self, value: str, field: Field) -> str | None:
        address = _parse(value, 4)
        return None if address is None else judge_ip(address)


@register
class IPv6(Detector):
    """IPv6 addresses outside 2001:db8::/32, 3fff::/20 and the non-personal ranges."""

    name: ClassVar[str] = "ipv6"
    description: ClassVar[str] = "2001:db8::/32 (RFC 3849) and 3fff::/20 (RFC 9637)"
    needles: ClassVar[tuple[str, ...]] = (":",)

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        raw, size, done = text.raw, len(text.raw), 0
        for anchor in _IPV6_ANCHOR.finditer(raw):
            if anchor.start() < done:
                continue
            back = _HEX_COLON_REVERSED.match(text.reversed, size - anchor.start())
            start = anchor.start() - (len(back[0]) if back else 0)
            match = _IPV6.match(raw, start)
            if match is not None and _parse(match[0], 6) is not None:
                done = match.end()
                yield match.span()

    def judge(self, value: str, field: Field) -> str | None:
        address = _parse(value, 6)
        return None if address is None else judge_ip(address)


@register
class MacAddress(Detector):
    """MAC addresses (``:``, ``-`` or Cisco ``xxxx.xxxx.xxxx``) outside the documentation block."""

    name: ClassVar[str] = "mac_address"
    description: ClassVar[str] = "00-00-5E-00-53-00..FF (RFC 7042); group addresses exempt"
    needles: ClassVar[tuple[str, ...]] = (":", "-", ".")

    def candidates(self, text: Text, field: Field) -> Iterator[tuple[int, int]]:
        raw = text.raw
        for separator, back, anchors in _MAC_ANCHORS:
            if separator not in raw:
                continue
            done = 0
            for anchor in anchors.finditer(raw):
                start = anchor.start() - back
                if start < done or start < 0:
                    continue
                match = _MAC.match(raw, start)
                if match is not None:
                    done = match.end()
                    yield match.span()

    def judge(self, value: str, field: Field) -> str | None:
        value = value.strip().lower()
        if not _MAC_SHAPE.fullmatch(value):
            return None
        hexits = re.sub(r"[:.\-]", "", value)
        # group (multicast, broadcast) and all-zero addresses name no device
        if int(hexits[:2], 16) & 1 or hexits == "0" * 12:
            return None
        return None if hexits.startswith(_MAC_DOCUMENTATION) else _MAC_RULE
