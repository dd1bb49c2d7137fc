"""Network addresses stay inside the documentation ranges, in canonical text form."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

import numpy as np
import pytest

from synthdata_sdk.generation.semantics import get_semantic
from synthdata_sdk.generation.semantics.network import render_ipv6

Sample = Callable[..., tuple[np.ndarray, list[str]]]

TEST_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
DOC_PREFIX = ipaddress.ip_network("2001:db8::/32")


def test_ipv4_covers_exactly_the_three_test_nets(sample: Sample) -> None:
    _, values = sample("ipv4", "en_US")
    assert {ipaddress.ip_address(v) for v in values} == {a for n in TEST_NETS for a in n}
    assert all(str(ipaddress.ip_address(v)) == v for v in values)


def test_ipv6_is_in_the_documentation_prefix_and_canonical(locale: str, sample: Sample) -> None:
    _, values = sample("ipv6", locale)
    for value in values:
        address = ipaddress.IPv6Address(value)
        assert address in DOC_PREFIX and str(address) == value


@pytest.mark.parametrize(
    "groups",
    [
        [0, 0, 1, 2, 3, 4],
        [1, 0, 0, 0, 2, 3],
        [1, 2, 3, 4, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 5, 0, 0, 0],
        [7, 0, 8, 0, 9, 0],
        [0xABCD, 0x12, 0, 0xFFFF, 0, 1],
    ],
)
def test_ipv6_text_matches_ipaddress_for_zero_runs(groups: list[int]) -> None:
    number = 0x20010DB8
    for group in groups:
        number = (number << 16) | group
    (text,) = render_ipv6(np.array([groups], dtype=np.int64))
    assert text == str(ipaddress.IPv6Address(number))


def test_mac_addresses_are_the_256_documentation_macs(sample: Sample) -> None:
    _, values = sample("mac_address", "de_DE")
    assert values == [f"00:00:5e:00:53:{i:02x}" for i in range(256)]
    assert get_semantic("mac_address").domain_size("fr_FR", {}) == 256
