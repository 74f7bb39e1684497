"""Report JSON text: canonical, readable one item per line, and equal to json's data."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from zerotrust_audit.report import jsontext

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_JSON, st.integers(min_value=0, max_value=4))
def test_same_data_as_json_at_any_depth(value: object, levels: int) -> None:
    text = jsontext.dumps(value, levels)
    assert json.loads(text) == value
    assert text == jsontext.dumps(json.loads(text), levels)


def test_outer_levels_indented_and_items_one_per_line() -> None:
    text = jsontext.dumps({"b": [{"z": 1, "a": "é\u2028<"}, {"x": []}], "a": {}}, levels=2)
    assert text == '{\n  "a": {},\n  "b": [\n    {"a": "é\u2028<", "z": 1},\n    {"x": []}\n  ]\n}\n'
