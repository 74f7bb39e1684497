"""The access decision of the format, and the concrete requests it would allow.

``decide`` answers one request exactly as the format defines: enforced,
unexpired rules whose subjects (less ``exclude``) and resources match and
whose conditions hold; any deny wins, else any allow, else the default.

``paths`` finds, for a user and a resource, the weakest concrete requests that
are allowed: one per granting rule, endpoint option (each of the user's
endpoints, or an unregistered device) and network option, with the weakest MFA
method the user can present. Combination rules cite these paths as proof.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, NamedTuple

from zerotrust_audit.analysis.devices import Compliance
from zerotrust_audit.analysis.contexts import ContextFilter, DeviceClass, device_class, weakest_method
from zerotrust_audit.analysis.effective import EffectiveAccess, UserGrant
from zerotrust_audit.analysis.mfa import STRENGTH, UserMfa, is_phishing_resistant
from zerotrust_audit.model.entities import AccessRule, Endpoint, User
from zerotrust_audit.model.inventory import Inventory

UNREGISTERED = None  # an endpoint option: a device not in the inventory


@dataclass(frozen=True)
class Request:
    user: str
    resource: str
    endpoint: str | None = None
    network: str | None = None
    mfa: str = "none"
    country: str | None = None


@dataclass(frozen=True)
class Check:
    """One condition of a rule against one request."""

    condition: str
    held: bool
    why: str


@dataclass(frozen=True)
class Decision:
    effect: Literal["allow", "deny"]
    reason: Literal["rule", "default", "disabled", "unknown"]
    allow_rules: tuple[str, ...] = ()
    deny_rules: tuple[str, ...] = ()


class Path(NamedTuple):
    """A concrete request the policy allows: the proof behind an access finding.

    A named tuple: scans of large organisations build hundreds of thousands.
    """

    user: str
    resource: str
    rule: str | None          # None: granted by ``default_action: allow``
    endpoint: str | None      # None: an unregistered device
    network: str | None       # None: any network the rule does not restrict
    mfa: str                  # the weakest method that is enough
    country: str | None

    @property
    def mfa_strength(self) -> int:
        return STRENGTH[self.mfa]


class AccessModel:
    """Decisions and paths over one inventory; rule matching is cached per rule."""

    def __init__(
        self,
        inventory: Inventory,
        today: dt.date,
        mfa: dict[str, UserMfa],
        compliance: dict[str, Compliance],
        endpoints_of: dict[str, tuple[str, ...]],
    ) -> None:
        self.inventory = inventory
        self.today = today
        self.mfa = mfa
        self.compliance = compliance
        self.endpoints_of = endpoints_of
        self._rules_cache: dict[tuple[str, str], tuple[AccessRule, ...]] = {}
        self._weakest_cache: dict[tuple[object, ...], list[tuple[str, DeviceClass, str | None, str | None, int]]] = {}
        self.default_allow = bool(inventory.organization and inventory.organization.default_action == "allow")

    @cached_property
    def active_rules(self) -> tuple[AccessRule, ...]:
        """Enforced rules not yet expired (on its expiry date a rule still applies)."""
        return tuple(
            rule for _, rule in sorted(self.inventory.access_rules.items())
            if rule.state == "enforced" and (rule.expires is None or rule.expires >= self.today)
        )

    @staticmethod
    def subject_matches(rule: AccessRule, user: User) -> bool:
        if not rule.subjects.includes(user):
            return False
        excluded = rule.exclude
        return not (excluded.everyone or user.name in excluded.users or any(g in excluded.groups for g in user.groups))

    @staticmethod
    def resource_matches(rule: AccessRule, resource: str) -> bool:
        return rule.all_resources or resource in rule.resources

    def rules_for(self, user: User, resource: str) -> tuple[AccessRule, ...]:
        """Active rules whose subjects and resources match (cached: every request asks)."""
        key = (user.name, resource)
        cached = self._rules_cache.get(key)
        if cached is None:
            cached = tuple(r for r in self.active_rules if self.subject_matches(r, user) and self.resource_matches(r, resource))
            self._rules_cache[key] = cached
        return cached

    @cached_property
    def _users_by_rule(self) -> dict[str, frozenset[str]]:
        """Active users per active rule, inverted once from the subject classes."""
        users: dict[int, list[str]] = {i: [] for i in range(len(self.active_rules))}
        for rule_set, members in self.effective.subject_classes.items():
            for i in rule_set:
                users[i].extend(members)
        return {self.active_rules[i].name: frozenset(names) for i, names in users.items()}

    def matched_users(self, rule: AccessRule) -> frozenset[str]:
        """Active users a rule's subjects (less exclude) match."""
        return self._users_by_rule[rule.name]

    @cached_property
    def _all_resources(self) -> frozenset[str]:
        return frozenset(self.inventory.resources)

    def matched_resources(self, rule: AccessRule) -> frozenset[str]:
        return self._all_resources if rule.all_resources else frozenset(rule.resources)

    def rules_covering(self, resources: frozenset[str], effect: str) -> list[AccessRule]:
        """Active rules of ``effect`` that match every one of ``resources`` (an index,
        so comparing rules pairwise stays cheap with thousands of rules)."""
        index = self._covering_index(effect)
        candidates: set[str] | None = None
        for resource in sorted(resources, key=lambda r: len(index.get(r, ()))):
            names = index.get(resource, set())
            candidates = set(names) if candidates is None else candidates & names
            if not candidates:
                return []
        if candidates is None:
            return [r for r in self.active_rules if r.effect == effect]
        position = self._rule_position
        return [self.active_rules[i] for i in sorted(position[name] for name in candidates)]

    @cached_property
    def _rule_position(self) -> dict[str, int]:
        return {rule.name: i for i, rule in enumerate(self.active_rules)}

    def _covering_index(self, effect: str) -> dict[str, set[str]]:
        cache = self.__dict__.setdefault("_covering", {})
        if effect not in cache:
            index: dict[str, set[str]] = {}
            for rule in self.active_rules:
                if rule.effect == effect:
                    for resource in self.matched_resources(rule):
                        index.setdefault(resource, set()).add(rule.name)
            cache[effect] = index
        return cache[effect]  # type: ignore[no-any-return]

    def condition_checks(self, rule: AccessRule, request: Request) -> list[Check]:
        """Each condition the rule asks for, whether the request meets it, and why."""
        cond, checks = rule.conditions, []
        if cond.mfa != "none":
            usable = self.mfa[request.user].usable if request.user in self.mfa else ()
            if request.mfa == "none":
                checks.append(Check(f"mfa: {cond.mfa}", False, "no MFA presented"))
            elif request.mfa not in usable:
                checks.append(Check(f"mfa: {cond.mfa}", False, f"{request.mfa} is not enrolled and allowed for {request.user}"))
            elif cond.mfa == "phishing_resistant" and not is_phishing_resistant(request.mfa):
                checks.append(Check("mfa: phishing_resistant", False, f"{request.mfa} is not phishing-resistant"))
            else:
                checks.append(Check(f"mfa: {cond.mfa}", True, f"{request.mfa} presented"))
        if cond.device is not None:
            checks.extend(self._device_checks(rule, request.endpoint))
        if cond.networks is not None:
            held = request.network in cond.networks
            where = request.network or "a network other than these"
            checks.append(Check(f"networks: {', '.join(cond.networks)}", held, f"request from {where}"))
        if cond.countries is not None:
            held = request.country in cond.countries
            checks.append(Check(f"countries: {', '.join(cond.countries)}", held, f"request from {request.country or 'another country'}"))
        return checks

    def condition_failures(self, rule: AccessRule, request: Request) -> list[str]:
        """Why the request does not satisfy the rule's conditions ([] = it does)."""
        return [f"{c.condition}: {c.why}" for c in self.condition_checks(rule, request) if not c.held]

    def _device_checks(self, rule: AccessRule, endpoint_name: str | None) -> list[Check]:
        device = rule.conditions.device
        assert device is not None
        if endpoint_name is None:
            return [Check("device", False, "an unregistered device meets no device condition")]
        endpoint: Endpoint = self.inventory.endpoints[endpoint_name]
        checks = []
        if device.managed is not None:
            state = "managed" if endpoint.managed else "not managed"
            checks.append(Check(f"device.managed: {str(device.managed).lower()}", endpoint.managed == device.managed, f"{endpoint_name} is {state}"))
        if device.compliant is not None:
            compliance = self.compliance[endpoint_name]
            state = "compliant" if compliance.compliant else f"not compliant: {compliance.describe()}"
            checks.append(Check(f"device.compliant: {str(device.compliant).lower()}", compliance.compliant == device.compliant, f"{endpoint_name} is {state}"))
        if device.ownership is not None:
            checks.append(Check(f"device.ownership: {', '.join(device.ownership)}", endpoint.ownership in device.ownership, f"{endpoint_name} is {endpoint.ownership}"))
        return checks

    def decide(self, request: Request) -> Decision:
        user = self.inventory.users.get(request.user)
        if user is None or request.resource not in self.inventory.resources:
            return Decision("deny", "unknown")
        if user.status == "disabled":
            return Decision("deny", "disabled")
        matched = [r for r in self.rules_for(user, request.resource) if not self.condition_failures(r, request)]
        denies = tuple(r.name for r in matched if r.effect == "deny")
        allows = tuple(r.name for r in matched if r.effect == "allow")
        if denies:
            return Decision("deny", "rule", allows, denies)
        if allows:
            return Decision("allow", "rule", allows, ())
        return Decision("allow" if self.default_allow else "deny", "default")

    @cached_property
    def effective(self) -> EffectiveAccess:
        """The class-based computation of who can reach what (see :mod:`.effective`)."""
        endpoints = self.inventory.endpoints
        classes = {name: device_class(endpoints[name], self.compliance[name]) for name in endpoints}
        return EffectiveAccess(
            self.inventory.users, sorted(self.inventory.resources), self.active_rules, self.default_allow,
            self.mfa, classes, self.endpoints_of,
        )

    def paths(self, user_name: str, resource: str) -> list[Path]:
        """The weakest allowed requests of this user to this resource (empty: no access)."""
        rule_set = self.effective.grants_of_user(user_name).get(resource)
        if rule_set is None:
            return []
        grant = self.effective.user_grant(user_name, resource, rule_set)
        return self.paths_of(grant) if grant is not None else []

    def paths_of_user(self, user_name: str) -> dict[str, list[Path]]:
        """resource -> the user's weakest allowed requests, for every resource they can reach."""
        found = {}
        for resource in sorted(self.effective.grants_of_user(user_name)):
            paths = self.paths(user_name, resource)
            if paths:
                found[resource] = paths
        return found

    def paths_of(self, grant: UserGrant, where: ContextFilter | None = None) -> list[Path]:
        """Concrete requests for a user grant: per granting rule, device, network and
        country, the weakest MFA level; devices expanded to the user's endpoints
        (only those whose context ``where`` accepts, when given)."""
        mfa = self.mfa[grant.user]
        classes = self.effective.device_classes
        user, resource = grant.user, grant.resource
        by_class: dict[DeviceClass, list[str]] = {}
        for e in self.endpoints_of.get(user, ()):   # items name only admitted classes
            by_class.setdefault(classes[e], []).append(e)
        methods: dict[int, str] = {}
        out = []
        for rule, device, network, country, level in self._weakest(grant) if where is None else self.weakest_items(grant, where):
            method = methods.get(level)
            if method is None:
                method = methods[level] = weakest_method(mfa, level)
            if device.registered:
                out.extend([Path(user, resource, rule or None, e, network, method, country) for e in by_class.get(device, ())])
            else:
                out.append(Path(user, resource, rule or None, None, network, method, country))
        return out

    def first_path(self, grant: UserGrant, rule: str | None) -> Path | None:
        """The first of :meth:`paths_of` granted by ``rule``, without building the others."""
        name, classes = rule or "", self.effective.device_classes
        for granting, device, network, country, level in self._weakest(grant):
            if granting != name:
                continue
            if not device.registered:
                return Path(grant.user, grant.resource, rule, None, network, weakest_method(self.mfa[grant.user], level), country)
            for endpoint in self.endpoints_of.get(grant.user, ()):
                if classes[endpoint] == device:
                    return Path(grant.user, grant.resource, rule, endpoint, network, weakest_method(self.mfa[grant.user], level), country)
        return None

    def weakest_items(self, grant: UserGrant, where: ContextFilter) -> list[tuple[str, DeviceClass, str | None, str | None, int]]:
        """(rule, device class, network, country, weakest level) of the grant whose
        context ``where`` accepts, in report order ("" rule: default allow)."""
        key = (grant.rule_set, grant.contexts, where)
        cached = self._weakest_cache.get(key)
        if cached is None:
            cached = self._weakest_cache[key] = [item for item in self._weakest(grant) if where(item[4], item[1], item[2], item[3])]
        return cached

    def _weakest(self, grant: UserGrant) -> list[tuple[str, DeviceClass, str | None, str | None, int]]:
        """(rule, device class, network, country, weakest level), in report order.
        It depends only on the grant's contexts, which users with the same MFA
        levels and device classes share, so it is computed once for them."""
        key = (grant.rule_set, grant.contexts)
        cached = self._weakest_cache.get(key)
        if cached is None:
            weakest: dict[tuple[str, DeviceClass, str | None, str | None], int] = {}
            allowed = self.effective.grant_of(grant)
            for ctx in grant.contexts:
                for rule in allowed[ctx]:
                    item = (rule, ctx.device, ctx.network, ctx.country)
                    if item not in weakest or ctx.level < weakest[item]:
                        weakest[item] = ctx.level
            order = sorted(weakest.items(), key=lambda kv: (kv[0][0], kv[1], not kv[0][1].registered, kv[0][1], kv[0][2] or "", kv[0][3] or ""))
            cached = self._weakest_cache[key] = [(*item, level) for item, level in order]
        return cached
