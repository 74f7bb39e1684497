"""ZT-IDN (accounts): the lifecycle and kind of each account, whatever its MFA.

Dormant, expired, shared and service accounts are the ones nobody watches;
emergency access and the number of administrators are organisation-wide.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from zerotrust_audit.analysis.access import Path
from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.rules.base import Hit, refs, rule
from zerotrust_audit.rules.describe import capped
from zerotrust_audit.rules.identity import organization_name, quoted

REMOTE_LOGIN = ("ssh", "rdp")


def _grants(facts: Facts, user: str) -> dict[str, list[Path]]:
    """resource -> the allowed paths of ``user`` to it, for the resources the user can reach."""
    return facts.access.paths_of_user(user)


def _proof(paths: list[Path]) -> dict[str, Any]:
    return capped("paths", paths, Path._asdict)


@rule(
    id="ZT-IDN-011",
    title="Dormant account still enabled",
    severity="medium",
    severity_note="info when last_login is unknown (dormancy cannot be checked)",
    pillar="identity",
    entity_kind="user",
    references=refs(
        tenets=("T7",),
        ztmm=("Identity/Identity Stores",),
        sp800_53=("AC-2(3)",),
        cis=("5.3",),
    ),
    rationale="Unused accounts are rarely watched, so a compromise of one goes unnoticed.",
    remediation="Disable the account and re-enable it on request; record last_login for every account.",
    thresholds=("dormant_account_days",),
    failing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2], last_login: 2026-08-01}
""",
    passing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2], last_login: 2026-10-20}
""",
)
def dormant_account(facts: Facts) -> Iterator[Hit]:
    """An enabled account nobody uses is a credential nobody would notice being used."""
    limit = facts.thresholds["dormant_account_days"]
    for user in facts.active_users():
        if user.last_login is None:
            yield Hit("user", user.name, f"active account '{user.name}' has no last_login, so its dormancy cannot be checked", severity="info")
            continue
        idle = (facts.today - user.last_login).days
        if idle > limit:
            yield Hit(
                "user", user.name,
                f"active account '{user.name}' last signed in on {user.last_login}, {idle} days before the audit date (limit {limit})",
                field=("last_login",),
            )


@rule(
    id="ZT-IDN-012",
    title="Account past its end date still enabled",
    severity="high",
    pillar="identity",
    entity_kind="user",
    references=refs(
        tenets=("T6",),
        ztmm=("Identity/Identity Stores",),
        sp800_53=("AC-2", "AC-2(3)", "PS-4", "PS-7"),
        cis=("6.2",),
    ),
    rationale="Former contractors and leavers keep working credentials after the engagement has ended.",
    remediation="Disable the account now and automate disablement on its expires date.",
    failing_example="""\
version: 1
users:
  - {name: ext.bob, type: contractor, status: active, groups: [staff], mfa_methods: [fido2], expires: 2026-09-30}
""",
    passing_example="""\
version: 1
users:
  - {name: ext.bob, type: contractor, status: disabled, groups: [staff], mfa_methods: [fido2], expires: 2026-09-30}
""",
)
def expired_account_enabled(facts: Facts) -> Iterator[Hit]:
    """The end date is when access should stop; an account still active after it outlives its owner's engagement."""
    for user in facts.active_users():
        if user.expires is not None and user.expires < facts.today:
            days = (facts.today - user.expires).days
            yield Hit(
                "user", user.name,
                f"account '{user.name}' ended on {user.expires}, {days} days before the audit date, and is still active",
                field=("expires",),
            )


@rule(
    id="ZT-IDN-013",
    title="Contractor account without an end date",
    severity="low",
    pillar="identity",
    entity_kind="user",
    references=refs(
        ztmm=("Identity/Identity Stores",),
        sp800_53=("AC-2", "PS-7"),
        cis=("5.1",),
    ),
    rationale="Without an end date nothing forces a review when the contract stops.",
    remediation="Record the contract end date (expires) on every contractor account.",
    failing_example="""\
version: 1
users:
  - {name: ext.bob, type: contractor, status: active, groups: [staff], mfa_methods: [fido2]}
""",
    passing_example="""\
version: 1
users:
  - {name: ext.bob, type: contractor, status: active, groups: [staff], mfa_methods: [fido2], expires: 2027-03-31}
""",
)
def contractor_without_end_date(facts: Facts) -> Iterator[Hit]:
    """External engagements end; the account should know when."""
    for name, user in sorted(facts.inventory.users.items()):
        if user.type == "contractor" and user.expires is None:
            yield Hit("user", name, f"contractor account '{name}' ({user.status}) has no end date (expires)")


@rule(
    id="ZT-IDN-014",
    title="Shared account can reach resources",
    severity="high",
    pillar="identity",
    entity_kind="user",
    references=refs(
        tenets=("T6",),
        ztmm=("Identity/Identity Stores",),
        sp800_53=("IA-2", "AC-2(9)"),
        cis=("5.1", "6.7"),
    ),
    rationale="A shared login cannot be tied to a person, so MFA, accountability and revocation all break down.",
    remediation="Replace the shared account with named accounts (or a vaulted, checked-out credential) and remove its direct grants.",
    failing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
  - {name: frontdesk, type: shared, status: active, groups: [staff], mfa_methods: [totp]}
resources:
  - {name: wiki, type: app, sensitivity: internal, exposure: internet, logging: true}
access_rules:
  - {name: wiki-access, effect: allow, subjects: {users: [frontdesk]}, resources: [wiki]}
""",
    passing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
  - {name: frontdesk, type: shared, status: active, groups: [staff], mfa_methods: [totp]}
resources:
  - {name: wiki, type: app, sensitivity: internal, exposure: internet, logging: true}
access_rules:
  - {name: wiki-access, effect: allow, subjects: {users: [alice]}, resources: [wiki]}
""",
)
def shared_account_with_access(facts: Facts) -> Iterator[Hit]:
    """What a shared login does cannot be attributed to a person."""
    for user in facts.active_users():
        if user.type != "shared":
            continue
        grants = _grants(facts, user.name)
        if grants:
            rules = sorted({p.rule or "default_action: allow" for paths in grants.values() for p in paths})
            yield Hit(
                "user", user.name,
                f"shared account '{user.name}' can reach {quoted(list(grants))} (granted by {quoted(rules)})",
                evidence=_proof([paths[0] for paths in grants.values()]),
            )


@rule(
    id="ZT-IDN-015",
    title="Service account usable for interactive or privileged remote access",
    severity="medium",
    pillar="identity",
    entity_kind="user",
    references=refs(
        tenets=("T1", "T6"),
        ztmm=("Identity/Identity Stores",),
        sp800_53=("AC-2", "AC-6(5)", "IA-9"),
        cis=("5.5",),
        scuba=("aad.md section 2 note on workload identities",),
    ),
    rationale="Non-person accounts cannot do MFA, so any interactive path through them is a password-only back door.",
    remediation="Confine service accounts to the workloads that need them, with network and credential restrictions, and no remote-login rights.",
    failing_example="""\
version: 1
users:
  - {name: svc-backup, type: service, status: active, groups: [], mfa_methods: []}
resources:
  - {name: files-01, type: ssh, sensitivity: internal, exposure: internal, logging: true}
access_rules:
  - {name: backup-files, effect: allow, subjects: {users: [svc-backup]}, resources: [files-01]}
""",
    passing_example="""\
version: 1
users:
  - {name: svc-backup, type: service, status: active, groups: [], mfa_methods: []}
resources:
  - {name: files-01, type: file_share, sensitivity: internal, exposure: internal, logging: true}
access_rules:
  - {name: backup-files, effect: allow, subjects: {users: [svc-backup]}, resources: [files-01]}
""",
)
def service_account_interactive(facts: Facts) -> Iterator[Hit]:
    """Privilege, a device of its own or a remote-login path turn a workload identity into a person-like one without MFA."""
    resources = facts.inventory.resources
    vpn = {n for n, network in facts.inventory.networks.items() if network.type == "vpn"}
    for name, user in sorted(facts.inventory.users.items()):
        if user.type != "service":
            continue
        reasons, proof = [], []
        if facts.privileged[name]:
            reasons.append("it is privileged")
        owned = facts.endpoints_of.get(name, ())
        if owned:
            reasons.append(f"it owns endpoint(s) {quoted(owned)}")
        remote = []
        for resource, paths in _grants(facts, name).items():
            # a path with no network (None) is open from any network, VPNs included
            via_vpn = [p for p in paths if p.network in vpn or (p.network is None and vpn)]
            if resources[resource].type in REMOTE_LOGIN:
                remote.append(f"'{resource}' ({resources[resource].type})")
                proof.append(paths[0])
            elif via_vpn:
                network = via_vpn[0].network or sorted(vpn)[0]
                remote.append(f"'{resource}' through VPN network '{network}'")
                proof.append(via_vpn[0])
        if remote:
            reasons.append("access rules let it reach " + ", ".join(remote))
        if reasons:
            yield Hit(
                "user", name,
                f"service account '{name}' is usable for interactive or privileged access: " + "; ".join(reasons),
                evidence=_proof(proof) if proof else None,
            )


@rule(
    id="ZT-IDN-017",
    title="No emergency (break-glass) account defined",
    severity="low",
    pillar="identity",
    entity_kind="organization",
    references=refs(
        ztmm=("Identity/Governance", "Networks/Network Resilience"),
        sp800_53=("AC-2", "CP-2"),
        scuba=("aad.md Assumptions", "MS.AAD.7.1v1 rationale"),
    ),
    rationale="If the identity provider or its MFA service fails, nobody can get in to fix it.",
    remediation="Create two cloud-only emergency accounts with strong, separately stored factors and alerting on every use.",
    failing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2]}
""",
    passing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
  - {name: breakglass-1, type: break_glass, status: active, groups: [], mfa_methods: [fido2]}
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2]}
""",
)
def no_break_glass_account(facts: Facts) -> Iterator[Hit]:
    """When MFA covers everyone, an outage of the MFA service locks everyone out. Needs at least one active user."""
    active = facts.active_users()
    if not active or any(u.type == "break_glass" for u in facts.inventory.users.values()):
        return
    if all(facts.mfa[u.name].required for u in active):
        yield Hit(
            "organization", organization_name(facts),
            f"all {len(active)} active account(s) fall under a required MFA policy and no account has type break_glass",
        )


@rule(
    id="ZT-IDN-018",
    title="Privileged account count outside 2..8",
    severity="medium",
    pillar="identity",
    entity_kind="organization",
    references=refs(
        ztmm=("Identity/Access Management",),
        sp800_53=("AC-6(5)",),
        cis=("5.4",),
        scuba=("MS.AAD.7.1v1", "MS.AAD.7.2v1"),
    ),
    rationale="Too many administrators widen the blast radius; fewer than two is a single point of failure.",
    remediation="Move most administrators to narrower roles, and keep at least two.",
    thresholds=("privileged_accounts_min", "privileged_accounts_max"),
    failing_example="""\
version: 1
groups:
  - {name: admins, privileged: true}
users:
  - {name: alice, type: employee, status: active, groups: [admins], mfa_methods: [fido2]}
""",
    passing_example="""\
version: 1
groups:
  - {name: admins, privileged: true}
users:
  - {name: alice, type: employee, status: active, groups: [admins], mfa_methods: [fido2]}
  - {name: bob, type: employee, status: active, groups: [admins], mfa_methods: [fido2]}
""",
)
def privileged_account_count(facts: Facts) -> Iterator[Hit]:
    """Administrator count is a trade-off between blast radius and lock-out. Needs at least one user defined."""
    if not facts.inventory.users:
        return
    low, high = facts.thresholds["privileged_accounts_min"], facts.thresholds["privileged_accounts_max"]
    admins = [u.name for u in facts.active_users() if facts.privileged[u.name]]
    if len(admins) < low:
        bound = f"fewer than the minimum of {low}"
    elif len(admins) > high:
        bound = f"more than the maximum of {high}"
    else:
        return
    listed = f" ({quoted(admins)})" if admins else ""
    yield Hit(
        "organization", organization_name(facts),
        f"{len(admins)} active privileged account(s){listed}: {bound}",
        evidence={"privileged_users": admins},
    )


RULES = (
    dormant_account,
    expired_account_enabled,
    contractor_without_end_date,
    shared_account_with_access,
    service_account_interactive,
    no_break_glass_account,
    privileged_account_count,
)
