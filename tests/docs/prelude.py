"""Names the doc examples use without defining them: stand-ins for the reader's own code.

Examples call the reader's application (``signup``, ``validate``) or continue from data the
page describes in prose (``chunks``, ``schema`` and ``records`` on the formats page). Python
blocks run with these names defined, and pytest examples import them, so that the examples
stay as short as a reader wants them while every line of them still runs.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

__all__ = ["signup", "validate"]


def signup(email: str, *details: Any) -> SimpleNamespace:
    """The reader's sign-up function: ``.ok`` when the address has an ``@``."""
    return SimpleNamespace(ok="@" in email and all(isinstance(d, str) for d in details))


def validate(record: dict[str, Any]) -> bool:
    """The reader's validation: a record needs an e-mail address with an ``@``."""
    return "@" in str(record.get("email", ""))


def _formats_page() -> dict[str, Any]:
    from synthdata_sdk import SynthDataClient

    dataset = SynthDataClient().generate("customer", rows=100, seed=1)
    return {"schema": dataset.schema, "records": dataset.records, "chunks": list(dataset.batches())}


#: names one page's examples continue from, by page path relative to the repository root
PAGE_NAMES: dict[str, Callable[[], dict[str, Any]]] = {
    "docs/formats.md": _formats_page,
}

#: what a pytest example's module starts with
PYTEST_PRELUDE = "import pytest\nfrom tests.docs.prelude import *  # noqa: F403\n"


def namespace_for(page: str) -> dict[str, Any]:
    """The globals a page's Python blocks start with."""
    names: dict[str, Any] = {"__name__": "__docs__", "signup": signup, "validate": validate}
    if page in PAGE_NAMES:
        names.update(PAGE_NAMES[page]())
    return names
