"""Report JSON text: canonical, readable one item per line, and equal to json's data."""

from __future__ import annotations

import json

import pytest
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


@settings(max_examples=100, deadline=None)
@given(_JSON, st.integers(min_value=0, max_value=4))
def test_writing_in_pieces_gives_the_same_text(value: object, levels: int) -> None:
    pieces: list[str] = []
    jsontext.dump(value, pieces.append, levels)
    assert "".join(pieces) == jsontext.dumps(value, levels)


def test_reports_written_to_a_file_match_the_rendered_text() -> None:
    import io
    from pathlib import Path

    from zerotrust_audit.api import scan
    from zerotrust_audit.report import json_report, sarif

    report = scan([Path(__file__).resolve().parent.parent / "policies" / "acme"])
    for module in (json_report, sarif):
        handle = io.StringIO()
        module.write(report, handle)
        assert handle.getvalue() == module.render(report)


def test_items_encoded_by_several_processes_read_as_a_plain_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsontext, "PARALLEL_MIN_ITEMS", 1_000)
    monkeypatch.setattr(jsontext, "BLOCK_ITEMS", 2_000)   # several blocks of several chunks
    items = [{"rule": f"R-{i % 7}", "n": i, "text": "é\u2028\"<>"} for i in range(5_123)]
    plain = jsontext.dumps({"findings": [dict(i, extra=True) for i in items], "empty": []}, levels=2)
    for jobs in (1, 2, 3):
        each = jsontext.dumps({"findings": jsontext.Each(items, lambda i: dict(i, extra=True), jobs), "empty": jsontext.Each([])}, levels=2)
        assert each == plain
