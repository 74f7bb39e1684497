"""Applying inline suppressions to findings, and reporting the ones that are wrong.

A suppression with a reason accepts the named rules' findings on the line it
applies to (its own when it ends a line, the next when it stands alone). One without a reason accepts nothing and is itself a finding
(ZT-GOV-007); one that accepts nothing is reported as unused (ZT-GOV-008),
when the rules it names ran. ``--no-inline-suppressions`` ignores them all.
"""

from __future__ import annotations

from zerotrust_audit.errors import Location
from zerotrust_audit.findings import Finding, Suppressed
from zerotrust_audit.load.comments import InlineSuppression
from zerotrust_audit.model.inventory import SourceMap
from zerotrust_audit.rules.base import Rule

MISSING_REASON_RULE = "ZT-GOV-007"
UNUSED_RULE = "ZT-GOV-008"


def apply_inline(
    findings: list[Finding], suppressions: list[InlineSuppression], sources: SourceMap, selected: list[Rule], all_rules: dict[str, Rule],
    allowed: tuple[str, ...] = (),
) -> tuple[list[Finding], list[Suppressed]]:
    """``allowed`` (rule ids or prefixes) limits which rules a comment may suppress."""
    by_line: dict[tuple[str, int], list[InlineSuppression]] = {}
    for s in suppressions:
        by_line.setdefault((s.path, s.applies_to), []).append(s)
    kept, suppressed, used = [], [], set()
    for finding in findings:
        match = _matching(finding, by_line, sources)
        if match is not None and allowed and not any(finding.rule_id.startswith(a) for a in allowed):
            match = None  # the configuration does not let this rule be suppressed in place
        if match is None:
            kept.append(finding)
            continue
        used.add(match)
        suppressed.append(Suppressed(finding, {
            "kind": "inline", "rule_ids": list(match.rule_ids), "reason": match.reason,
            "location": {"path": match.path, "line": match.line, "column": match.column},
        }))
    ran = {r.id for r in selected}
    for s in suppressions:
        if not s.reason and MISSING_REASON_RULE in ran:
            kept.append(_finding(all_rules[MISSING_REASON_RULE], s, f"inline suppression of {', '.join(s.rule_ids)} gives no reason, so it suppresses nothing"))
        elif s.reason and s not in used and UNUSED_RULE in ran and any(r in ran for r in s.rule_ids):
            kept.append(_finding(all_rules[UNUSED_RULE], s, f"inline suppression of {', '.join(s.rule_ids)} matches no finding on this line or the next"))
    return kept, suppressed


def _matching(finding: Finding, by_line: dict[tuple[str, int], list[InlineSuppression]], sources: SourceMap) -> InlineSuppression | None:
    lines = {finding.location.line}
    source = sources.of(finding.entity_kind, finding.entity_name)
    if source is not None and source.location.path == finding.location.path:
        lines.add(source.location.line)
    for line in sorted(lines):
        for s in by_line.get((finding.location.path, line), ()):
            if s.reason and finding.rule_id in s.rule_ids:
                return s
    return None


def _finding(rule: Rule, s: InlineSuppression, message: str) -> Finding:
    return Finding(
        rule_id=rule.id, title=rule.title, severity=rule.severity, pillar=rule.pillar, entity_kind="waiver",
        entity_name=f"inline:{s.path}:{s.line}", location=Location(s.path, s.line, s.column), message=message,
        remediation=rule.remediation, references=rule.references,
    )
