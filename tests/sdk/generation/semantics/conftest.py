"""Shared sampling for the semantic tests: every semantic x locale x option set."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import pytest

from synthdata_sdk.generation.semantics import SEMANTICS, SUPPORTED_LOCALES

#: the option sets worth testing apart (only these two semantics take options)
OPTION_SETS: dict[str, list[dict[str, Any]]] = {
    "credit_card": [{}, {"luhn": True}],
    "iban": [{}, {"checksum": True}],
}
#: (semantic, options) pairs, each tested in every locale
CASES = [(name, options) for name in SEMANTICS for options in OPTION_SETS.get(name, [{}])]
CASE_IDS = [f"{name}-{'-'.join(options) or 'default'}" for name, options in CASES]
#: indices per sample: the whole domain when it is this small
SAMPLE_SIZE = 20_000

Sample = tuple[np.ndarray, list[str]]


def sample_indices(size: int, seed: int = 0) -> np.ndarray:
    """Every index of a small domain; else both ends plus distinct random indices, shuffled."""
    if size <= SAMPLE_SIZE:
        return np.arange(size, dtype=np.int64)
    rng = np.random.default_rng(seed)
    drawn = np.unique(np.concatenate([[0, size - 1], rng.integers(0, size, SAMPLE_SIZE)]))
    return rng.permutation(drawn).astype(np.int64)


@cache
def _sample(name: str, locale: str, option_key: tuple[tuple[str, Any], ...]) -> Sample:
    semantic, options = SEMANTICS[name], dict(option_key)
    indices = sample_indices(semantic.domain_size(locale, options))
    return indices, semantic.values(indices, locale, options)


@pytest.fixture(scope="session")
def sample() -> Callable[..., Sample]:
    """``sample(name, locale, options)``: sampled indices and their values, computed once."""

    def get(name: str, locale: str, options: dict[str, Any] | None = None) -> Sample:
        return _sample(name, locale, tuple(sorted((options or {}).items())))

    return get


@pytest.fixture(params=SUPPORTED_LOCALES)
def locale(request: pytest.FixtureRequest) -> str:
    """Each supported locale."""
    return str(request.param)


@pytest.fixture(params=CASES, ids=CASE_IDS)
def case(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    """Each semantic with each option set worth testing apart."""
    name, options = request.param
    return name, dict(options)
