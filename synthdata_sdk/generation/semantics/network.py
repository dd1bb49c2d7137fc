"""Network addresses from the documentation ranges: IPv4, IPv6 and MAC addresses."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, ClassVar

import numpy as np

from synthdata_sdk.generation.semantics.base import MAX_DOMAIN, Indices, Semantic, mixed_radix
from synthdata_sdk.generation.semantics.mixing import scramble
from synthdata_sdk.generation.semantics.pools import Pool
from synthdata_sdk.generation.semantics.render import ObjectArray, join, plain

#: RFC 5737 TEST-NET-1, TEST-NET-2 and TEST-NET-3
_IPV4_NETWORKS = Pool.of(("192.0.2.", "198.51.100.", "203.0.113."))
#: RFC 3849: 2001:db8::/32 is reserved for documentation
_IPV6_PREFIX = "2001:db8:"
_IPV6_PREFIX_INT = 0x20010DB8 << 96
#: RFC 7042 / RFC 9542: 00-00-5E-00-53-00..FF are unicast MACs for documentation
_MAC_PREFIX = "00:00:5e:00:53:"
_HEX_BYTES = Pool.of(f"{i:02x}" for i in range(256))
_GROUP_SHIFTS = np.array([48, 32, 16, 0], dtype=np.uint64)


@cache
def _hextets() -> ObjectArray:
    """Every 16-bit group as ``ipaddress`` writes it: lowercase hex, no leading zeros."""
    table = np.array([f"{i:x}" for i in range(2**16)], dtype=object)
    table.setflags(write=False)
    return table


def render_ipv6(groups: Indices) -> list[str]:
    """``2001:db8:`` and six 16-bit ``groups`` per row, as ``ipaddress`` writes the address."""
    hextets = _hextets()
    parts: list[ObjectArray | str] = [_IPV6_PREFIX]
    for column in range(groups.shape[1]):
        if column:
            parts.append(":")
        parts.append(hextets[groups[:, column]])
    addresses = join(*parts)
    # two or more zero groups in a row are written "::"; such rows are rare (about 5 in
    # 2**32 for scrambled groups), so they go through ipaddress itself
    zero = groups == 0
    for row in np.flatnonzero((zero[:, :-1] & zero[:, 1:]).any(axis=1)).tolist():
        number = _IPV6_PREFIX_INT
        for shift, group in zip(range(80, -16, -16), groups[row].tolist(), strict=True):
            number |= group << shift
        addresses[row] = str(ipaddress.IPv6Address(number))
    return addresses


class IPv4(Semantic):
    """An address inside one of the three IPv4 documentation networks."""

    name: ClassVar[str] = "ipv4"
    identifier: ClassVar[bool] = True
    format: ClassVar[str | None] = "ipv4"
    description: ClassVar[str] = (
        "An IPv4 address in 192.0.2.0/24, 198.51.100.0/24 or 203.0.113.0/24."
    )
    safe_rule: ClassVar[str] = "RFC 5737 documentation networks TEST-NET-1/2/3"

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return len(_IPV4_NETWORKS) * 256

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        host, network = mixed_radix(indices, [256, len(_IPV4_NETWORKS)])
        return join(_IPV4_NETWORKS.take(network), plain(host))

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [_IPV4_NETWORKS.items]


class IPv6(Semantic):
    """An address inside 2001:db8::/32 in the compressed form ``ipaddress`` prints.

    The low 64 bits are a bijection of the index (so the mapping is injective); the 32 bits
    above them are a salted hash of it, so addresses look spread over the whole prefix.
    """

    name: ClassVar[str] = "ipv6"
    identifier: ClassVar[bool] = True
    format: ClassVar[str | None] = "ipv6"
    description: ClassVar[str] = "An IPv6 address in 2001:db8::/32, compressed canonical form."
    safe_rule: ClassVar[str] = "RFC 3849 documentation prefix 2001:db8::/32"

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return MAX_DOMAIN

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        raw = indices.astype(np.uint64)
        # under the /32 prefix: two groups of a salted hash, then four of a bijection
        high = scramble(raw, 64, salt=1)[:, None] >> _GROUP_SHIFTS[:2]
        low = scramble(raw, 64)[:, None] >> _GROUP_SHIFTS
        groups = np.concatenate([high, low], axis=1) & np.uint64(0xFFFF)
        return render_ipv6(groups.astype(np.int64))

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [(_IPV6_PREFIX,)]


class MacAddress(Semantic):
    """One of the 256 documentation unicast MAC addresses."""

    name: ClassVar[str] = "mac_address"
    identifier: ClassVar[bool] = True
    description: ClassVar[str] = "A MAC address in 00:00:5e:00:53:00-ff."
    safe_rule: ClassVar[str] = (
        "RFC 7042 / RFC 9542 documentation unicast MACs 00-00-5E-00-53-00..FF"
    )

    def domain_size(self, locale: str, options: Mapping[str, Any]) -> int:
        return len(_HEX_BYTES)

    def values(self, indices: Indices, locale: str, options: Mapping[str, Any]) -> list[str]:
        return join(_MAC_PREFIX, _HEX_BYTES.take(indices))

    def pools(self, locale: str) -> Iterable[Sequence[str]]:
        return [(_MAC_PREFIX,), _HEX_BYTES.items]
