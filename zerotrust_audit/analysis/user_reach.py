"""Who reaches each resource, through which rule and from what, as sets of users.

The subject-class index of :mod:`.effective` holds, per resource, one entry
per class of users matching the same rules: hundreds per resource in a large
organisation, where most classes hold a few users. Here the same grants are
kept per resource as *buckets*: the users (a bit set, see :mod:`.user_sets`)
whose subjects match each distinct set of the rules naming the resource, a
handful per resource.

A user can make a request through a rule when their bucket's rules allow
some context that the user can present: an MFA level they have a method
for, from a device class they own (or an unregistered device). Those users
are the bucket intersected with a precomputed set per (level, device class),
so "which weak-MFA users reach this resource through which rule, from which
device?" is a few set operations, and a user's :class:`UserGrant` is built
only for the users a finding names.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from zerotrust_audit.analysis.contexts import ContextFilter, DeviceClass, UserGrant
from zerotrust_audit.analysis.user_sets import UserBits, UserSets, partition

if TYPE_CHECKING:
    from zerotrust_audit.analysis.effective import EffectiveAccess

# (allow rule, device class, network, country) of a request, as
# AccessModel.paths_of lists them ("" rule: default allow)
Item = tuple[str, DeviceClass, "str | None", "str | None"]


class UserReach:
    """Per resource, the users each rule lets in, as bit sets."""

    def __init__(self, effective: EffectiveAccess) -> None:
        self.effective = effective
        self.sets = UserSets(effective.users, effective.rules)
        self._buckets: dict[str, list[tuple[frozenset[int], UserBits]]] = {}
        self._items: dict[tuple[frozenset[int], ContextFilter | None], dict[Item, UserBits]] = {}
        self._rules: dict[tuple[frozenset[int], ContextFilter | None], dict[str | None, UserBits]] = {}
        self._item_pairs: dict[tuple[frozenset[int], ContextFilter | None], dict[Item, set[tuple[int, DeviceClass]]]] = {}
        self._unions: dict[frozenset[tuple[int, DeviceClass]], UserBits] = {}
        self._answers_by_profile: dict[frozenset[int], list[Any]] = {}

    def buckets(self, resource: str) -> list[tuple[frozenset[int], UserBits]]:
        """(matching rules, users) for every set of rules that grants ``resource``
        something: the grants of :meth:`EffectiveAccess.class_grants`, with
        subject classes that share a rule set merged."""
        cached = self._buckets.get(resource)
        if cached is None:
            effective, sets = self.effective, self.sets
            canonical = effective.canonical
            parts = partition(sets.everyone, sets.members, effective.rules_of_resource.get(resource, ()), lambda s: canonical.setdefault(s, s))
            cached = self._buckets[resource] = [(rule_set, bits) for rule_set, bits in parts if effective.grant(rule_set)]
        return cached

    @cached_property
    def presentable_bits(self) -> dict[tuple[int, DeviceClass], UserBits]:
        """(MFA level, device class) -> users who can present both: an
        unregistered device anyone, a registered class its owners."""
        sets, profile = self.sets, self.effective.profile
        by_level: dict[int, list[int]] = {}
        by_device: dict[DeviceClass, list[int]] = {}
        for i, user in enumerate(sets.names):
            levels, devices = profile(user)
            for level in levels:
                by_level.setdefault(level, []).append(i)
            for device in devices:
                by_device.setdefault(device, []).append(i)
        level_bits = {level: sets.from_indexes(indexes) for level, indexes in by_level.items()}
        device_bits = {device: sets.from_indexes(indexes) for device, indexes in by_device.items()}
        return {(level, device): lb & db for level, lb in level_bits.items() for device, db in device_bits.items()}

    @cached_property
    def owner_layers(self) -> dict[DeviceClass, list[UserBits]]:
        """Per registered device class: [owners of at least one endpoint of it, of at least two, ...]."""
        effective = self.effective
        counts: dict[DeviceClass, dict[int, int]] = {}
        rank = self.sets.rank
        for user, endpoints in effective.endpoints_of.items():
            i = rank.get(user)
            if i is None:
                continue
            for endpoint in endpoints:
                owned = counts.setdefault(effective.device_classes[endpoint], {})
                owned[i] = owned.get(i, 0) + 1
        return {
            device: [self.sets.from_indexes([i for i, n in owned.items() if n >= k]) for k in range(1, max(owned.values()) + 1)]
            for device, owned in counts.items()
        }

    def request_count(self, users: UserBits, device: DeviceClass) -> int:
        """How many concrete requests one item gives these users: one per endpoint
        of the class they own, or one each from an unregistered device."""
        if not device.registered:
            return users.bit_count()
        return sum((users & layer).bit_count() for layer in self.owner_layers.get(device, ()))

    def _by_item(self, rule_set: frozenset[int], where: ContextFilter | None) -> dict[Item, UserBits]:
        """Per item ``rule_set`` allows in a context ``where`` accepts, the users who
        can present such a context, whoever's subjects match: intersect with a bucket."""
        key = (rule_set, where)
        table = self._items.get(key)
        if table is None:
            pairs: dict[Item, set[tuple[int, DeviceClass]]] = {}
            for c, rules in self.effective.grant(rule_set).allowed.items():
                if where is None or where(*c):
                    for rule in rules:
                        pairs.setdefault((rule, c.device, c.network, c.country), set()).add((c.level, c.device))
            table = self._items[key] = {item: self._presenting(frozenset(wanted)) for item, wanted in pairs.items()}
            self._item_pairs[key] = pairs
        return table

    def _by_rule(self, rule_set: frozenset[int], where: ContextFilter | None) -> dict[str | None, UserBits]:
        """:meth:`_by_item` per allow rule (None: through any rule)."""
        key = (rule_set, where)
        table = self._rules.get(key)
        if table is None:
            self._by_item(rule_set, where)
            pairs: dict[str | None, set[tuple[int, DeviceClass]]] = {None: set()}
            for item, wanted in self._item_pairs[key].items():
                pairs.setdefault(item[0], set()).update(wanted)
                pairs[None].update(wanted)
            table = self._rules[key] = {rule: self._presenting(frozenset(wanted)) for rule, wanted in pairs.items()}
        return table

    def _presenting(self, pairs: frozenset[tuple[int, DeviceClass]]) -> UserBits:
        """Users who can present one of these (MFA level, device class) pairs: one
        shared set per distinct choice (thousands of tables hold a few dozen)."""
        bits = self._unions.get(pairs)
        if bits is None:
            presentable, bits = self.presentable_bits, 0
            for pair in pairs:
                bits |= presentable.get(pair, 0)
            self._unions[pairs] = bits
        return bits

    def reaches(self, resource: str, where: ContextFilter) -> bool:
        """Does some user have an allowed request to ``resource`` whose context ``where`` accepts?"""
        return any(members & self._by_rule(rule_set, where)[None] for rule_set, members in self.buckets(resource))

    def users_via(self, resource: str, where: ContextFilter | None = None) -> dict[str, UserBits]:
        """Per allow rule, the users whose effective access to ``resource`` goes
        through it in some context ``where`` accepts (the users whose
        :class:`UserGrant` lists the rule); rules nobody reaches it through are left out."""
        found: dict[str, UserBits] = {}
        for rule_set, members in self.buckets(resource):
            for rule, bits in self._by_rule(rule_set, where).items():
                if rule is not None and members & bits:
                    found[rule] = found.get(rule, 0) | (members & bits)
        return found

    def users_by_item(self, resource: str, where: ContextFilter | None = None) -> dict[Item, UserBits]:
        """Per item (rule, device class, network, country), the users with an
        allowed request to ``resource`` of that kind whose context ``where`` accepts."""
        found: dict[Item, UserBits] = {}
        for rule_set, members in self.buckets(resource):
            for item, bits in self._by_item(rule_set, where).items():
                if members & bits:
                    found[item] = found.get(item, 0) | (members & bits)
        return found

    def grants_within(self, resource: str, users: UserBits, where: ContextFilter | None = None) -> list[UserGrant]:
        """The grants of the users of a bit set, in name order (only grants allowing
        some context ``where`` accepts, when given): the cost follows the users
        asked about, not everyone with access."""
        effective, sets = self.effective, self.sets
        found: list[tuple[int, UserGrant]] = []
        names, profile_of, profiles = sets.names, self._profile_ids, self._profile_list
        for rule_set, bits in self.buckets(resource):
            chosen = bits & users
            if not chosen or (where is not None and not effective.admits_some(rule_set, where)):
                continue
            answers = self._answers_by_profile.get(rule_set)
            if answers is None:
                answers = self._answers_by_profile[rule_set] = [None] * len(profiles)
            for i in sets.indexes(chosen):
                pid = profile_of[i]
                answer = answers[pid]
                if answer is None:
                    answer = answers[pid] = effective.presentable(rule_set, profiles[pid])
                if answer[0]:
                    found.append((i, UserGrant(names[i], resource, rule_set, *answer)))
        found.sort(key=_first)
        return [grant for _, grant in found]

    @cached_property
    def _profile_ids(self) -> list[int]:
        """Per user (in :class:`UserSets` order), the index of their profile in ``_profile_list``."""
        ids: dict[Any, int] = {}
        return [ids.setdefault(self.effective.profile(user), len(ids)) for user in self.sets.names]

    @cached_property
    def _profile_list(self) -> list[Any]:
        by_id = {pid: self.effective.profile(user) for user, pid in zip(self.sets.names, self._profile_ids)}
        return [by_id[pid] for pid in range(len(by_id))]


def _first(pair: tuple[int, UserGrant]) -> int:
    return pair[0]
