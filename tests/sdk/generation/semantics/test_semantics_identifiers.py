"""Person and record identifiers stay inside their never-issued ranges."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import numpy as np
from stdnum.gb import nhs
from stdnum.us import itin, ssn

from synthdata_sdk.generation.semantics import get_semantic

Sample = Callable[..., tuple[np.ndarray, list[str]]]

_SSN = re.compile(r"(\d{3})-(\d{2})-(\d{4})")
_NINO = re.compile(r"(QQ|BG|GB|KN|NK|NT|ZZ)\d{6}[A-D]")
#: CMS MBI letters: A-Z without S, L, O, I, B and Z
_MBI_LETTER = "[AC-HJKMNP-RT-Y]"
_MBI = re.compile(
    rf"[1-9]S(?:{_MBI_LETTER}|\d)\d{_MBI_LETTER}(?:{_MBI_LETTER}|\d)\d{_MBI_LETTER}{{2}}\d{{2}}"
)


def test_uuids_are_canonical_version_4(locale: str, sample: Sample) -> None:
    _, values = sample("uuid", locale)
    for value in values:
        parsed = uuid.UUID(value)
        assert str(parsed) == value
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_uuids_do_not_depend_on_the_locale() -> None:
    indices = np.arange(100, dtype=np.int64) * 12345
    semantic = get_semantic("uuid")
    assert semantic.values(indices, "en_US", {}) == semantic.values(indices, "fr_FR", {})


def test_ssns_have_a_never_assigned_shape(locale: str, sample: Sample) -> None:
    _, values = sample("ssn", locale)
    shapes: set[str] = set()
    for value in values:
        match = _SSN.fullmatch(value)
        assert match, value
        area, group, serial = match.groups()
        never = {"area": area in ("000", "666"), "group": group == "00", "serial": serial == "0000"}
        assert any(never.values()), value
        assert not area.startswith("9"), f"{value}: 9xx areas hold real ITINs"
        assert not ssn.is_valid(value) and not itin.is_valid(value)
        shapes.update(kind for kind, hit in never.items() if hit)
    assert shapes == {"area", "group", "serial"}


def test_ssn_domain_counts_the_three_disjoint_shapes() -> None:
    normal_areas = 899 - 1  # 001..899 without 666
    expected = normal_areas * 10_000 + normal_areas * 99 + 2 * 100 * 10_000
    assert get_semantic("ssn").domain_size("en_US", {}) == expected


def test_nhs_numbers_are_in_the_999_range_with_a_valid_check_digit(
    locale: str, sample: Sample
) -> None:
    _, values = sample("nhs_number", locale)
    for value in values:
        assert re.fullmatch(r"999 \d{3} \d{4}", value), value
        assert nhs.is_valid(value), value


def test_nhs_domain_skips_only_bases_whose_check_would_be_10() -> None:
    # weights 10..2 over 999dddddd: 10 bases in 11 have a check digit
    assert get_semantic("nhs_number").domain_size("en_GB", {}) == 909_091


def test_ni_numbers_use_never_allocated_prefixes(locale: str, sample: Sample) -> None:
    _, values = sample("national_insurance_number", locale)
    assert all(_NINO.fullmatch(v) for v in values)
    assert {v[:2] for v in values} == {"QQ", "BG", "GB", "KN", "NK", "NT", "ZZ"}


def test_mbis_follow_cms_classes_with_s_in_position_2(locale: str, sample: Sample) -> None:
    _, values = sample("medicare_mbi", locale)
    for value in values:
        assert _MBI.fullmatch(value), value
        assert not set(value[2:]) & set("SLOIBZ"), value
