"""JSON output: the findings contract plus summary, tool, rules, suppressed and inputs.

Byte-identical across runs on the same input: keys are sorted, lists are in
the report's deterministic order, and nothing time-dependent is written
except the audit date the inventory itself pins (or the run's date).
"""

from __future__ import annotations

from typing import Any, TextIO

from zerotrust_audit.findings import Finding, Report
from zerotrust_audit.rules.base import Rule
from zerotrust_audit.report import jsontext


def rule_metadata(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity,
        "severity_note": rule.severity_note,
        "pillar": rule.pillar,
        "entity_kind": rule.entity_kind,
        "references": list(rule.references),
        "rationale": rule.rationale,
        "remediation": rule.remediation,
        "thresholds": list(rule.thresholds),
    }


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "tool": {"name": "zerotrust-audit", "version": report.tool_version},
        "format_version": 1,
        "audit_date": report.audit_date.isoformat(),
        "summary": {
            "findings": len(report.findings),
            "suppressed": len(report.suppressed),
            "by_severity": report.by_severity(),
            "by_pillar": report.by_pillar(),
            "fail_on": report.fail_on,
            "failing": len(report.failing()),
        },
        "findings": jsontext.Each(report.findings, Finding.to_dict, report.jobs),
        "suppressed": [{"finding": s.finding.to_dict(), s.waiver.get("kind", "waiver"): s.waiver} for s in report.suppressed],
        "rules": [rule_metadata(r) for r in report.rules],
        "inputs": [{"path": i.path, "sha256": i.sha256, "documents": i.documents} for i in report.inputs],
        **({"baseline": report.extra["baseline"]} if "baseline" in report.extra else {}),
    }


def render(report: Report, color: bool = False) -> str:
    return jsontext.dumps(report_dict(report), levels=2)


def write(report: Report, handle: TextIO) -> None:
    """The same text as :func:`render`, written to ``handle`` as it is produced."""
    jsontext.dump(report_dict(report), handle.write, levels=2)
