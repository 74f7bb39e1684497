"""Fast reading of ``.json`` policy files.

JSON is YAML flow style, so :func:`read_text` reads JSON files correctly, but
at the speed of libyaml plus a Python builder that records a position for
every key and value. Here the C ``json`` decoder builds the data, and a
position is worked out only when someone asks for it, from the text of the
containers on the way to it.

The fast path answers only when it is sure to give exactly what
:func:`read_text` gives; otherwise it returns ``None`` and the caller reads
the file the slow way, which also words every error precisely. The places
where YAML would read the same text differently (or refuse it) were each
checked against ``read_text`` by a test.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from json.scanner import make_scanner
from typing import Any

from zerotrust_audit.errors import Problem
from zerotrust_audit.gcpause import gc_paused
from zerotrust_audit.load.limits import Limits
from zerotrust_audit.load.positions import JsonPath, PositionMap, pack
from zerotrust_audit.load.document import Document

__all__ = ["JsonPositionMap", "read_json_text"]

_WHITESPACE = re.compile(r"[ \t\n\r]*").match
_KEY_AND_COLON = re.compile(r'"(?:[^"\\]|\\.)*"[ \t\n\r]*:[ \t\n\r]*').match
_SEPARATOR = re.compile(r"[ \t\n\r]*,?[ \t\n\r]*").match
_PLAIN_KEY = re.compile(r'[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029]*\Z').match

# Raw characters libyaml refuses ("control characters are not allowed") or
# reads as line breaks (NEL is even folded into a space inside a string).
_NOT_YAML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
# libyaml refuses surrogate escapes, lone or paired; JSON decodes them.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# A key is a YAML "simple key": its ':' must be on its line and at most 1024
# characters after the key's opening quote, or libyaml reports a syntax error.
_SIMPLE_KEY_SPAN = 1024
_BLANK_BEFORE_COLON = re.compile(r":(?<=[ \t\n\r]:)")  # none in most JSON: skips the next two
_COLON_ON_LATER_LINE = re.compile(r"\n[ \t\r\n]*:")
# Keys up to this many characters span at most 6 text characters each
# (``\uXXXX``) plus quotes, which leaves this much room for blanks before ':'.
_LONGEST_KEY = 150
_BLANKS_BEFORE_COLON = _SIMPLE_KEY_SPAN - (6 * _LONGEST_KEY + 2)
_FAR_COLON = re.compile(rf":(?<=[ \t]{{{_BLANKS_BEFORE_COLON}}}:)")

# Offsets are turned into lines with one newline count per block of text.
_BLOCK = 1024

_skip_value = make_scanner(json.JSONDecoder())


class _NotSame(Exception):
    """Raised inside the decoder where YAML would read the text differently."""


def read_json_text(text: str, display_path: str, limits: Limits) -> tuple[list[Document], list[Problem]] | None:
    """The one document of a JSON ``text``, as :func:`read_text` would give it,
    or ``None`` when that cannot be guaranteed cheaply (any error, a limit
    reached, a construct YAML reads differently): then call ``read_text``."""
    start = _WHITESPACE(text).end()
    if start == len(text) or text[start] != "{" or limits.max_documents < 1:
        return None
    with gc_paused():
        decoded = _decode(text, start, limits)
        if decoded is None:
            return None
        data, end = decoded
        survey = _survey(data, limits)
        if survey is None or _WHITESPACE(text, end).end() != len(text):
            return None
        pairs, longest_key = survey
        if longest_key > _LONGEST_KEY or not _yaml_reads_alike(text, start, end):
            return None
        # Every key is followed by a ':' outside strings, so as many ':' as
        # distinct keys proves there is no duplicate; otherwise look properly.
        if text.count(":") != pairs and _decode(text, start, limits, _unique_pairs) is None:
            return None
    return [Document(display_path, 0, data, JsonPositionMap(display_path, text, data, start))], []


def _decode(text: str, start: int, limits: Limits, pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None) -> tuple[Any, int] | None:
    """``(data, end)`` of the value at ``start``, or ``None`` where YAML would differ."""
    decoder = json.JSONDecoder(parse_constant=_reject, object_pairs_hook=pairs_hook, **_number_parsers(text, limits))
    try:
        return decoder.raw_decode(text, start)
    except (ValueError, RecursionError, _NotSame):  # ValueError covers JSONDecodeError
        return None


def _reject(constant: str) -> Any:
    """``NaN`` and ``Infinity`` are plain strings to YAML."""
    raise _NotSame(constant)


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """YAML keeps the first of duplicate keys and reports the others; JSON keeps the last."""
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _NotSame("duplicate key")
    return result


def _number_parsers(text: str, limits: Limits) -> dict[str, Callable[[str], Any]]:
    """YAML refuses a number longer than ``max_scalar_chars``. Only a text that
    long can hold one, and for integers Python's digit limit may already refuse
    it first: checking every number would slow down the common case."""
    longest = limits.max_scalar_chars
    if len(text) <= longest:
        return {}

    def bounded(convert: Callable[[str], Any]) -> Callable[[str], Any]:
        def parse(number: str) -> Any:
            if len(number) > longest:
                raise _NotSame("long number")
            return convert(number)
        return parse

    parsers = {"parse_float": bounded(float)}
    if not 0 < sys.get_int_max_str_digits() <= longest:
        parsers["parse_int"] = bounded(int)
    return parsers


def _survey(data: Any, limits: Limits) -> tuple[int, int] | None:
    """``(number of keys, longest key)``, or ``None`` when the YAML reader would
    stop at a limit: nesting depth, a long string, the number of values."""
    max_depth, max_chars = limits.max_depth, limits.max_scalar_chars
    values, pairs = 1, 0
    keys: set[str] = set()
    stack = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if not node:
            continue
        depth += 1
        if depth > max_depth:
            return None
        values += len(node)
        if type(node) is dict:
            pairs += len(node)
            keys.update(node)
            node = node.values()
        for child in node:
            kind = type(child)
            if kind is str:
                if len(child) > max_chars:
                    return None
            elif kind is dict or kind is list:
                stack.append((child, depth))
    if values > limits.max_nodes:
        return None
    return pairs, max(map(len, keys), default=0)


def _yaml_reads_alike(text: str, start: int, end: int) -> bool:
    """The checks on the raw text (the data alone cannot tell)."""
    if "\t" in text[:start] or "\t" in text[end:]:
        return False  # a tab cannot start a line outside a flow collection
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return False  # a lone CR is a line break to YAML: lines would differ
    if ("\x7f" in text) if text.isascii() else (_NOT_YAML_CHARACTERS.search(text) is not None):
        return False
    if _SURROGATE_ESCAPE.search(text):
        return False
    return not (_BLANK_BEFORE_COLON.search(text) and (_COLON_ON_LATER_LINE.search(text) or _FAR_COLON.search(text)))


class JsonPositionMap(PositionMap):
    """Positions of a JSON document, found on demand in its text.

    The first question scans the top-level object and the items of its
    containers (one pass at C decoder speed); later ones scan only the
    containers on their path, usually one entity of a few hundred bytes.
    Offsets are kept per scanned container (``tables`` stays empty); the
    text travels with the map when a document is sent to another process.
    """

    def __init__(self, path: str, text: str, data: Any, start: int) -> None:
        super().__init__(path)
        self.data = data
        self._text = text
        self._start = start
        self._reset()
        self.root = pack(text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start))

    def _reset(self) -> None:
        self._spans: dict[int, tuple[tuple[int, ...] | None, tuple[int, ...]]] = {}
        self._lines: list[int] = []
        self._breaks: list[int] = []

    def __getstate__(self) -> dict[str, Any]:
        """Scanned offsets are keyed by container identity: they stay behind."""
        return {"path": self.path, "data": self.data, "root": self.root, "text": self._text, "start": self._start}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path, self.data, self.root = state["path"], state["data"], state["root"]
        self._text, self._start = state["text"], state["start"]
        self.tables = {}
        self._reset()

    def _walk(self, path: JsonPath) -> tuple[int, int | None, bool]:
        """As :meth:`PositionMap._walk`, with text offsets until the last step.
        Inside an entity (a container whose end is known), a mapping's member
        is found by searching its text when that is sure (see :func:`_find_key`);
        otherwise, and for lists, the container is scanned."""
        text, last = self._text, len(path) - 1
        node, offset, key, end = self.data, self._start, None, None
        for depth, step in enumerate(path):
            if isinstance(node, dict):
                if step not in node:
                    return self._pack(offset), None, False
                if end is not None and id(node) not in self._spans:
                    found = _find_key(text, offset, end, node, step)
                    if found is not None:
                        key, offset = found
                        node = node[step]
                        end = _skip_value(text, offset)[1] if depth < last and isinstance(node, (dict, list)) else None
                        continue
                index = list(node).index(step)
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                index = step
            else:
                return self._pack(offset), None, False
            keys, values = self._span(node, offset)
            # what starts next bounds this value: the next item, or the next member's key
            following = values if keys is None else keys
            end = following[index + 1] if index + 1 < len(following) else None
            key = keys[index] if keys is not None else None
            offset, node = values[index], node[step]
        return self._pack(offset), (self._pack(key) if key is not None else None), True

    def _span(self, node: dict[str, Any] | list[Any], offset: int) -> tuple[tuple[int, ...] | None, tuple[int, ...]]:
        span = self._spans.get(id(node))
        if span is None:
            _scan(self._text, offset, node, self._spans, expand=node is self.data)
            span = self._spans[id(node)]
        return span

    def _pack(self, offset: int) -> int:
        """The packed 1-based (line, column) of a text offset, as libyaml counts
        them (columns in characters; the decoded text has no lone CR)."""
        if not self._lines:
            self._index_lines()
        text, block = self._text, offset // _BLOCK
        begin = block * _BLOCK
        line = self._lines[block] + text.count("\n", begin, offset) + 1
        last_break = text.rfind("\n", begin, offset)
        if last_break < 0:
            last_break = self._breaks[block]
        return pack(line, offset - last_break)

    def _index_lines(self) -> None:
        """Line count and last line break before each block: O(size / block) memory."""
        text, lines, last = self._text, 0, -1
        for begin in range(0, len(text) + 1, _BLOCK):
            self._lines.append(lines)
            self._breaks.append(last)
            lines += text.count("\n", begin, begin + _BLOCK)
            found = text.rfind("\n", begin, begin + _BLOCK)
            if found >= 0:
                last = found


def _find_key(text: str, start: int, end: int, node: dict[str, Any], key: Any) -> tuple[int, int] | None:
    """Offsets of ``key`` and of its value in the object at ``start`` (which
    ends before ``end``), found by searching its text instead of scanning
    every member: one entity's field, the common question. ``None`` when the
    search cannot be sure (the key is written with escapes, or a nested
    object has a key of that name): then scan.

    A quoted name preceded by '{' or ',' and followed by ':' is a key: inside
    a string a quote is escaped, and a string value is followed by ',', '}'
    or ']'. With no nested key of that name, the first one is this object's.
    """
    if not isinstance(key, str) or not _PLAIN_KEY(key) or _has_nested_key(node.values(), key):
        return None
    needle = '"' + key + '"'
    at = text.find(needle, start, end)
    while at >= 0:
        colon = _WHITESPACE(text, at + len(needle)).end()
        before = at - 1
        while before > start and text[before] in " \t\n\r":
            before -= 1
        if text[colon:colon + 1] == ":" and text[before] in "{,":
            return at, _WHITESPACE(text, colon + 1).end()
        at = text.find(needle, at + 1, end)
    return None


def _has_nested_key(values: Any, key: str) -> bool:
    stack = [v for v in values if type(v) is dict or type(v) is list]
    while stack:
        value = stack.pop()
        if type(value) is dict:
            if key in value:
                return True
            children = value.values()
        else:
            children = value
        stack.extend(v for v in children if type(v) is dict or type(v) is list)
    return False


def _scan(text: str, offset: int, node: dict[str, Any] | list[Any], spans: dict[int, Any], expand: bool) -> int:
    """Record the offsets of the keys and values of the container at ``offset``
    in ``spans[id(node)]`` and return the offset just after it. Values are
    skipped with the C decoder; with ``expand``, child containers are scanned
    (one level) instead, so their offsets come with the same pass."""
    closing = "}" if text[offset] == "{" else "]"
    keys: list[int] | None = [] if closing == "}" else None
    values: list[int] = []
    children = iter(node.values() if isinstance(node, dict) else node) if expand else None
    i = _WHITESPACE(text, offset + 1).end()
    while text[i] != closing:
        if keys is not None:
            keys.append(i)
            i = _KEY_AND_COLON(text, i).end()
        values.append(i)
        child = next(children, None) if children is not None else None
        if text[i] in "{[" and isinstance(child, (dict, list)):
            i = _scan(text, i, child, spans, expand=False)
        else:
            i = _skip_value(text, i)[1]
        i = _SEPARATOR(text, i).end()
    spans[id(node)] = (tuple(keys) if keys is not None else None, tuple(values))
    return i + 1
