"""The path -> position map kept beside the data of each document.

Schema validation and pydantic see plain data; whoever needs to say *where*
something is asks this map with the same path (a tuple of keys and list
indexes) that jsonschema reports in ``error.absolute_path``.

Positions are stored per container, aligned with the container's keys (or
items), as packed integers: a 100,000-endpoint inventory has millions of
values, and a dictionary entry per path would cost several times the data.
"""

from __future__ import annotations

from typing import Any

from zerotrust_audit.errors import Location

JsonPath = tuple[str | int, ...]

COLUMN_BITS = 32  # minified JSON puts a whole file on one line
_COLUMN_MASK = (1 << COLUMN_BITS) - 1


def pack(line: int, column: int) -> int:
    """One integer for a 1-based (line, column)."""
    return (line << COLUMN_BITS) | min(column, _COLUMN_MASK)


def unpack(packed: int) -> tuple[int, int]:
    return packed >> COLUMN_BITS, packed & _COLUMN_MASK


class PositionMap:
    """1-based positions of the values (and mapping keys) of one document.

    ``tables[id(container)]`` holds ``(key positions, value positions)`` for a
    mapping (in the mapping's key order) or ``(None, value positions)`` for a
    list. The map keeps a reference to the document's data, so the
    containers (and their ids) live as long as it does.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.data: Any = None
        self.root = pack(1, 1)
        self.tables: dict[int, tuple[tuple[int, ...] | None, tuple[int, ...]]] = {}

    def value(self, path: JsonPath) -> Location:
        """Where the value at ``path`` starts, or its nearest known ancestor."""
        return self._location(self._walk(path)[0])

    def key(self, path: JsonPath) -> Location:
        """Where the key naming ``path`` starts (falls back to its value)."""
        value, key, _ = self._walk(path)
        return self._location(key if key is not None else value)

    def exists(self, path: JsonPath) -> bool:
        """Whether the whole path is present in the document."""
        return self._walk(path)[2]

    def _walk(self, path: JsonPath) -> tuple[int, int | None, bool]:
        node, value, key = self.data, self.root, None
        for step in path:
            table = self.tables.get(id(node))
            if table is None:
                return value, None, False
            keys, values = table
            if isinstance(node, dict):
                if step not in node:
                    return value, None, False
                index = list(node).index(step)
                key = keys[index] if keys is not None else None
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                index, key = step, None
            else:
                return value, None, False
            value, node = values[index], node[step]
        return value, key, True

    def _location(self, packed: int) -> Location:
        line, column = unpack(packed)
        return Location(self.path, line, column)


def format_path(path: JsonPath) -> str:
    """``("endpoints", 3, "os")`` -> ``endpoints[3].os``: the way users read it."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
