"""Who reaches what, worked out on sets of users, equals the per-class answer.

Rules ask :class:`EffectiveAccess` for the grants of a resource, for the
users a rule lets in, or whether anyone can make a kind of request; those
answers are computed on bit sets of users merged per matching-rule set. The
subject-class index (what ``ztaudit access`` lists) is computed independently,
user by user within each class; both must agree on a generated organisation.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from benchgen import generator
from hypothesis import HealthCheck, event, given, settings
from test_effective_access import TODAY, inventories

from zerotrust_audit.analysis.access import Path as AccessPath
from zerotrust_audit.analysis.contexts import DeviceClass
from zerotrust_audit.analysis.effective import EffectiveAccess, UserGrant
from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.analysis.user_sets import UserSets
from zerotrust_audit.api import load
from zerotrust_audit.model.inventory import Inventory
from zerotrust_audit.rules.thresholds import THRESHOLDS


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Facts:
    root = tmp_path_factory.mktemp("org")
    generator().generate(root, endpoints=400, users=200, groups=25, resources=80, rules=90, gateways=2)
    return load([root], jobs=1).facts


def _class_grants(effective: EffectiveAccess, resource: str) -> list[UserGrant]:
    """Every user's grant, from the subject classes, in user-name order."""
    grants = [effective.user_grant(u, resource, rule_set) for users, rule_set in effective.class_grants(resource) for u in users]
    return sorted((g for g in grants if g is not None), key=lambda g: g.user)


def _no_mfa(level: int, device: DeviceClass, network: str | None, country: str | None) -> bool:
    return level == 0


def _unmanaged(level: int, device: DeviceClass, network: str | None, country: str | None) -> bool:
    return not device.registered or not device.managed


def test_grants_of_a_resource_are_the_class_grants(facts: Facts) -> None:
    effective = facts.access.effective
    checked = 0
    for resource in sorted(facts.inventory.resources):
        expected = _class_grants(effective, resource)
        assert effective.grants_to(resource) == expected
        assert bool(effective.reach.buckets(resource)) == bool(effective.class_grants(resource))
        checked += len(expected)
    assert checked > 1000


@pytest.mark.parametrize("where", [None, _no_mfa, _unmanaged])
def test_users_via_a_rule_are_those_whose_grant_lists_it(facts: Facts, where: object) -> None:
    effective, access = facts.access.effective, facts.access
    for resource in sorted(facts.inventory.resources):
        grants = _class_grants(effective, resource)
        via = effective.reach.users_via(resource, where)  # type: ignore[arg-type]
        names = sorted({name for g in grants for name in g.rules})
        if where is None:
            assert sorted(via) == names
        for name in names:
            if where is None:
                expected = [g.user for g in grants if name in g.rules]
            else:
                expected = [g.user for g in grants if any(item[0] == name for item in access.weakest_items(g, where))]  # type: ignore[arg-type]
            assert effective.user_sets.names_of(via.get(name, 0)) == expected
        if where is not None:
            assert effective.reach.reaches(resource, where) == any(access.paths_of(g, where) for g in grants)  # type: ignore[arg-type]


def test_grants_of_some_users(facts: Facts) -> None:
    effective = facts.access.effective
    some = frozenset(sorted(facts.inventory.users)[::4])
    for resource in sorted(facts.inventory.resources)[:30]:
        expected = _class_grants(effective, resource)
        assert effective.grants_to(resource, some) == [g for g in expected if g.user in some]
        few = sorted(facts.inventory.users)[:50:7]
        assert effective.reach.grants_within(resource, effective.user_sets.of_names(few)) == [g for g in expected if g.user in few]


class _User:
    status = "active"
    groups: tuple[str, ...] = ()


@pytest.mark.parametrize("count", [1, 7, 8, 63, 64, 65, 1000])
def test_bit_sets_give_back_the_users_in_name_order(count: int) -> None:
    sets = UserSets({f"user-{i:05d}": _User() for i in range(count)}, ())
    chooser = random.Random(count)
    for density in (0.0, 0.01, 0.2, 0.6, 1.0):
        chosen = sorted(i for i in range(count) if chooser.random() < density)
        bits = sets.from_indexes(chosen)
        assert sets.indexes(bits) == chosen
        assert sets.names_of(bits) == [sets.names[i] for i in chosen]
        assert sets.first_indexes(bits, 3) == chosen[:3]
        if chosen:
            assert sets.first(bits) == sets.names[chosen[0]]
    assert sets.indexes(sets.everyone) == list(range(count))


@pytest.mark.parametrize("where", [None, _no_mfa, _unmanaged])
def test_users_by_item_are_those_with_such_a_request_and_count_the_paths(facts: Facts, where: object) -> None:
    effective, access = facts.access.effective, facts.access
    reach = effective.reach
    for resource in sorted(facts.inventory.resources):
        expected: dict[tuple[str, DeviceClass, str | None, str | None], list[str]] = {}
        paths = 0
        for grant in _class_grants(effective, resource):
            items = access._weakest(grant) if where is None else access.weakest_items(grant, where)  # type: ignore[arg-type]
            for rule, device, network, country, _ in items:
                expected.setdefault((rule, device, network, country), []).append(grant.user)
            paths += len(access.paths_of(grant, where))  # type: ignore[arg-type]
        found = reach.users_by_item(resource, where)  # type: ignore[arg-type]
        assert {key: reach.sets.names_of(bits) for key, bits in found.items()} == expected
        assert sum(reach.request_count(bits, key[1]) for key, bits in found.items()) == paths


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories())
def test_random_inventories_answer_alike_on_sets_and_per_class(inventory: Inventory) -> None:
    """Default allow, wildcards, exclusions, disabled users and expired rules
    included: every set answer equals the one built from each user's grant."""
    facts = Facts(inventory, TODAY, {k: t.default for k, t in THRESHOLDS.items()})
    effective, access = facts.access.effective, facts.access
    reach = effective.reach
    for resource in sorted(inventory.resources):
        grants = _class_grants(effective, resource)
        event("someone has access" if grants else "nobody has access")
        assert effective.grants_to(resource) == grants
        for where in (None, _no_mfa, _unmanaged):
            expected: dict[tuple[str, DeviceClass, str | None, str | None], list[str]] = {}
            paths = 0
            for grant in grants:
                items = access._weakest(grant) if where is None else access.weakest_items(grant, where)
                for rule, device, network, country, _ in items:
                    expected.setdefault((rule, device, network, country), []).append(grant.user)
                paths += len(access.paths_of(grant, where))
            found = reach.users_by_item(resource, where)
            assert {key: reach.sets.names_of(bits) for key, bits in found.items()} == expected
            assert sum(reach.request_count(bits, key[1]) for key, bits in found.items()) == paths
            by_rule = {name: reach.sets.names_of(bits) for name, bits in reach.users_via(resource, where).items()}
            assert by_rule == {name: sorted({u for (rule, *_), users in expected.items() if rule == name for u in users})
                               for name in {key[0] for key in expected}}
            if where is not None:
                assert reach.reaches(resource, where) == bool(paths)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories())
def test_weak_device_requests_on_random_inventories(inventory: Inventory) -> None:
    facts = Facts(inventory, TODAY, {k: t.default for k, t in THRESHOLDS.items()})
    access = facts.access
    check_weak_device_requests(facts, lambda resource: [p for g in _class_grants(access.effective, resource) for p in access.paths_of(g)])


def check_weak_device_requests(facts: Facts, full_paths: Callable[[str], list[AccessPath]]) -> int:
    """ZT-ACC-008's counted requests to each sensitive resource equal the first of
    ``full_paths`` per rule and weak device, and its examples the first twenty of
    them; returns how many groups had more than twenty."""
    from zerotrust_audit.rules import access_paths
    from zerotrust_audit.rules.describe import EVIDENCE_LIMIT

    classes = facts.access.effective.device_classes
    weak = {e for e, d in classes.items() if access_paths._weak_device(0, d, None, None)}
    finder, long_groups = access_paths._WeakDevices(facts), 0
    for resource in facts.sensitive_resources():
        naive: dict[str, list[AccessPath]] = {}
        seen = set()
        for p in full_paths(resource):
            if (p.endpoint is None or p.endpoint in weak) and (p.rule, p.endpoint) not in seen:
                seen.add((p.rule, p.endpoint))
                naive.setdefault(p.rule or "", []).append(p)
        found = finder.requests(resource)
        assert [rule for rule, _, _ in found] == list(naive)
        for rule, entries, total in found:
            assert total == len(naive[rule])
            assert [access_paths._request_path(facts, resource, rule, e) for e in entries] == naive[rule][:EVIDENCE_LIMIT]
            long_groups += total > EVIDENCE_LIMIT
    return long_groups
