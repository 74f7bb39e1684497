"""Table-style helpers for rule tests: write YAML, scan it, list (kind, name, line).

A test states the inventory and the exact findings it expects, positions
included, so a rule that fires on the wrong entity or line fails loudly::

    assert hits("ZT-IDN-002", USERS) == [("user", "root-admin", 5)]

``BASE`` (an organisation with ``audit_date: 2026-11-01`` and a group
``staff``) is written beside the snippet unless the snippet defines its own
``organization``; lines refer to the snippet (``test.yaml``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from zerotrust_audit.api import ScanOptions, scan
from zerotrust_audit.findings import Finding, Report

BASE = """\
version: 1
organization:
  name: Test Org
  default_action: deny
  audit_date: 2026-11-01
groups:
  - name: staff
"""


def scan_snippet(rule_id: str, text: str, files: dict[str, str | bytes] | None = None, select: tuple[str, ...] | None = None) -> Report:
    """Scan ``text`` (plus ``BASE`` and any extra files) with only ``rule_id`` (or ``select``) selected."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if "organization:" not in text and "groups:\n  - name: staff" not in text:
            (root / "base.yaml").write_text(BASE, encoding="utf-8")
        (root / "test.yaml").write_text(text, encoding="utf-8")
        for name, content in (files or {}).items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return scan([root], ScanOptions(select=select or (rule_id,)))


def findings(rule_id: str, text: str, files: dict[str, str | bytes] | None = None, select: tuple[str, ...] | None = None) -> list[Finding]:
    return [f for f in scan_snippet(rule_id, text, files, select).findings if f.rule_id == rule_id]


def hits(
    rule_id: str, text: str, files: dict[str, str | bytes] | None = None, select: tuple[str, ...] | None = None
) -> list[tuple[str, str, int]]:
    """(entity kind, entity name, line) of each finding of ``rule_id``, in report order."""
    return [(f.entity_kind, f.entity_name, f.location.line) for f in findings(rule_id, text, files, select)]
