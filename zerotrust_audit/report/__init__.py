"""Reporters: one module per output format, each ``render(report, color) -> str``.

The CLI picks one from ``FORMATS`` by name; reporters never compute, they
only lay out what the :class:`~zerotrust_audit.findings.Report` holds.
"""

from __future__ import annotations

from collections.abc import Callable

from zerotrust_audit.findings import Report
from zerotrust_audit.report import github, gitlab, json_report, junit, sarif, text

Renderer = Callable[[Report, bool], str]

FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "gitlab": gitlab.render,
}
