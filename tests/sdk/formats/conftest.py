"""Shared schema and records for the format writer tests."""

from __future__ import annotations

import copy
from typing import Any

import pytest

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "score": {"type": ["number", "null"]},
        "active": {"type": "boolean"},
        "born": {"type": "string", "format": "date"},
        "status": {"enum": ["new", "done"]},
        "address": {
            "type": ["object", "null"],
            "properties": {
                "city": {"type": "string"},
                "geo": {
                    "type": "object",
                    "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}},
                },
            },
        },
        "tags": {"type": "array", "items": {"type": "string"}},
        "choice": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "extra": {},
    },
    "required": ["id", "name", "active"],
}

RECORDS: list[dict[str, Any]] = [
    {
        "id": 1,
        "name": 'O\'Brien "Bob"',
        "score": None,
        "active": True,
        "born": "1990-01-02",
        "status": "new",
        "address": None,
        "tags": [],
        "choice": "a",
        "extra": None,
    },
    {
        "id": 2,
        "name": "Zoë\nnew line, comma\\back",
        "score": 0.1,
        "active": False,
        "born": "2000-12-31",
        "status": "done",
        "address": {"city": "Münster", "geo": {"lat": 51.96, "lon": 7.62}},
        "tags": ["x", "y,z"],
        "choice": 7,
        "extra": {"k": [1, 2]},
    },
    {
        "id": 3,
        "name": "",
        "score": -1e300,
        "active": True,
        "born": "2024-02-29",
        "status": "new",
        "address": {"city": "日本", "geo": None},
        "tags": ["é"],
        "choice": "7",
        "extra": "text",
    },
]


@pytest.fixture
def schema() -> dict[str, Any]:
    return copy.deepcopy(SCHEMA)


@pytest.fixture
def records() -> list[dict[str, Any]]:
    return copy.deepcopy(RECORDS)
