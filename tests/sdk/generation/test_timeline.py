"""A record's timeline: the dates of one object whose names carry a lifecycle word keep their
order (start, in between, end) in every row, whatever the chunking, and the ``span`` rule of
the quality report checks it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthdata_sdk.generation.engine import chunk_count, generate_chunk
from synthdata_sdk.generation.nodes.base import Context
from synthdata_sdk.generation.planner import plan_records
from synthdata_sdk.generation.semantics.records import (
    END_WORDS,
    MIDDLE_WORDS,
    START_WORDS,
    timeline_rank,
)
from synthdata_sdk.quality.coherence import measure_coherence
from synthdata_sdk.schema.inference import name_words
from synthdata_sdk.schema.templates import list_templates, load_template
from tests.sdk.generation.test_coherence import records

#: the template fields a person expects in this order (start first), by template
TIMELINES = {
    "encounter": ["admitted_at", "discharged_at"],
    "subscription": ["started_at", "current_period_end"],
    "user_account": ["created_at", "last_login_at"],
}


def schema_of(names: list[str], fmt: str = "date-time") -> dict[str, Any]:
    """An object of required ``fmt`` strings named ``names``."""
    return {
        "type": "object",
        "properties": {name: {"type": "string", "format": fmt} for name in names},
        "required": names,
    }


def ordered(row: dict[str, Any], names: list[str]) -> bool:
    """The row's non-null values of ``names`` (in rank order, one name a rank) are sorted."""
    values = [row[name] for name in names if row.get(name) is not None]
    return values == sorted(values)


@pytest.mark.parametrize(
    ("name", "rank"),
    [
        ("started_at", 0),
        ("createdAt", 0),
        ("valid_from", 0),
        ("signed_up_at", 0),
        ("first_seen", 0),
        ("hire_date", 0),
        ("admitted_at", 0),
        ("updated_at", 1),
        ("last_login_at", 1),
        ("lastSeen", 1),
        ("current_period_start", 1),  # a middle word wins over a start word
        ("current_period_end", 2),  # an end word wins over a middle word
        ("discharged_at", 2),
        ("valid_to", 2),
        ("trialEndsAt", 2),
        ("expires_on", 2),
        ("canceled_at", 2),
        ("resolved_at", 2),
        # no lifecycle word, or one that misleads: no place in the timeline
        ("date_of_birth", None),
        ("due_date", None),
        ("next_billing_date", None),
        ("occurred_at", None),
        ("weekend_date", None),  # ``end`` inside a word is not the word
        ("recorded_at", None),
    ],
)
def test_a_names_lifecycle_word_gives_its_rank(name: str, rank: int | None) -> None:
    assert timeline_rank(name_words(name)) == rank


@pytest.mark.parametrize("name", ["to_address", "from_email", "last_name", "end_user_id"])
def test_names_that_are_not_dates_stay_out_of_the_timeline(name: str) -> None:
    schema = {
        "type": "object",
        "properties": {
            name: {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "closed_at": {"type": "string", "format": "date-time"},
        },
        "required": [name, "created_at", "closed_at"],
    }
    plan = plan_records(schema, rows=10)
    timelines = [kind for _, kind in plan_groups(plan) if kind.startswith("timeline")]
    assert timelines == ["timeline:date-time"]
    rows = records(schema, 200)
    assert all(r["created_at"] <= r["closed_at"] for r in rows)


def plan_groups(plan: Any) -> list[tuple[str, str]]:
    """The (object, kind) of each coherent group the plan's nodes read."""
    seen: list[tuple[str, str]] = []
    for node in walk(plan.root):
        group = getattr(node, "group", None)
        if group is not None and (group.pointer, group.kind) not in seen:
            seen.append((group.pointer, group.kind))
    return seen


def walk(node: Any) -> list[Any]:
    """``node`` and every node under it."""
    out = [node]
    children = getattr(node, "properties", None) or {}
    for child in children.values() if isinstance(children, dict) else children:
        out += walk(child[1] if isinstance(child, tuple) else child)
    return out


@pytest.mark.parametrize("template", sorted(TIMELINES))
def test_a_templates_dates_keep_their_order_in_every_row(template: str) -> None:
    rows = records(load_template(template), 2000, seed=1)
    names = TIMELINES[template]
    assert all(ordered(row, names) for row in rows)
    # both present in most rows, and not always equal: the order is kept, not collapsed
    both = [row for row in rows if all(row.get(name) for name in names)]
    assert len(both) > 1500
    assert sum(row[names[0]] < row[names[1]] for row in both) > 0.95 * len(both)
    result = measure_coherence(rows, load_template(template))
    assert result.rules["span"].checked == len(both)
    assert result.rate == 1.0


@pytest.mark.parametrize("template", list_templates())
def test_every_template_passes_the_span_rule(template: str) -> None:
    schema = load_template(template)
    result = measure_coherence(records(schema, 500, seed=2), schema)
    assert result.rules["span"].failed == 0
    assert (result.rules["span"].checked > 0) == (template in TIMELINES)


def test_three_ranks_keep_their_order_and_one_ranks_members_have_none() -> None:
    names = ["created_at", "opened_at", "updated_at", "last_seen", "closed_at", "expires_at"]
    rows = records(schema_of(names), 2000, seed=4)
    for row in rows:
        starts, middles, ends = names[:2], names[2:4], names[4:]
        assert max(row[n] for n in starts) <= min(row[n] for n in middles)
        assert max(row[n] for n in middles) <= min(row[n] for n in ends)
    # members of one rank draw on their own: each comes first in some rows
    for first, second in (names[:2], names[2:4], names[4:]):
        assert 0.3 < sum(r[first] < r[second] for r in rows) / len(rows) < 0.7


def fraction(value: str) -> float:
    """Where a date-time falls in the default window (2015-01-01..2024-12-31), 0..1."""
    low = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    high = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    at = dt.datetime.fromisoformat(value)
    return (at - low) / (high - low)


def test_starts_lean_early_and_ends_late_without_crowding_the_windows_edges() -> None:
    rows = records(schema_of(["start_at", "end_at"]), 2000, seed=5)
    starts = sorted(fraction(r["start_at"]) for r in rows)
    ends = sorted(fraction(r["end_at"]) for r in rows)
    # documented shape (docs/quality.md): medians near 19% and 81% of the window
    assert 0.12 < starts[1000] < 0.27
    assert 0.73 < ends[1000] < 0.88
    assert starts[-1] > 0.8 and ends[0] < 0.2


def test_a_timeline_of_dates_and_one_of_date_times_are_apart() -> None:
    schema = {
        "type": "object",
        "properties": {
            "start_date": {"type": "string", "format": "date"},
            "end_date": {"type": "string", "format": "date"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
        "required": ["start_date", "end_date", "created_at", "updated_at"],
    }
    rows = records(schema, 1000)
    assert all(r["start_date"] <= r["end_date"] for r in rows)
    assert all(r["created_at"] <= r["updated_at"] for r in rows)
    # no order across formats: the date's end comes before the date-time's start in some rows
    assert any(r["end_date"] < r["created_at"][:10] for r in rows)
    assert measure_coherence(rows).rules["span"].checked == 2 * len(rows)


def test_a_rows_timeline_is_the_same_drawn_alone_or_across_chunks() -> None:
    names = ["created_at", "updated_at", "closed_at"]
    schema = schema_of(names)
    rows = 25_001  # three chunks (of 10,000 rows), the last one part full
    assert chunk_count(rows) == 3
    everything = records(schema, rows, seed=9)
    plan = plan_records(schema, rows=rows)
    last = generate_chunk(plan, seed=9, locale="en_US", rows=rows, chunk=2)
    assert last == everything[20_000:]
    # rows 7 and 25,000 drawn alone, in another chunk: a timeline depends on its row only
    alone = Context(seed=9, chunk=0, locale="en_US", row_start=0, rows=(7, 25_000))
    drawn = plan.root.generate(alone, 2)
    assert [{n: r[n] for n in names} for r in drawn] == [everything[7], everything[25_000]]


def test_the_span_rule_fails_a_disordered_record_and_skips_nulls() -> None:
    good = {"created_at": "2020-01-01T00:00:00Z", "updated_at": "2021-01-01T00:00:00Z"}
    rows = [
        good,
        {**good, "closed_at": "2020-06-01T00:00:00Z"},  # closed before it was last updated
        {**good, "closed_at": None},  # not closed: nothing to break
        {"started_at": "2020-01-01", "current_period_end": "2019-12-31"},
        {"current_period_start": "2021-01-01", "started_at": "2021-01-02"},
        {"trial_ends_at": "2020-01-01", "current_period_end": "2024-01-01"},  # one rank
        {"created_at": "2020-01-01T00:00:00Z", "updated_on": "2019-01-01"},  # two formats
    ]
    result = measure_coherence(rows)
    assert (result.rules["span"].checked, result.rules["span"].failed) == (5, 3)
    assert result.coherent_rows == 4


@settings(max_examples=25, deadline=None, database=None)
@given(
    st.lists(
        st.sampled_from(sorted(START_WORDS | MIDDLE_WORDS | END_WORDS)),
        min_size=1,
        max_size=5,
        unique=True,
    ),
    st.sampled_from(["date", "date-time"]),
    st.integers(0, 1000),
)
def test_any_lifecycle_names_give_ordered_rows(words: list[str], fmt: str, seed: int) -> None:
    names = [f"{word}_value" for word in words]
    rows = records(schema_of(names, fmt), 50, seed=seed)
    ranks = {name: timeline_rank(name_words(name)) for name in names}
    for row in rows:
        for low in names:
            for high in names:
                if ranks[low] < ranks[high]:  # type: ignore[operator]
                    assert row[low] <= row[high]


def test_a_timeline_is_part_of_the_data_version() -> None:
    # the same columns drawn apart and as a timeline give different bytes, so a cached
    # dataset of the one must not be served for the other
    from synthdata_sdk.generation.version import data_version

    apart = plan_records(schema_of(["opening", "closing"]), rows=10)
    timeline = plan_records(schema_of(["opened_at", "closed_at"]), rows=10)
    assert (apart.uses_timeline, timeline.uses_timeline) == (False, True)
    assert data_version(apart, "en_US") != data_version(timeline, "en_US")
