"""Text output: one ``path:line:col  SEVERITY  RULE-ID  message`` line per finding.

Terminals and editors jump to ``path:line:col``. On a terminal findings are
grouped by file and coloured; otherwise (pipes, CI logs, ``NO_COLOR``) the
lines are plain. A summary by severity and pillar closes the report.
"""

from __future__ import annotations

from itertools import groupby

from zerotrust_audit.findings import Finding, Report
from zerotrust_audit.report.escape import terminal

_COLORS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m", "info": "\033[2m"}
_RESET, _BOLD = "\033[0m", "\033[1m"




def _line(finding: Finding, color: bool) -> str:
    severity = finding.severity.upper()
    if color:
        severity = f"{_COLORS[finding.severity]}{severity:<8}{_RESET}"
    else:
        severity = f"{severity:<8}"
    return f"{terminal(str(finding.location))}  {severity}  {finding.rule_id}  {terminal(finding.message)}"


def render(report: Report, color: bool = False) -> str:
    lines: list[str] = []
    if color:
        for path, group in groupby(report.findings, key=lambda f: f.location.path):
            lines.append(f"{_BOLD}{terminal(path)}{_RESET}")
            lines.extend("  " + _line(f, color) for f in group)
            lines.append("")
    else:
        lines.extend(_line(f, color) for f in report.findings)
        if report.findings:
            lines.append("")
    lines.extend(_summary(report))
    return "\n".join(lines) + "\n"


def _summary(report: Report) -> list[str]:
    count = len(report.findings)
    if not count:
        head = "No findings."
    else:
        head = f"{count} finding{'s' if count != 1 else ''}"
    severities = ", ".join(f"{n} {s}" for s, n in report.by_severity().items() if n)
    pillars = ", ".join(f"{n} {p}" for p, n in report.by_pillar().items() if n)
    out = [head + (f": {severities}" if severities else "")]
    if pillars:
        out.append(f"By pillar: {pillars}")
    kinds = [s.waiver.get("kind", "waiver") for s in report.suppressed]
    for kind, words in (("waiver", "waivers"), ("inline", "inline suppressions"), ("baseline", "the baseline")):
        if kinds.count(kind):
            out.append(f"{kinds.count(kind)} suppressed by {words}")
    baseline = report.extra.get("baseline")
    if baseline is not None and baseline["fixed"]:
        out.append(f"{len(baseline['fixed'])} baseline findings fixed:")
        out.extend(f"  {e.get('rule_id')}  {e.get('entity', {}).get('kind')}/{terminal(str(e.get('entity', {}).get('name')))}" for e in baseline["fixed"])
    failing = len(report.failing())
    bar = "never" if report.fail_on == "never" else f"{report.fail_on} or above"
    out.append(f"{failing} at {bar} (--fail-on {report.fail_on}); {len(report.rules)} rules ran on {len(report.inputs)} files, audit date {report.audit_date.isoformat()}")
    return out
