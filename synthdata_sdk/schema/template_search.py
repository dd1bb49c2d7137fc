"""Search the template library: BM25 over each template's and bundle's catalogue entry.

A template's document is its name, tags, domain, description and field names; a bundle's
is its name, tags, domain, description and the names of its tables and their templates.
A query usually names the thing it wants, so tags count twice and a whole name is one more
term, ``=order_item``, counted three times, that a query holds when it spells the name:
"order items" prefers ``order_item`` and "orders" prefers ``order``.
Reads the library's JSON only: nothing of the generation engine is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from synthdata_sdk.schema.bm25 import BM25, tokens
from synthdata_sdk.schema.templates import (
    bundle_info,
    list_bundles,
    list_templates,
    template_info,
)

__all__ = ["KINDS", "Kind", "SearchHit", "query_terms", "search"]

Kind = Literal["template", "bundle"]
KINDS: tuple[Kind, ...] = ("template", "bundle")
#: how many times a whole name and a tag count against one word of the description
NAME_WEIGHT = 3
TAG_WEIGHT = 2
#: the longest run of query words compared with a whole name (``payment_card``: 2)
NAME_WORDS = 3


@dataclass(frozen=True)
class SearchHit:
    """One ranked result: a template or bundle, its BM25 score and its description."""

    name: str
    kind: Kind
    score: float
    description: str


@dataclass(frozen=True)
class _Entry:
    name: str
    kind: Kind
    description: str
    terms: tuple[str, ...]


def _name_term(words: list[str]) -> str:
    return "=" + "_".join(words)


def _table_term(name_term: str) -> str:
    """A bundle's table name as a term of its own: a template's name stays its own term."""
    return "~" + name_term[1:]


def query_terms(query: str, names: frozenset[str] = frozenset()) -> list[str]:
    """The BM25 terms of ``query``: its words, then the names (``names``, as name terms) it
    spells, longest first from the left: "payment card" is ``=payment_card``, not ``=payment``.
    Each name found also matches a bundle's table of that name (``~payment_card``).
    """
    words = tokens(query)
    found, start = [], 0
    while start < len(words):
        for size in range(min(NAME_WORDS, len(words) - start), 0, -1):
            term = _name_term(words[start : start + size])
            if term in names:
                found += [term, _table_term(term)]
                start += size
                break
        else:
            start += 1
    return [*words, *found]


def _name_terms(name: str) -> list[str]:
    return [*tokens(name), *[_name_term(tokens(name))] * NAME_WEIGHT]


def _template_entry(name: str) -> _Entry:
    info = template_info(name)
    leaves = " ".join(path.replace("[]", "").rsplit(".", 1)[-1] for path in info.fields)
    terms = [
        *_name_terms(name),
        *tokens(" ".join(info.tags)) * TAG_WEIGHT,
        *tokens(info.domain),
        *tokens(info.description),
        *tokens(leaves),
    ]
    return _Entry(name, "template", info.description, tuple(terms))


def _bundle_entry(name: str) -> _Entry:
    info = bundle_info(name)
    tables = " ".join(f"{table} {template}" for table, template in info.tables)
    # a query naming two of its tables ("patients with diagnoses") names the bundle
    table_names = [_table_term(_name_term(tokens(table))) for table, _ in info.tables]
    terms = [
        *table_names,
        *_name_terms(name),
        *tokens(" ".join(info.tags)) * TAG_WEIGHT,
        *tokens(info.domain),
        *tokens(info.description),
        *tokens(tables),
    ]
    return _Entry(name, "bundle", info.description, tuple(terms))


@cache
def _index() -> tuple[tuple[_Entry, ...], BM25, frozenset[str]]:
    entries = (
        *(_template_entry(name) for name in list_templates()),
        *(_bundle_entry(name) for name in list_bundles()),
    )
    names = frozenset(
        term.replace("~", "=", 1) for entry in entries for term in entry.terms if term[0] in "=~"
    )
    return entries, BM25.build(entry.terms for entry in entries), names


def search(
    query: str, *, kinds: tuple[Kind, ...] = KINDS, limit: int | None = None
) -> list[SearchHit]:
    """Templates and bundles matching ``query``, best first (ties by name); score 0 left out.

    ``kinds`` keeps only templates, or only bundles; ``limit`` caps the number of hits.
    """
    entries, index, names = _index()
    scores = index.scores(query_terms(query, names))
    hits = [
        SearchHit(entry.name, entry.kind, score, entry.description)
        for entry, score in zip(entries, scores, strict=True)
        if score > 0 and entry.kind in kinds
    ]
    hits.sort(key=lambda hit: (-hit.score, hit.name, hit.kind))
    return hits if limit is None else hits[:limit]
