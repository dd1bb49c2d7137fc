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
    """A dataset is not in any cache and this run may not generate it.

    ``fingerprint`` and ``source`` name the dataset; the message says how to record it.
    """

    def __init__(self, fingerprint: str, source: str, message: str = "") -> None:
        self.fingerprint = fingerprint
        self.source = source
        super().__init__(message or f"dataset {fingerprint} ({source}) is not cached")


class CacheError(SynthDataError):
    """A cache store cannot be read or written."""


class CorruptCacheError(CacheError):
    """A cache entry fails verification: missing file, wrong size or sha256, bad manifest.

    ``fingerprint`` names the entry and ``reason`` says what did not match.
    """

    def __init__(self, fingerprint: str, reason: str) -> None:
        self.fingerprint = fingerprint
        self.reason = reason
        super().__init__(f"cache entry {fingerprint[:12]} is corrupt: {reason}")


class ComplianceError(SynthDataError):
    """synthdata's own output broke a compliance profile it was asked for: a bug, never data.

    ``report`` is the ``ComplianceReport`` that found it (masked values only).
    """

    def __init__(self, message: str, report: object) -> None:
        self.report = report
        super().__init__(message)


class SynthDataWarning(UserWarning):
    """Base class of the warnings synthdata gives: something was read less strictly than asked."""


class UnknownKeywordWarning(SynthDataWarning):
    """A schema holds keywords synthdata does not know; they were read as annotations.

    ``keywords`` lists them as ``(pointer, keyword)`` pairs, in the schema as written.
    """

    def __init__(self, message: str, keywords: tuple[tuple[str, str], ...] = ()) -> None:
        self.keywords = keywords
        super().__init__(message)
