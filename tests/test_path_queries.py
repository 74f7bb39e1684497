"""The narrowed path queries the rules use equal the full paths, filtered.

Rules ask for the paths of some users, or of requests whose context passes a
filter, or only the first path of a rule, so that large organisations never
build the rest. Each of those answers must be exactly what building every
path and filtering it would give, in the same order; this checks them on a
generated organisation of a few hundred users and endpoints.
"""

from __future__ import annotations

import pytest
from benchgen import generator
from test_user_sets import check_weak_device_requests

from zerotrust_audit.analysis.access import Path as AccessPath
from zerotrust_audit.analysis.contexts import UNREGISTERED, DeviceClass
from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.analysis.mfa import PHISHING_RESISTANT, STRENGTH
from zerotrust_audit.api import load


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Facts:
    module = generator()
    root = tmp_path_factory.mktemp("org")
    module.generate(root, endpoints=400, users=200, groups=25, resources=80, rules=90, gateways=2)
    return load([root], jobs=1).facts


def _level(path: AccessPath) -> int:
    return 0 if path.mfa == "none" else 2 if STRENGTH[path.mfa] >= PHISHING_RESISTANT else 1


def _device(facts: Facts, path: AccessPath) -> DeviceClass:
    return UNREGISTERED if path.endpoint is None else facts.access.effective.device_classes[path.endpoint]


def _weak_device(level: int, device: DeviceClass, network: str | None, country: str | None) -> bool:
    return not device.registered or not device.compliant


def _without_mfa(level: int, device: DeviceClass, network: str | None, country: str | None) -> bool:
    return level == 0


def _full(facts: Facts, resource: str) -> list[AccessPath]:
    return [p for grant in facts.access.effective.grants_to(resource) for p in facts.access.paths_of(grant)]


def test_the_organisation_has_paths_to_check(facts: Facts) -> None:
    assert sum(len(_full(facts, r)) for r in facts.inventory.resources) > 1000


@pytest.mark.parametrize("where", [_weak_device, _without_mfa])
def test_paths_of_users_and_contexts_are_the_full_paths_filtered(facts: Facts, where: object) -> None:
    users = frozenset(sorted(facts.inventory.users)[::3])
    for resource in sorted(facts.inventory.resources):
        full = _full(facts, resource)
        assert facts.paths_to(resource) == full
        assert facts.paths_to(resource, users) == [p for p in full if p.user in users]
        expected = [p for p in full if where(_level(p), _device(facts, p), p.network, p.country)]  # type: ignore[operator]
        assert facts.paths_to(resource, where=where) == expected  # type: ignore[arg-type]
        assert facts.any_path(resource, where) == bool(expected)  # type: ignore[arg-type]


def test_grants_of_a_few_users_are_everyone_s_grants_filtered(facts: Facts) -> None:
    effective = facts.access.effective
    few = frozenset(sorted(facts.inventory.users)[:5])
    for resource in sorted(facts.inventory.resources):
        everyone = effective.grants_to(resource)
        assert effective.grants_to(resource, few) == [g for g in everyone if g.user in few]


def test_first_path_of_a_rule_is_the_first_of_the_user_s_paths(facts: Facts) -> None:
    checked = 0
    for resource in sorted(facts.inventory.resources):
        for grant in facts.access.effective.grants_to(resource):
            paths = facts.access.paths_of(grant)
            for name in grant.rules:
                rule = name or None
                assert facts.access.first_path(grant, rule) == next(p for p in paths if p.rule == rule)
                checked += 1
    assert checked > 100


def test_a_user_s_paths_through_the_class_index_match_the_resource_view(facts: Facts) -> None:
    for user in sorted(facts.inventory.users)[:40]:
        by_user = facts.access.paths_of_user(user)
        for resource in sorted(facts.inventory.resources):
            expected = [p for p in _full(facts, resource) if p.user == user]
            assert by_user.get(resource, []) == expected


def test_weak_device_requests_are_the_first_path_per_rule_and_device(facts: Facts) -> None:
    assert check_weak_device_requests(facts, lambda resource: _full(facts, resource)) > 0
