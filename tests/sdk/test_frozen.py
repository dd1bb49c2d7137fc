"""FrozenDict / FrozenList: read-only records that still behave as dicts and lists."""

from __future__ import annotations

import copy
import gc
import json
import pickle
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthdata_sdk.frozen import (
    READ_ONLY,
    FrozenDict,
    FrozenList,
    freeze,
    loads_frozen,
    may_hold_lists,
    thaw,
)

# How to get a mutable copy: every refusal must say so.
COPY_HINT = r"read-only.*copy_records\(\).*copy\.deepcopy"


def sample_dict() -> FrozenDict:
    return freeze({"a": 1, "b": [1, {"c": 2}], "d": {"e": [3, 4]}})  # type: ignore[no-any-return]


def sample_list() -> FrozenList:
    return freeze([3, 1, {"k": [2]}, [5, 6]])  # type: ignore[no-any-return]


def _ior(d: Any) -> None:
    d |= {"z": 1}


def _iadd(x: Any) -> None:
    x += [9]


def _imul(x: Any) -> None:
    x *= 2


def _del_item(x: Any, key: Any) -> Callable[[], None]:
    def run() -> None:
        del x[key]

    return run


def _set_item(x: Any, key: Any, value: Any) -> Callable[[], None]:
    def run() -> None:
        x[key] = value

    return run


DICT_MUTATIONS: dict[str, Callable[[Any], Any]] = {
    "setitem new": lambda d: _set_item(d, "z", 1)(),
    "setitem existing": lambda d: _set_item(d, "a", 2)(),
    "delitem": lambda d: _del_item(d, "a")(),
    "ior": _ior,
    "clear": lambda d: d.clear(),
    "pop": lambda d: d.pop("a"),
    "pop default": lambda d: d.pop("missing", None),
    "popitem": lambda d: d.popitem(),
    "setdefault": lambda d: d.setdefault("z", 1),
    "setdefault existing": lambda d: d.setdefault("a"),
    "update mapping": lambda d: d.update({"z": 1}),
    "update kwargs": lambda d: d.update(z=1),
    "update empty": lambda d: d.update(),
}

LIST_MUTATIONS: dict[str, Callable[[Any], Any]] = {
    "setitem": lambda x: _set_item(x, 0, 9)(),
    "setitem slice": lambda x: _set_item(x, slice(0, 2), [])(),
    "delitem": lambda x: _del_item(x, 0)(),
    "delitem slice": lambda x: _del_item(x, slice(None))(),
    "iadd": _iadd,
    "imul": _imul,
    "append": lambda x: x.append(9),
    "clear": lambda x: x.clear(),
    "extend": lambda x: x.extend([9]),
    "insert": lambda x: x.insert(0, 9),
    "pop": lambda x: x.pop(),
    "pop index": lambda x: x.pop(0),
    "remove": lambda x: x.remove(3),
    "reverse": lambda x: x.reverse(),
    "sort": lambda x: x.sort(),
    "sort key": lambda x: x.sort(key=str, reverse=True),
}


@pytest.mark.parametrize("mutate", DICT_MUTATIONS.values(), ids=DICT_MUTATIONS.keys())
def test_every_dict_mutation_raises_type_error_saying_how_to_copy(
    mutate: Callable[[Any], Any],
) -> None:
    d = sample_dict()
    before = thaw(d)
    with pytest.raises(TypeError, match=COPY_HINT):
        mutate(d)
    assert d == before
    assert type(d) is FrozenDict


@pytest.mark.parametrize("mutate", LIST_MUTATIONS.values(), ids=LIST_MUTATIONS.keys())
def test_every_list_mutation_raises_type_error_saying_how_to_copy(
    mutate: Callable[[Any], Any],
) -> None:
    x = sample_list()
    before = thaw(x)
    with pytest.raises(TypeError, match=COPY_HINT):
        mutate(x)
    assert x == before
    assert type(x) is FrozenList


def test_nested_containers_refuse_changes_too() -> None:
    d = sample_dict()
    with pytest.raises(TypeError, match=COPY_HINT):
        d["b"].append(1)
    with pytest.raises(TypeError, match=COPY_HINT):
        d["b"][1]["c"] = 3
    with pytest.raises(TypeError, match=COPY_HINT):
        d["d"]["e"].sort()
    assert d == {"a": 1, "b": [1, {"c": 2}], "d": {"e": [3, 4]}}


def test_the_message_is_the_documented_one() -> None:
    with pytest.raises(TypeError) as info:
        FrozenList([1]).append(2)
    assert str(info.value) == READ_ONLY


def test_reading_works_like_dict_and_list() -> None:
    d = sample_dict()
    assert isinstance(d, dict)
    assert d["a"] == 1
    assert d.get("missing", 7) == 7
    assert list(d) == ["a", "b", "d"]
    assert "a" in d
    assert len(d) == 3
    assert d | {"z": 1} == {**thaw(d), "z": 1}  # a new plain dict, the original untouched
    assert "z" not in d

    x = sample_list()
    assert isinstance(x, list)
    assert x[0] == 3
    assert x[-1] == [5, 6]
    assert x[1:2] == [1]
    assert x.index(1) == 1
    assert x.count(3) == 1
    joined = x + [0]  # noqa: RUF005 - list.__add__ is what is tested
    assert joined == [3, 1, {"k": [2]}, [5, 6], 0]
    assert type(joined) is list
    assert len(x) == 4


def test_json_dumps_takes_them_as_they_are() -> None:
    plain = {"a": 1, "b": [1, {"c": 2}], "d": {"e": [3, 4]}}
    assert json.dumps(freeze(plain)) == json.dumps(plain)
    assert json.dumps(freeze(plain), sort_keys=True, indent=2) == json.dumps(
        plain, sort_keys=True, indent=2
    )
    assert json.dumps(sample_list()) == '[3, 1, {"k": [2]}, [5, 6]]'


def _containers(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _containers(item)
    elif isinstance(value, list):
        yield value
        for item in value:
            yield from _containers(item)


def _all_plain(value: Any) -> bool:
    return all(type(c) in (dict, list) for c in _containers(value))


def _all_frozen(value: Any) -> bool:
    return all(type(c) in (FrozenDict, FrozenList) for c in _containers(value))


def test_copy_copy_gives_a_plain_mutable_shallow_copy() -> None:
    d = sample_dict()
    shallow = copy.copy(d)
    assert type(shallow) is dict
    assert shallow == d
    shallow["z"] = 1
    assert "z" not in d
    assert shallow["b"] is d["b"]  # shallow: the nested values are shared (and still frozen)

    x = sample_list()
    shallow_list = copy.copy(x)
    assert type(shallow_list) is list
    assert shallow_list == x
    shallow_list.append(9)
    assert len(x) == 4


@pytest.mark.parametrize("to_mutable", [copy.deepcopy, thaw], ids=["deepcopy", "thaw"])
def test_deepcopy_and_thaw_give_plain_mutable_containers_all_the_way_down(
    to_mutable: Callable[[Any], Any],
) -> None:
    for frozen in (sample_dict(), sample_list()):
        mutable = to_mutable(frozen)
        assert mutable == frozen
        assert _all_plain(mutable)
        assert mutable is not frozen
    d = to_mutable(sample_dict())
    d["b"][1]["c"] = 99
    d["d"]["e"].append(5)
    assert sample_dict() == {"a": 1, "b": [1, {"c": 2}], "d": {"e": [3, 4]}}


def test_deepcopy_of_a_plain_container_holding_frozen_ones() -> None:
    outer = {"records": sample_list()}
    copied = copy.deepcopy(outer)
    assert copied == outer
    assert _all_plain(copied)
    copied["records"][2]["k"].append(1)
    assert outer["records"][2]["k"] == [2]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_round_trip_keeps_them_frozen(protocol: int) -> None:
    for frozen in (sample_dict(), sample_list(), FrozenDict(), FrozenList()):
        back = pickle.loads(pickle.dumps(frozen, protocol=protocol))
        assert back == frozen
        assert type(back) is type(frozen)
        assert _all_frozen(back)
    back_dict = pickle.loads(pickle.dumps(sample_dict(), protocol=protocol))
    with pytest.raises(TypeError, match=COPY_HINT):
        back_dict["z"] = 1
    with pytest.raises(TypeError, match=COPY_HINT):
        back_dict["b"].append(1)


def test_freeze_freezes_nested_values_and_tuples() -> None:
    frozen = freeze({"a": [{"b": (1, [2])}], "c": ({"d": 1},)})
    assert _all_frozen(frozen)
    assert frozen == {"a": [{"b": [1, [2]]}], "c": [{"d": 1}]}
    assert freeze(5) == 5
    assert freeze("text") == "text"
    assert freeze(None) is None


def test_freeze_does_not_copy_what_is_already_frozen() -> None:
    d = sample_dict()
    assert freeze(d) is d
    x = sample_list()
    assert freeze(x) is x


def test_freeze_leaves_the_original_mutable() -> None:
    plain = {"a": [1]}
    frozen = freeze(plain)
    plain["a"].append(2)
    assert frozen == {"a": [1]}
    assert type(plain) is dict


def test_loads_frozen_gives_nested_frozen_containers() -> None:
    text = json.dumps(
        {"a": [{"b": {"c": [1, [2, {"d": []}]]}}, [{"e": {}}]], "f": {"g": [None, True]}}
    )
    value = loads_frozen(text)
    assert _all_frozen(value)
    assert type(value["a"][0]) is FrozenDict  # a dict in a list in a dict
    assert type(value["a"][0]["b"]["c"][1][1]) is FrozenDict
    assert type(value["a"][1][0]["e"]) is FrozenDict
    assert type(value["f"]["g"]) is FrozenList
    assert thaw(value) == json.loads(text)
    with pytest.raises(TypeError, match=COPY_HINT):
        value["a"][0]["b"]["c"][1].append(3)


def test_loads_frozen_top_level_list_and_bytes() -> None:
    value = loads_frozen(b'[{"a": [1]}, [{"b": 2}]]')
    assert type(value) is FrozenList
    assert _all_frozen(value)
    assert value == [{"a": [1]}, [{"b": 2}]]
    assert loads_frozen("3") == 3
    assert loads_frozen('"x"') == "x"
    assert loads_frozen("null") is None
    assert loads_frozen('{"é": "ü"}'.encode()) == {"é": "ü"}


def test_loads_frozen_restores_the_garbage_collector_state() -> None:
    assert gc.isenabled()
    loads_frozen("[1, {}]")
    assert gc.isenabled()
    with pytest.raises(json.JSONDecodeError):
        loads_frozen("[1, ")
    assert gc.isenabled()
    gc.disable()
    try:
        loads_frozen("[1, {}]")
        assert not gc.isenabled()
    finally:
        gc.enable()


JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(deadline=None)
@given(JSON_VALUES)
def test_json_values_survive_loads_frozen_thaw_and_freeze(value: Any) -> None:
    text = json.dumps(value)
    loaded = loads_frozen(text)
    assert _all_frozen(loaded)
    assert loaded == value
    thawed = thaw(loaded)
    assert thawed == value
    assert _all_plain(thawed)
    assert json.dumps(loaded) == text  # key order is kept as well

    frozen = freeze(value)
    assert frozen == value
    assert _all_frozen(frozen)
    assert thaw(frozen) == value
    assert copy.deepcopy(frozen) == value
    assert pickle.loads(pickle.dumps(frozen)) == value


OBJECT = {"type": "object", "additionalProperties": False}


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        (
            {**OBJECT, "properties": {"a": {"type": "string"}, "b": {"type": ["integer", "null"]}}},
            False,
        ),
        (
            {**OBJECT, "properties": {"a": {"enum": [1, "x", None]}, "b": {"const": {"k": 1}}}},
            False,
        ),
        ({**OBJECT, "properties": {"a": {"type": "array", "items": {"type": "string"}}}}, True),
        ({**OBJECT, "properties": {"a": {"type": ["string", "array"]}}}, True),
        ({**OBJECT, "properties": {"a": {}}}, True),  # anything goes
        ({**OBJECT, "properties": {"a": True}}, True),
        ({**OBJECT, "properties": {"a": {"enum": [[1, 2]]}}}, True),
        ({**OBJECT, "properties": {"a": {"const": {"k": [1]}}}}, True),
        ({**OBJECT, "properties": {"a": {"anyOf": [{"type": "string"}, {"type": "array"}]}}}, True),
        ({"type": "object", "properties": {"a": {"type": "string"}}}, True),  # open-ended keys
        (
            {**OBJECT, "properties": {"a": {**OBJECT, "properties": {"b": {"type": "array"}}}}},
            True,
        ),
    ],
)
def test_may_hold_lists_is_conservative(schema: dict[str, Any], expected: bool) -> None:
    assert may_hold_lists(schema) is expected


def test_loads_frozen_without_lists_still_freezes_every_object() -> None:
    records = loads_frozen('[{"a": {"b": 1}, "c": "x"}, {"a": {"b": 2}, "c": "y"}]', lists=False)
    assert type(records) is FrozenList
    assert all(type(r) is FrozenDict and type(r["a"]) is FrozenDict for r in records)
    assert loads_frozen('{"a": 1}', lists=False) == {"a": 1}
