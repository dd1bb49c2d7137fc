"""E-mail addresses, URLs and host names use reserved domains; phones use fiction ranges."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import numpy as np
import pytest

from synthdata_sdk.generation.semantics import get_semantic

Sample = Callable[..., tuple[np.ndarray, list[str]]]

RESERVED = {"example.com", "example.net", "example.org"}
_LOCAL_PART = re.compile(r"[a-z]+[._][a-z]+(?:[1-9]\d?)?")

_PHONES = {
    # any NXX area code (no N11, no middle 9) + 555-0100..0199
    "en_US": re.compile(r"\(([2-9][0-8]\d)\) 555-01\d{2}"),
    "en_GB": re.compile(r"07700 900\d{3}|020 7946 0\d{3}|01632 960\d{3}"),
    "de_DE": re.compile(r"(?:030 23125|069 90009|040 66969|0221 4710|089 99998)\d{3}"),
    "fr_FR": re.compile(r"(?:01 99 00|02 61 91|03 53 01|04 65 71|05 36 49|06 39 98)(?: \d{2}){2}"),
}


def test_emails_are_ascii_handles_at_reserved_domains(locale: str, sample: Sample) -> None:
    _, values = sample("email", locale)
    for value in values:
        local, _, domain = value.partition("@")
        assert domain in RESERVED, value
        assert _LOCAL_PART.fullmatch(local), value


def test_phones_are_inside_the_fiction_ranges(locale: str, sample: Sample) -> None:
    _, values = sample("phone", locale)
    for value in values:
        match = _PHONES[locale].fullmatch(value)
        assert match, value
        if locale == "en_US":
            area = match.group(1)
            assert area[1:] != "11", f"{value}: N11 codes are service codes"


@pytest.mark.parametrize(
    ("locale", "size"), [("en_US", 712 * 100), ("en_GB", 3000), ("de_DE", 5000), ("fr_FR", 60_000)]
)
def test_phone_domain_sizes_count_the_fiction_ranges(locale: str, size: int) -> None:
    assert get_semantic("phone").domain_size(locale, {}) == size


def test_uk_and_german_phones_enumerate_their_ranges_exactly(sample: Sample) -> None:
    uk = {f"{p}{n:03d}" for p in ("07700 900", "020 7946 0", "01632 960") for n in range(1000)}
    german = {
        f"{p}{n:03d}"
        for p in ("030 23125", "069 90009", "040 66969", "0221 4710", "089 99998")
        for n in range(1000)
    }
    assert set(sample("phone", "en_GB")[1]) == uk
    assert set(sample("phone", "de_DE")[1]) == german


def test_urls_are_https_on_reserved_hosts(locale: str, sample: Sample) -> None:
    _, values = sample("url", locale)
    for value in values:
        parts = urlsplit(value)
        assert parts.scheme == "https" and parts.netloc in RESERVED, value
        assert re.fullmatch(r"/[a-z]+(?:/[a-z]+)?", parts.path), value
        assert not parts.query and not parts.fragment


def test_hostnames_are_one_label_under_reserved_domains(locale: str, sample: Sample) -> None:
    _, values = sample("hostname", locale)
    for value in values:
        label, _, domain = value.partition(".")
        assert domain in RESERVED, value
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)?", label) and len(label) <= 63, value
