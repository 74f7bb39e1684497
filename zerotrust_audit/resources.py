"""Where the data shipped with the tool lives: input schemas and bundled policies.

In the repository they sit at the top level (``schemas/``, ``policies/``),
where users and editors find them; the wheel carries them inside the package
(``zerotrust_audit/_bundled/``) so an installed tool works from any folder.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def bundled_dir(name: str) -> Path:
    """The folder ``schemas`` or ``policies``, installed or from a source checkout."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder '{name}' is missing from this installation")


def example_policy_dir() -> Path:
    """The example organisation's policy repository."""
    return bundled_dir("policies") / "acme"
