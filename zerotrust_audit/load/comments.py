"""Inline suppressions: ``# ztaudit: ignore[ZT-DEV-001] reason`` comments.

YAML parsers drop comments, so the raw text is searched for this one form. A
comment at the end of a line applies to that line; a comment alone on its
line applies to the line below (an entity's first line, or the field a
finding points at).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENT = re.compile(r"#\s*ztaudit:\s*ignore\[([^\]]*)\][ \t]*(.*?)\s*$")


@dataclass(frozen=True)
class InlineSuppression:
    path: str
    line: int
    column: int
    rule_ids: tuple[str, ...]
    reason: str
    applies_to: int   # the line whose findings it accepts


def find_suppressions(text: str, path: str) -> list[InlineSuppression]:
    if "ztaudit:" not in text:  # the common case costs one search
        return []
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _COMMENT.search(line)
        if match:
            ids = tuple(part.strip() for part in match.group(1).split(",") if part.strip())
            trailing = bool(line[: match.start()].strip())
            found.append(InlineSuppression(path, number, match.start() + 1, ids, match.group(2), number if trailing else number + 1))
    return found
