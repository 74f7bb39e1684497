"""Reports for reporter tests: the bundled example, and small hand-made ones
that hold exactly the text a test needs (hostile messages, many findings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cache
from pathlib import Path

from zerotrust_audit.api import scan
from zerotrust_audit.errors import Location
from zerotrust_audit.findings import Finding, Report, Suppressed
from zerotrust_audit.rules import ALL_RULES

EXAMPLE = Path(__file__).resolve().parents[1] / "policies" / "acme"
RULE = ALL_RULES[0]


@cache
def example_report() -> Report:
    """Scanned once per test session; reporters only read it."""
    return scan([EXAMPLE])


def make_finding(**changes: object) -> Finding:
    base = Finding(
        rule_id=RULE.id, title=RULE.title, severity="high", pillar=RULE.pillar, entity_kind="user",
        entity_name="ana", location=Location("identity/users.yaml", 3, 5), message="ana has no MFA",
        remediation="Enrol a phishing-resistant factor.", references=("NIST SP 800-207 T6",),
    )
    return replace(base, **changes)


def make_report(findings: list[Finding], suppressed: list[Suppressed] | None = None, rules: list | None = None) -> Report:
    return Report(
        tool_version="0.0.0", audit_date=dt.date(2026, 11, 1), findings=findings, suppressed=suppressed or [],
        rules=list(rules) if rules is not None else [RULE], inputs=[],
    )
