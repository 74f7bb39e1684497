"""GitLab Code Quality output: a JSON array of issues for merge request widgets.

GitLab compares the issues of a merge request with those of its target branch
by ``fingerprint``, so the finding's fingerprint (rule, entity and
distinguishing facts, never the line) is what marks an issue as new or fixed:
moving a definition in a file does not make its finding look new.

Only findings that count are written: what a waiver or the baseline accepted
would otherwise show up in every merge request. Keys are sorted and the list
keeps the report's order, so the same report always gives the same bytes.

Paths are relative to the scanned root; scan from the repository root (or
the policy folder at the repository root) for GitLab to link the lines.
"""

from __future__ import annotations

import hashlib
from typing import Any

from zerotrust_audit.findings import Finding, Report
from zerotrust_audit.report import jsontext

# GitLab's scale is info, minor, major, critical, blocker. Blocker is not used:
# what blocks a merge is the failing job (``--fail-on``), not the widget.
SEVERITY = {"critical": "critical", "high": "major", "medium": "minor", "low": "info", "info": "info"}


def issue(finding: Finding, fingerprint: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "description": finding.message,
        "check_name": finding.rule_id,
        "fingerprint": fingerprint or finding.fingerprint,
        "severity": SEVERITY[finding.severity],
        "location": {"path": finding.location.path, "lines": {"begin": finding.location.line}},
        "categories": ["Security"],
    }
    if finding.remediation:
        data["content"] = {"body": finding.remediation}
    return data


def _unique_fingerprints(findings: list[Finding]) -> list[str]:
    """GitLab shows one issue per fingerprint. Two findings the fingerprint cannot
    tell apart keep the first one as is; the next get one derived from it and
    their rank among the same, stable as long as the report is."""
    seen: dict[str, int] = {}
    prints = []
    for finding in findings:
        base = finding.fingerprint
        n = seen.get(base, 0)
        seen[base] = n + 1
        prints.append(base if n == 0 else hashlib.sha256(f"{base}|{n}".encode()).hexdigest()[:32])
    return prints


def issues(report: Report) -> list[dict[str, Any]]:
    return [issue(f, fp) for f, fp in zip(report.findings, _unique_fingerprints(report.findings))]


def render(report: Report, color: bool = False) -> str:
    return jsontext.dumps(issues(report), levels=1)
