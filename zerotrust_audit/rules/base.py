"""What a rule is: metadata in one typed object, logic in a generator.

A rule only says *what is wrong about which entity* (a :class:`Hit`); the
engine stamps the rule id, severity, pillar, references and the location of
the entity's definition. Rules keep no state between runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from zerotrust_audit.analysis.facts import Facts

Severity = Literal["critical", "high", "medium", "low", "info"]
Pillar = Literal["identity", "devices", "networks", "applications", "data", "visibility", "governance"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
PILLARS: tuple[Pillar, ...] = ("identity", "devices", "networks", "applications", "data", "visibility", "governance")


@dataclass(frozen=True)
class Hit:
    """One problem a rule found. ``field`` points inside the entity when a field is to blame."""

    kind: str
    name: str
    message: str
    severity: Severity | None = None          # overrides the rule default (escalation)
    field: tuple[str | int, ...] = ()
    evidence: dict[str, Any] | None = None    # structured proof (paths, facts)
    # Other entities a waiver may name to accept this finding (an MFA exemption
    # is reported on the policy but accepted per exempted user or group).
    waivable_as: tuple[tuple[str, str], ...] = ()


Check = Callable[[Facts], Iterator[Hit]]


@dataclass(frozen=True)
class Rule:
    """A rule of the pack: its metadata, its documentation and its check."""

    id: str
    title: str
    severity: Severity
    pillar: Pillar
    entity_kind: str
    references: tuple[str, ...]
    rationale: str
    remediation: str
    failing_example: str
    passing_example: str
    check: Check
    thresholds: tuple[str, ...] = ()
    severity_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def area(self) -> str:
        return self.id.split("-")[1]


def rule(**meta: Any) -> Callable[[Check], Rule]:
    """Decorate a check function with its metadata, turning it into a :class:`Rule`."""

    def wrap(check: Check) -> Rule:
        return Rule(check=check, **meta)

    return wrap


def refs(
    tenets: tuple[str, ...] = (),
    ztmm: tuple[str, ...] = (),
    sp800_53: tuple[str, ...] = (),
    cis: tuple[str, ...] = (),
    sp800_63b: tuple[str, ...] = (),
    scuba: tuple[str, ...] = (),
    other: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """Framework references in one consistent spelling, so reports can group by framework.

    ``tenets`` are NIST SP 800-207 section 2.1 tenet numbers ("T6"), ``ztmm``
    CISA Zero Trust Maturity Model v2.0 "Pillar/Function" pairs.
    """
    return (
        *(f"NIST SP 800-207 {t}" for t in tenets),
        *(f"CISA ZTMM {z}" for z in ztmm),
        *(f"NIST SP 800-53 {c}" for c in sp800_53),
        *(f"CIS Controls v8 {c}" for c in cis),
        *(f"NIST SP 800-63B {s}" for s in sp800_63b),
        *(f"CISA SCuBA {s}" for s in scuba),
        *other,
    )
