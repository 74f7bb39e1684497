"""Findings and the report: the result object between the engine and reporters.

Reporters never compute: everything they print is here, already sorted, so
the same input always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from zerotrust_audit.errors import Location
from zerotrust_audit.load import InputFile
from zerotrust_audit.rules.base import PILLARS, SEVERITIES, Rule

SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}  # critical = 0
_FINGERPRINT_FACTS = ("resource", "user", "endpoint", "network", "gateway", "rule", "stricter_rule", "deny_rule", "principal")


@dataclass(frozen=True)
class Finding:
    """One gap, in the shape of the findings contract."""

    rule_id: str
    title: str
    severity: str
    pillar: str
    entity_kind: str
    entity_name: str
    location: Location
    message: str
    remediation: str
    references: tuple[str, ...]
    evidence: dict[str, Any] | None = None
    waivable_as: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    def sort_key(self) -> tuple[Any, ...]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule_id, self.entity_kind, self.entity_name, self.message)

    @property
    def fingerprint(self) -> str:
        """A stable identity: rule, entity and the facts that tell two findings of
        the same rule on the same entity apart (resource, user, endpoint, ...),
        never the line, so moving a definition does not make it new."""
        facts = self.evidence or {}
        keys = "|".join(f"{k}={facts[k]}" for k in _FINGERPRINT_FACTS if isinstance(facts.get(k), (str, int)))
        text = f"{self.rule_id}|{self.entity_kind}|{self.entity_name}|{keys}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule_id": self.rule_id,
            "title": self.title,
            "severity": self.severity,
            "pillar": self.pillar,
            "entity": {"kind": self.entity_kind, "name": self.entity_name},
            "location": {"path": self.location.path, "line": self.location.line, "column": self.location.column},
            "message": self.message,
            "remediation": self.remediation,
            "references": list(self.references),
        }
        if self.evidence is not None:
            data["evidence"] = self.evidence
        return data


@dataclass(frozen=True)
class Suppressed:
    """A finding accepted by a valid waiver or a baseline; ``waiver["kind"]`` says which."""

    finding: Finding
    waiver: dict[str, Any]


@dataclass
class Report:
    """Everything a reporter needs about one scan."""

    tool_version: str
    audit_date: dt.date
    findings: list[Finding]
    suppressed: list[Suppressed]
    rules: list[Rule]
    inputs: list[InputFile]
    fail_on: str = "low"
    extra: dict[str, Any] = field(default_factory=dict)
    jobs: int = 1            # processes a reporter may use for a large report

    def by_severity(self) -> dict[str, int]:
        counts = {s: 0 for s in SEVERITIES}
        for f in self.findings:
            counts[f.severity] += 1
        return counts

    def by_pillar(self) -> dict[str, int]:
        counts = {p: 0 for p in PILLARS}
        for f in self.findings:
            counts[f.pillar] += 1
        return counts

    def failing(self) -> list[Finding]:
        """Findings at or above the ``fail_on`` threshold (none when it is ``never``)."""
        if self.fail_on == "never":
            return []
        bar = SEVERITY_RANK[self.fail_on]
        return [f for f in self.findings if SEVERITY_RANK[f.severity] <= bar]
