"""Error types raised by synthdata. Every message names what was wrong and what was expected."""

from __future__ import annotations


class SynthDataError(Exception):
    """Base class of every error synthdata raises on purpose."""


class SchemaError(SynthDataError):
    """A schema cannot be generated from: unsupported, contradictory or malformed.

    ``pointer`` is the JSON pointer of the offending subschema (``""`` for the root),
    ``keyword`` the JSON Schema keyword involved and ``expected`` what would be accepted.
    """

    def __init__(self, pointer: str, keyword: str, message: str, expected: str = "") -> None:
        self.pointer = pointer
        self.keyword = keyword
        self.expected = expected
        self.detail = message
        location = pointer or "/"
        text = f"schema {location}: {keyword}: {message}"
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)


class RequestError(SynthDataError):
    """A generation request is invalid: rows, seed, locale, profile, format or option."""


class DatasetNotCachedError(SynthDataError):
    """A dataset is not in any cache and this run may not generate it."""
