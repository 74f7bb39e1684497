"""Effective access computed over equivalence classes, not over every request.

Enumerating users x endpoints x networks x countries x MFA methods x
resources x rules does not scale to an enterprise. Instead:

* users whose subjects match the same set of rules form one *subject class*,
  and only the resources its allow rules name are examined for it;
* a request is reduced to a :class:`Context`: the MFA level presented
  (none, a non-phishing-resistant method, a phishing-resistant one), a
  :class:`DeviceClass` (unregistered, or managed/compliant/ownership), the
  network and the country, where networks and countries no rule of the class
  mentions collapse into "other" (``None``): rules cannot tell them apart.

The decision of the format is evaluated once per (rule set, context); users
and endpoints are then mapped onto the allowed contexts. The result is exact:
a property test compares it with the request-by-request decision.

The same grants are also kept per resource as sets of users
(:mod:`.user_reach`), which is how the rule pack asks about them.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cached_property
from typing import Any

from zerotrust_audit.analysis.contexts import (
    UNREGISTERED,
    Context,
    ContextFilter,
    DeviceClass,
    Grant,
    UserGrant,
    context_order,
    evaluate_rules,
    interned,
    presentable_levels,
)
from zerotrust_audit.analysis.mfa import UserMfa
from zerotrust_audit.analysis.user_reach import UserReach
from zerotrust_audit.analysis.user_sets import UserSets
from zerotrust_audit.model.entities import AccessRule, User


class EffectiveAccess:
    """Subject and resource classes, and the grant of every (class, class) pair."""

    def __init__(
        self,
        users: dict[str, User],
        resources: list[str],
        rules: tuple[AccessRule, ...],
        default_allow: bool,
        mfa: dict[str, UserMfa],
        device_classes: dict[str, DeviceClass],
        endpoints_of: dict[str, tuple[str, ...]],
    ) -> None:
        self.users = users
        self.resources = resources
        self.rules = rules
        self.default_allow = default_allow
        self.mfa = mfa
        self.device_classes = device_classes
        self.endpoints_of = endpoints_of
        self._grants: dict[frozenset[int], Grant] = {}
        self._profiles: dict[str, tuple[tuple[int, ...], frozenset[DeviceClass]]] = {}
        self._presentable: dict[tuple[Any, ...], tuple[tuple[Context, ...], tuple[str, ...]]] = {}
        self._pairs: dict[int, frozenset[tuple[int, DeviceClass]]] = {}   # per rule (self.rules keeps them alive)
        self._grants_to: dict[str, list[UserGrant]] = {}
        self._resources_of_class: dict[frozenset[int], dict[str, frozenset[int]]] = {}   # asked classes only
        self.canonical: dict[frozenset[int], frozenset[int]] = {}   # one shared copy of each matching-rule set
        self._answers: dict[tuple[frozenset[int], ContextFilter], bool] = {}

    @cached_property
    def subject_classes(self) -> dict[frozenset[int], list[str]]:
        """Rule-index set -> active users whose subjects match exactly those rules."""
        by_group: dict[str, set[int]] = {}
        by_user: dict[str, set[int]] = {}
        everyone: set[int] = set()
        ex_group: dict[str, set[int]] = {}
        ex_user: dict[str, set[int]] = {}
        ex_everyone: set[int] = set()
        for i, rule in enumerate(self.rules):
            _index(i, rule.subjects, by_user, by_group, everyone)
            _index(i, rule.exclude, ex_user, ex_group, ex_everyone)
        classes: dict[frozenset[int], list[str]] = {}
        for name in sorted(self.users):
            user = self.users[name]
            if user.status != "active":
                continue
            matched = set(everyone) | by_user.get(name, set())
            excluded = set(ex_everyone) | ex_user.get(name, set())
            for group in user.groups:
                matched |= by_group.get(group, set())
                excluded |= ex_group.get(group, set())
            classes.setdefault(frozenset(matched - excluded), []).append(name)
        return classes

    def grant(self, rule_indexes: frozenset[int]) -> Grant:
        cached = self._grants.get(rule_indexes)
        if cached is None:
            rules = tuple(self.rules[i] for i in sorted(rule_indexes))
            cached = self._grants[rule_indexes] = evaluate_rules(rules, self.default_allow, self._pairs)
        return cached

    def grant_of(self, user_grant: UserGrant) -> dict[Context, tuple[str, ...]]:
        return self.grant(user_grant.rule_set).allowed

    @cached_property
    def rules_of_resource(self) -> dict[str, frozenset[int]]:
        """resource -> indexes of the rules whose resources match it."""
        wildcard = {i for i, r in enumerate(self.rules) if r.all_resources}
        named: dict[str, set[int]] = {}
        for i, rule in enumerate(self.rules):
            for resource in rule.resources:
                named.setdefault(resource, set()).add(i)
        return {resource: frozenset(wildcard | named.get(resource, set())) for resource in self.resources}

    @cached_property
    def by_resource(self) -> dict[str, list[tuple[list[str], frozenset[int]]]]:
        """resource -> [(users of a subject class, matching rules)] for every class with some access.

        Built per subject class from the resources its allow rules name, so the
        cost follows what the policy grants, not users x resources.
        """
        index: dict[str, list[tuple[list[str], frozenset[int]]]] = {}
        for sclass, users in self.subject_classes.items():
            for resource, rule_set in self._class_resources(sclass):
                entry = index.get(resource)
                if entry is None:
                    index[resource] = [(users, rule_set)]
                else:
                    entry.append((users, rule_set))
        return index

    def _class_resources(self, sclass: frozenset[int]) -> list[tuple[str, frozenset[int]]]:
        """(resource, matching rules) for every resource the class has some access to."""
        is_allow, covers_all, names = self._rule_shapes
        # bucket the class's rules by the resources they name: each bucket
        # is exactly "the class's rules matching that resource"
        buckets: dict[str, list[int]] = {}
        wildcard: list[int] = []
        allowed: set[str] = set()
        open_everything = self.default_allow
        for i in sclass:
            if covers_all[i]:
                wildcard.append(i)
                open_everything = open_everything or is_allow[i]
                continue
            for resource in names[i]:
                bucket = buckets.get(resource)
                if bucket is None:
                    buckets[resource] = [i]
                else:
                    bucket.append(i)
            if is_allow[i]:
                allowed.update(names[i])
        canonical, grants = self.canonical, self._grants
        reachable = []
        for resource in self.resources if open_everything else allowed:
            bucket = buckets.get(resource)
            rule_set = frozenset(bucket + wildcard if wildcard else bucket) if bucket else frozenset(wildcard)
            # one shared copy per distinct set: a million (class, resource)
            # pairs hold a few thousand of them
            rule_set = canonical.setdefault(rule_set, rule_set)
            grant = grants.get(rule_set)
            if grant is None:
                grant = self.grant(rule_set)
            if grant:
                reachable.append((resource, rule_set))
        return reachable

    @cached_property
    def _rule_shapes(self) -> tuple[list[bool], list[bool], list[tuple[str, ...]]]:
        """Per rule, once: is it an allow, does it cover every resource, what does it name."""
        return ([r.effect == "allow" for r in self.rules], [r.all_resources for r in self.rules], [tuple(r.resources) for r in self.rules])

    @cached_property
    def class_of_user(self) -> dict[str, frozenset[int]]:
        return {user: rule_set for rule_set, users in self.subject_classes.items() for user in users}

    def resources_of(self, sclass: frozenset[int]) -> dict[str, frozenset[int]]:
        """resource -> matching rules for the resources a subject class has access to
        (worked out again when asked: only a few classes' users are asked about,
        and keeping it for every class cost more memory than the grants)."""
        cached = self._resources_of_class.get(sclass)
        if cached is None:
            cached = self._resources_of_class[sclass] = dict(self._class_resources(sclass))
        return cached

    def grants_of_user(self, user: str) -> dict[str, frozenset[int]]:
        """resource -> matching rules, for every resource the user's class has access to."""
        sclass = self.class_of_user.get(user)
        return {} if sclass is None else self.resources_of(sclass)

    @cached_property
    def reach(self) -> UserReach:
        """The same grants per resource as sets of users (see :mod:`.user_reach`)."""
        return UserReach(self)

    @property
    def user_sets(self) -> UserSets:
        return self.reach.sets

    def class_grants(self, resource: str) -> list[tuple[list[str], frozenset[int]]]:
        """(users of a subject class, matching rules) for every class with access to ``resource``."""
        return self.by_resource.get(resource, [])

    def profile(self, user: str) -> tuple[tuple[int, ...], frozenset[DeviceClass]]:
        """What a user can present: MFA levels and device classes (one shared copy per distinct profile)."""
        profile = self._profiles.get(user)
        if profile is None:
            own = self.endpoints_of.get(user, ())
            classes = frozenset({self.device_classes[e] for e in own} | {UNREGISTERED})
            profile = self._profiles[user] = interned((presentable_levels(self.mfa[user]), classes))
        return profile

    def presentable(self, rule_set: frozenset[int], profile: tuple[tuple[int, ...], frozenset[DeviceClass]]) -> tuple[tuple[Context, ...], tuple[str, ...]]:
        """(allowed contexts a profile can present, weakest first; the rules granting them).
        Users with the same profile share the answer."""
        key = (rule_set, profile)
        shared = self._presentable.get(key)
        if shared is None:
            levels, classes = profile
            allowed = self.grant(rule_set).allowed
            contexts = tuple(sorted((c for c in allowed if c.level in levels and c.device in classes), key=context_order))
            rules = tuple(sorted({r for c in contexts for r in allowed[c]}))
            shared = self._presentable[key] = (contexts, rules)
        return shared

    def user_grant(self, user: str, resource: str, rule_set: frozenset[int]) -> UserGrant | None:
        """Map one user onto a class grant: what they can present decides."""
        contexts, rules = self.presentable(rule_set, self.profile(user))
        return UserGrant(user, resource, rule_set, contexts, rules) if contexts else None

    def admits_some(self, rule_set: frozenset[int], where: ContextFilter) -> bool:
        """Does this set of matching rules allow some context ``where`` accepts?"""
        key = (rule_set, where)
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = any(where(*ctx) for ctx in self.grant(rule_set).allowed)
        return answer

    def grants_to(self, resource: str, only: Collection[str] | None = None, where: ContextFilter | None = None) -> list[UserGrant]:
        """Every user's effective access to one resource, users in name order
        (only the users in ``only``, and only grants allowing some context
        ``where`` accepts, when given)."""
        reach = self.reach
        if only is not None:
            return reach.grants_within(resource, reach.sets.of(only), where)
        cached = self._grants_to.get(resource)
        if cached is not None:
            return cached if where is None else [g for g in cached if self.admits_some(g.rule_set, where)]
        if where is None:
            everyone = self._grants_to[resource] = reach.grants_within(resource, reach.sets.everyone)
            return everyone
        return reach.grants_within(resource, reach.sets.everyone, where)

def _index(i: int, principals: object, by_user: dict[str, set[int]], by_group: dict[str, set[int]], everyone: set[int]) -> None:
    users = getattr(principals, "users")
    groups = getattr(principals, "groups")
    if "*" in users or "*" in groups:
        everyone.add(i)
        return
    for u in users:
        by_user.setdefault(u, set()).add(i)
    for g in groups:
        by_group.setdefault(g, set()).add(i)
