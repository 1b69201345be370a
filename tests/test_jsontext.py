"""graph.jsontext writes the text json.dumps writes with indent and sorted keys."""

import json

import pytest
from hypothesis import given, settings, strategies as st

from graph.jsontext import indented

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(_JSON, st.sampled_from([1, 2, 4]))
def test_a_document_is_indented_as_json_indents_it(document, indent):
    expected = json.dumps(document, ensure_ascii=False, indent=indent, sort_keys=True)
    assert indented(document, indent) == expected
    nested = json.dumps({"a": {"b": document}}, ensure_ascii=False, indent=indent, sort_keys=True)
    assert f'"b": {indented(document, indent, depth=2)}' in nested


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(st.text(), _SCALARS, max_size=6), max_size=5))
def test_flat_objects_in_a_list_are_indented_as_json_indents_them(records):
    # the shape of node-link JSON: a list of objects whose values are scalars
    document = {"nodes": records, "directed": True}
    assert indented(document, 1) == json.dumps(
        document, ensure_ascii=False, indent=1, sort_keys=True
    )


@pytest.mark.parametrize(
    "document",
    [
        {1: "a key that is not a string"},
        {"a": 1, "b": {3: "x", 2: "y"}, "c": {True: 1, False: 2}},
        {"value": 1.5e300, "tiny": 5e-324, "big": 10**30},
        {"é": 'ünïcode \u2028 \x00 "quoted" \\'},
        [True, False, None, [], {}],
    ],
)
def test_keys_and_values_json_converts_or_escapes(document):
    assert indented(document) == json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)


def test_a_value_json_cannot_write_raises_what_json_raises():
    with pytest.raises(TypeError, match="not JSON serializable"):
        indented({"a": object()})
