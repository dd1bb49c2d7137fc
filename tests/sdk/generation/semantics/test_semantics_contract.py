"""The contract every semantic keeps, in every locale: a finite, injective, pure domain."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from synthdata_sdk.errors import SchemaError
from synthdata_sdk.generation.semantics import SEMANTICS, SUPPORTED_LOCALES, get_semantic
from synthdata_sdk.generation.semantics.base import MAX_DOMAIN, Semantic

Case = tuple[str, dict[str, Any]]
Sample = Callable[..., tuple[np.ndarray, list[str]]]

_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def _assert_format(fmt: str, value: str) -> None:
    """``value`` satisfies JSON Schema ``format``; uri and hostname are checked here when
    jsonschema lacks the optional packages (rfc3987, fqdn) that would check them."""
    checker = Draft202012Validator.FORMAT_CHECKER
    if fmt == "uri":
        parts = urlsplit(value)
        assert parts.scheme == "https" and parts.netloc and " " not in value, value
    if fmt == "hostname":
        assert len(value) <= 253 and all(_HOST_LABEL.fullmatch(x) for x in value.split(".")), value
    if fmt in checker.checkers:
        checker.check(value, fmt)


def test_registry_names_each_semantic_by_its_name() -> None:
    assert SUPPORTED_LOCALES == ("en_US", "en_GB", "de_DE", "fr_FR")
    for name, semantic in SEMANTICS.items():
        assert semantic.name == name
        assert get_semantic(name) is semantic
        assert semantic.description and semantic.safe_rule
    assert {s.name for s in SEMANTICS.values() if s.options} == {"credit_card", "iban"}


def test_unknown_semantic_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        get_semantic("passport_number")


def test_domain_size_is_a_positive_int_within_the_cap(case: Case, locale: str) -> None:
    name, options = case
    size = SEMANTICS[name].domain_size(locale, options)
    assert isinstance(size, int) and 1 <= size <= MAX_DOMAIN


def test_values_are_distinct_strings(case: Case, locale: str, sample: Sample) -> None:
    name, options = case
    indices, values = sample(name, locale, options)
    assert len(values) == len(indices)
    assert all(type(v) is str and v for v in values)
    assert len(set(values)) == len(values), f"{name} repeats a value for distinct indices"


def test_values_are_deterministic_and_batch_independent(
    case: Case, locale: str, sample: Sample
) -> None:
    name, options = case
    indices, values = sample(name, locale, options)
    semantic = SEMANTICS[name]
    assert semantic.values(indices, locale, options) == values
    few = indices[:25]
    assert [semantic.values(few[i : i + 1], locale, options)[0] for i in range(len(few))] == [
        values[i] for i in range(len(few))
    ]


@pytest.mark.parametrize("name", [name for name, s in SEMANTICS.items() if s.format])
def test_values_satisfy_the_declared_format(name: str, locale: str, sample: Sample) -> None:
    semantic = SEMANTICS[name]
    assert semantic.format is not None
    validator = Draft202012Validator(
        {"type": "string", "format": semantic.format},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    _, values = sample(name, locale)
    for value in values[:2000]:
        _assert_format(semantic.format, value)
        assert validator.is_valid(value), value


def test_pools_are_non_empty_string_sequences(case: Case, locale: str) -> None:
    name, _ = case
    pools = list(SEMANTICS[name].pools(locale))
    assert pools
    for pool in pools:
        assert len(pool) > 0 and all(isinstance(item, str) for item in pool)
        json.dumps(list(pool))  # the data version hashes them as JSON


def test_options_outside_the_declared_ones_are_refused() -> None:
    with pytest.raises(SchemaError, match="not understood"):
        get_semantic("email").check_options({"luhn": True}, "/properties/email")
    with pytest.raises(SchemaError, match="boolean"):
        get_semantic("credit_card").check_options({"luhn": "yes"}, "/properties/card")
    get_semantic("iban").check_options({"checksum": True}, "/properties/iban")


@pytest.mark.parametrize("name", ["first_name", "street_address", "phone", "iban", "email"])
def test_an_unsupported_locale_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="unsupported locale"):
        get_semantic(name).values(np.array([0], dtype=np.int64), "nl_NL", {})


@st.composite
def _draws(draw: st.DrawFn) -> tuple[Semantic, str, dict[str, bool], list[int]]:
    semantic = SEMANTICS[draw(st.sampled_from(sorted(SEMANTICS)))]
    locale = draw(st.sampled_from(SUPPORTED_LOCALES))
    options = draw(st.fixed_dictionaries({o: st.booleans() for o in sorted(semantic.options)}))
    size = semantic.domain_size(locale, options)
    indices = draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=40, unique=True))
    return semantic, locale, options, indices


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_draws())
def test_any_indices_in_the_domain_give_distinct_strings(
    drawn: tuple[Semantic, str, dict[str, bool], list[int]],
) -> None:
    semantic, locale, options, indices = drawn
    values = semantic.values(np.array(indices, dtype=np.int64), locale, options)
    assert len(values) == len(indices) and all(isinstance(v, str) for v in values)
    assert len(set(values)) == len(values)
    if semantic.format is not None:
        for value in values:
            _assert_format(semantic.format, value)


_DIGEST_SCRIPT = """
import hashlib, sys
import numpy as np
from synthdata_sdk.generation.semantics import SEMANTICS, SUPPORTED_LOCALES
digest = hashlib.sha256()
for name, semantic in sorted(SEMANTICS.items()):
    for locale in SUPPORTED_LOCALES:
        size = semantic.domain_size(locale, {})
        indices = (np.arange(64, dtype=np.int64) * 7919 + size // 3) % size
        digest.update("\\n".join(semantic.values(indices, locale, {})).encode())
print(digest.hexdigest())
"""


def _digest_in_subprocess(hash_seed: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", _DIGEST_SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
    ).stdout.strip()


def test_values_are_the_same_in_fresh_processes_with_other_hash_seeds() -> None:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(_DIGEST_SCRIPT, {})
    here = output.getvalue().strip()
    assert len(here) == len(hashlib.sha256().hexdigest())
    assert _digest_in_subprocess("1") == here == _digest_in_subprocess("4242")
