"""Bounds on what one policy file may cost to read.

Policy files may come from a pull request, so reading them must stay cheap
whatever they contain. Each limit has a documented default and is reported,
when exceeded, as an ordinary input error naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Ceilings applied while reading policy files."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_documents: int = 1000
    max_scalar_chars: int = 1024 * 1024
    max_aliases: int = 10_000
    # Nodes visited while building data, aliases counted each time they are
    # followed: a "billion laughs" document exceeds this long before memory does.
    max_nodes: int = 5_000_000
