"""The path -> position map kept beside the data of each document.

Schema validation and pydantic see plain data; whoever needs to say *where*
something is asks this map with the same path (a tuple of keys and list
indexes) that jsonschema reports in ``error.absolute_path``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zerotrust_audit.errors import Location

JsonPath = tuple[str | int, ...]


@dataclass
class PositionMap:
    """1-based positions of the values (and mapping keys) of one document."""

    path: str
    values: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)

    def value(self, path: JsonPath) -> Location:
        """Where the value at ``path`` starts, or its nearest known ancestor."""
        return self._find(self.values, path)

    def key(self, path: JsonPath) -> Location:
        """Where the key naming ``path`` starts (falls back to its value)."""
        if path in self.keys:
            line, col = self.keys[path]
            return Location(self.path, line, col)
        return self.value(path)

    def _find(self, table: dict[JsonPath, tuple[int, int]], path: JsonPath) -> Location:
        probe = tuple(path)
        while probe not in table and probe:
            probe = probe[:-1]
        line, col = table.get(probe, (1, 1))
        return Location(self.path, line, col)


def format_path(path: JsonPath) -> str:
    """``("endpoints", 3, "os")`` -> ``endpoints[3].os``: the way users read it."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
