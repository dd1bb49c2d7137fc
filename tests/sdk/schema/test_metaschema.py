"""The metaschema check one subschema at a time finds what jsonschema's full check finds."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from synthdata_sdk.schema.metaschema import metaschema_issues, subschemas

FULL = Draft202012Validator(Draft202012Validator.META_SCHEMA)

#: keyword values, right and wrong, for every kind of keyword (``dependencies`` aside: its
#: nested errors are reported where they occur, not under its anyOf)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.5, -1.5, 1e300]),
    st.sampled_from(["", "a", "string", "integer", "^a+$", "(", "x#y", "#/$defs/a", "1a"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)
KEYWORDS = [
    "type", "enum", "const", "multipleOf", "maximum", "exclusiveMinimum", "minLength",
    "maxItems", "minContains", "pattern", "format", "required", "dependentRequired",
    "uniqueItems", "$id", "$schema", "$anchor", "$ref", "$dynamicRef", "$comment", "title",
    "default", "examples", "deprecated", "readOnly", "contentMediaType", "$vocabulary",
    "$recursiveAnchor", "x-custom", "minimun",
]  # fmt: skip
SUBSCHEMA_KEYWORDS = ["items", "not", "additionalProperties", "if", "contains", "propertyNames"]
LIST_KEYWORDS = ["allOf", "anyOf", "oneOf", "prefixItems"]
DICT_KEYWORDS = ["properties", "$defs", "patternProperties", "dependentSchemas", "definitions"]


def schemas() -> st.SearchStrategy[Any]:
    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.dictionaries(
            st.sampled_from(KEYWORDS + SUBSCHEMA_KEYWORDS + LIST_KEYWORDS + DICT_KEYWORDS),
            st.one_of(
                values,
                inner,
                st.lists(inner, max_size=3),
                st.dictionaries(st.sampled_from(["a", "b", "(", "[a-z]"]), inner, max_size=2),
            ),
            max_size=4,
        )

    leaf = st.one_of(
        st.booleans(),
        st.integers(0, 2),
        st.dictionaries(st.sampled_from(KEYWORDS), values, max_size=3),
    )
    return st.recursive(leaf, extend, max_leaves=12)


def full_issues(schema: Any) -> set[tuple[tuple[Any, ...], str]]:
    return {(tuple(error.absolute_path), error.message) for error in FULL.iter_errors(schema)}


@settings(max_examples=200, deadline=None)
@given(schemas())
def test_issues_match_the_full_metaschema_check(schema: Any) -> None:
    found = {(issue.path, issue.message) for issue in metaschema_issues(schema)}
    assert found == full_issues(schema)


def test_a_deep_error_keeps_its_path_and_message() -> None:
    schema = {"properties": {"a": {"items": {"minLength": -1}}}, "$defs": {"b": {"type": "x"}}}
    found = {(issue.path, issue.message) for issue in metaschema_issues(schema)}
    assert found == full_issues(schema)
    assert (("properties", "a", "items", "minLength"), "-1 is less than the minimum of 0") in found


def test_subschemas_visit_every_subschema_once() -> None:
    schema = {
        "properties": {"a": {"items": {"type": "string"}}},
        "anyOf": [{"not": True}, False],
        "$defs": {"d": {"prefixItems": [{}]}},
        "dependencies": {"a": ["b"], "c": {"type": "integer"}},
        "enum": [{"properties": {"fake": {}}}],
    }
    paths = sorted(map(str, (path for _, path in subschemas(schema))))
    assert paths == sorted(
        map(
            str,
            [
                (),
                ("properties", "a"),
                ("properties", "a", "items"),
                ("anyOf", 0),
                ("anyOf", 0, "not"),
                ("anyOf", 1),
                ("$defs", "d"),
                ("$defs", "d", "prefixItems", 0),
                ("dependencies", "c"),
            ],
        )
    )
