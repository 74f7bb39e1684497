"""A parsed document: plain data plus where each value was, and how it
travels between processes (position tables are keyed by container identity,
which pickling does not keep)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zerotrust_audit.load.positions import PositionMap


@dataclass
class Document:
    """One YAML document of one file: plain data plus where each value was."""

    path: str
    index: int
    data: Any
    positions: PositionMap


def portable_document(document: Document) -> tuple[Any, ...]:
    """A document whose position tables survive pickling. Tables are keyed by
    container identity, so each travels beside its container: one pickle
    keeps the identity of the objects in it, and the receiving side finds
    every table's container again without walking the data."""
    tables = document.positions.tables
    pairs: list[tuple[Any, Any]] = []
    seen: set[int] = set()

    def walk(node: Any) -> None:
        if isinstance(node, (dict, list)) and id(node) not in seen:
            seen.add(id(node))
            table = tables.get(id(node))
            if table is not None:
                pairs.append((node, table))
            for child in node.values() if isinstance(node, dict) else node:
                walk(child)

    walk(document.data)
    return document.path, document.index, document.data, document.positions.root, pairs


def restore_document(portable: tuple[Any, ...]) -> Document:
    """The document :func:`portable_document` packed, once unpickled as a whole."""
    path, index, data, root, pairs = portable
    positions = PositionMap(path)
    positions.data, positions.root = data, root
    positions.tables = {id(container): table for container, table in pairs}
    return Document(path, index, data, positions)
