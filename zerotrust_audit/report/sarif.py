"""SARIF 2.1.0 output, so code-scanning services (GitHub, Azure DevOps, IDEs) show findings inline.

Like the JSON reporter it is byte-identical across runs and machines: keys are
sorted, lists keep the report's order, and nothing time- or host-dependent is
written (no time stamps, no absolute paths, hence no ``originalUriBaseIds``:
locations are relative to ``%SRCROOT%``, which the consumer resolves to its
checkout). Findings accepted by a waiver or the baseline are still emitted,
with a suppression, so a dashboard can show accepted risks instead of
forgetting them.
"""

from __future__ import annotations

import re
from typing import Any, TextIO
from urllib.parse import quote

from zerotrust_audit.findings import Finding, Report, Suppressed
from zerotrust_audit.rules import RULES_BY_ID
from zerotrust_audit.rules.base import Rule
from zerotrust_audit.report import jsontext

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/zerotrust-audit/zerotrust-audit"
RULES_DOC = INFORMATION_URI + "/blob/main/docs/rules.md#"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "zerotrustAudit/v1"

# SARIF has three result levels; our five severities fold onto them.
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub ranks alerts by this CVSS-like score, and only reads it as a string.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
# Framework names as references spell them (see rules.base.refs); a reference
# tags its rule with the framework, so a dashboard can filter by framework.
FRAMEWORKS = (
    "NIST SP 800-207", "NIST SP 800-53", "NIST SP 800-63B", "CIS Controls v8",
    "CISA ZTMM", "CISA SCuBA", "OMB M-22-09",
)


def _uri(path: str) -> str:
    """A relative path as a valid URI reference: SARIF wants URIs, and a file
    name with a space or ``#`` would otherwise be a broken (or different) URI."""
    return quote(path.replace("\\", "/"), safe="/")


def _camel(title: str) -> str:
    """``Default action is allow`` -> ``DefaultActionIsAllow`` (acronyms kept)."""
    return "".join(w[0].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", title))


def _frameworks(references: tuple[str, ...] | list[str]) -> set[str]:
    return {f for ref in references for f in FRAMEWORKS if ref == f or ref.startswith(f + " ")}


def _help(rationale: str, remediation: str, references: tuple[str, ...] | list[str]) -> dict[str, str]:
    text = [rationale, f"Fix: {remediation}"] if rationale else [f"Fix: {remediation}"]
    markdown = [rationale, f"**Fix:** {remediation}"] if rationale else [f"**Fix:** {remediation}"]
    if references:
        text.append("References:\n" + "\n".join(f"- {r}" for r in references))
        markdown.append("**References:**\n\n" + "\n".join(f"- {r}" for r in references))
    return {"text": "\n\n".join(text), "markdown": "\n\n".join(markdown)}


def _descriptor(rule_id: str, title: str, severity: str, pillar: str, references: tuple[str, ...],
                rationale: str, remediation: str) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": _camel(title),
        "shortDescription": {"text": title},
        "help": _help(rationale, remediation, references),
        "helpUri": RULES_DOC + rule_id.lower(),
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {
            "tags": sorted({"security", pillar, *_frameworks(references)}),
            "security-severity": SECURITY_SEVERITY[severity],
            "precision": "high",
        },
    }
    if rationale:  # SARIF forbids an empty message string; omit rather than invent.
        descriptor["fullDescription"] = {"text": rationale}
    return descriptor


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """The reportingDescriptor of a rule: what a code-scanning UI shows next to an alert."""
    return _descriptor(rule.id, rule.title, rule.severity, rule.pillar, rule.references,
                       rule.rationale, rule.remediation)


def _finding_descriptor(finding: Finding) -> dict[str, Any]:
    """A descriptor for a rule that is not in ``report.rules`` (a result must
    still point at one); the pack's metadata when known, else the finding's."""
    rule = RULES_BY_ID.get(finding.rule_id)
    if rule is not None:
        return rule_descriptor(rule)
    return _descriptor(finding.rule_id, finding.title, finding.severity, finding.pillar,
                       finding.references, "", finding.remediation)


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    loc = finding.location
    properties: dict[str, Any] = {
        "severity": finding.severity,
        "pillar": finding.pillar,
        "entity": {"kind": finding.entity_kind, "name": finding.entity_name},
        "remediation": finding.remediation,
        "references": list(finding.references),
    }
    if finding.evidence is not None:
        properties["evidence"] = finding.evidence
    return {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(loc.path), "uriBaseId": SRCROOT},
                "region": {"startLine": loc.line, "startColumn": loc.column},
            },
            "logicalLocations": [{
                "name": finding.entity_name,
                "kind": finding.entity_kind,
                "fullyQualifiedName": f"{finding.entity_kind}/{finding.entity_name}",
            }],
        }],
        # The fingerprint leaves the line out, so an alert survives edits that move it.
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }


def _suppression(suppressed: Suppressed) -> dict[str, Any]:
    """Waivers and baselines live outside the flagged line (``external``); an
    inline comment sits in the file itself (``inSource``)."""
    kind = "inSource" if suppressed.waiver.get("kind") == "inline" else "external"
    suppression: dict[str, Any] = {"kind": kind, "status": "accepted", "properties": dict(suppressed.waiver)}
    reason = suppressed.waiver.get("reason")
    if reason:
        suppression["justification"] = str(reason)
    return suppression


def sarif_dict(report: Report) -> dict[str, Any]:
    rules = [rule_descriptor(r) for r in report.rules]
    index = {r["id"]: i for i, r in enumerate(rules)}

    def rule_index(finding: Finding) -> int:
        if finding.rule_id not in index:
            index[finding.rule_id] = len(rules)
            rules.append(_finding_descriptor(finding))
        return index[finding.rule_id]

    results = [_result(f, rule_index(f)) for f in report.findings]
    for s in report.suppressed:
        result = _result(s.finding, rule_index(s.finding))
        result["suppressions"] = [_suppression(s)]
        results.append(result)
    artifacts = [
        {"location": {"uri": _uri(i.path), "uriBaseId": SRCROOT}, "hashes": {"sha-256": i.sha256}}
        for i in report.inputs
    ]
    driver = {"name": "zerotrust-audit", "version": report.tool_version,
              "informationUri": INFORMATION_URI, "rules": rules}
    run = {
        "tool": {"driver": driver},
        "invocations": [{"executionSuccessful": True}],
        "artifacts": artifacts,
        "results": jsontext.Each(results, jobs=report.jobs),
        # The YAML reader counts columns in characters, not UTF-16 code units.
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: Report, color: bool = False) -> str:
    return jsontext.dumps(sarif_dict(report), levels=4)


def write(report: Report, handle: TextIO) -> None:
    """The same text as :func:`render`, written to ``handle`` as it is produced."""
    jsontext.dump(sarif_dict(report), handle.write, levels=4)
