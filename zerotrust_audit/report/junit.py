"""JUnit XML output, for the test dashboards of Jenkins and GitLab.

CI systems already know how to show, count and trend test results, so each
rule becomes a test suite and each entity a rule flags becomes a failed test
case: a dashboard then shows which rules fail and on what. Waived findings
are skipped (visible, but not failing), and a rule without findings gets one
passing case so it counts as passed instead of disappearing.

Times are a fixed ``0`` and nothing else varies between runs, so the same
report always gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from zerotrust_audit.findings import SEVERITY_RANK, Finding, Report, Suppressed

PASSING_NAME = "all entities"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters XML 1.0 cannot hold at all, not even as character references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Key = tuple[str, str, str]  # rule id, entity kind, entity name


def xml_text(text: str) -> str:
    """Policy files are untrusted and may hold control characters (an ESC, say)
    that would make the whole file unparsable: they are shown as ``\\x1b``."""
    return _NOT_XML.sub(_shown, text)


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _key(finding: Finding) -> Key:
    return finding.rule_id, finding.entity_kind, finding.entity_name


def _group(findings: Iterable[Finding]) -> dict[str, dict[Key, list[Finding]]]:
    """By rule, then one test case per (rule, entity): a rule may report an entity
    several times (one finding per resource, say), which is still one failed check."""
    groups: dict[str, dict[Key, list[Finding]]] = {}
    for finding in findings:
        groups.setdefault(finding.rule_id, {}).setdefault(_key(finding), []).append(finding)
    return groups


def _details(finding: Finding) -> str:
    lines = [f"{finding.location} [{finding.severity}]", finding.message]
    if finding.remediation:
        lines.append(f"Remediation: {finding.remediation}")
    if finding.references:
        lines.append("References: " + "; ".join(finding.references))
    return "\n".join(lines)


def _case(parent: ET.Element, rule_id: str, name: str, first: Finding | None = None) -> ET.Element:
    attrs = {"classname": xml_text(rule_id), "name": xml_text(name)}
    if first is not None:
        attrs |= {"file": xml_text(first.location.path), "line": str(first.location.line)}
    return ET.SubElement(parent, "testcase", attrs | {"time": "0"})


def _failed(suite: ET.Element, findings: list[Finding], suppressed: int) -> None:
    first = findings[0]
    worst = min((f.severity for f in findings), key=SEVERITY_RANK.__getitem__)
    if len(findings) == 1:
        message = first.message
    else:
        message = f"{len(findings)} findings: " + "; ".join(f.message for f in findings)
    text = "\n\n".join(_details(f) for f in findings)
    if suppressed:
        text += f"\n\n{suppressed} more finding{'s' if suppressed != 1 else ''} on this entity suppressed by waiver or baseline."
    case = _case(suite, first.rule_id, f"{first.entity_kind}/{first.entity_name}", first)
    failure = ET.SubElement(case, "failure", {"message": xml_text(message), "type": worst})
    failure.text = xml_text(text)


def _skipped(suite: ET.Element, suppressed: list[Suppressed]) -> None:
    first = suppressed[0].finding
    waiver = suppressed[0].waiver
    how = "baselined" if waiver.get("kind") == "baseline" else "waived"
    case = _case(suite, first.rule_id, f"{first.entity_kind}/{first.entity_name}", first)
    ET.SubElement(case, "skipped", {"message": xml_text(f"{how}: {waiver.get('reason', '')}")})


def _counts(element: ET.Element, tests: int, failures: int, skipped: int) -> None:
    element.attrib |= {"tests": str(tests), "failures": str(failures), "errors": "0", "skipped": str(skipped), "time": "0"}


def build(report: Report) -> ET.Element:
    """The ``<testsuites>`` tree: one suite per rule that ran, in the report's order."""
    failing = _group(report.findings)
    waived: dict[str, dict[Key, list[Suppressed]]] = {}
    for s in report.suppressed:
        waived.setdefault(s.finding.rule_id, {}).setdefault(_key(s.finding), []).append(s)
    titles = {r.id: r.title for r in report.rules}
    for finding in [*report.findings, *(s.finding for s in report.suppressed)]:
        titles.setdefault(finding.rule_id, finding.title)  # defensive: a finding of a rule not listed

    root = ET.Element("testsuites", {"name": "ztaudit"})
    totals = [0, 0, 0]
    for rule_id, title in titles.items():
        suite = ET.SubElement(root, "testsuite", {"name": xml_text(f"{rule_id} {title}")})
        failed, rule_waived = failing.get(rule_id, {}), waived.get(rule_id, {})
        skipped = [k for k in rule_waived if k not in failed]
        for key, findings in failed.items():
            _failed(suite, findings, len(rule_waived.get(key, ())))
        for key in skipped:
            _skipped(suite, rule_waived[key])
        if not failed:
            _case(suite, rule_id, PASSING_NAME)
        tests = len(suite)
        _counts(suite, tests, len(failed), len(skipped))
        totals = [totals[0] + tests, totals[1] + len(failed), totals[2] + len(skipped)]
    _counts(root, *totals)
    return root


def render(report: Report, color: bool = False) -> str:
    root = build(report)
    ET.indent(root, space="  ")
    return _DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
