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
