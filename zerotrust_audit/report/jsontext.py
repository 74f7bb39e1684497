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
from collections.abc import Callable
from typing import Any

_COMPACT = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": ")).encode


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
