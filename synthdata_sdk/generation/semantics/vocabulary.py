"""Short coded values a record carries: currency codes and record states."""

from __future__ import annotations

from typing import ClassVar

from synthdata_sdk.generation.semantics.people import NOT_IDENTIFYING
from synthdata_sdk.generation.semantics.pools import Pool, PoolSemantic

#: ISO 4217 codes of widely traded currencies
CURRENCY_CODES = Pool.of(
    ("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN", "NZD")
)
#: the states a record commonly moves through
STATUSES = Pool.of(("active", "pending", "inactive", "suspended", "closed"))


class CurrencyCode(PoolSemantic):
    """An ISO 4217 currency code (``USD``, ``EUR``...)."""

    name: ClassVar[str] = "currency_code"
    description: ClassVar[str] = "An ISO 4217 currency code of a widely traded currency."
    safe_rule: ClassVar[str] = NOT_IDENTIFYING

    def pool(self, locale: str) -> Pool:
        return CURRENCY_CODES


class Status(PoolSemantic):
    """A record's state: ``active``, ``pending``, ``inactive``, ``suspended`` or ``closed``."""

    name: ClassVar[str] = "status"
    description: ClassVar[str] = "A record state: active, pending, inactive, suspended, closed."
    safe_rule: ClassVar[str] = NOT_IDENTIFYING

    def pool(self, locale: str) -> Pool:
        return STATUSES
