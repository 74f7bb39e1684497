"""The event-driven YAML reader reads every input as libyaml's composer would.

``_reference_read_text`` below reads through the composer: libyaml builds a
node graph, which is then walked into data and positions. It is the oracle:
data (types, values and which containers are shared through aliases),
problems (messages and locations) and the position of every value and key
must be identical for any input, valid or not, under any limits.
"""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path
from sys import intern
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.resolver import BaseResolver

from zerotrust_audit.errors import Location, Problem
from zerotrust_audit.gcpause import gc_paused
from zerotrust_audit.load.limits import Limits
from zerotrust_audit.load.positions import COLUMN_BITS, PositionMap, pack
from zerotrust_audit.load.document import Document, portable_document, restore_document
from zerotrust_audit.load.yaml_reader import read_text

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT.parent / "shared" / "reference" / "samples" / "yaml-test-suite"


# --- the reference: the composer-based reader --------------------------------------------

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP = _TAG + "seq", _TAG + "map"


class _RefResolver(BaseResolver):
    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}


for _tag, _regexp, _first in (
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        _FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    _RefResolver.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))

_REF_BY_FIRST_CHAR = _RefResolver.yaml_implicit_resolvers


class _RefLoader(yaml.cyaml.CParser, _RefResolver):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        yaml.cyaml.CParser.__init__(self, stream)
        _RefResolver.__init__(self)

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                candidates = _REF_BY_FIRST_CHAR.get(value[0] if value else "")
                if candidates:
                    return next((t for t, regexp in candidates if regexp.match(value)), _STR)
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


class _RefBudget(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _reference_read_text(text: str, display_path: str, limits: Limits = Limits()) -> tuple[list[Document], list[Problem]]:
    documents: list[Document] = []
    problems: list[Problem] = []
    loader = _RefLoader(text)
    try:
        with gc_paused():
            while loader.check_node():
                node = loader.get_node()
                if len(documents) >= limits.max_documents:
                    problems.append(Problem(_ref_loc(display_path, node), f"more than {limits.max_documents} documents in one file"))
                    break
                builder = _RefBuilder(display_path, limits)
                try:
                    data = builder.document(node)
                except _RefBudget as exceeded:
                    problems.append(exceeded.problem)
                    continue
                problems.extend(builder.problems)
                documents.append(Document(display_path, len(documents), data, builder.positions))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = Location(display_path, mark.line + 1, mark.column + 1) if mark else Location(display_path, 1, 1)
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        problems.append(Problem(location, f"YAML syntax error: {what}"))
    except yaml.YAMLError as exc:
        problems.append(Problem(Location(display_path, 1, 1), f"YAML error: {exc}"))
    finally:
        loader.dispose()
    return documents, problems


def _ref_pack(node: yaml.Node) -> int:
    return pack(node.start_mark.line + 1, node.start_mark.column + 1)


def _ref_loc(path: str, node: yaml.Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


class _RefBuilder:
    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.positions = PositionMap(path)
        self.problems: list[Problem] = []
        self._built: dict[int, tuple[Any, int]] = {}
        self._expanded = 0
        self._aliases = 0
        self._strings: dict[str, str] = {}

    def document(self, node: yaml.Node) -> Any:
        self.positions.root = _ref_pack(node)
        data = self.build(node, 0)
        self.positions.data = data
        return data

    def build(self, node: yaml.Node, depth: int) -> Any:
        if depth > self.limits.max_depth:
            raise _RefBudget(Problem(_ref_loc(self.path, node), f"nesting deeper than {self.limits.max_depth} levels"))
        if isinstance(node, yaml.ScalarNode):
            self._count(node, 1)
            return self._scalar(node)
        cached = self._built.get(id(node))
        if cached is not None:
            self._aliases += 1
            if self._aliases > self.limits.max_aliases:
                raise _RefBudget(Problem(_ref_loc(self.path, node), f"more than {self.limits.max_aliases} aliases in one document"))
            self._count(node, cached[1])
            return cached[0]
        before = self._expanded
        self._count(node, 1)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self._unsupported_tag(node)
            value: Any = [self.build(item, depth + 1) for item in node.value]
            self.positions.tables[id(value)] = (None, tuple(_ref_pack(item) for item in node.value))
        else:
            if node.tag != _MAP:
                self._unsupported_tag(node)
            value = self._mapping(node, depth)
        self._built[id(node)] = (value, self._expanded - before)
        return value

    def _count(self, node: yaml.Node, size: int) -> None:
        self._expanded += size
        if self._expanded > self.limits.max_nodes:
            raise _RefBudget(Problem(
                _ref_loc(self.path, node),
                f"document expands to more than {self.limits.max_nodes} values through aliases",
            ))

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key_positions: list[int] = []
        value_positions: list[int] = []
        max_chars = self.limits.max_scalar_chars
        strings = self._strings
        plain_values = 0
        for key_node, value_node in node.value:
            if key_node.__class__ is yaml.ScalarNode and key_node.tag == _STR and key_node.value != "<<":
                key = intern(key_node.value)
            else:
                key = self._key(key_node)
                if key is None:
                    continue
            key_mark, value_mark = key_node.start_mark, value_node.start_mark
            if key in result:
                first_line = key_positions[list(result).index(key)] >> COLUMN_BITS
                self.problems.append(Problem(
                    Location(self.path, key_mark.line + 1, key_mark.column + 1),
                    f"duplicate key '{key}' (first defined at line {first_line})",
                ))
                continue
            key_positions.append(((key_mark.line + 1) << COLUMN_BITS) | (key_mark.column + 1))
            value_positions.append(((value_mark.line + 1) << COLUMN_BITS) | (value_mark.column + 1))
            if value_node.__class__ is yaml.ScalarNode and value_node.tag == _STR and len(value_node.value) <= max_chars:
                plain_values += 1
                text = value_node.value
                result[key] = strings.setdefault(text, text) if len(text) <= 24 else text
            else:
                result[key] = self.build(value_node, depth + 1)
        self._expanded += plain_values
        self.positions.tables[id(result)] = (tuple(key_positions), tuple(value_positions))
        return result

    def _key(self, node: yaml.Node) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (_STR, _INT, _FLOAT, _BOOL, _NULL):
            self.problems.append(Problem(_ref_loc(self.path, node), "mapping keys must be plain strings"))
            return None
        if node.tag != _STR:
            self.problems.append(Problem(_ref_loc(self.path, node), f"mapping key {node.value!r} must be a string (quote it)"))
            return None
        if node.value == "<<" and node.style in (None, ""):
            self.problems.append(Problem(_ref_loc(self.path, node), "merge keys ('<<') are not supported: repeat the fields instead"))
            return None
        return str(node.value)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        text: str = node.value
        if len(text) > self.limits.max_scalar_chars:
            raise _RefBudget(Problem(_ref_loc(self.path, node), f"value longer than {self.limits.max_scalar_chars} characters"))
        tag = node.tag
        if tag == _STR:
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            lowered = text.lower()
            if lowered in ("true", "false"):
                return lowered == "true"
            self.invalid(node, f"!!bool value must be true or false, got {text!r}")
            return text
        if tag == _INT:
            try:
                if text.startswith("0o"):
                    return int(text[2:], 8)
                if text.startswith("0x"):
                    return int(text[2:], 16)
                return int(text, 10)
            except ValueError:
                self.invalid(node, f"!!int value is not an integer: {text!r}")
                return text
        if tag == _FLOAT:
            lowered = text.lower().lstrip("+")
            if lowered in (".inf", "-.inf", ".nan"):
                return {".inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}[lowered]
            try:
                return float(text)
            except ValueError:
                self.invalid(node, f"!!float value is not a number: {text!r}")
                return text
        self._unsupported_tag(node)
        return text

    def _unsupported_tag(self, node: yaml.Node) -> None:
        tag = node.tag.replace(_TAG, "!!")
        self.problems.append(Problem(
            _ref_loc(self.path, node),
            f"tag '{tag}' is not allowed: only the standard tags !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are accepted",
        ))

    def invalid(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(_ref_loc(self.path, node), message))


# --- comparison ---------------------------------------------------------------------------

def _shape(value: Any, seen: dict[int, int]) -> Any:
    """A comparable picture of ``value``: types kept (1, 1.0 and True differ), NaN equal
    to NaN, and each container numbered on first sight so shared ones show as shared."""
    if isinstance(value, (dict, list)):
        if id(value) in seen:
            return ("shared", seen[id(value)])
        seen[id(value)] = len(seen)
        if isinstance(value, dict):
            return ("dict", seen[id(value)], [(type(k).__name__, k, _shape(v, seen)) for k, v in value.items()])
        return ("list", seen[id(value)], [_shape(v, seen) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _paths(value: Any, prefix: tuple[Any, ...] = (), out: list[tuple[Any, ...]] | None = None) -> list[tuple[Any, ...]]:
    """Every path into ``value``, through aliases too (up to a bound: aliases multiply them)."""
    out = [] if out is None else out
    out.append(prefix)
    if len(out) < 20_000 and len(prefix) < 80:
        if isinstance(value, dict):
            for key, child in value.items():
                _paths(child, prefix + (key,), out)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                _paths(child, prefix + (index,), out)
    return out


def _picture(document: Document) -> Any:
    positions = document.positions
    portable = portable_document(document)
    every = [(path, positions.value(path), positions.key(path), positions.exists(path)) for path in _paths(document.data)]
    missing = [(("nope",), positions.value(("nope",)), positions.key(("nope",)))]
    return (document.path, document.index, _shape(document.data, {}), positions.root, positions.data is document.data,
            portable[3], portable[4], every, missing)


def assert_same(text: str, limits: Limits = Limits()) -> tuple[list[Document], list[Problem]]:
    expected_documents, expected_problems = _reference_read_text(text, "t.yaml", limits)
    documents, problems = read_text(text, "t.yaml", limits)
    assert problems == expected_problems
    assert [_picture(d) for d in documents] == [_picture(d) for d in expected_documents]
    for document in documents:
        restored = restore_document(portable_document(document))
        assert _picture(restored) == _picture(document)
    return documents, problems


# --- generated YAML -----------------------------------------------------------------------

PLAIN = [
    "a", "b", "name", "x y", "0o17", "0o8", "1e3", "3.14e-2", "1.", ".5", "-.5", "+12", "-7", "010", "0x1F", "0xZZ", "1_000", "1:30",
    ".inf", "-.Inf", "+.INF", ".NaN", "~", "null", "Null", "NULL", "nULL", "True", "true", "FALSE", "tRUE", "yes", "NO", "on", "off",
    "2026-11-01", "<<", "12abc", "0", "-0", "+.5e+3", "n", "N", "t", "f", "0b101", "é", "-x",
]
KEY_WORDS = ["a", "b", "c", "<<", "1", "true", "null", "~", "name", "1.5", "x y"]
TAGS = ["!!str", "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq", "!", "!foo", "!!binary", "!<tag:yaml.org,2002:str>",
        "!!python/name:os.system", "!<tag:yaml.org,2002:int>"]
TEXT = st.text(st.characters(min_codepoint=9, max_codepoint=0xFFFF, blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n"), max_size=6)
NOISE = [":", "-", "{", "}", "[", "]", ",", "&a1", "*a1", "!!", "#", "'", '"', "\n", "  ", "\t", "%", "|", ">", "?", "---", "...", "~"]


class _Writer:
    """Renders random YAML text, flow and block, with anchors, aliases and tags."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.random = random.Random(draw(st.integers(0, 2**32)))
        self.anchors: list[str] = []
        self.count = 0

    def chance(self, percent: float) -> bool:
        return self.random.random() * 100 < percent

    def properties(self, kind: str) -> str:
        out = []
        if self.chance(15):
            if self.anchors and self.chance(0.5):
                name = self.draw(st.sampled_from(self.anchors))   # redefined: the composer refuses it
            else:
                self.count += 1
                name = f"a{self.count}"
            self.anchors.append(name)
            out.append("&" + name)
        if self.chance(12):
            out.append(self.draw(st.sampled_from(TAGS)))
        elif kind != "scalar" and self.chance(3):
            out.append("!!" + kind)
        if len(out) == 2 and self.chance(50):
            out.reverse()
        return " ".join(out)

    def alias(self) -> str | None:
        if self.anchors and self.chance(12):
            return "*" + self.draw(st.sampled_from(self.anchors))
        if self.chance(0.1):
            return "*undefined"
        return None

    def scalar(self, key: bool = False) -> str:
        choice = self.draw(st.integers(0, 9))
        word = self.draw(st.sampled_from(KEY_WORDS if key and self.chance(70) else PLAIN))
        if choice < 6:
            return word
        if choice < 8:
            return json.dumps(word if self.chance(70) else self.draw(TEXT), ensure_ascii=self.chance(50))
        return "'" + word.replace("'", "''") + "'"

    def flow(self, depth: int, key: bool = False) -> str:
        alias = self.alias()
        if alias is not None:
            return alias + " "   # an alias followed by ':' needs the space
        kind = self.draw(st.sampled_from(["scalar", "scalar", "scalar", "map", "seq"])) if depth < 5 else "scalar"
        if key and self.chance(80):
            kind = "scalar"
        props = self.properties("str" if kind == "scalar" else kind)
        prefix = props + " " if props else ""
        if kind == "scalar":
            return prefix + self.scalar(key)
        if kind == "seq":
            items = [self.flow(depth + 1) for _ in range(self.draw(st.integers(0, 4)))]
            return prefix + "[" + ", ".join(items) + "]"
        entries = []
        for _ in range(self.draw(st.integers(0, 4))):
            k = self.flow(depth + 1, key=True)
            if self.chance(5):
                entries.append(k)   # a key with no value
                continue
            entry = f"{k}: {self.flow(depth + 1)}"
            entries.append("? " + entry if self.chance(8) else entry)
        return prefix + "{" + ", ".join(entries) + "}"

    def block(self, indent: int, depth: int) -> str:
        """A block collection starting on its own lines at ``indent``."""
        pad = " " * indent
        lines = []
        if self.chance(50) or depth >= 4:
            for _ in range(self.draw(st.integers(1, 4))):
                if self.chance(10):
                    lines.append(f"{pad}? {self.flow(depth + 1, key=True)}\n{pad}:{self.after(indent, depth)}")
                else:
                    key = self.flow(depth + 1, key=True)
                    if key.startswith(("[", "{")) and self.chance(50):
                        key = "? " + key + "\n" + pad
                    lines.append(f"{pad}{key}:{self.after(indent, depth)}")
                if self.chance(10):
                    lines.append(f"{pad}# a comment\n")
        else:
            for _ in range(self.draw(st.integers(1, 4))):
                lines.append(f"{pad}-{self.after(indent, depth)}")
        return "".join(lines)

    def after(self, indent: int, depth: int) -> str:
        """What follows ``key:`` or ``-``: an inline node, or a nested block."""
        if depth < 4 and self.chance(35):
            props = self.properties("map")
            return (" " + props if props else "") + "\n" + self.block(indent + 2, depth + 1)
        comment = "  # note" if self.chance(10) else ""
        return " " + self.flow(depth + 1) + comment + "\n"

    def document(self) -> str:
        self.anchors = []
        if self.chance(70):
            props = self.properties("map")
            body = (props + "\n" if props else "") + self.block(0, 0)
        else:
            body = self.flow(0) + "\n"
        return body


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    writer = _Writer(draw)
    documents = [writer.document() for _ in range(draw(st.integers(1, 3)))]
    text = ""
    for index, body in enumerate(documents):
        if index or writer.chance(30):
            text += "---\n" if writer.chance(70) else "--- # doc\n"
        text += body
        if writer.chance(15):
            text += "...\n"
    if writer.chance(15):
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(st.sampled_from(NOISE)) + text[position:]
    if writer.chance(5):
        text = text[: draw(st.integers(0, len(text)))]
    return text


SHARED_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=True), TEXT,
    st.sampled_from(PLAIN + ["", " ", "a: b", "- x", "#", "'", '"', "\n", "x\ny", "\t"]),
)


@st.composite
def dumped_texts(draw: st.DrawFn) -> str:
    """safe_dump output of random data in which some containers are shared (so the
    dump carries anchors and aliases), in block, flow or mixed style."""
    pool: list[Any] = []

    def value(depth: int) -> Any:
        if pool and draw(st.integers(0, 9)) == 0:
            return draw(st.sampled_from(pool))
        kind = draw(st.integers(0, 4)) if depth < 4 else 0
        if kind <= 2:
            return draw(SHARED_SCALARS)
        if kind == 3:
            made: Any = [value(depth + 1) for _ in range(draw(st.integers(0, 4)))]
        else:
            made = {draw(TEXT | st.sampled_from(KEY_WORDS)): value(depth + 1) for _ in range(draw(st.integers(0, 4)))}
        pool.append(made)
        return made

    documents = [value(0) for _ in range(draw(st.integers(1, 2)))]
    style = draw(st.sampled_from([False, True, None]))
    return yaml.safe_dump_all(documents, default_flow_style=style, explicit_start=draw(st.booleans()), allow_unicode=draw(st.booleans()),
                              sort_keys=False)


SMALL_LIMITS = st.builds(
    Limits,
    max_depth=st.integers(0, 8),
    max_documents=st.integers(0, 3),
    max_scalar_chars=st.integers(0, 12),
    max_aliases=st.integers(0, 6),
    max_nodes=st.integers(0, 80),
)
LIMITS = st.one_of(st.just(Limits()), SMALL_LIMITS)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(yaml_texts(), LIMITS)
def test_generated_yaml_reads_as_the_reference_reads_it(text: str, limits: Limits) -> None:
    assert_same(text, limits)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(dumped_texts(), LIMITS)
def test_dumped_data_reads_as_the_reference_reads_it(text: str, limits: Limits) -> None:
    assert_same(text, limits)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(NOISE + ["a", "1", " ", "b", "NO", "<<", "x: 1\n", "- y\n"]), max_size=30), LIMITS)
def test_noise_reads_as_the_reference_reads_it(pieces: list[str], limits: Limits) -> None:
    assert_same("".join(pieces), limits)


# --- named cases --------------------------------------------------------------------------

CASES = [
    "a: NO\nb: yes\nc: on\nd: 2026-11-01\ne: 010\nf: 0x1F\ng: 1_000\nh: 1:30\ni: True\nj: ~\nk:\nl: ''\n",
    "a: ! 12\nb: ! '12'\nc: !!str 1\nd: !foo x\ne: !!int 0o17\nf: !!int 0xZZ\ng: !!float .NaN\nh: !!bool yes\ni: !!null x\n",
    "a: &x [1, *x]\n",
    "&a [&b [1], *a]\n",
    "a: &x {k: 1, k: &u [*x], y: *u}\n",
    "a: 1\na: &s [&t [1], 2]\nb: *t\nc: *s\nd: *t\n",
    "&a a: 1\n*a : 2\n",
    "? [a, b]\n: &h {x: 1}\nc: *h\n",
    "<<: {a: 1}\n'<<': 2\n\"<<\": 3\n!!str <<: 4\n",
    "1: a\ntrue: b\n~: c\n!!str 1: d\n!foo k: e\n? {a: b}\n: f\n",
    "a: &v [1, 2]\nb: *v\nc: *v\n",
    "a: &v x\nb: *v\nc: [*v, *v]\n",
    "a: &v !!int nope\nb: *v\nc: [*v]\n",
    "--- 1\n--- [2]\n--- {a: 3}\n",
    "a: 1\n--- [\n",
    "a: *nope\n",
    "a: &x 1\nb: &x 2\n",
    "a: &x 1\n---\nb: *x\n",
    "x: !!seq {a: 1}\ny: !!map [1]\nz: !!str [1]\nw: !!python/object:os.system {}\n",
    "a: " + "[" * 70 + "]" * 70 + "\n",
    "k: &a ['lol','lol']\nl: &b [*a,*a,*a]\nm: &c [*b,*b,*b]\nn: [*c,*c,*c]\n",
    "",
    "# only a comment\n",
    "a: \"\\x01\"\n",
    "\x01",
    "a: b: c\n",
    "[a, b]: c\n",
    "{a: 1, a: 2, ? b, c: }\n",
    "- &a\n  x: 1\n- *a\n- &b x\n- *b\n",
    "a: &l [1]\nb: {*l : 1}\nc: *l\n",
]


@pytest.mark.parametrize("text", CASES)
@pytest.mark.parametrize(
    "limits",
    [Limits(), Limits(max_depth=1), Limits(max_depth=3), Limits(max_aliases=1), Limits(max_nodes=4), Limits(max_nodes=9),
     Limits(max_scalar_chars=1), Limits(max_documents=1), Limits(max_documents=0)],
    ids=lambda limits: ",".join(f"{k}={v}" for k, v in vars(limits).items() if v != getattr(Limits(), k)) or "default",
)
def test_named_cases_read_as_the_reference_reads_them(text: str, limits: Limits) -> None:
    assert_same(text, limits)


def test_recursive_alias_hits_a_limit_like_the_reference() -> None:
    for limits in (Limits(), Limits(max_depth=5), Limits(max_nodes=7), Limits(max_aliases=0), Limits(max_aliases=2)):
        _, problems = assert_same("a: &x {b: &y [1], c: *y, d: [2, *x], e: 3}\n", limits)
        assert len(problems) == 1


def test_keys_and_short_repeated_values_are_kept_once() -> None:
    """A 100,000-endpoint inventory repeats the same keys and enum-like values: one copy each."""
    text = "".join(f"- {{name: e{i}, type: laptop, os: {{family: windows, version: '11'}}}}\n" for i in range(3))
    documents, _ = assert_same(text)
    first, second = documents[0].data[0], documents[0].data[1]
    assert all(a is b for a, b in zip(first, second))
    assert first["type"] is second["type"] and first["os"]["version"] is second["os"]["version"]
    assert next(iter(first)) is intern("name")


def test_policy_files_read_as_the_reference_reads_them() -> None:
    files = sorted((ROOT / "policies").rglob("*.yaml"))
    assert files
    for path in files:
        assert_same(path.read_text(encoding="utf-8"))


SUITE_CASES = sorted(p for p in SUITE.iterdir() if (p / "in.yaml").is_file()) if SUITE.is_dir() else []


@pytest.mark.skipif(not SUITE_CASES, reason="the YAML test suite corpus is not present")
def test_yaml_test_suite_reads_as_the_reference_reads_it() -> None:
    for case in SUITE_CASES:
        text = (case / "in.yaml").read_bytes().decode("utf-8")
        for limits in (Limits(), Limits(max_depth=2, max_nodes=6, max_aliases=1, max_scalar_chars=3, max_documents=1)):
            assert_same(text, limits)


def test_generated_inventory_reads_as_the_reference_reads_it(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate(tmp_path, 300, fmt="yaml")
    files = sorted(tmp_path.rglob("*.yaml"))
    assert files
    for path in files:
        assert_same(path.read_text(encoding="utf-8"))
