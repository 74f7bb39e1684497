"""ZT-ACC / ZT-APP (access review): standing, third-party, orphaned and contradictory grants.

These are the questions of a periodic access review: who holds broad access
permanently, which outsiders reach the crown jewels, which resources nobody
can reach, which rules point at nobody, which rules fight each other.
"""

from __future__ import annotations

from collections.abc import Iterator

from zerotrust_audit.analysis.contexts import ALL_DEVICE_CLASSES, Context, rule_admits
from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.model.entities import AccessRule
from zerotrust_audit.rules.base import Hit, refs, rule
from zerotrust_audit.rules.describe import conditions_weaker_or_equal, path_evidence

_DOC = """\
version: 1
groups:
  - {name: admins, privileged: true}
users:
  - {name: root, type: TYPE, status: active, groups: [admins, staff], mfa_methods: [fido2]}
mfa_policies:
  - {name: all, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2]}
resources:
  - {name: vault, type: app, sensitivity: restricted, exposure: internal, logging: true}
  - {name: wiki, type: app, sensitivity: internal, exposure: internal, logging: true}
access_rules:
RULES_HERE"""


def _doc(rules: str, user_type: str = "employee") -> str:
    return _DOC.replace("TYPE", user_type).replace("RULES_HERE", rules)


def _restricted(facts: Facts) -> list[str]:
    return sorted(n for n, r in facts.inventory.resources.items() if r.sensitivity == "restricted")


@rule(
    id="ZT-ACC-017",
    title="Privileged account with standing broad access to restricted resources",
    severity="high",
    pillar="identity",
    entity_kind="access_rule",
    references=refs(tenets=("T3", "T6"), ztmm=("Identity/Access Management",), sp800_53=("AC-6", "AC-6(5)", "AC-2(2)"), cis=("5.4", "6.8")),
    rationale="Administrators who permanently hold every resource turn one stolen admin session into total compromise; zero trust grants privileged access just in time and per resource.",
    remediation="Replace the wildcard grant with per-resource rules, and make privileged access to restricted resources temporary (expires) or brokered just in time.",
    failing_example=_doc("  - {name: admins-all, effect: allow, subjects: {groups: [admins]}, resources: '*', conditions: {mfa: phishing_resistant}}\n"),
    passing_example=_doc("  - {name: admins-all, effect: allow, subjects: {groups: [admins]}, resources: [wiki], conditions: {mfa: phishing_resistant}}\n"),
)
def standing_broad_privileged_access(facts: Facts) -> Iterator[Hit]:
    restricted = set(_restricted(facts))
    for r in facts.access.active_rules:
        if r.effect != "allow" or not r.all_resources or r.expires is not None:
            continue
        admins = sorted(u for u in facts.access.matched_users(r) if facts.privileged[u])
        grants_to, admin_set = facts.access.effective.grants_to, frozenset(admins)
        reached = sorted(res for res in restricted if any(r.name in g.rules for g in grants_to(res, admin_set)))
        if admins and reached:
            yield Hit("access_rule", r.name,
                      f"rule '{r.name}' gives privileged accounts {', '.join(admins)} standing access to every resource, restricted {', '.join(reached)} included, with no expiry",
                      field=("resources",), evidence={"users": admins, "restricted_resources": reached})


@rule(
    id="ZT-ACC-018",
    title="Contractor or shared account reaches restricted resources",
    severity="high",
    pillar="identity",
    entity_kind="user",
    references=refs(tenets=("T3", "T6"), ztmm=("Identity/Access Management",), sp800_53=("AC-6", "PS-7", "IA-2", "AC-2(9)"), cis=("5.1", "6.8")),
    rationale="Third-party and shared logins are the least accountable identities; restricted data should be out of their reach unless a reviewed, named grant says otherwise.",
    remediation="Remove the grant, or replace it with a named, time-boxed grant for the specific contractor (never a shared account) with phishing-resistant MFA and a compliant device.",
    failing_example=_doc("  - {name: staff-vault, effect: allow, subjects: {groups: [staff]}, resources: [vault], conditions: {mfa: any}}\n", "contractor"),
    passing_example=_doc("  - {name: staff-vault, effect: allow, subjects: {groups: [staff]}, resources: [wiki], conditions: {mfa: any}}\n", "contractor"),
)
def outsiders_reach_restricted(facts: Facts) -> Iterator[Hit]:
    reach: dict[str, list[tuple[str, str | None]]] = {}
    proof = {}
    outsiders = frozenset(name for name, u in facts.inventory.users.items() if u.type in ("contractor", "shared"))
    for resource in _restricted(facts):
        for p in facts.paths_to(resource, outsiders):
            if facts.inventory.users[p.user].type in ("contractor", "shared"):
                if (resource, p.rule) not in reach.setdefault(p.user, []):
                    reach[p.user].append((resource, p.rule))
                    proof.setdefault(p.user, []).append(path_evidence(facts, p))
    for user, grants in sorted(reach.items()):
        kind = facts.inventory.users[user].type
        listing = ", ".join(f"{res} via {rule_name or 'default_action: allow'}" for res, rule_name in grants)
        yield Hit("user", user, f"{kind} account '{user}' reaches restricted {listing}", evidence={"paths": proof[user]})


@rule(
    id="ZT-APP-005",
    title="Resource no rule grants to anyone",
    severity="info",
    pillar="applications",
    entity_kind="resource",
    references=refs(tenets=("T1",), ztmm=("Applications & Workloads/Accessible Applications", "Cross-cutting/Governance"), sp800_53=("CM-8", "AC-3"), cis=("1.1", "3.3")),
    rationale="A resource nobody can reach is either retired (and should leave the inventory) or reached by a path the policy does not describe.",
    remediation="Remove the resource from the inventory, or add the rules through which it is really reached.",
    failing_example=_doc("  - {name: staff-wiki, effect: allow, subjects: {groups: [staff]}, resources: [wiki]}\n"),
    passing_example=_doc("  - {name: staff-apps, effect: allow, subjects: {groups: [staff]}, resources: [wiki, vault], conditions: {mfa: any}}\n"),
)
def unreachable_resource(facts: Facts) -> Iterator[Hit]:
    for name in sorted(facts.inventory.resources):
        if not facts.access.effective.reach.buckets(name):
            yield Hit("resource", name, f"no enforced rule grants '{name}' to any active user")


@rule(
    id="ZT-ACC-019",
    title="Rule whose subjects are only disabled or expired accounts",
    severity="low",
    pillar="governance",
    entity_kind="access_rule",
    references=refs(tenets=("T6",), ztmm=("Identity/Access Management", "Cross-cutting/Governance"), sp800_53=("AC-2", "AC-2(3)", "PS-4"), cis=("5.3", "6.2")),
    rationale="A rule left behind for people who have gone is dead weight that reopens access the day an account is re-enabled or a name is reused.",
    remediation="Delete the rule, or point it at the people who need the access now.",
    failing_example=_doc("  - {name: old-grant, effect: allow, subjects: {users: [gone]}, resources: [wiki], conditions: {mfa: any}}\n").replace(
        "users:\n", "users:\n  - {name: gone, type: employee, status: disabled, groups: [staff], mfa_methods: []}\n"),
    passing_example=_doc("  - {name: old-grant, effect: allow, subjects: {users: [gone]}, resources: [wiki], conditions: {mfa: any}}\n").replace(
        "users:\n", "users:\n  - {name: gone, type: employee, status: active, groups: [staff], mfa_methods: []}\n"),
)
def rule_for_departed_users(facts: Facts) -> Iterator[Hit]:
    users = facts.inventory.users
    members: dict[str, list[str]] = {}
    for user_name, user in users.items():
        for group in user.groups:
            members.setdefault(group, []).append(user_name)
    for name, r in sorted(facts.inventory.access_rules.items()):
        if r.state == "disabled" or r.subjects.everyone:
            continue
        named = {*r.subjects.users, *(u for g in r.subjects.groups for u in members.get(g, ()))}
        gone = []
        for u in named:   # one current account among the subjects clears the rule
            if u in users and facts.access.subject_matches(r, users[u]):
                if not (users[u].status == "disabled" or (users[u].expires is not None and users[u].expires < facts.today)):
                    break
                gone.append(u)
        else:
            if gone:
                gone.sort()
                yield Hit("access_rule", name, f"rule '{name}' matches only disabled or expired accounts: {', '.join(gone)}", field=("subjects",))


@rule(
    id="ZT-ACC-020",
    title="Allow and deny rules contradict each other",
    severity="medium",
    pillar="governance",
    entity_kind="access_rule",
    references=refs(tenets=("T4",), ztmm=("Cross-cutting/Governance", "Identity/Access Management"), sp800_53=("AC-3", "CM-6"), cis=("6.8",)),
    rationale="When an allow and a deny cover the same people and resources, part of the allow silently never works: reviewers read a grant that the deny takes back.",
    remediation="Merge the two into one rule whose conditions say what is intended, or narrow the deny to the case it is meant to block.",
    failing_example=_doc(
        "  - {name: vault-allow, effect: allow, subjects: {groups: [admins]}, resources: [vault], conditions: {mfa: phishing_resistant}}\n"
        "  - {name: vault-deny, effect: deny, subjects: {groups: [admins]}, resources: [vault], conditions: {countries: [US]}}\n"),
    passing_example=_doc(
        "  - {name: vault-allow, effect: allow, subjects: {groups: [admins]}, resources: [vault], conditions: {mfa: phishing_resistant, countries: [NO]}}\n"
        "  - {name: vault-deny, effect: deny, subjects: {groups: [admins]}, resources: [vault], conditions: {countries: [US]}}\n"),
)
def contradicting_rules(facts: Facts) -> Iterator[Hit]:
    access = facts.access
    denies_by_scope: dict[tuple[frozenset[str], frozenset[str]], list[AccessRule]] = {}
    for deny in (r for r in access.active_rules if r.effect == "deny"):
        denies_by_scope.setdefault((access.matched_users(deny), access.matched_resources(deny)), []).append(deny)
    for allow in (r for r in access.active_rules if r.effect == "allow"):
        users, resources = access.matched_users(allow), access.matched_resources(allow)
        if not users:
            continue
        for deny in denies_by_scope.get((users, resources), ()):
            if conditions_weaker_or_equal(deny.conditions, allow.conditions):
                continue  # the allow is dead: ZT-ACC-011 reports it
            if _overlap(allow, deny):
                yield Hit("access_rule", allow.name,
                          f"allow rule '{allow.name}' and deny rule '{deny.name}' cover the same subjects and resources, and the deny takes back part of the allow",
                          evidence={"allow_rule": allow.name, "deny_rule": deny.name})


def _overlap(allow: AccessRule, deny: AccessRule) -> bool:
    """Some request meets both rules' conditions."""
    networks = sorted({n for r in (allow, deny) for n in (r.conditions.networks or ())})
    countries = sorted({c for r in (allow, deny) for c in (r.conditions.countries or ())})
    return any(
        rule_admits(allow, ctx) and rule_admits(deny, ctx)
        for level in range(3) for device in ALL_DEVICE_CLASSES for network in [*networks, None] for country in [*countries, None]
        for ctx in (Context(level, device, network, country),)
    )


RULES = (standing_broad_privileged_access, outsiders_reach_restricted, unreachable_resource, rule_for_departed_users, contradicting_rules)
