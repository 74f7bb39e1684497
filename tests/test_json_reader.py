"""The JSON fast path gives exactly what the YAML reader gives, or steps aside."""

from __future__ import annotations

import json
import pickle
import random
from pathlib import Path
from typing import Any

import pytest
from benchgen import generator
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import zerotrust_audit.load as load_module
from zerotrust_audit.load import Limits, load_paths
from zerotrust_audit.load.document import Document
from zerotrust_audit.load.json_reader import JsonPositionMap, read_json_text
from zerotrust_audit.load.positions import JsonPath
from zerotrust_audit.load.yaml_reader import read_text

LIMITS = Limits()


def paths_of(data: Any, prefix: JsonPath = ()) -> list[JsonPath]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += paths_of(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += paths_of(value, (*prefix, index))
    return out


def assert_same_document(fast: Document, slow: Document) -> None:
    assert repr(fast.data) == repr(slow.data)   # repr: 1, 1.0 and True differ
    assert (fast.path, fast.index) == (slow.path, slow.index)
    assert fast.positions.root == slow.positions.root
    for path in paths_of(slow.data):
        assert fast.positions.value(path) == slow.positions.value(path), path
        assert fast.positions.key(path) == slow.positions.key(path), path
        assert fast.positions.exists(path)
        for missing in ((*path, "no such key"), (*path, 10**6), (*path, "x", 0)):
            assert fast.positions.value(missing) == slow.positions.value(missing), missing
            assert fast.positions.exists(missing) == slow.positions.exists(missing), missing


def assert_reads_alike(text: str) -> bool:
    """True when the fast path answered (and agreed with the YAML reader)."""
    fast = read_json_text(text, "in.json", LIMITS)
    if fast is None:
        return False
    documents, problems = read_text(text, "in.json", LIMITS)
    assert fast[1] == problems == []
    assert len(fast[0]) == len(documents) == 1
    assert_same_document(fast[0][0], documents[0])
    return True


# ---------------------------------------------------------------------------
# Random JSON texts: the data, and how it is spelled (escapes, numbers, blanks)
# ---------------------------------------------------------------------------


class Number(str):
    """A number token written as it is (``-0``, ``1E+3``, ``0.50``)."""


NUMBERS = st.from_regex(r"-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,12})?([eE][-+]?[0-9]{1,3})?", fullmatch=True).map(Number)
SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12) | st.sampled_from(["", "é😀", "\u2028\x85\x7f\ufeff\uffff", "a\\\"/\t\b\f", "#x: y", "true", "1"])
    | NUMBERS
)
KEYS = st.text(max_size=8) | st.sampled_from(["<<", "version", "a:b", "\"", "\\", "é😀"])
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=25,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=5)

SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Raw, these are refused by libyaml or read as line breaks (the fast path steps aside).
NOT_YAML = {chr(c) for c in range(0x7F, 0xA0)} | {"\u2028", "\u2029", "\ufffe", "\uffff"}


class Writer:
    """Serialises a value the way any JSON writer might: random escapes and blanks.

    ``hostile`` also writes what YAML reads differently (raw NEL, surrogate
    escapes, tabs around the document, lone CRs, colons on the next line,
    duplicate keys, NaN): the fast path must then step aside.
    """

    def __init__(self, rnd: random.Random, hostile: bool) -> None:
        self.rnd = rnd
        self.hostile = hostile

    def document(self, value: dict[str, Any]) -> str:
        return self.outer() + self.value(value) + self.outer()

    def outer(self) -> str:
        choices = ["", " ", "\n", "\n\n  ", "\r\n", " \n"]
        if self.hostile:
            choices += ["\t", "\n\t", "\r"]
        return self.rnd.choice(choices)

    def blank(self) -> str:
        choices = ["", "", " ", "\n", "\n  ", "\n    ", "\t", "\r\n\t  ", "  \n\n "]
        if self.hostile:
            choices += ["\r", " \r "]
        return self.rnd.choice(choices)

    def before_colon(self) -> str:
        choices = ["", "", " ", "\t "]
        if self.hostile:
            choices += ["\n", "\r\n ", " " * 1100]
        return self.rnd.choice(choices)

    def value(self, value: Any) -> str:
        if isinstance(value, Number):
            return str(value)
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, dict):
            items = list(value.items())
            if self.hostile and items and self.rnd.random() < 0.1:
                items.append(self.rnd.choice(items))
            members = [self.string(k) + self.before_colon() + ":" + self.blank() + self.value(v) for k, v in items]
            return self.container("{", members, "}")
        if isinstance(value, list):
            return self.container("[", [self.value(v) for v in value], "]")
        if self.hostile and isinstance(value, float) and self.rnd.random() < 0.2:
            return self.rnd.choice(["NaN", "Infinity", "-Infinity"])
        return json.dumps(value)

    def container(self, opening: str, members: list[str], closing: str) -> str:
        if not members:
            return opening + self.blank() + closing
        inner = "".join(self.blank() + m + self.blank() + "," for m in members)[:-1]
        return opening + inner + self.blank() + closing

    def string(self, value: str) -> str:
        out = []
        for char in value:
            code = ord(char)
            if char in SHORT_ESCAPES and (char != "/" or self.rnd.random() < 0.5):
                out.append(self.rnd.choice([SHORT_ESCAPES[char], self.unicode_escape(code)]))
            elif code < 0x20 or (char in NOT_YAML and not (self.hostile and self.rnd.random() < 0.3)):
                out.append(self.unicode_escape(code))
            elif code > 0xFFFF and self.hostile and self.rnd.random() < 0.5:
                high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
                out.append(self.unicode_escape(high) + self.unicode_escape(low))
            elif code <= 0xFFFF and self.rnd.random() < 0.1:
                out.append(self.unicode_escape(code))
            else:
                out.append(char)
        return '"' + "".join(out) + '"'

    def unicode_escape(self, code: int) -> str:
        digits = f"{code:04x}"
        return "\\u" + (digits.upper() if self.rnd.random() < 0.5 else digits)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.randoms(use_true_random=False), st.booleans())
def test_same_data_and_positions_as_the_yaml_reader(document: dict[str, Any], rnd: random.Random, hostile: bool) -> None:
    text = Writer(rnd, hostile).document(document)
    answered = assert_reads_alike(text)
    event("fast path" if answered else "fell back")
    if not hostile:
        assert answered, text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.randoms(use_true_random=False), st.booleans())
def test_positions_asked_first_equal_the_yaml_reader_s(document: dict[str, Any], rnd: random.Random, hostile: bool) -> None:
    """Each path asked of a fresh map, so that an entity's field is found by
    searching its text rather than after scanning it."""
    text = Writer(rnd, hostile).document(document)
    if read_json_text(text, "in.json", LIMITS) is None:
        return
    slow = read_text(text, "in.json", LIMITS)[0][0]
    for path in paths_of(slow.data):
        fast = read_json_text(text, "in.json", LIMITS)
        assert fast is not None
        positions = fast[0][0].positions
        assert positions.value(path) == slow.positions.value(path), path
        fast = read_json_text(text, "in.json", LIMITS)
        assert fast is not None and fast[0][0].positions.key(path) == slow.positions.key(path), path


def test_a_field_is_found_in_its_own_entity_whatever_the_text_around_it() -> None:
    text = (
        '{"users": [\n'
        '  {"note": "x\\"name\\": 1, \\"name\\"", "nested": {"other": {"name": 2}}, "name": "a"},\n'
        '  {"note": ", \\"name\\" : 3", "name": "b", "tags": [{"k": "name"}]},\n'
        '  {"n\\u0061me": "c"},\n'
        '  {"name"  :\t"d", "x": {}}\n'
        ']}'
    )
    fast = read_json_text(text, "in.json", LIMITS)
    assert fast is not None
    slow = read_text(text, "in.json", LIMITS)[0][0]
    for index in range(4):
        for field in ("name", "note", "x", "nested", "tags"):
            fresh = read_json_text(text, "in.json", LIMITS)
            assert fresh is not None
            path = ("users", index, field)
            assert fresh[0][0].positions.value(path) == slow.positions.value(path), path
            assert fresh[0][0].positions.key(path) == slow.positions.key(path), path


@pytest.mark.parametrize(
    "text",
    [
        '{"a": [1e3, 1E+3, -0, -0.0, 0.0, 1.0, 1.50, 1.5e-7, 1e400, -1e400, 1e-400, 0e0, 123456789012345678901234567890]}',
        '{"a": "\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\u20AC \\u0000 \\u001f \\u007f \\u0085 \\u2028 \\ufeff \\uffff"}',
        '{"raw": "😀 é \ufeff \U0001fffe"}',
        '{\t"a":\t1\t,\n\t"b": [\t1,\t2\t]\t}',
        '{\n\t"a": {\n\t\t"b": [\n\t\t\t{}\n\t\t]\n\t}\n}\n',
        '{\r\n  "a": {\r\n    "b": 1\r\n  }\r\n}\r\n',
        '{\n"a": {\n"b": [\n1,\n2\n]\n}\n}\n',
        '   \n  {"a": 1}  \n\n',
        '{"a":1,"b":[1,2,{"c":null}],"d":true,"e":"x","f":false}',
        '{"a" : 1, "b"  :  [ ], "c" :{ }}',
        '{"<<": 1, "": 2, "a:b": "c: d", "#": "# x"}',
        '{"' + "k" * 150 + '": 1}',
        '{"' + "\\u00e9" * 150 + '"' + " " * 121 + ': 1}',   # 1023 characters from key to ':'
        '{"version": 1, "note": "' + "x" * 5000 + '"}',
    ],
)
def test_spellings_that_read_alike(text: str) -> None:
    assert assert_reads_alike(text), text


def yaml_disagrees(text: str) -> bool:
    """Whether json and the YAML reader differ on ``text``: an error on either
    side, other data, or a position past the text's last line."""
    try:
        expected = json.loads(text)
    except ValueError:
        return True
    documents, problems = read_text(text, "in.json", LIMITS)
    if problems or len(documents) != 1 or repr(documents[0].data) != repr(expected):
        return True
    lines = text.count("\n") + 1
    return any(documents[0].positions.value(path).line > lines for path in paths_of(expected))


DIFFERENT = True    # YAML reads the text differently (or json refuses it)
CAUTIOUS = False    # the same, but the fast path does not check it cheaply


@pytest.mark.parametrize(
    ("text", "yaml_differs", "why"),
    [
        ('{"a": "\\ud800"}', DIFFERENT, "libyaml refuses a surrogate escape"),
        ('{"a": "\\ud83d\\ude00"}', DIFFERENT, "libyaml does not pair surrogate escapes"),
        ('{"a": "x\x7fy"}', DIFFERENT, "a raw DEL is a control character to libyaml"),
        ('{"a": "x\x85y"}', DIFFERENT, "a raw NEL is a line break, folded into a space"),
        ('{"a": "x\u2028y", "b": 1}', DIFFERENT, "a raw LS is a line break: lines differ"),
        ('{"a": "x\u2029y", "b": 1}', DIFFERENT, "a raw PS is a line break: lines differ"),
        ('{"a": "x\uffffy"}', DIFFERENT, "U+FFFF is not printable to libyaml"),
        ('\t{"a": 1}', DIFFERENT, "a tab cannot start a token outside a flow collection"),
        ('{"a": 1}\n\t\n', DIFFERENT, "a tab cannot start a token outside a flow collection"),
        ('{\r "a": 1\r}\r', DIFFERENT, "a lone CR is a line break"),
        ('{"a"\n: 1}', DIFFERENT, "a simple key's ':' must be on its line"),
        ('{"k"' + " " * 1030 + ": 1}", DIFFERENT, "a simple key's ':' must be within 1024 characters"),
        ('{"' + "k" * 1023 + '": 1}', DIFFERENT, "a simple key's ':' must be within 1024 characters"),
        ('{"' + "k" * 151 + '": 1}', CAUTIOUS, "a key this long is not measured in the text"),
        ('{"a": NaN}', DIFFERENT, "NaN is a string to YAML"),
        ('{"a": -Infinity}', DIFFERENT, "Infinity is a string to YAML"),
        ('{"a": ' + "9" * 5000 + "}", DIFFERENT, "too many digits for int()"),
        ('{"a": 1, "a": 2}', DIFFERENT, "YAML keeps the first of duplicate keys"),
        ('{"a": 1, "b": "x:y", "a": 2}', DIFFERENT, "duplicate, with a ':' in a string"),
        ('{"a": "x"\t}\n\n{"b": 1}', DIFFERENT, "a second document"),
        ("[1, 2]", CAUTIOUS, "the document is not a mapping: the YAML path's problems apply"),
        ('"x"', CAUTIOUS, "the document is not a mapping: the YAML path's problems apply"),
        ('{"a": 1,}', DIFFERENT, "syntax error"),
        ('{"a": 1', DIFFERENT, "syntax error"),
        ('{"a": "tab\there"}', DIFFERENT, "a raw tab inside a string is not JSON"),
        ("\ufeff{}", DIFFERENT, "a second byte-order mark"),
    ],
)
def test_cases_where_the_fast_path_steps_aside(text: str, yaml_differs: bool, why: str) -> None:
    assert read_json_text(text, "in.json", LIMITS) is None, why
    assert yaml_disagrees(text) == yaml_differs, why


@pytest.mark.parametrize(
    ("name", "text", "limits"),
    [
        ("duplicate", '{\n  "version": 1,\n  "users": [\n    {"name": "a", "name": "b"}\n  ]\n}\n', LIMITS),
        ("nan", '{"version": 1, "x": NaN}', LIMITS),
        ("deep", '{"version": 1, "x": ' + "[" * 80 + "]" * 80 + "}", LIMITS),
        ("deep-limit", '{"version": 1, "x": {"y": [1]}}', Limits(max_depth=2)),
        ("long", '{"version": 1, "x": "' + "y" * 100 + '"}', Limits(max_scalar_chars=50)),
        ("long-number", '{"version": 1, "x": 1.' + "5" * 100 + "}", Limits(max_scalar_chars=50)),
        ("nodes", '{"version": 1, "x": [1, 2, 3, 4, 5]}', Limits(max_nodes=5)),
        ("syntax", '{"version": 1, "x": [1, 2}', LIMITS),
        ("top-list", '[{"version": 1}]', LIMITS),
        ("documents", '{"version": 1}', Limits(max_documents=0)),
    ],
)
def test_fallbacks_report_what_the_yaml_reader_reports(tmp_path: Path, name: str, text: str, limits: Limits) -> None:
    assert read_json_text(text, "in.json", limits) is None
    (tmp_path / f"{name}.json").write_text(text)
    loaded = load_paths([tmp_path], limits)
    documents, problems = read_text(text, f"{name}.json", limits)
    assert [str(p) for p in loaded.problems] == [str(p) for p in problems]
    assert [repr(d.data) for d in loaded.documents] == [repr(d.data) for d in documents]


def test_deep_nesting_cannot_overflow_the_stack() -> None:
    text = '{"x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert read_json_text(text, "in.json", Limits(max_depth=10**6)) is None


# ---------------------------------------------------------------------------
# Generated inventories, whole repositories, processes
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    module = generator()
    root = tmp_path_factory.mktemp("generated")
    module.generate(root, 200, fmt="json")
    return root


def test_generated_inventory_reads_alike(generated: Path) -> None:
    files = sorted(generated.rglob("*.json"))
    assert len(files) > 5
    for path in files:
        assert assert_reads_alike(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize(
    "style",
    [
        {"separators": (",", ":")},                      # one long line: columns past many blocks
        {"indent": "\t", "ensure_ascii": False},
        {"indent": 2, "separators": (", ", " : ")},
    ],
)
def test_generated_inventory_in_other_styles_reads_alike(generated: Path, style: dict[str, Any]) -> None:
    data = json.loads((generated / "identity" / "users-001.json").read_text(encoding="utf-8"))
    text = json.dumps(data, **style)
    assert assert_reads_alike(text)
    assert assert_reads_alike(text.replace("\n", "\r\n"))


def test_load_paths_uses_the_fast_path_with_identical_results(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = load_paths([generated])
    assert all(isinstance(d.positions, JsonPositionMap) for d in fast.documents)
    monkeypatch.setattr(load_module, "read_json_text", lambda *args: None)
    slow = load_paths([generated])
    assert fast.files == slow.files and fast.problems == slow.problems and fast.suppressions == slow.suppressions
    assert len(fast.documents) == len(slow.documents)
    for a, b in zip(fast.documents, slow.documents):
        assert_same_document(a, b)


def test_suppression_comments_are_found_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.json").write_text('{"version": 1,\n "note": "# ztaudit: ignore[ZT-DEV-001] in a string"}\n')
    fast = load_paths([tmp_path])
    monkeypatch.setattr(load_module, "read_json_text", lambda *args: None)
    assert fast.suppressions == load_paths([tmp_path]).suppressions != []


def test_documents_survive_the_trip_from_the_reading_process(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sequential = load_paths([generated])
    monkeypatch.setattr(load_module, "PARALLEL_MIN_BYTES", 0)
    parallel = load_paths([generated])
    assert [d.path for d in parallel.documents] == [d.path for d in sequential.documents]
    for a, b in zip(sequential.documents, parallel.documents):
        assert isinstance(b.positions, JsonPositionMap) and b.positions.data is b.data
        assert_same_document(b, a)


def test_pickled_map_forgets_offsets_but_not_positions() -> None:
    text = '{\n  "version": 1,\n  "users": [\n    {"name": "a"},\n    {"name": "b"}\n  ]\n}\n'
    document = read_json_text(text, "in.json", LIMITS)[0][0]   # type: ignore[index]
    before = document.positions.value(("users", 1, "name"))
    copy = pickle.loads(pickle.dumps(document))
    assert copy.positions.data is copy.data
    assert copy.positions.value(("users", 1, "name")) == before == document.positions.value(("users", 1, "name"))
