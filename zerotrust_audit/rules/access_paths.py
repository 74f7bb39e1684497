"""ZT-ACC (path level): what the combination of rules, MFA and devices actually allows.

Each finding here is proved by a concrete allowed request (a path): user,
effective MFA, resource, granting rule, endpoint and network, carried in the
finding's ``evidence``. Findings are reported on the granting rule (the line
that opens the path): one per rule and resource listing every user or device
concerned, except the critical phishing chain (ZT-ACC-007), reported per user.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from zerotrust_audit.analysis.access import Path
from zerotrust_audit.analysis.contexts import ContextFilter, DeviceClass, weakest_method
from zerotrust_audit.analysis.facts import SENSITIVE, Facts
from zerotrust_audit.analysis.mfa import PHISHING_RESISTANT, RESTRICTED
from zerotrust_audit.analysis.user_sets import UserBits
from zerotrust_audit.rules.base import Hit, refs, rule
from zerotrust_audit.rules.describe import (
    EVIDENCE_LIMIT,
    endpoint_words,
    grantor,
    path_evidence,
    path_sentence,
    rule_grantor,
)

_BASE = """\
version: 1
users:
  - {name: ana, type: employee, status: active, groups: [staff], mfa_methods: [MFA]}
endpoints:
  - {name: lt-1, owner: ana, type: laptop, ownership: OWNERSHIP, managed: MANAGED, os: {family: macos, version: "15"},
     disk_encryption: true, firewall: true, edr: {installed: true, running: true}, last_patched: 2026-10-20, last_seen: 2026-10-31}
mfa_policies:
  - {name: all, applies_to: {groups: ["*"]}, required: true, allowed_methods: [sms, fido2]}
resources:
  - {name: payroll, type: TYPE, sensitivity: restricted, exposure: internal, logging: true}
access_rules:
  - {name: staff-payroll, effect: allow, subjects: {groups: [staff]}, resources: [payroll], conditions: CONDITIONS}
"""


def _example(mfa: str = "fido2", ownership: str = "corporate", managed: str = "true", type_: str = "app", conditions: str = "{mfa: any}") -> str:
    return (_BASE.replace("MFA", mfa).replace("OWNERSHIP", ownership).replace("MANAGED", managed)
            .replace("TYPE", type_).replace("CONDITIONS", conditions))


def _resources(facts: Facts, sensitivities: tuple[str, ...]) -> list[str]:
    resources = facts.inventory.resources
    return [name for name in sorted(resources) if resources[name].sensitivity in sensitivities]


def _paths(facts: Facts, sensitivities: tuple[str, ...], users: frozenset[str] | None = None, where: ContextFilter | None = None) -> Iterator[Path]:
    resources = facts.inventory.resources
    for name in sorted(resources):
        if resources[name].sensitivity in sensitivities:
            yield from facts.paths_to(name, users, where)


def _unmanaged(level: int, device: DeviceClass, network: str | None, country: str | None) -> bool:
    """An unregistered, unmanaged or personal device."""
    return not device.registered or not device.managed or device.ownership == "byod"


def _weak_device(level: int, device: DeviceClass, network: str | None, country: str | None) -> bool:
    """An unregistered, unmanaged, personal or non-compliant device."""
    return not device.registered or not device.managed or device.ownership == "byod" or not device.compliant


def _once(paths: Iterator[Path], key: Callable[[Path], object]) -> Iterator[Path]:
    """The first (weakest) path per key."""
    seen = set()
    for path in paths:
        k = key(path)
        if k not in seen:
            seen.add(k)
            yield path


class _Group(NamedTuple):
    """The users whom one rule lets reach one resource: how many, and the first
    EVIDENCE_LIMIT of them in name order (all a finding shows)."""

    rule: str | None
    resource: str
    users: list[str]
    count: int


def _grouped(facts: Facts, resources: Iterable[str], kept: Callable[[str | None], UserBits]) -> Iterator[_Group]:
    """Per resource and granting rule, the users reaching it through the rule
    that ``kept(rule)`` (a set of users) holds.

    Worked out on sets of users, not on each user's grant: only the examples a
    finding shows are expanded into requests. Groups come in report order
    (resources as given, then first user, then rule name).
    """
    effective = facts.access.effective
    sets = effective.user_sets
    for resource in resources:
        groups = []
        for name, via in effective.reach.users_via(resource).items():
            users = via & kept(name or None)
            if users:
                groups.append(((users & -users).bit_length(), name, users))
        for _, name, users in sorted(groups):
            yield _Group(name or None, resource, [sets.names[i] for i in sets.first_indexes(users, EVIDENCE_LIMIT)], users.bit_count())


def _first_paths(facts: Facts, group: _Group, limit: int = EVIDENCE_LIMIT) -> list[Path]:
    """The weakest request of each of the group's first ``limit`` users through its rule."""
    effective = facts.access.effective
    first = effective.user_sets.of_names(group.users[:limit])
    paths = (facts.access.first_path(grant, group.rule) for grant in effective.reach.grants_within(group.resource, first))
    return [path for path in paths if path is not None]


def _group_evidence(facts: Facts, group: _Group) -> dict[str, object]:
    """The first path of each of the group's first twenty users, and how many were left out."""
    shown = [path_evidence(facts, p) for p in _first_paths(facts, group)]
    omitted = group.count - len(shown)
    return {"paths": shown, **({"paths_omitted": omitted} if omitted > 0 else {})}


def _listing(items: list[str], limit: int = 5, total: int | None = None) -> str:
    """The first ``limit`` items, and how many more (of ``total``, when only some are given)."""
    count = len(items) if total is None else total
    shown = ", ".join(items[:limit])
    return shown + (f" and {count - limit} more" if count > limit else "")


@rule(
    id="ZT-ACC-006",
    title="Restricted resource reachable without phishing-resistant MFA",
    severity="high",
    pillar="identity",
    entity_kind="access_rule",
    references=refs(tenets=("T4", "T6"), ztmm=("Identity/Authentication",), sp800_53=("IA-2(1)", "IA-2(2)", "IA-2(8)"), sp800_63b=("4.3", "5.2.5"), other=("OMB M-22-09 Identity",)),
    rationale="The most sensitive data should not be one relayed one-time code away.",
    remediation="Require mfa: phishing_resistant in every rule granting restricted resources, and enrol phishing-resistant factors.",
    failing_example=_example(conditions="{mfa: any}"),
    passing_example=_example(conditions="{mfa: phishing_resistant}"),
)
def restricted_without_phishing_resistant(facts: Facts) -> Iterator[Hit]:
    rules = facts.inventory.access_rules

    def asks_phishing_resistant(rule: str | None) -> bool:
        return rule is not None and rules[rule].conditions.mfa == "phishing_resistant"

    sets = facts.access.effective.user_sets
    below = sets.of(frozenset(u for u, mfa in facts.mfa.items() if mfa.effective_strength < PHISHING_RESISTANT))

    def weak(rule: str | None) -> UserBits:
        return below if asks_phishing_resistant(rule) else sets.everyone

    for group in _grouped(facts, _resources(facts, ("restricted",)), weak):
        kind, name = rule_grantor(facts, group.rule)
        via = f"rule {group.rule}" if group.rule else "default_action: allow"
        why = "which does not ask for phishing-resistant MFA" if not asks_phishing_resistant(group.rule) else "although the users' effective MFA is weaker"
        users = [f"{u} (effective MFA: {facts.mfa[u].effective})" for u in group.users[:5]]
        count = group.count
        yield Hit(kind, name, f"{count} user{'s' if count > 1 else ''} reach restricted {group.resource} via {via}, {why}: {_listing(users, total=count)}",
                  evidence={"resource": group.resource, "rule": group.rule, **_group_evidence(facts, group)})


@rule(
    id="ZT-ACC-007",
    title="Sensitive resource reachable with a restricted factor from an unmanaged device",
    severity="critical",
    pillar="identity",
    entity_kind="access_rule",
    references=refs(
        tenets=("T4", "T5", "T6"), ztmm=("Identity/Authentication", "Devices/Resource Access"), sp800_53=("IA-2(1)", "AC-19", "AC-20", "AC-3"),
        cis=("6.3", "13.5"), sp800_63b=("5.2.10",), scuba=("MS.AAD.3.5v2", "MS.AAD.3.7v1"), other=("OMB M-22-09",),
    ),
    rationale="This is the whole phishing chain: a relayed SMS code (or no factor at all) plus any attacker-controlled machine reaches crown-jewel data.",
    remediation="Require managed, compliant devices and phishing-resistant MFA for the resource; remove restricted factors from the user.",
    failing_example=_example(mfa="sms", ownership="byod", managed="false"),
    passing_example=_example(mfa="sms", ownership="byod", managed="false", conditions="{mfa: any, device: {managed: true}}"),
)
def weak_mfa_unmanaged_device(facts: Facts) -> Iterator[Hit]:
    def unmanaged(p: Path) -> bool:
        if p.endpoint is None:
            return True
        e = facts.inventory.endpoints[p.endpoint]
        return not e.managed or e.ownership == "byod"

    chain = (p for p in _paths(facts, SENSITIVE, facts.weak_mfa_users, _unmanaged) if facts.mfa[p.user].effective_strength <= RESTRICTED and unmanaged(p))
    for path in _once(chain, lambda p: (p.rule, p.resource, p.user)):
        kind, name = grantor(path, facts)
        yield Hit(kind, name, path_sentence(facts, path), evidence=path_evidence(facts, path))


@rule(
    id="ZT-ACC-008",
    title="Sensitive resource reachable from an unmanaged, BYOD or non-compliant device",
    severity="high",
    pillar="devices",
    entity_kind="access_rule",
    references=refs(tenets=("T4", "T5"), ztmm=("Devices/Resource Access",), sp800_53=("AC-19", "AC-20", "AC-3"), cis=("13.5",), scuba=("MS.AAD.3.7v1",), other=("OMB M-22-09 Devices",)),
    rationale="Identity alone is not enough: a device signal must stand beside it, or a compromised personal laptop reaches the data.",
    remediation="Add device: {managed: true, compliant: true} to the rule.",
    failing_example=_example(ownership="byod", managed="false"),
    passing_example=_example(ownership="byod", managed="false", conditions="{mfa: any, device: {managed: true, compliant: true}}"),
)
def sensitive_from_weak_device(facts: Facts) -> Iterator[Hit]:
    weak = _WeakDevices(facts)
    for resource in _resources(facts, SENSITIVE):
        sensitivity = facts.inventory.resources[resource].sensitivity
        for granting, entries, total in weak.requests(resource):
            shown = [_request_path(facts, resource, granting, entry) for entry in entries]
            kind, name = grantor(shown[0], facts)
            devices = [endpoint_words(facts, p.endpoint) for p in shown[:5]]
            endpoints = {"endpoints": [e[1] for e in entries], **({"endpoints_omitted": total - len(entries)} if total > len(entries) else {})}
            omitted = total - len(shown)
            yield Hit(kind, name, f"{resource} ({sensitivity}) is reachable via {name} from {_listing(devices, total=total)}",
                      evidence={"resource": resource, "rule": shown[0].rule, **endpoints,
                                "paths": [path_evidence(facts, p) for p in shown], **({"paths_omitted": omitted} if omitted else {})})


# (user, endpoint or None, network, country, MFA level) of one request
_Request = tuple[str, "str | None", "str | None", "str | None", int]


def _request_path(facts: Facts, resource: str, rule: str, entry: _Request) -> Path:
    user, endpoint, network, country, level = entry
    return Path(user, resource, rule or None, endpoint, network, weakest_method(facts.mfa[user], level), country)


class _WeakDevices:
    """The requests ZT-ACC-008 reports: per granting rule, the first request to a
    resource from each weak device (an unregistered device counts once), in
    report order, as :meth:`AccessModel.paths_of` would give them.

    A finding shows twenty and counts the rest, so the count comes from sets
    of users (those a rule lets in from each weak device class, counted by
    how many endpoints of the class they own) and only the users of the first
    twenty requests are looked at.
    """

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.effective = facts.access.effective
        self.reach, self.sets = self.effective.reach, self.effective.user_sets

    def requests(self, resource: str) -> list[tuple[str, list[_Request], int]]:
        """(granting rule, its first EVIDENCE_LIMIT requests, how many in all), in report order."""
        by_device: dict[tuple[str, DeviceClass], UserBits] = {}
        for (name, device, _, _), via in self.reach.users_by_item(resource).items():
            if _weak_device(0, device, None, None):
                by_device[(name, device)] = by_device.get((name, device), 0) | via
        users: dict[str, UserBits] = {}
        totals: dict[str, int] = {}
        firsts: dict[str, UserBits] = {}
        for (name, device), via in by_device.items():
            if not device.registered:
                firsts[name] = via = via & -via
            users[name] = users.get(name, 0) | via
            totals[name] = totals.get(name, 0) + self.reach.request_count(via, device)
        found = sorted(((bits & -bits).bit_length(), name, bits, firsts.get(name, 0), totals[name]) for name, bits in users.items())
        return [(name, self._first_requests(resource, name, users, first), total) for _, name, users, first, total in found]

    def _first_requests(self, resource: str, granting: str, users: UserBits, unregistered_from: UserBits) -> list[_Request]:
        # each of these users adds at least one request: the first twenty are enough
        first = self.sets.from_indexes(self.sets.first_indexes(users, EVIDENCE_LIMIT))
        access, classes, entries = self.facts.access, self.effective.device_classes, []
        first_unregistered = self.sets.first(unregistered_from) if unregistered_from else None
        for grant in self.reach.grants_within(resource, first):
            user = grant.user
            own, seen = self.facts.endpoints_of.get(user, ()), set()
            for rule_name, device, network, country, level in access.weakest_items(grant, _weak_device):
                if rule_name != granting:
                    continue
                if not device.registered:
                    if user == first_unregistered:
                        entries.append((user, None, network, country, level))
                        first_unregistered = None
                    continue
                for endpoint in own:
                    if classes[endpoint] == device and endpoint not in seen:
                        seen.add(endpoint)
                        entries.append((user, endpoint, network, country, level))
            if len(entries) >= EVIDENCE_LIMIT:
                break
        return entries[:EVIDENCE_LIMIT]


@rule(
    id="ZT-ACC-013",
    title="Privileged remote administration without a compliant device",
    severity="high",
    pillar="devices",
    entity_kind="access_rule",
    references=refs(tenets=("T4", "T5"), ztmm=("Devices/Resource Access",), sp800_53=("AC-17(4)", "AC-6(5)", "AC-19"), cis=("12.8", "6.5"), scuba=("MS.AAD.3.6v1",)),
    rationale="Admin sessions launched from personal or unhealthy devices hand attackers the keys once that device is compromised.",
    remediation="Require managed, compliant (ideally dedicated admin) devices and phishing-resistant MFA on administration paths.",
    failing_example=_example(type_="ssh").replace("type: employee", "type: employee, privileged: true"),
    passing_example=_example(type_="ssh", conditions="{mfa: any, device: {managed: true, compliant: true}}").replace("type: employee", "type: employee, privileged: true"),
)
def admin_without_compliant_device(facts: Facts) -> Iterator[Hit]:
    resources = facts.inventory.resources
    admin_resources = [name for name in sorted(resources) if resources[name].type in ("ssh", "rdp", "network_segment")]

    privileged = facts.access.effective.user_sets.of(facts.privileged_users)

    def risky(rule: str | None) -> UserBits:
        return 0 if _rule_requires_compliant(facts, rule) else privileged

    for group in _grouped(facts, admin_resources, risky):
        kind, entity = rule_grantor(facts, group.rule)
        shown = _first_paths(facts, group, 5)
        admins = [f"{p.user} (e.g. from {endpoint_words(facts, p.endpoint)})" for p in shown] + group.users[5:]
        listing = _listing(admins, total=len(shown) + max(0, group.count - 5))
        name = group.resource
        yield Hit(kind, entity, f"privileged users reach {resources[name].type} resource {name} via {entity} without a required managed, compliant device: {listing}",
                  evidence={"resource": name, "rule": group.rule, **_group_evidence(facts, group)})


def _rule_requires_compliant(facts: Facts, rule_name: str | None) -> bool:
    if rule_name is None:
        return False
    device = facts.inventory.access_rules[rule_name].conditions.device
    return device is not None and device.compliant is True and device.managed is True


@rule(
    id="ZT-ACC-015",
    title="Contractor access to restricted data without an end date",
    severity="medium",
    pillar="identity",
    entity_kind="user",
    references=refs(tenets=("T3",), ztmm=("Identity/Access Management",), sp800_53=("AC-2", "PS-7", "AC-6(7)"), cis=("6.1", "6.2")),
    rationale="Third-party access to the most sensitive data needs a built-in end.",
    remediation="Set expires on the contractor account or on the grant, and review it at renewal.",
    failing_example=_example().replace("type: employee", "type: contractor"),
    passing_example=_example().replace("type: employee", "type: contractor, expires: 2027-01-31"),
)
def contractor_without_end(facts: Facts) -> Iterator[Hit]:
    contractors = [u.name for u in facts.active_users() if u.type == "contractor" and u.expires is None]
    if not contractors:
        return
    reach, rules = facts.access.effective.reach, facts.inventory.access_rules
    asked = reach.sets.of_names(contractors)
    open_ended: dict[str, dict[str, set[str]]] = {}    # contractor -> resource -> rules without an end
    for resource in facts.sensitive_resources():
        if facts.inventory.resources[resource].sensitivity != "restricted":
            continue
        for name, users in reach.users_via(resource).items():
            if name and rules[name].expires is not None:
                continue
            for user in reach.sets.names_of(users & asked):
                open_ended.setdefault(user, {}).setdefault(resource, set()).add(name or "default_action: allow")
    for user in sorted(open_ended):
        for resource, granting in sorted(open_ended[user].items()):
            names = sorted(granting)
            yield Hit("user", user, f"contractor {user} has no end date and reaches restricted {resource} via {', '.join(names)}, which never expire",
                      evidence={"resource": resource, "rules": names})


@rule(
    id="ZT-ACC-016",
    title="Sensitive resource reachable by an account with weak or no MFA",
    severity="high",
    pillar="identity",
    entity_kind="access_rule",
    references=refs(
        tenets=("T6",), ztmm=("Identity/Authentication",), sp800_53=("IA-2(1)", "IA-2(2)", "AC-3"), cis=("6.3", "6.4"),
        sp800_63b=("5.1.3.3", "5.2.10"), scuba=("MS.AAD.3.5v2",), other=("OMB M-22-09 Identity",),
    ),
    rationale="An account whose effective MFA is SMS, voice, e-mail or nothing is one SIM swap, mailbox takeover or sprayed password away from the data it can reach.",
    remediation="Enrol a stronger factor and remove restricted methods from the user's applicable policies, or require phishing-resistant MFA on the grant.",
    failing_example=_example(mfa="sms"),
    passing_example=_example(mfa="fido2"),
)
def sensitive_reachable_with_weak_mfa(facts: Facts) -> Iterator[Hit]:
    weak_users = facts.access.effective.user_sets.of(facts.weak_mfa_users)
    for group in _grouped(facts, _resources(facts, SENSITIVE), lambda rule: weak_users):
        kind, name = rule_grantor(facts, group.rule)
        via = f"rule {group.rule}" if group.rule else "default_action: allow"
        resource = facts.inventory.resources[group.resource]
        users = [f"{u} ({facts.inventory.users[u].type}, effective MFA: {facts.mfa[u].effective})" for u in group.users[:5]]
        omitted = {"users_omitted": group.count - len(group.users)} if group.count > len(group.users) else {}
        yield Hit(kind, name, f"{group.resource} ({resource.sensitivity}) is reachable via {via} by accounts with weak or no MFA: {_listing(users, total=group.count)}",
                  evidence={"resource": group.resource, "rule": group.rule, "users": group.users, **omitted,
                            **_group_evidence(facts, group)})


RULES = (
    restricted_without_phishing_resistant,
    sensitive_reachable_with_weak_mfa,
    weak_mfa_unmanaged_device,
    sensitive_from_weak_device,
    admin_without_compliant_device,
    contractor_without_end,
)
