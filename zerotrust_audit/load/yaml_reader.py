"""Safe, position-keeping reading of YAML (and JSON) policy files.

libyaml composes the node graph (C speed, no object construction, so no tag
can run code); this module then builds plain Python data from the nodes and
records the 1-based position of every value and key in a separate map.

Scalars are resolved with the YAML 1.2 core schema, not PyYAML's YAML 1.1
defaults: ``NO`` stays the string Norway, ``on``/``yes`` stay strings, dates
stay ``YYYY-MM-DD`` strings that the schema checks, and ``010`` is ten. A
value the schema expects as a boolean but that reads ``yes`` is then reported
by the schema instead of being guessed.
"""

from __future__ import annotations

import math
from sys import intern
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.resolver import BaseResolver

from zerotrust_audit.errors import Location, Problem
from zerotrust_audit.gcpause import gc_paused
from zerotrust_audit.load.limits import Limits
from zerotrust_audit.load.positions import COLUMN_BITS, PositionMap, pack

try:  # libyaml is present in every PyYAML wheel; the pure parser is a fallback.
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
SEQ, MAP = _TAG + "seq", _TAG + "map"


class _CoreSchemaResolver(BaseResolver):
    """Implicit tags of the YAML 1.2 core schema (no yes/no, no timestamps, no ``<<``)."""

    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}


for _tag, _regexp, _first in (
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    (NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    _CoreSchemaResolver.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


_BY_FIRST_CHAR = _CoreSchemaResolver.yaml_implicit_resolvers
_RESOLVED: dict[str, str] = {}
_ScalarNode, _SequenceNode = yaml.ScalarNode, yaml.SequenceNode


class _Loader(_Parser, _CoreSchemaResolver):  # type: ignore[misc,valid-type]
    """Parser + composer + core-schema resolver: no constructor, so no code runs."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _CoreSchemaResolver.__init__(self)

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """The core-schema tag of an untagged node; the parser calls this for every node,
        so it skips the generic resolver's path-resolver machinery (none is used here)."""
        if kind is _ScalarNode:
            if implicit[0]:
                candidates = _BY_FIRST_CHAR.get(value[0] if value else "")
                if candidates:
                    tag = _RESOLVED.get(value)
                    if tag is None:
                        tag = next((t for t, regexp in candidates if regexp.match(value)), STR)
                        if len(_RESOLVED) < 65536:  # dates and numbers repeat across entities
                            _RESOLVED[value] = tag
                    return tag
            return STR
        return SEQ if kind is _SequenceNode else MAP


@dataclass
class Document:
    """One YAML document of one file: plain data plus where each value was."""

    path: str
    index: int
    data: Any
    positions: PositionMap


class _Budget(Exception):
    """Raised inside the builder to abandon a document that hit a limit."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def read_text(text: str, display_path: str, limits: Limits = Limits()) -> tuple[list[Document], list[Problem]]:
    """Parse every document of ``text``; return the documents and the problems found.

    A syntax error stops the file at that point (later documents cannot be
    trusted) but earlier documents are kept, and other files are unaffected.
    """
    documents: list[Document] = []
    problems: list[Problem] = []
    loader = _Loader(text)
    try:
        with gc_paused():
            while loader.check_node():
                node = loader.get_node()
                if len(documents) >= limits.max_documents:
                    problems.append(Problem(_loc(display_path, node), f"more than {limits.max_documents} documents in one file"))
                    break
                builder = _Builder(display_path, limits)
                try:
                    data = builder.document(node)
                except _Budget as exceeded:
                    problems.append(exceeded.problem)
                    continue
                problems.extend(builder.problems)
                documents.append(Document(display_path, len(documents), data, builder.positions))
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(display_path, exc))
    except yaml.YAMLError as exc:
        problems.append(Problem(Location(display_path, 1, 1), f"YAML error: {exc}"))
    finally:
        loader.dispose()
    return documents, problems


def _syntax_problem(path: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    location = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path, 1, 1)
    what = exc.problem or "invalid YAML"
    if exc.context:
        what = f"{exc.context}, {what}"
    return Problem(location, f"YAML syntax error: {what}")


_BITS = COLUMN_BITS


def _pack(node: yaml.Node) -> int:
    return pack(node.start_mark.line + 1, node.start_mark.column + 1)


def _loc(path: str, node: yaml.Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns one composed node graph into plain data and a position map."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.positions = PositionMap(path)
        self.problems: list[Problem] = []
        # An alias shares the value built for its anchor (as PyYAML does), so
        # building stays linear; ``_expanded`` counts what later stages would
        # walk through, which is where an alias bomb would explode.
        self._built: dict[int, tuple[Any, int]] = {}
        self._expanded = 0
        self._aliases = 0
        self._strings: dict[str, str] = {}

    def document(self, node: yaml.Node) -> Any:
        """Build a whole document; its root position and data go into the map."""
        self.positions.root = _pack(node)
        data = self.build(node, 0)
        self.positions.data = data
        return data

    def build(self, node: yaml.Node, depth: int) -> Any:
        if depth > self.limits.max_depth:
            raise _Budget(Problem(_loc(self.path, node), f"nesting deeper than {self.limits.max_depth} levels"))
        if isinstance(node, yaml.ScalarNode):
            self._count(node, 1)
            return self._scalar(node)
        cached = self._built.get(id(node))
        if cached is not None:
            self._aliases += 1
            if self._aliases > self.limits.max_aliases:
                raise _Budget(Problem(_loc(self.path, node), f"more than {self.limits.max_aliases} aliases in one document"))
            self._count(node, cached[1])
            return cached[0]
        before = self._expanded
        self._count(node, 1)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != SEQ:
                self._unsupported_tag(node)
            value: Any = [self.build(item, depth + 1) for item in node.value]
            self.positions.tables[id(value)] = (None, tuple(_pack(item) for item in node.value))
        else:
            if node.tag != MAP:
                self._unsupported_tag(node)
            value = self._mapping(node, depth)
        self._built[id(node)] = (value, self._expanded - before)
        return value

    def _count(self, node: yaml.Node, size: int) -> None:
        self._expanded += size
        if self._expanded > self.limits.max_nodes:
            raise _Budget(Problem(
                _loc(self.path, node),
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
            # the common case inline (a plain string key, a string value): this
            # loop runs for every field of every entity
            if key_node.__class__ is _ScalarNode and key_node.tag == STR and key_node.value != "<<":
                key = intern(key_node.value)
            else:
                key = self._key(key_node)
                if key is None:
                    continue
            key_mark, value_mark = key_node.start_mark, value_node.start_mark
            if key in result:
                first_line = key_positions[list(result).index(key)] >> _BITS
                self.problems.append(Problem(
                    Location(self.path, key_mark.line + 1, key_mark.column + 1),
                    f"duplicate key '{key}' (first defined at line {first_line})",
                ))
                continue
            key_positions.append(((key_mark.line + 1) << _BITS) | (key_mark.column + 1))
            value_positions.append(((value_mark.line + 1) << _BITS) | (value_mark.column + 1))
            if value_node.__class__ is _ScalarNode and value_node.tag == STR and len(value_node.value) <= max_chars:
                plain_values += 1
                text = value_node.value
                # enum-like values (types, dates, booleans spelled as words) repeat
                # across thousands of entities: keep one copy of each short one
                result[key] = strings.setdefault(text, text) if len(text) <= 24 else text
            else:
                result[key] = self.build(value_node, depth + 1)
        self._expanded += plain_values
        self.positions.tables[id(result)] = (tuple(key_positions), tuple(value_positions))
        return result

    def _key(self, node: yaml.Node) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (STR, INT, FLOAT, BOOL, NULL):
            self.problems.append(Problem(_loc(self.path, node), "mapping keys must be plain strings"))
            return None
        if node.tag != STR:
            self.problems.append(Problem(_loc(self.path, node), f"mapping key {node.value!r} must be a string (quote it)"))
            return None
        if node.value == "<<" and node.style in (None, ""):  # plain, not quoted
            self.problems.append(Problem(_loc(self.path, node), "merge keys ('<<') are not supported: repeat the fields instead"))
            return None
        return str(node.value)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        text: str = node.value
        if len(text) > self.limits.max_scalar_chars:
            raise _Budget(Problem(_loc(self.path, node), f"value longer than {self.limits.max_scalar_chars} characters"))
        tag = node.tag
        if tag == STR:
            return text
        if tag == NULL:
            return None
        if tag == BOOL:
            return _parse_bool(text, self, node)
        if tag == INT:
            return _parse_int(text, self, node)
        if tag == FLOAT:
            return _parse_float(text, self, node)
        self._unsupported_tag(node)
        return text

    def _unsupported_tag(self, node: yaml.Node) -> None:
        tag = node.tag.replace(_TAG, "!!")
        self.problems.append(Problem(
            _loc(self.path, node),
            f"tag '{tag}' is not allowed: only the standard tags !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are accepted",
        ))

    def invalid(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(_loc(self.path, node), message))


def _parse_bool(text: str, builder: _Builder, node: yaml.Node) -> Any:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    builder.invalid(node, f"!!bool value must be true or false, got {text!r}")
    return text


def _parse_int(text: str, builder: _Builder, node: yaml.Node) -> Any:
    try:
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)
    except ValueError:
        builder.invalid(node, f"!!int value is not an integer: {text!r}")
        return text


def _parse_float(text: str, builder: _Builder, node: yaml.Node) -> Any:
    lowered = text.lower().lstrip("+")
    if lowered in (".inf", "-.inf", ".nan"):
        return {".inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}[lowered]
    try:
        return float(text)
    except ValueError:
        builder.invalid(node, f"!!float value is not a number: {text!r}")
        return text


def portable_document(document: Document) -> tuple[Any, ...]:
    """A document whose position tables survive pickling: tables are keyed by
    container identity, so they travel as a list in traversal order."""
    tables = document.positions.tables
    order: list[Any] = []
    seen: set[int] = set()

    def walk(node: Any) -> None:
        if isinstance(node, (dict, list)) and id(node) not in seen:
            seen.add(id(node))
            order.append(tables.get(id(node)))
            for child in node.values() if isinstance(node, dict) else node:
                walk(child)

    walk(document.data)
    return document.path, document.index, document.data, document.positions.root, order


def restore_document(portable: tuple[Any, ...]) -> Document:
    path, index, data, root, order = portable
    positions = PositionMap(path)
    positions.data, positions.root = data, root
    tables = iter(order)
    seen: set[int] = set()

    def walk(node: Any) -> None:
        if isinstance(node, (dict, list)) and id(node) not in seen:
            seen.add(id(node))
            table = next(tables)
            if table is not None:
                positions.tables[id(node)] = table
            for child in node.values() if isinstance(node, dict) else node:
                walk(child)

    walk(data)
    return Document(path, index, data, positions)
