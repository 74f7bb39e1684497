"""ZT-IDN (MFA policies): which factors, exemptions and session lengths the policies accept.

A policy's weakest accepted factor, its standing exemptions and its session
settings decide what MFA is really worth for everyone it applies to.
"""

from __future__ import annotations

from collections.abc import Iterator

from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.model.entities import WILDCARD
from zerotrust_audit.rules.base import Hit, refs, rule
from zerotrust_audit.rules.identity import quoted, required_policies

RESTRICTED_METHODS = ("email", "sms", "voice")


def _policy_method_rule(facts: Facts, methods: tuple[str, ...], why: str) -> Iterator[Hit]:
    """Required policies that allow any of ``methods``, pointing at the first such entry."""
    for policy in required_policies(facts):
        found = list(dict.fromkeys(m for m in policy.allowed_methods if m in methods))
        if found:
            first = policy.allowed_methods.index(found[0])
            yield Hit(
                "mfa_policy", policy.name,
                f"required policy '{policy.name}' allows {', '.join(found)}: {why}",
                field=("allowed_methods", first),
            )


@rule(
    id="ZT-IDN-005",
    title="Restricted authenticator accepted",
    severity="medium",
    pillar="identity",
    entity_kind="mfa_policy",
    references=refs(
        tenets=("T6",),
        ztmm=("Identity/Authentication",),
        sp800_53=("IA-2(1)", "IA-5"),
        sp800_63b=("5.1.3.1", "5.1.3.3", "5.2.10"),
        scuba=("MS.AAD.3.5v2",),
        other=("OMB M-22-09 Identity",),
    ),
    rationale="Phone-network and e-mail codes are exposed to SIM swap, number porting and mailbox takeover; SP 800-63B marks PSTN delivery as restricted and never accepts e-mail as an out-of-band channel.",
    remediation="Drop SMS, voice and e-mail codes from the allowed methods; keep them at most as recovery paths with extra checks.",
    failing_example="""\
version: 1
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2, push_number_match, sms]}
""",
    passing_example="""\
version: 1
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2, push_number_match]}
""",
)
def restricted_authenticator_accepted(facts: Facts) -> Iterator[Hit]:
    """Codes sent over the phone network or by e-mail can be redirected without touching the user's device."""
    yield from _policy_method_rule(facts, RESTRICTED_METHODS, "restricted authenticators open to SIM swap, number porting or mailbox takeover")


@rule(
    id="ZT-IDN-006",
    title="Push approval without number matching accepted",
    severity="medium",
    pillar="identity",
    entity_kind="mfa_policy",
    references=refs(
        tenets=("T6",),
        ztmm=("Identity/Authentication",),
        sp800_53=("IA-2(1)", "IA-2(2)"),
        scuba=("MS.AAD.3.3v2",),
        other=('CISA fact sheet "Implementing Number Matching in MFA Applications" (2022)',),
    ),
    rationale='Plain push invites MFA-fatigue attacks, where the user taps "approve" just to stop the prompts.',
    remediation="Allow push_number_match (or phishing-resistant methods) instead of plain push.",
    failing_example="""\
version: 1
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2, push]}
""",
    passing_example="""\
version: 1
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2, push_number_match]}
""",
)
def plain_push_accepted(facts: Facts) -> Iterator[Hit]:
    """An approve/deny prompt can be spammed until a tired user accepts it."""
    yield from _policy_method_rule(facts, ("push",), "plain approve/deny push is open to MFA-fatigue attacks")


@rule(
    id="ZT-IDN-007",
    title="Legacy authentication allowed",
    severity="high",
    pillar="identity",
    entity_kind="mfa_policy",
    references=refs(
        tenets=("T6",),
        ztmm=("Identity/Authentication",),
        sp800_53=("CM-7", "IA-2"),
        cis=("6.3",),
        scuba=("MS.AAD.1.1v1",),
    ),
    rationale="IMAP, POP and basic-auth style protocols cannot carry a second factor, so they bypass MFA entirely and are the usual password-spray target.",
    remediation="Block legacy protocols and migrate the remaining clients to modern authentication.",
    failing_example="""\
version: 1
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2], legacy_auth_allowed: true}
""",
    passing_example="""\
version: 1
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2], legacy_auth_allowed: false}
""",
)
def legacy_auth_allowed(facts: Facts) -> Iterator[Hit]:
    """Protocols that cannot do MFA turn every covered account back into a password-only one."""
    for name, policy in sorted(facts.inventory.mfa_policies.items()):
        if policy.legacy_auth_allowed:
            covered = sum(1 for u in facts.active_users() if name in facts.mfa[u.name].policies)
            yield Hit(
                "mfa_policy", name,
                f"policy '{name}' allows legacy authentication, a path without MFA for the {covered} active account(s) it applies to",
                field=("legacy_auth_allowed",),
            )


def _exempted_users(facts: Facts, kind: str, principal: str) -> list[str]:
    users = facts.inventory.users
    if principal == WILDCARD:
        return sorted(users)
    if kind == "user":
        return [principal]
    return sorted(n for n, u in users.items() if principal in u.groups)


@rule(
    id="ZT-IDN-008",
    title="Standing MFA exemption",
    severity="medium",
    severity_note="high if an exempt principal is privileged: a privileged user or group, or a group with a privileged member",
    pillar="identity",
    entity_kind="mfa_policy",
    references=refs(
        tenets=("T6",),
        ztmm=("Identity/Governance",),
        sp800_53=("IA-2", "CA-5"),
        cis=("6.3",),
        scuba=("MS.AAD.3.1v1", "MS.AAD.3.2v2"),
    ),
    rationale="Permanent exemptions are invisible holes in the MFA baseline and tend to outlive their reason.",
    remediation="Remove the exemption, or back it with a ZT-IDN-008 waiver for the exempted user or group that has an owner, a reason and an expiry.",
    failing_example="""\
version: 1
users:
  - {name: kiosk-1, type: shared, status: active, groups: [staff], mfa_methods: []}
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2], exempt: {users: [kiosk-1]}}
""",
    passing_example="""\
version: 1
users:
  - {name: kiosk-1, type: shared, status: active, groups: [staff], mfa_methods: []}
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2], exempt: {users: []}}
""",
)
def standing_mfa_exemption(facts: Facts) -> Iterator[Hit]:
    """An exemption without an expiring waiver never comes up for review again.

    Every exemption is reported; a waiver naming the exempted user or group
    accepts it (the engine applies waivers, so it also knows they were used).
    """
    groups = facts.inventory.groups
    for name, policy in sorted(facts.inventory.mfa_policies.items()):
        principals = [("user", u) for u in policy.exempt.users] + [("group", g) for g in policy.exempt.groups]
        if policy.exempt.everyone:
            principals = [("everyone", WILDCARD)]
        for kind, principal in principals:
            exempted = _exempted_users(facts, kind, principal)
            privileged = [u for u in exempted if facts.privileged[u]]
            escalate = bool(privileged) or (kind == "group" and groups[principal].privileged)
            if kind == "user":
                who = f"{'privileged ' if privileged else ''}user '{principal}'"
            else:
                who = "everyone ('*')" if kind == "everyone" else f"{'privileged ' if escalate else ''}group '{principal}'"
                who += f" ({len(exempted)} user(s){', privileged: ' + quoted(privileged) if privileged else ''})"
            yield Hit(
                "mfa_policy", name,
                f"policy '{name}' exempts {who} with no unexpired ZT-IDN-008 waiver for it",
                severity="high" if escalate else None,
                field=("exempt",),
                waivable_as=((kind, principal),) if kind != "everyone" else (),
                evidence={"principal": {"kind": kind, "name": principal}, "exempted_users": exempted},
            )


@rule(
    id="ZT-IDN-009",
    title="Session lifetime longer than the reauthentication limit",
    severity="medium",
    pillar="identity",
    entity_kind="mfa_policy",
    references=refs(
        tenets=("T3", "T6"),
        ztmm=("Identity/Access Management",),
        sp800_53=("AC-12", "IA-11"),
        sp800_63b=("4.2.3", "4.3.3"),
    ),
    rationale="Long-lived sessions let a stolen token or an unattended laptop keep access long after the user's context changed.",
    remediation="Set the policy's session lifetime to the reauthentication limit (12 hours by default) or less.",
    thresholds=("session_max_hours",),
    failing_example="""\
version: 1
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2], session_lifetime_hours: 24}
""",
    passing_example="""\
version: 1
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2], session_lifetime_hours: 12}
""",
)
def session_lifetime_too_long(facts: Facts) -> Iterator[Hit]:
    """Reauthentication is what ties a session back to the person and their current context."""
    limit = facts.thresholds["session_max_hours"]
    for name, policy in sorted(facts.inventory.mfa_policies.items()):
        hours = policy.session_lifetime_hours
        if hours is not None and hours > limit:
            yield Hit(
                "mfa_policy", name,
                f"policy '{name}' keeps sessions for {hours:g} hours (limit {limit})",
                field=("session_lifetime_hours",),
            )


@rule(
    id="ZT-IDN-010",
    title="Remembered-device window defeats reauthentication",
    severity="medium",
    pillar="identity",
    entity_kind="mfa_policy",
    references=refs(
        tenets=("T3", "T6"),
        ztmm=("Identity/Authentication",),
        sp800_53=("IA-11", "IA-2"),
        sp800_63b=("4.1.3", "4.3.3"),
    ),
    rationale="Skipping the second factor for weeks turns MFA into a one-off event instead of a per-session check.",
    remediation='Shorten or disable "remember this device", and disable it entirely on policies that cover administrators.',
    thresholds=("remember_device_max_days",),
    failing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2], remember_device_days: 90}
""",
    passing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2], remember_device_days: 14}
""",
)
def remember_device_too_long(facts: Facts) -> Iterator[Hit]:
    """A remembered device skips the second factor; admins must present both factors at every reauthentication."""
    limit = facts.thresholds["remember_device_max_days"]
    for name, policy in sorted(facts.inventory.mfa_policies.items()):
        days = policy.remember_device_days
        if days <= 0:
            continue
        admins = [u.name for u in facts.active_users() if facts.privileged[u.name] and name in facts.mfa[u.name].policies]
        reasons = []
        if days > limit:
            reasons.append(f"over the limit of {limit}")
        if admins:
            reasons.append(f"it covers privileged account(s) {quoted(admins)}, for whom it must be 0")
        if reasons:
            yield Hit(
                "mfa_policy", name,
                f"policy '{name}' remembers devices for {days} days: " + "; ".join(reasons),
                field=("remember_device_days",),
            )


RULES = (
    restricted_authenticator_accepted,
    plain_push_accepted,
    legacy_auth_allowed,
    standing_mfa_exemption,
    session_lifetime_too_long,
    remember_device_too_long,
)
