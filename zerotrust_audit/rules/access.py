"""ZT-ACC (rule level): access rules that are open, location-trusting, shadowed or dead.

These rules judge the access policy as written; those that need the concrete
requests a policy allows (who, from which device, with which proof) are in
:mod:`zerotrust_audit.rules.access_paths`.
"""

from __future__ import annotations

from collections.abc import Iterator

from zerotrust_audit.analysis.facts import SENSITIVE, Facts
from zerotrust_audit.model.entities import AccessRule
from zerotrust_audit.rules.base import Hit, refs, rule
from zerotrust_audit.analysis.access import Path
from zerotrust_audit.rules.describe import (
    conditions_list,
    conditions_weaker_or_equal,
    path_evidence,
    path_sentence,
    request_evidence,
    request_of,
    request_sentence,
    rule_paths,
    witness_request,
)

_USERS = """\
users:
  - {name: ana, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
"""
_PAYROLL = """\
resources:
  - {name: payroll, type: app, sensitivity: restricted, exposure: internal, logging: true}
"""


def _refused_by(facts: Facts, strict: AccessRule, broad: AccessRule) -> tuple[Path, list[str]] | None:
    """A request the broad rule grants to the strict rule's users and resources
    that the strict rule's own conditions would refuse: the proof of shadowing."""
    users, resources = facts.access.matched_users(strict), facts.access.matched_resources(strict)
    for path in rule_paths(facts, broad):
        if path.user in users and path.resource in resources:
            refusals = facts.access.condition_failures(strict, request_of(path))
            if refusals:
                return path, refusals
    return None


def _weakest_proof(paths: Iterator[Path]) -> Path | None:
    """The first request from an unregistered device, else the first request."""
    first = None
    for path in paths:
        if path.endpoint is None:
            return path
        first = first or path
    return first


def _allow_rules(facts: Facts) -> list[AccessRule]:
    return [r for r in facts.access.active_rules if r.effect == "allow"]


def _sensitive_granted(facts: Facts, rule: AccessRule) -> list[str]:
    resources = facts.inventory.resources
    return sorted(n for n in facts.access.matched_resources(rule) if resources[n].sensitivity in SENSITIVE)


@rule(
    id="ZT-ACC-001",
    title="Default action is allow",
    severity="critical",
    pillar="governance",
    entity_kind="organization",
    references=refs(tenets=("T6",), ztmm=("Identity/Access Management", "Cross-cutting/Governance"), sp800_53=("AC-3", "SC-7(5)"), cis=("4.5",)),
    rationale="With a default of allow, anything no rule mentions is open: implicit trust by construction.",
    remediation="Set organization.default_action to deny and grant access with explicit allow rules.",
    failing_example="version: 1\norganization: {name: Acme, default_action: allow, audit_date: 2026-11-01}\n",
    passing_example="version: 1\norganization: {name: Acme, default_action: deny, audit_date: 2026-11-01}\n",
)
def default_allow(facts: Facts) -> Iterator[Hit]:
    org = facts.inventory.organization
    if org is not None and org.default_action == "allow":
        yield Hit("organization", org.name, "default_action is allow: every request no rule matches is granted", field=("default_action",))


@rule(
    id="ZT-ACC-002",
    title="Unconditional allow to a sensitive resource",
    severity="high",
    pillar="applications",
    entity_kind="access_rule",
    references=refs(tenets=("T4", "T6"), ztmm=("Applications & Workloads/Application Access",), sp800_53=("AC-3", "AC-6"), cis=("6.7", "6.8")),
    rationale="Access that asks for no MFA, device, network or country cannot respond to risk.",
    remediation="Add MFA and device conditions to the rule.",
    failing_example=f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n  - {{name: staff-payroll, effect: allow, subjects: {{groups: [staff]}}, resources: [payroll]}}\n",
    passing_example=(
        f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n  - {{name: staff-payroll, effect: allow, subjects: {{groups: [staff]}}, resources: [payroll],\n"
        "     conditions: {mfa: phishing_resistant}}\n"
    ),
)
def unconditional_sensitive_allow(facts: Facts) -> Iterator[Hit]:
    for r in _allow_rules(facts):
        c = r.conditions
        if c.mfa == "none" and c.device is None and c.networks is None and c.countries is None:
            sensitive = _sensitive_granted(facts, r)
            if sensitive:
                yield Hit("access_rule", r.name, f"allow rule '{r.name}' grants {', '.join(sensitive)} with no conditions at all")


@rule(
    id="ZT-ACC-003",
    title="Network location (or country) is the only condition",
    severity="high",
    pillar="networks",
    entity_kind="access_rule",
    references=refs(tenets=("T2", "T4"), ztmm=("Networks/Network Segmentation", "Identity/Access Management"), sp800_53=("AC-3", "AC-17"), other=("OMB M-22-09 Networks",)),
    rationale="Being on the VPN or in the office says nothing about who the user is or what state the device is in.",
    remediation="Add identity (MFA) and device conditions; keep the network only as an extra signal.",
    failing_example=(
        f"version: 1\n{_USERS}{_PAYROLL}networks:\n  - {{name: hq, type: office, trusted: false}}\n"
        "access_rules:\n  - {name: office-payroll, effect: allow, subjects: {groups: [staff]}, resources: [payroll], conditions: {networks: [hq]}}\n"
    ),
    passing_example=(
        f"version: 1\n{_USERS}{_PAYROLL}networks:\n  - {{name: hq, type: office, trusted: false}}\n"
        "access_rules:\n  - {name: office-payroll, effect: allow, subjects: {groups: [staff]}, resources: [payroll], conditions: {networks: [hq], mfa: any}}\n"
    ),
)
def network_only_trust(facts: Facts) -> Iterator[Hit]:
    for r in _allow_rules(facts):
        c = r.conditions
        if (c.networks is not None or c.countries is not None) and c.mfa == "none" and c.device is None:
            where = ", ".join([*(c.networks or ()), *(c.countries or ())])
            # the weakest proof: an unregistered device, if the rule lets one in
            proof = _weakest_proof(rule_paths(facts, r))
            shown = f"; for example {path_sentence(facts, proof)}" if proof else ""
            yield Hit("access_rule", r.name, f"allow rule '{r.name}' trusts location alone ({where}): no MFA and no device condition{shown}",
                      field=("conditions",), evidence=path_evidence(facts, proof) if proof else None)


@rule(
    id="ZT-ACC-004",
    title="Allow for everyone on a non-public resource",
    severity="high",
    pillar="applications",
    entity_kind="access_rule",
    references=refs(tenets=("T3",), ztmm=("Identity/Access Management",), sp800_53=("AC-6", "AC-3"), cis=("3.3", "6.8")),
    rationale="Granting to every identity (contractors, service and shared accounts included) ignores need to know.",
    remediation="Scope the rule to the groups that need the resource.",
    failing_example=f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n  - {{name: all-payroll, effect: allow, subjects: {{groups: ['*']}}, resources: [payroll], conditions: {{mfa: any}}}}\n",
    passing_example=f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n  - {{name: all-payroll, effect: allow, subjects: {{groups: [staff]}}, resources: [payroll], conditions: {{mfa: any}}}}\n",
)
def allow_everyone(facts: Facts) -> Iterator[Hit]:
    resources = facts.inventory.resources
    for r in _allow_rules(facts):
        if r.subjects.everyone:
            private = sorted(n for n in facts.access.matched_resources(r) if resources[n].sensitivity != "public")
            if private:
                yield Hit("access_rule", r.name, f"allow rule '{r.name}' grants every user access to non-public {', '.join(private)}", field=("subjects",))


@rule(
    id="ZT-ACC-005",
    title="Allow on every resource",
    severity="high",
    severity_note="critical when the subjects are also everyone",
    pillar="applications",
    entity_kind="access_rule",
    references=refs(tenets=("T1", "T3"), ztmm=("Applications & Workloads/Application Access",), sp800_53=("AC-6", "AC-3")),
    rationale="A wildcard grant exposes every new resource the moment it is added, the opposite of per-resource access.",
    remediation="List the resources explicitly.",
    failing_example=f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n  - {{name: staff-all, effect: allow, subjects: {{groups: [staff]}}, resources: '*', conditions: {{mfa: any}}}}\n",
    passing_example=f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n  - {{name: staff-all, effect: allow, subjects: {{groups: [staff]}}, resources: [payroll], conditions: {{mfa: any}}}}\n",
)
def allow_all_resources(facts: Facts) -> Iterator[Hit]:
    for r in _allow_rules(facts):
        if r.all_resources:
            everyone = r.subjects.everyone
            who = "every user" if everyone else "its subjects"
            yield Hit("access_rule", r.name, f"allow rule '{r.name}' grants {who} every resource ('*'), including any added later",
                      severity="critical" if everyone else None, field=("resources",))


@rule(
    id="ZT-ACC-009",
    title="BYOD devices allowed to sensitive resources",
    severity="medium",
    pillar="devices",
    entity_kind="access_rule",
    references=refs(tenets=("T5",), ztmm=("Devices/Resource Access",), sp800_53=("AC-20", "AC-19"), cis=("4.12",), other=("NIST SP 800-46r2",)),
    rationale="Personal devices sit outside the organisation's control: data copied to them cannot be protected or wiped.",
    remediation="Restrict BYOD to lower tiers, or require a managed work profile (device.managed: true).",
    failing_example=(
        f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n  - {{name: staff-payroll, effect: allow, subjects: {{groups: [staff]}}, resources: [payroll],\n"
        "     conditions: {mfa: phishing_resistant, device: {ownership: [corporate, byod]}}}\n"
    ),
    passing_example=(
        f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n  - {{name: staff-payroll, effect: allow, subjects: {{groups: [staff]}}, resources: [payroll],\n"
        "     conditions: {mfa: phishing_resistant, device: {ownership: [corporate]}}}\n"
    ),
)
def byod_to_sensitive(facts: Facts) -> Iterator[Hit]:
    for r in _allow_rules(facts):
        device = r.conditions.device
        allows_byod = device is None or device.ownership is None or "byod" in device.ownership
        if allows_byod and not (device is not None and device.managed is True):
            sensitive = _sensitive_granted(facts, r)
            if sensitive:
                how = "explicitly" if device is not None and device.ownership is not None else "by not restricting ownership"
                yield Hit("access_rule", r.name, f"allow rule '{r.name}' admits unmanaged BYOD devices ({how}) to {', '.join(sensitive)}")


@rule(
    id="ZT-ACC-010",
    title="Strict rule undermined by a broader, weaker allow",
    severity="high",
    pillar="applications",
    entity_kind="access_rule",
    references=refs(tenets=("T4", "T6"), ztmm=("Identity/Access Management", "Cross-cutting/Governance"), sp800_53=("AC-3", "AC-6", "CM-6")),
    rationale="The rule an auditor reads is not the rule that decides: a broader allow with weaker conditions already grants everything the strict rule guards.",
    remediation="Narrow or strengthen the broader rule, or add a deny for the cases the strict rule was meant to protect.",
    failing_example=(
        f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n"
        "  - {name: payroll-strict, effect: allow, subjects: {users: [ana]}, resources: [payroll], conditions: {mfa: phishing_resistant}}\n"
        "  - {name: staff-broad, effect: allow, subjects: {groups: [staff]}, resources: [payroll], conditions: {mfa: any}}\n"
    ),
    passing_example=(
        f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n"
        "  - {name: payroll-strict, effect: allow, subjects: {users: [ana]}, resources: [payroll], conditions: {mfa: phishing_resistant}}\n"
        "  - {name: staff-broad, effect: allow, subjects: {groups: [staff]}, resources: [payroll], conditions: {mfa: phishing_resistant}}\n"
    ),
)
def shadowed_strict_rule(facts: Facts) -> Iterator[Hit]:
    allows = _allow_rules(facts)
    for strict in allows:
        users, resources = facts.access.matched_users(strict), facts.access.matched_resources(strict)
        if not users or not resources:
            continue
        for broad in facts.access.rules_covering(resources, "allow"):
            if broad is strict or conditions_weaker_or_equal(strict.conditions, broad.conditions):
                continue  # not strictly weaker: the two ask for the same (or broad asks more)
            if users <= facts.access.matched_users(broad) and conditions_weaker_or_equal(broad.conditions, strict.conditions):
                proof = _refused_by(facts, strict, broad)
                shown = ""
                evidence: dict[str, object] = {"broader_rule": broad.name, "stricter_rule": strict.name}
                if proof is not None:
                    path, refusals = proof
                    shown = f"; for example {path_sentence(facts, path)}, which '{strict.name}' would refuse ({'; '.join(refusals)})"
                    evidence["path"] = path_evidence(facts, path)
                yield Hit(
                    "access_rule", broad.name,
                    f"allow rule '{broad.name}' ({conditions_list(broad)}) already grants everything '{strict.name}' "
                    f"({conditions_list(strict)}) grants, so the stricter conditions of '{strict.name}' never take effect{shown}",
                    evidence=evidence,
                )


@rule(
    id="ZT-ACC-011",
    title="Allow rule that can never take effect",
    severity="low",
    pillar="governance",
    entity_kind="access_rule",
    references=refs(ztmm=("Cross-cutting/Governance",), sp800_53=("AC-3", "CM-6"), cis=("6.8",)),
    rationale="A dead rule misleads reviewers about who has access and hides intent errors.",
    remediation="Delete the dead rule or correct the scope of the deny.",
    failing_example=(
        f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n"
        "  - {name: ana-payroll, effect: allow, subjects: {users: [ana]}, resources: [payroll], conditions: {mfa: phishing_resistant}}\n"
        "  - {name: no-payroll, effect: deny, subjects: {groups: [staff]}, resources: [payroll]}\n"
    ),
    passing_example=(
        f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n"
        "  - {name: ana-payroll, effect: allow, subjects: {users: [ana]}, resources: [payroll], conditions: {mfa: phishing_resistant}}\n"
        "  - {name: no-payroll, effect: deny, subjects: {groups: [staff]}, resources: [payroll], conditions: {countries: [KP]}}\n"
    ),
)
def dead_allow_rule(facts: Facts) -> Iterator[Hit]:
    for allow in _allow_rules(facts):
        users, resources = facts.access.matched_users(allow), facts.access.matched_resources(allow)
        for deny in facts.access.rules_covering(resources, "deny"):
            if users <= facts.access.matched_users(deny) and conditions_weaker_or_equal(deny.conditions, allow.conditions):
                request = witness_request(facts, allow)
                shown = f"; for example {request_sentence(facts, request)} meets '{allow.name}' and is denied" if request else ""
                evidence: dict[str, object] = {"allow_rule": allow.name, "deny_rule": deny.name}
                if request is not None:
                    evidence["request"] = request_evidence(request)
                yield Hit("access_rule", allow.name,
                          f"allow rule '{allow.name}' never takes effect: deny rule '{deny.name}' matches every request it matches, and any deny wins{shown}",
                          evidence=evidence)
                break


@rule(
    id="ZT-ACC-012",
    title="Expired temporary grant still in policy",
    severity="medium",
    pillar="governance",
    entity_kind="access_rule",
    references=refs(tenets=("T3",), ztmm=("Identity/Access Management", "Cross-cutting/Governance"), sp800_53=("AC-2", "AC-6(7)"), cis=("6.2",)),
    rationale="Temporary access that is never removed becomes permanent in practice, and the record of who may do what decays.",
    remediation="Remove the rule, or renew it with a new expiry and justification.",
    failing_example=f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n  - {{name: temp, effect: allow, subjects: {{users: [ana]}}, resources: [payroll], conditions: {{mfa: any}}, expires: 2026-10-31}}\n",
    passing_example=f"version: 1\n{_USERS}{_PAYROLL}access_rules:\n  - {{name: temp, effect: allow, subjects: {{users: [ana]}}, resources: [payroll], conditions: {{mfa: any}}, expires: 2026-11-01}}\n",
)
def expired_grant(facts: Facts) -> Iterator[Hit]:
    for name, r in sorted(facts.inventory.access_rules.items()):
        if r.expires is not None and r.expires < facts.today:
            days = (facts.today - r.expires).days
            yield Hit("access_rule", name, f"{r.effect} rule '{name}' expired on {r.expires.isoformat()} ({days} days before the audit date) and no longer applies", field=("expires",))


@rule(
    id="ZT-ACC-014",
    title="Rule trusts a VPN network whose gateway lacks MFA or posture checks",
    severity="high",
    pillar="networks",
    entity_kind="access_rule",
    references=refs(tenets=("T2", "T4", "T6"), ztmm=("Networks/Network Segmentation", "Identity/Authentication"), sp800_53=("AC-17", "IA-2(1)", "AC-3"), cis=("6.4", "13.5")),
    rationale="The rule's author assumed that 'on the VPN' implies MFA and a healthy device; the gateway guarantees neither.",
    remediation="Put MFA and device conditions in the rule itself, and require MFA and posture checks on the gateway.",
    failing_example=(
        f"version: 1\n{_USERS}{_PAYROLL}"
        "vpn_gateways:\n  - {name: gw, protocol: wireguard, authentication: {mfa_required: false, methods: [certificate]}, posture_check: true,\n"
        "     split_tunnel: false, full_network_access: false, logging: true}\n"
        "networks:\n  - {name: vpn-net, type: vpn, gateway: gw}\n"
        "access_rules:\n  - {name: vpn-payroll, effect: allow, subjects: {groups: [staff]}, resources: [payroll], conditions: {networks: [vpn-net]}}\n"
    ),
    passing_example=(
        f"version: 1\n{_USERS}{_PAYROLL}"
        "vpn_gateways:\n  - {name: gw, protocol: wireguard, authentication: {mfa_required: true, methods: [certificate]}, posture_check: true,\n"
        "     split_tunnel: false, full_network_access: false, logging: true}\n"
        "networks:\n  - {name: vpn-net, type: vpn, gateway: gw}\n"
        "access_rules:\n  - {name: vpn-payroll, effect: allow, subjects: {groups: [staff]}, resources: [payroll], conditions: {networks: [vpn-net]}}\n"
    ),
)
def trusts_weak_vpn(facts: Facts) -> Iterator[Hit]:
    for r in _allow_rules(facts):
        c = r.conditions
        if c.networks is None or c.mfa != "none" or c.device is not None:
            continue
        for network in c.networks:
            gateway = facts.gateway_of.get(network)
            if gateway is None:
                continue
            missing = [w for w, ok in (("mfa_required: false", gateway.authentication.mfa_required), ("posture_check: false", gateway.posture_check)) if not ok]
            if missing:
                yield Hit("access_rule", r.name,
                          f"allow rule '{r.name}' relies on VPN network '{network}' alone, but its gateway '{gateway.name}' has {' and '.join(missing)}",
                          field=("conditions", "networks"), evidence={"network": network, "gateway": gateway.name})


RULES = (
    default_allow,
    unconditional_sensitive_allow,
    network_only_trust,
    allow_everyone,
    allow_all_resources,
    byod_to_sensitive,
    shadowed_strict_rule,
    dead_allow_rule,
    expired_grant,
    trusts_weak_vpn,
)
