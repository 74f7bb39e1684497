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
from typing import Any

_COMPACT = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": ")).encode


def dumps(value: Any, levels: int = 2) -> str:
    """``value`` as JSON text: the first ``levels`` levels of containers one item per line."""
    parts: list[str] = []
    _write(value, levels, "", parts)
    parts.append("\n")
    return "".join(parts)


def _write(value: Any, levels: int, indent: str, parts: list[str]) -> None:
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
