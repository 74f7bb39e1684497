"""GitHub Actions output: workflow-command annotations and a Markdown job summary.

A ``::error file=...,line=...::message`` line in a job's log becomes an
annotation on that line of the pull request's diff, where the author of the
policy change sees it. Messages echo policy files that may come from the pull
request itself, so everything is escaped: an unescaped newline would let a
crafted name start a workflow command of its own, and unescaped Markdown or
HTML would let it reshape the job summary page.

Paths are relative to the scanned root; GitHub places an annotation on the
diff only when that is also the path from the repository root.
"""

from __future__ import annotations

from zerotrust_audit.findings import SEVERITY_RANK, Finding, Report
from zerotrust_audit.report.escape import terminal
from zerotrust_audit.rules.base import SEVERITIES

LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}
# GitHub refuses a step summary over 1 MiB; the table stops short of it.
SUMMARY_BUDGET = 1_000_000
_MARKDOWN = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]|~"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape_data(text: str) -> str:
    """The message after ``::``: GitHub's own escaping (actions/toolkit ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` property: ``:`` and ``,`` would otherwise end the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    loc = finding.location
    props = ",".join(
        f"{key}={escape_property(value)}"
        for key, value in (
            ("file", loc.path), ("line", str(loc.line)), ("col", str(loc.column)),
            ("title", f"{finding.rule_id} {finding.title}"),
        )
    )
    return f"::{LEVEL[finding.severity]} {props}::{escape_data(finding.message)}"


def render(report: Report, color: bool = False) -> str:
    """One annotation per finding that counts (waived and baselined ones are left out)."""
    return "".join(annotation(f) + "\n" for f in report.findings)


def markdown_cell(text: str) -> str:
    """Text for one table cell, shown literally: on one line, control characters
    visible, Markdown syntax backslash-escaped and HTML turned into entities."""
    return terminal(" ".join(text.splitlines())).translate(_MARKDOWN)


def _row(finding: Finding) -> str:
    cells = (finding.severity, finding.rule_id, str(finding.location), finding.message)
    return "| " + " | ".join(markdown_cell(c) for c in cells) + " |\n"


def summary_markdown(report: Report) -> str:
    """The job summary: counts by severity, then the findings, most severe first."""
    count = len(report.findings)
    out = [f"## ztaudit: {count} finding{'s' if count != 1 else ''}\n", "\n"]
    out += ["| severity | findings |\n", "|---|---:|\n"]
    counts = report.by_severity()
    out += [f"| {s} | {counts[s]} |\n" for s in SEVERITIES]
    failing = len(report.failing())
    bar = "never fails" if report.fail_on == "never" else f"fails on {report.fail_on} or above"
    out += ["\n", f"{failing} failing (the scan {bar}); {len(report.suppressed)} suppressed by waivers or the baseline; "
            f"{len(report.rules)} rules ran on {len(report.inputs)} files, audit date {report.audit_date.isoformat()}.\n"]
    if not count:
        return "".join(out)
    out += ["\n", "| severity | rule | location | message |\n", "|---|---|---|---|\n"]
    size = sum(len(part.encode("utf-8")) for part in out)
    ranked = sorted(report.findings, key=lambda f: SEVERITY_RANK[f.severity])  # stable: report order within a severity
    for shown, finding in enumerate(ranked):
        row = _row(finding)
        size += len(row.encode("utf-8"))
        if size > SUMMARY_BUDGET:
            out += ["\n", f"{count - shown} more not shown: a job summary is limited to 1 MiB; see the full report.\n"]
            break
        out.append(row)
    return "".join(out)
