"""Record assembly: the compiled record builder agrees with ``dict(zip(...))`` for any names."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from synthdata_sdk.generation.nodes.containers import assemble

names_strategy = st.lists(st.text(), unique=True, max_size=12)
cell = st.none() | st.integers() | st.text(max_size=5) | st.lists(st.integers(), max_size=2)


@given(names=names_strategy, data=st.data())
def test_records_equal_dict_of_zip_in_key_order(names: list[str], data: Any) -> None:
    rows = data.draw(st.integers(min_value=0, max_value=6))
    columns = [data.draw(st.lists(cell, min_size=rows, max_size=rows)) for _ in names]

    records = assemble(names, columns, rows)

    expected = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
    if not names:
        expected = [{} for _ in range(rows)]
    assert records == expected
    assert [list(record) for record in records] == [names] * rows


def test_hostile_and_many_names_are_plain_keys() -> None:
    names = ["a'b", 'q"uote', "back\\slash", "new\nline", "\ud800", "}]) or exec('1')", "v0"]
    names += [f"field_{i}" for i in range(1000)]
    columns = [[i, -i] for i in range(len(names))]

    first, second = assemble(names, columns, 2)

    assert list(first) == names
    assert first["}]) or exec('1')"] == names.index("}]) or exec('1')")
    assert second["v0"] == -names.index("v0")
