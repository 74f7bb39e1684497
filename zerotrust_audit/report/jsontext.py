"""JSON text that is readable and fast to write for reports of any size.

``json.dumps(indent=2)`` runs the pure-Python encoder (the C encoder does
not indent): a report with tens of thousands of findings spent seconds there.
Here the outer levels are indented by hand and everything below them is
written by the C encoder on one line, so a report reads and diffs one
finding (one SARIF result) per line, and stays deterministic: keys sorted,
no ASCII escaping beyond what JSON requires.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from zerotrust_audit.forked import stream_tasks

_COMPACT = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": ")).encode

# Below this many items, forking a process to encode some costs more than it saves.
PARALLEL_MIN_ITEMS = 8_000
# Items per block: processes take blocks in turn, and a block's text is held until written.
BLOCK_ITEMS = 4_000


class Each:
    """A list whose items are rendered by ``render`` and written one per line;
    with ``jobs`` > 1 and many items, they are encoded by several processes (a
    report of 100,000 endpoints has 140,000 findings), a block at a time so
    that only a few blocks' text is held at once."""

    def __init__(self, items: Sequence[Any], render: Callable[[Any], Any] | None = None, jobs: int = 1) -> None:
        self.items, self.render, self.jobs = items, render, jobs

    def encoded(self) -> Iterator[str]:
        items = self.items
        if self.jobs <= 1 or len(items) < PARALLEL_MIN_ITEMS:
            yield from map(self._encode, items)
            return
        blocks = -(-len(items) // BLOCK_ITEMS)
        for done in stream_tasks(blocks, lambda b: list(map(self._encode, items[b * BLOCK_ITEMS:(b + 1) * BLOCK_ITEMS])), self.jobs):
            yield from done

    def _encode(self, item: Any) -> str:
        return _COMPACT(self.render(item) if self.render else item)


def dumps(value: Any, levels: int = 2) -> str:
    """``value`` as JSON text: the first ``levels`` levels of containers one item per line."""
    parts: list[str] = []
    dump(value, parts.append, levels)
    return "".join(parts)


def dump(value: Any, write: Callable[[str], object], levels: int = 2) -> None:
    """Like :func:`dumps`, handing the text to ``write`` piece by piece: a report
    of a large organisation goes to its file without a second copy in memory."""
    buffered = _Buffered(write)
    _write(value, levels, "", buffered)
    buffered.flush()
    write("\n")


class _Buffered(list[str]):
    """Collects pieces and hands them on in chunks (one call per piece is slow)."""

    def __init__(self, write: Callable[[str], object]) -> None:
        super().__init__()
        self.write = write
        self.size = 0

    def append(self, piece: str) -> None:  # type: ignore[override]
        super().append(piece)
        self.size += len(piece)
        if self.size > 1 << 20:
            self.flush()

    def flush(self) -> None:
        self.write("".join(self))
        self.clear()
        self.size = 0


def _write(value: Any, levels: int, indent: str, parts: Any) -> None:
    if isinstance(value, Each):
        _write_lines(value.encoded(), indent, parts)
        return
    if levels <= 0 or not value or not isinstance(value, (dict, list, tuple)):
        parts.append(_COMPACT(value))
        return
    inner = indent + "  "
    if isinstance(value, dict):
        parts.append("{")
        for i, key in enumerate(sorted(value)):
            parts.append(("\n" if i == 0 else ",\n") + inner + _COMPACT(str(key)) + ": ")
            _write(value[key], levels - 1, inner, parts)
        parts.append("\n" + indent + "}")
    else:
        parts.append("[")
        for i, item in enumerate(value):
            parts.append(("\n" if i == 0 else ",\n") + inner)
            _write(item, levels - 1, inner, parts)
        parts.append("\n" + indent + "]")


def _write_lines(encoded: Iterable[str], indent: str, parts: Any) -> None:
    """A list of already encoded items, laid out as :func:`_write` lays out a
    list whose items are at the last indented level."""
    inner, first = indent + "  ", True
    for text in encoded:
        parts.append(("[\n" if first else ",\n") + inner + text)
        first = False
    parts.append("[]" if first else "\n" + indent + "]")
