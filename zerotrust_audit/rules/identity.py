"""ZT-IDN: identities and MFA: who can sign in, and with how strong a proof.

The other checks of the area live beside this module: the configuration of
MFA policies in :mod:`zerotrust_audit.rules.mfa_policies`, the account
lifecycle in :mod:`zerotrust_audit.rules.accounts`. The small helpers below
are shared with them.
"""

from __future__ import annotations

from collections.abc import Iterator

from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.analysis.mfa import LEVEL_NAMES, LEVEL_OF_NAME, PHISHING_RESISTANT, STRENGTH, is_phishing_resistant
from zerotrust_audit.model.entities import MfaPolicy, User
from zerotrust_audit.rules.base import Hit, refs, rule


def organization_name(facts: Facts) -> str:
    """The entity name of organisation-wide findings (the organisation may be left out)."""
    org = facts.inventory.organization
    return org.name if org else "organization"


def quoted(names: list[str] | tuple[str, ...]) -> str:
    """'a', 'b': names as messages quote them."""
    return ", ".join(f"'{n}'" for n in names)


def required_policies(facts: Facts) -> list[MfaPolicy]:
    """The MFA policies with ``required: true``, in name order."""
    policies = facts.inventory.mfa_policies
    return [policies[n] for n in sorted(policies) if policies[n].required]


@rule(
    id="ZT-IDN-001",
    title="No required MFA policy covers the whole workforce",
    severity="high",
    pillar="identity",
    entity_kind="organization",
    references=refs(
        tenets=("T6",),
        ztmm=("Identity/Authentication",),
        sp800_53=("IA-2(1)", "IA-2(2)"),
        cis=("6.3", "6.4", "6.5"),
        scuba=("MS.AAD.3.2v2",),
        other=("OMB M-22-09 Identity",),
    ),
    rationale="Without an organisation-wide MFA baseline, every new group or user starts life with password-only access.",
    remediation='Add a required MFA policy whose scope is "*" and carve out exceptions only through waivers.',
    failing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
  - {name: bob, type: contractor, status: active, groups: [], mfa_methods: [fido2]}
mfa_policies:
  - {name: baseline, applies_to: {groups: [staff]}, required: true, allowed_methods: [fido2]}
""",
    passing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
  - {name: bob, type: contractor, status: active, groups: [], mfa_methods: [fido2]}
mfa_policies:
  - {name: baseline, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2]}
""",
)
def no_workforce_mfa_baseline(facts: Facts) -> Iterator[Hit]:
    """A baseline scoped to "*" is what keeps new users and groups from starting password-only."""
    if any(p.applies_to.everyone for p in required_policies(facts)):
        return
    uncovered = [u.name for u in facts.active_users() if u.type != "break_glass" and not facts.mfa[u.name].required]
    if uncovered:
        yield Hit(
            "organization", organization_name(facts),
            f'no required MFA policy applies to "*", and {len(uncovered)} active account(s) fall under no required policy: {quoted(uncovered)}',
            evidence={"uncovered_users": uncovered},
        )


@rule(
    id="ZT-IDN-002",
    title="Privileged account without phishing-resistant MFA",
    severity="critical",
    pillar="identity",
    entity_kind="user",
    references=refs(
        tenets=("T6",),
        ztmm=("Identity/Authentication",),
        sp800_53=("IA-2(1)", "IA-2(8)", "IA-5"),
        cis=("6.5",),
        sp800_63b=("5.2.5", "4.3"),
        scuba=("MS.AAD.3.6v1",),
        other=("OMB M-22-09 Identity",),
    ),
    rationale="Admin credentials are the prime phishing target, and OTP, push and SMS codes can all be relayed by an adversary-in-the-middle proxy.",
    remediation="Enrol FIDO2/WebAuthn or PIV for every administrator and restrict the MFA policy covering admins to those methods.",
    failing_example="""\
version: 1
groups:
  - {name: admins, privileged: true}
users:
  - {name: root-admin, type: employee, status: active, groups: [admins], mfa_methods: [fido2, totp]}
mfa_policies:
  - {name: all, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2, totp]}
""",
    passing_example="""\
version: 1
groups:
  - {name: admins, privileged: true}
users:
  - {name: root-admin, type: employee, status: active, groups: [admins], mfa_methods: [fido2, totp]}
mfa_policies:
  - {name: all, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2]}
""",
)
def privileged_without_phishing_resistant_mfa(facts: Facts) -> Iterator[Hit]:
    for user in facts.active_users():
        mfa = facts.mfa[user.name]
        if facts.privileged[user.name] and mfa.effective_strength < PHISHING_RESISTANT:
            yield Hit("user", user.name, f"privileged account '{user.name}' has effective MFA '{mfa.effective}': an attacker can downgrade to it")


@rule(
    id="ZT-IDN-003",
    title="Workforce account below the required MFA strength",
    severity="high",
    pillar="identity",
    entity_kind="user",
    references=refs(
        tenets=("T6",),
        ztmm=("Identity/Authentication",),
        sp800_53=("IA-2(1)", "IA-2(2)", "IA-2(8)"),
        cis=("6.3", "6.4"),
        sp800_63b=("5.2.5",),
        scuba=("MS.AAD.3.1v1",),
        other=("OMB M-22-09 Identity",),
    ),
    rationale="An attacker downgrades to the weakest factor the policy still accepts, so one weak method sets the real strength of the account.",
    remediation="Once phishing-resistant enrolment is done, remove the weaker methods from the MFA policies that apply to the user.",
    thresholds=("min_mfa_strength",),
    failing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2, totp]}
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2, totp]}
""",
    passing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2, totp]}
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2]}
""",
)
def workforce_below_min_mfa_strength(facts: Facts) -> Iterator[Hit]:
    """The weakest accepted factor, not the strongest enrolled one, is what protects an account."""
    wanted = facts.thresholds["min_mfa_strength"]
    for user in facts.active_users():
        mfa = facts.mfa[user.name]
        if user.type in ("employee", "contractor") and mfa.effective_strength < LEVEL_OF_NAME[wanted]:
            level = LEVEL_NAMES[mfa.effective_strength]
            shown = f"'{mfa.effective}'" if level == mfa.effective else f"'{mfa.effective}' (level '{level}')"
            yield Hit("user", user.name, f"{user.type} '{user.name}' has effective MFA {shown}, below min_mfa_strength '{wanted}'")


def _why_no_mfa(facts: Facts, user: User) -> str:
    mfa = facts.mfa[user.name]
    policies = facts.inventory.mfa_policies
    if mfa.legacy_auth:
        legacy = [p for p in mfa.policies if policies[p].legacy_auth_allowed]
        return f"policy {quoted(legacy)} allows legacy authentication, which cannot carry a second factor"
    if not mfa.required:
        exempted = [p.name for p in required_policies(facts) if p.applies_to.includes(user) and p.name not in mfa.policies]
        if exempted:
            return f"it is exempt from the required policy {quoted(exempted)}"
        return "no required MFA policy applies to it"
    allowed = sorted({m for p in mfa.policies if policies[p].required for m in policies[p].allowed_methods}, key=lambda m: (STRENGTH[m], m))
    if not user.mfa_methods:
        return f"it enrolled no method (its required policies allow {', '.join(allowed)})"
    return f"none of its enrolled methods ({', '.join(user.mfa_methods)}) is allowed by its required policies ({', '.join(allowed)})"


@rule(
    id="ZT-IDN-004",
    title="Account has no effective MFA",
    severity="high",
    severity_note="critical if the account is privileged",
    pillar="identity",
    entity_kind="user",
    references=refs(
        tenets=("T6",),
        ztmm=("Identity/Authentication",),
        sp800_53=("IA-2(1)", "IA-2(2)"),
        cis=("6.3", "6.4", "6.5"),
        scuba=("MS.AAD.3.2v2",),
    ),
    rationale="A single stolen or sprayed password is enough to take an account that has no effective second factor.",
    remediation="Enrol an allowed factor, remove the exemption or the legacy-authentication path, or record a time-boxed waiver with compensating controls.",
    failing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: []}
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2, push_number_match]}
""",
    passing_example="""\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2, push_number_match]}
""",
)
def account_without_effective_mfa(facts: Facts) -> Iterator[Hit]:
    """Exemptions, legacy protocols and missing enrolment all leave the password as the only proof."""
    for user in facts.active_users():
        if user.type == "break_glass" or facts.mfa[user.name].effective != "none":
            continue
        privileged = facts.privileged[user.name]
        yield Hit(
            "user", user.name,
            f"{'privileged ' if privileged else ''}account '{user.name}' has no effective MFA: {_why_no_mfa(facts, user)}",
            severity="critical" if privileged else None,
        )


@rule(
    id="ZT-IDN-016",
    title="Break-glass account without phishing-resistant MFA",
    severity="high",
    pillar="identity",
    entity_kind="user",
    references=refs(
        tenets=("T6",),
        ztmm=("Identity/Authentication",),
        sp800_53=("AC-2", "IA-2(1)"),
        scuba=("MS.AAD.3.6v1", "Assumptions (emergency access accounts)"),
    ),
    rationale="Emergency accounts hold top privileges and are usually excluded from conditional access, so their own factor is all that protects them.",
    remediation="Bind each emergency account to a FIDO2 key or a certificate kept in a safe; no SMS or one-time codes.",
    failing_example="""\
version: 1
users:
  - {name: breakglass-1, type: break_glass, status: active, groups: [], mfa_methods: [totp]}
""",
    passing_example="""\
version: 1
users:
  - {name: breakglass-1, type: break_glass, status: active, groups: [], mfa_methods: [fido2]}
""",
)
def break_glass_without_phishing_resistant_mfa(facts: Facts) -> Iterator[Hit]:
    """Emergency accounts bypass most controls, so their enrolled factor must resist phishing on its own."""
    for name, user in sorted(facts.inventory.users.items()):
        if user.type == "break_glass" and not any(is_phishing_resistant(m) for m in user.mfa_methods):
            enrolled = ", ".join(user.mfa_methods) if user.mfa_methods else "no method"
            yield Hit(
                "user", name,
                f"break-glass account '{name}' has enrolled {enrolled}, nothing phishing-resistant",
                field=("mfa_methods",),
            )


RULES = (
    no_workforce_mfa_baseline,
    privileged_without_phishing_resistant_mfa,
    workforce_below_min_mfa_strength,
    account_without_effective_mfa,
    break_glass_without_phishing_resistant_mfa,
)
