"""Reporters: one module per output format, each ``render(report, color) -> str``.

The CLI picks one from ``FORMATS`` by name; reporters never compute, they
only lay out what the :class:`~zerotrust_audit.findings.Report` holds. A
reporter's module is imported when its format is asked for (the JUnit one
alone loads an XML library), which keeps a pre-commit run's start-up short.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zerotrust_audit.findings import Report

Renderer = Callable[["Report", bool], str]

# format name -> module of this package that writes it
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "gitlab": "gitlab",
}


def reporter(name: str) -> ModuleType:
    """The module writing format ``name`` (one of ``FORMATS``)."""
    return importlib.import_module(f"{__name__}.{FORMATS[name]}")


def renderer(name: str) -> Renderer:
    return reporter(name).render  # type: ignore[no-any-return]
