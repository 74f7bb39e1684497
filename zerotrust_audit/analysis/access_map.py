"""The access map: every (user, resource) pair some allow rule grants, and how weakly.

For each pair: the granting rules, the weakest conditions under which access
is granted (MFA, device, networks, countries), the user's effective MFA,
which of the user's endpoints would be admitted, and whether the user can
actually present those conditions (reachable). Entries are produced lazily,
resource by resource (most sensitive first), so a large map streams out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import itemgetter
from dataclasses import dataclass
from typing import NamedTuple

from zerotrust_audit.analysis.contexts import ALL_DEVICE_CLASSES, Context, UNREGISTERED, presentable_levels
from zerotrust_audit.analysis.effective import EffectiveAccess
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


class AccessEntry(NamedTuple):
    """One granted (user, resource) pair (a named tuple: millions are made)."""

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


_BY_USER = itemgetter(2)


@dataclass(frozen=True)
class _GrantSummary:
    """Everything about a class grant that does not depend on the user."""

    rules: tuple[str, ...]
    weakest_rule: str
    conditions: Conditions
    devices_by_levels: tuple[int, ...]   # per presentable-levels index: bitmask of admitted device classes


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
    summaries: dict[frozenset[int], _GrantSummary] = {}
    profiles = _UserProfiles(facts, effective)
    for name in chosen:
        sensitivity = resources[name].sensitivity
        entries: list[AccessEntry] = []
        for users, rule_set in effective.class_grants(name):
            summary = summaries.get(rule_set)
            if summary is None:
                summary = summaries[rule_set] = _summarise(effective.grant(rule_set).allowed)
            members = users if user is None else [u for u in users if u == user]
            entries.extend(profiles.entries(name, sensitivity, members, summary))
        entries.sort(key=_BY_USER)
        yield from entries


def _summarise(allowed: dict[Context, tuple[str, ...]]) -> _GrantSummary:
    rule, conditions = _weakest_by_rule(allowed)
    rules = tuple(sorted({r or "default_action: allow" for granting in allowed.values() for r in granting}))
    devices_by_levels = tuple(
        _mask(c.device for c in allowed if c.level in levels) for levels in LEVEL_SETS
    )
    return _GrantSummary(rules, rule, conditions, devices_by_levels)


# The four sets of MFA levels a user can present, and the device classes as
# bits: the map tests them for every granted pair, so both are small integers.
LEVEL_SETS = ((0,), (0, 1), (0, 2), (0, 1, 2))
DEVICE_BIT = {device: 1 << i for i, device in enumerate(ALL_DEVICE_CLASSES)}
UNREGISTERED_BIT = DEVICE_BIT[UNREGISTERED]


def _mask(devices: Iterable[object]) -> int:
    mask = 0
    for device in devices:
        mask |= DEVICE_BIT[device]
    return mask


class _UserProfiles:
    """Per-user facts the map repeats for every resource, computed once."""

    def __init__(self, facts: Facts, effective: EffectiveAccess) -> None:
        self.facts = facts
        self.effective = effective
        self._cache: dict[str, tuple[int, tuple[tuple[str, int], ...], str, bool, str]] = {}

    def get(self, user: str) -> tuple[int, tuple[tuple[str, int], ...], str, bool, str]:
        cached = self._cache.get(user)
        if cached is None:
            facts, classes = self.facts, self.effective.device_classes
            own = tuple((e, classes[e]) for e in facts.endpoints_of.get(user, ()))
            mfa = facts.mfa[user]
            own_bits = tuple((name, DEVICE_BIT[device]) for name, device in own)
            cached = self._cache[user] = (LEVEL_SETS.index(presentable_levels(mfa)), own_bits, facts.inventory.users[user].type,
                                          facts.privileged[user], mfa.effective)
        return cached

    def entries(self, resource: str, sensitivity: str, users: list[str], summary: _GrantSummary) -> list[AccessEntry]:
        """The entries of one class grant (a tight loop: it runs for every granted pair)."""
        out = []
        append, get, new = out.append, self.get, tuple.__new__
        by_levels, rules, weakest, conditions = summary.devices_by_levels, summary.rules, summary.weakest_rule, summary.conditions
        for user in users:
            levels, own, user_type, privileged, effective_mfa = get(user)
            devices = by_levels[levels]
            if not own:
                admitted: tuple[str, ...] = ()
            elif len(own) == 1:
                admitted = (own[0][0],) if own[0][1] & devices else ()
            else:
                admitted = tuple([n for n, bit in own if bit & devices])
            unregistered = bool(devices & UNREGISTERED_BIT)
            append(new(AccessEntry, (resource, sensitivity, user, user_type, privileged, effective_mfa, rules, weakest,
                                     conditions, admitted, unregistered, bool(admitted) or unregistered)))
        return out


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
