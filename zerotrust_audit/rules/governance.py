"""ZT-GOV: governance: waivers, loosened thresholds and grants nobody can trace."""

from __future__ import annotations

from collections.abc import Iterator

from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.model.entities import Waiver
from zerotrust_audit.rules.base import Hit, refs, rule
from zerotrust_audit.rules.thresholds import THRESHOLDS


def _waiver_example(approved_by: str = "ciso@acme.example", approved_on: str = "2026-06-01", expires: str = "2027-05-31") -> str:
    """A complete document: an internet-facing SSH host and a waiver of ZT-APP-001 for it."""
    return f"""\
version: 1
resources:
  - {{name: jump-host, type: ssh, sensitivity: confidential, exposure: internet, logging: true, owner: platform}}
waivers:
  - rule: ZT-APP-001
    target: {{kind: resource, name: jump-host}}
    reason: Vendor support access until the bastion migration (RISK-0101)
    approved_by: {approved_by}
    approved_on: {approved_on}
    expires: {expires}
"""


def _accepts(waiver: Waiver) -> str:
    """The finding a waiver is meant to accept, in words."""
    return f"waiver of {waiver.rule} for {waiver.target.kind.replace('_', ' ')} '{waiver.target.name}'"


def _same_person(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold()


@rule(
    id="ZT-GOV-001",
    title="Waiver past its expiry",
    severity="medium",
    pillar="governance",
    entity_kind="waiver",
    references=refs(ztmm=("Cross-cutting/Governance",), sp800_53=("CA-5", "RA-7", "PM-4")),
    rationale="An expired risk acceptance means the gap is now unowned.",
    remediation="Fix the underlying finding, or renew the waiver with a fresh approval and a new expiry date.",
    failing_example=_waiver_example(expires="2026-10-01"),
    passing_example=_waiver_example(expires="2027-05-31"),
)
def expired_waiver(facts: Facts) -> Iterator[Hit]:
    """An expired waiver no longer suppresses its finding; the lapse itself needs attention.

    On its expiry date a waiver still applies, as the engine treats it.
    """
    for waiver in facts.inventory.waivers:
        if waiver.expires < facts.today:
            days = (facts.today - waiver.expires).days
            yield Hit(
                "waiver", waiver.name,
                f"{_accepts(waiver)} expired on {waiver.expires.isoformat()}, {days} days before the audit date "
                f"{facts.today.isoformat()}: that finding is no longer accepted",
                field=("expires",),
            )


@rule(
    id="ZT-GOV-002",
    title="Waiver valid for too long",
    severity="low",
    pillar="governance",
    entity_kind="waiver",
    references=refs(ztmm=("Cross-cutting/Governance",), sp800_53=("CA-5", "RA-7")),
    rationale="Multi-year exceptions are no longer exceptions.",
    remediation="Limit waivers to a year or less (waiver_max_days), record approved_on, and re-approve at expiry.",
    failing_example=_waiver_example(expires="2028-05-31"),
    passing_example=_waiver_example(expires="2027-05-31"),
    thresholds=("waiver_max_days",),
)
def long_waiver(facts: Facts) -> Iterator[Hit]:
    """A risk acceptance must come back for review; without approved_on it is measured from the audit date."""
    limit = int(facts.thresholds["waiver_max_days"])
    for waiver in facts.inventory.waivers:
        start = waiver.approved_on or facts.today
        days = (waiver.expires - start).days
        if days <= limit:
            continue
        since = (
            f"from approved_on {start.isoformat()}" if waiver.approved_on
            else f"from the audit date {start.isoformat()} (approved_on is not recorded)"
        )
        yield Hit(
            "waiver", waiver.name,
            f"{_accepts(waiver)} runs {days} days {since} to expires {waiver.expires.isoformat()} (limit {limit})",
            field=("expires",),
        )


@rule(
    id="ZT-GOV-003",
    title="Waiver approved by its own subject, or without approver",
    severity="low",
    pillar="governance",
    entity_kind="waiver",
    references=refs(ztmm=("Cross-cutting/Governance",), sp800_53=("AC-5", "CA-5")),
    rationale="Self-approval defeats the purpose of risk acceptance.",
    remediation="Have a separate risk owner (for example a CISO delegate) approve the waiver, and record who in approved_by.",
    failing_example=_waiver_example(approved_by="platform"),
    passing_example=_waiver_example(approved_by="ciso@acme.example"),
)
def self_approved_waiver(facts: Facts) -> Iterator[Hit]:
    """Whoever a waiver is about, or whoever owns its target, cannot also accept its risk."""
    inventory = facts.inventory
    for waiver in inventory.waivers:
        target, approver = waiver.target, waiver.approved_by
        if not approver.strip():
            problem = "has no approver (approved_by is empty)"
        elif target.kind == "user" and _same_person(approver, target.name):
            problem = f"was approved by '{approver}', the user it is about"
        elif target.kind == "endpoint" and _same_person(approver, inventory.endpoints[target.name].owner):
            problem = f"was approved by '{approver}', the owner of endpoint '{target.name}'"
        elif target.kind == "resource" and _same_person(approver, inventory.resources[target.name].owner):
            problem = f"was approved by '{approver}', the owner of resource '{target.name}'"
        else:
            continue
        yield Hit("waiver", waiver.name, f"{_accepts(waiver)} {problem}", field=("approved_by",))


@rule(
    id="ZT-GOV-004",
    title="Waiver that matches nothing",
    severity="info",
    pillar="governance",
    entity_kind="waiver",
    references=refs(ztmm=("Cross-cutting/Governance",), sp800_53=("CA-5", "CM-3")),
    rationale="Stale waivers confuse audits and may silently cover a future, different gap.",
    remediation="Delete the waiver, or correct its rule id or target so it accepts the finding it was written for.",
    failing_example="""\
version: 1
resources:
  - {name: legacy-crm, type: app, sensitivity: confidential, exposure: vpn_only, logging: true, owner: sales-ops}
waivers:
  - rule: ZT-APP-004
    target: {kind: resource, name: legacy-crm}
    reason: Owner to be assigned after the reorganisation (RISK-0110)
    approved_by: ciso@acme.example
    approved_on: 2026-06-01
    expires: 2027-05-31
""",
    passing_example="""\
version: 1
resources:
  - {name: legacy-crm, type: app, sensitivity: confidential, exposure: vpn_only, logging: true}
waivers:
  - rule: ZT-APP-004
    target: {kind: resource, name: legacy-crm}
    reason: Owner to be assigned after the reorganisation (RISK-0110)
    approved_by: ciso@acme.example
    approved_on: 2026-06-01
    expires: 2027-05-31
""",
    # The examples only show the finding when the waived rule runs as well.
    extra={"example_select": ("ZT-GOV-004", "ZT-APP-004")},
)
def unused_waiver(facts: Facts) -> Iterator[Hit]:
    """Reported by the engine, which alone knows which waivers suppressed a finding in this run.

    A valid (unexpired) waiver of a rule that ran but suppressed nothing gets this
    finding. Unknown rule ids and absent targets never reach the rules: they are
    input errors when the inventory loads.
    """
    yield from ()


@rule(
    id="ZT-GOV-005",
    title="Threshold relaxed beyond its source default",
    severity="info",
    pillar="governance",
    entity_kind="organization",
    references=refs(ztmm=("Cross-cutting/Governance",), sp800_53=("CM-6", "PL-2")),
    rationale='Reports must show when a "pass" comes from a loosened bar.',
    remediation="Restore the default, or document in the policy repository why the organisation accepts the weaker value.",
    failing_example="""\
version: 1
organization:
  name: Acme Corp
  default_action: deny
  audit_date: 2026-11-01
  thresholds:
    patch_age_days: 60
""",
    passing_example="""\
version: 1
organization:
  name: Acme Corp
  default_action: deny
  audit_date: 2026-11-01
  thresholds:
    patch_age_days: 14
""",
)
def relaxed_threshold(facts: Facts) -> Iterator[Hit]:
    """Overrides looser than a default that a standard sets make a clean report mean less.

    Tool defaults with no standard behind them may be tuned freely.
    """
    org = facts.inventory.organization
    if org is None:
        return
    for key, value in sorted(org.thresholds.items()):
        threshold = THRESHOLDS.get(key)
        if threshold is None or not threshold.standard or not threshold.is_weaker(value):
            continue
        yield Hit(
            "organization", org.name,
            f"threshold {key} is set to {value}, weaker than the default {threshold.default} ({threshold.source})",
            field=("thresholds", key),
        )


@rule(
    id="ZT-GOV-006",
    title="Temporary or exceptional grant without justification",
    severity="low",
    pillar="governance",
    entity_kind="access_rule",
    references=refs(
        ztmm=("Cross-cutting/Governance", "Identity/Access Management"),
        sp800_53=("AC-2", "AC-6(7)", "CM-3"),
        cis=("6.1",),
    ),
    rationale="Untraceable grants cannot be reviewed against the change or ticket that asked for them.",
    remediation="Record the ticket or change id that approved the grant in the rule's justification.",
    failing_example="""\
version: 1
resources:
  - {name: payments-db, type: database, sensitivity: restricted, exposure: vpn_only, logging: true, owner: payments}
access_rules:
  - name: staff-payments-db
    effect: allow
    subjects: {groups: [staff]}
    resources: [payments-db]
    conditions: {mfa: phishing_resistant, device: {managed: true, compliant: true}}
""",
    passing_example="""\
version: 1
resources:
  - {name: payments-db, type: database, sensitivity: restricted, exposure: vpn_only, logging: true, owner: payments}
access_rules:
  - name: staff-payments-db
    effect: allow
    subjects: {groups: [staff]}
    resources: [payments-db]
    conditions: {mfa: phishing_resistant, device: {managed: true, compliant: true}}
    justification: CHG-1234
""",
)
def unjustified_grant(facts: Facts) -> Iterator[Hit]:
    """Temporary grants and grants of restricted data must point at the change that approved them.

    Only allow rules count, and not disabled ones: they grant nothing.
    """
    inventory = facts.inventory
    restricted = sorted(n for n, r in inventory.resources.items() if r.sensitivity == "restricted")
    restricted_set = frozenset(restricted)
    for name, access_rule in sorted(inventory.access_rules.items()):
        if access_rule.effect != "allow" or access_rule.state == "disabled":
            continue
        if access_rule.justification and access_rule.justification.strip():
            continue
        reasons = []
        if access_rule.expires is not None:
            reasons.append(f"is temporary (expires {access_rule.expires.isoformat()})")
        granted = restricted if access_rule.all_resources else sorted(restricted_set.intersection(access_rule.resources))
        if granted:
            reasons.append(f"grants restricted resource{'s' if len(granted) > 1 else ''} {', '.join(repr(r) for r in granted)}")
        if reasons:
            yield Hit("access_rule", name, f"allow rule '{name}' {' and '.join(reasons)} but records no justification")


_INLINE_DOC = """\
version: 1
resources:
  # ztaudit: ignore[ZT-APP-004]REASON
  - {name: legacy-app, type: app, sensitivity: internal, exposure: internal, logging: true}
"""


@rule(
    id="ZT-GOV-007",
    title="Inline suppression without a reason",
    severity="low",
    pillar="governance",
    entity_kind="waiver",
    references=refs(ztmm=("Cross-cutting/Governance",), sp800_53=("CA-5", "CM-3")),
    rationale="A suppression nobody explained cannot be reviewed: it silences a finding with no record of why the risk is acceptable.",
    remediation="Write the reason after the bracket (# ztaudit: ignore[ZT-XXX-000] why this is acceptable), or use a waiver with an owner and an expiry.",
    failing_example=_INLINE_DOC.replace("REASON", ""),
    passing_example=_INLINE_DOC.replace("REASON", " retired next quarter; owner tracked in CHG-12"),
    extra={"example_select": ("ZT-GOV-007", "ZT-APP-004")},
)
def inline_without_reason(facts: Facts) -> Iterator[Hit]:
    """Reported by the inline-suppression step (zerotrust_audit.inline), which sees the comments."""
    yield from ()


@rule(
    id="ZT-GOV-008",
    title="Inline suppression that suppresses nothing",
    severity="info",
    pillar="governance",
    entity_kind="waiver",
    references=refs(ztmm=("Cross-cutting/Governance",), sp800_53=("CA-5", "CM-3")),
    rationale="A stale suppression misleads reviewers and may silently cover a different problem that appears on that line later.",
    remediation="Delete the comment, or move it next to the finding it is meant for.",
    failing_example=_INLINE_DOC.replace("REASON", " retired next quarter").replace("legacy-app, type: app", "legacy-app, owner: it, type: app"),
    passing_example=_INLINE_DOC.replace("REASON", " retired next quarter"),
    extra={"example_select": ("ZT-GOV-008", "ZT-APP-004")},
)
def unused_inline(facts: Facts) -> Iterator[Hit]:
    """Reported by the inline-suppression step (zerotrust_audit.inline), which knows what each comment suppressed."""
    yield from ()


RULES = (
    expired_waiver, long_waiver, self_approved_waiver, unused_waiver, relaxed_threshold, unjustified_grant,
    inline_without_reason, unused_inline,
)
