"""The access map: every (user, resource) pair some allow rule grants, and how weakly.

For each pair: the granting rules, the weakest conditions under which access
is granted (MFA, device, networks, countries), the user's effective MFA,
which of the user's endpoints would be admitted, and whether the user can
actually present those conditions (reachable). Entries are produced lazily,
resource by resource (most sensitive first), so a large map streams out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from zerotrust_audit.analysis.effective import Context, EffectiveAccess, presentable_levels
from zerotrust_audit.analysis.facts import Facts

SENSITIVITY_ORDER = ("restricted", "confidential", "internal", "public")
CONDITION_NAMES = ("none", "any", "phishing_resistant")


@dataclass(frozen=True)
class Conditions:
    """The weakest conditions under which a grant holds."""

    mfa: str                          # none | any | phishing_resistant
    device: str                       # "any" or a description of what is required
    networks: tuple[str, ...] | None  # None: any network
    countries: tuple[str, ...] | None  # None: any country


@dataclass(frozen=True)
class AccessEntry:
    resource: str
    sensitivity: str
    user: str
    user_type: str
    privileged: bool
    effective_mfa: str
    rules: tuple[str, ...]            # every granting rule; "default_action: allow" when no rule grants
    weakest_rule: str                 # the rule whose conditions are weakest
    conditions: Conditions            # the weakest conditions (those of ``weakest_rule``)
    endpoints: tuple[str, ...]        # the user's endpoints admitted
    unregistered_device: bool         # an unregistered device is admitted
    reachable: bool                   # the user can present the conditions


def weakest_conditions(contexts: list[Context]) -> Conditions:
    level = min(c.level for c in contexts)
    devices = {c.device for c in contexts}
    if any(not d.registered for d in devices):
        device = "any"
    else:
        required = []
        if all(d.managed for d in devices):
            required.append("managed")
        if all(d.compliant for d in devices):
            required.append("compliant")
        owners = sorted({d.ownership for d in devices})
        if len(owners) == 1:
            required.append(owners[0])
        device = "registered" + (f" ({', '.join(required)})" if required else "")
    networks = None if any(c.network is None for c in contexts) else tuple(sorted({c.network for c in contexts if c.network}))
    countries = None if any(c.country is None for c in contexts) else tuple(sorted({c.country for c in contexts if c.country}))
    return Conditions(CONDITION_NAMES[level], device, networks, countries)


def access_map(
    facts: Facts, resource: str | None = None, user: str | None = None, min_sensitivity: str = "public"
) -> Iterator[AccessEntry]:
    """Entries grouped by resource (most sensitive first, then name), users in name order."""
    effective = facts.access.effective
    resources = facts.inventory.resources
    floor = SENSITIVITY_ORDER.index(min_sensitivity)
    chosen = [
        name for name in sorted(resources, key=lambda n: (SENSITIVITY_ORDER.index(resources[n].sensitivity), n))
        if SENSITIVITY_ORDER.index(resources[name].sensitivity) <= floor and (resource is None or name == resource)
    ]
    for name in chosen:
        entries = []
        for users, rule_set in effective.class_grants(name):
            allowed = effective.grant(rule_set).allowed
            weakest = _weakest_by_rule(allowed)
            for member in users if user is None else [u for u in users if u == user]:
                entries.append(_entry(facts, effective, name, member, allowed, weakest))
        yield from sorted(entries, key=lambda e: e.user)


def _weakest_by_rule(allowed: dict[Context, tuple[str, ...]]) -> tuple[str, Conditions]:
    """Conditions are summarised per granting rule (a rule's conditions all hold
    together), and the weakest rule is chosen: lowest MFA, then any device, then
    any network, then any country."""
    contexts_of: dict[str, list[Context]] = {}
    for ctx, rules in allowed.items():
        for rule in rules:
            contexts_of.setdefault(rule, []).append(ctx)
    summaries = [(rule, weakest_conditions(contexts)) for rule, contexts in sorted(contexts_of.items())]

    def weakness(item: tuple[str, Conditions]) -> tuple[object, ...]:
        c = item[1]
        return (CONDITION_NAMES.index(c.mfa), c.device != "any", c.networks is not None, c.countries is not None, item[0])

    rule, conditions = min(summaries, key=weakness)
    return rule or "default_action: allow", conditions


def _entry(
    facts: Facts, effective: EffectiveAccess, resource: str, user: str, allowed: dict[Context, tuple[str, ...]], weakest: tuple[str, Conditions]
) -> AccessEntry:
    levels = presentable_levels(facts.mfa[user])
    presentable = [c for c in allowed if c.level in levels]
    devices = {c.device for c in presentable}
    own = facts.endpoints_of.get(user, ())
    admitted = tuple(e for e in own if effective.device_classes[e] in devices)
    unregistered = any(not d.registered for d in devices)
    rules = tuple(sorted({r for granting in allowed.values() for r in granting}))
    account = facts.inventory.users[user]
    return AccessEntry(
        resource=resource,
        sensitivity=facts.inventory.resources[resource].sensitivity,
        user=user,
        user_type=account.type,
        privileged=facts.privileged[user],
        effective_mfa=facts.mfa[user].effective,
        rules=tuple(r or "default_action: allow" for r in rules),
        weakest_rule=weakest[0],
        conditions=weakest[1],
        endpoints=admitted,
        unregistered_device=unregistered,
        reachable=bool(admitted) or unregistered,
    )

