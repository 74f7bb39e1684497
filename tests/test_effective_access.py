"""The class-based access computation equals the request-by-request decision.

Hypothesis builds random small inventories; for each, every concrete request
(user, resource, endpoint or unregistered device, network, MFA method,
country) is decided one by one with the format's decision function, and the
allowed set must be exactly what the grouped computation expands to.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zerotrust_audit.analysis.access import Request
from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.analysis.mfa import PHISHING_RESISTANT, STRENGTH, user_mfa, users_mfa
from zerotrust_audit.model.entities import (
    AccessRule,
    Conditions,
    DeviceCondition,
    Edr,
    Endpoint,
    Group,
    MfaPolicy,
    Network,
    OperatingSystem,
    Organization,
    Principals,
    Resource,
    User,
)
from zerotrust_audit.model.inventory import Inventory
from zerotrust_audit.rules.thresholds import THRESHOLDS

TODAY = dt.date(2026, 11, 1)
GROUPS = ["g0", "g1", "g2"]
USERS = ["u0", "u1", "u2", "u3"]
NETWORKS = ["n0", "n1"]
COUNTRIES = ["NO", "US"]
RESOURCES = ["r0", "r1"]
METHODS = ["sms", "totp", "push_number_match", "fido2"]


def subsets(items: list[str], max_size: int = 2, min_size: int = 0) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(items), min_size=min_size, max_size=max_size, unique=True).map(tuple)


principals = st.builds(Principals, users=subsets([*USERS, "*"], 2), groups=subsets([*GROUPS, "*"], 2))
subjects = st.builds(Principals, users=subsets([*USERS, "*"], 1), groups=subsets([*GROUPS, "*"], 2, min_size=1))
no_one = st.just(Principals())
device_conditions = st.one_of(
    st.none(),
    st.builds(
        DeviceCondition,
        managed=st.sampled_from([None, True, False]),
        compliant=st.sampled_from([None, True, False]),
        ownership=st.sampled_from([None, ("corporate",), ("byod",), ("corporate", "byod")]),
    ),
)
conditions = st.builds(
    Conditions,
    mfa=st.sampled_from(["none", "any", "phishing_resistant"]),
    device=device_conditions,
    networks=st.one_of(st.none(), subsets(NETWORKS, 2)),
    countries=st.one_of(st.none(), subsets(COUNTRIES, 2)),
)


@st.composite
def inventories(draw: st.DrawFn) -> Inventory:
    inventory = Inventory(root=Path("."))
    inventory.organization = Organization(name="Org", default_action=draw(st.sampled_from(["allow", "deny"])), audit_date=TODAY)
    inventory.groups = {g: Group(name=g, privileged=draw(st.booleans())) for g in GROUPS}
    for name in USERS:
        inventory.users[name] = User(
            name=name, type="employee", status=draw(st.sampled_from(["active", "active", "disabled"])),
            groups=draw(subsets(GROUPS, 2, min_size=1)), mfa_methods=draw(subsets(METHODS, 3)),
        )
    for i in range(draw(st.integers(0, 2))):
        inventory.mfa_policies[f"p{i}"] = MfaPolicy(
            name=f"p{i}", applies_to=draw(principals), required=draw(st.booleans()),
            allowed_methods=draw(subsets(METHODS, 3)), exempt=draw(principals), legacy_auth_allowed=draw(st.booleans()),
        )
    for i in range(draw(st.integers(0, 7))):
        name = f"e{i}"
        inventory.endpoints[name] = Endpoint(
            name=name, owner=draw(st.sampled_from(USERS)), type="laptop", ownership=draw(st.sampled_from(["corporate", "byod"])),
            managed=draw(st.booleans()), os=OperatingSystem(family="linux", version="6"), disk_encryption=draw(st.booleans()),
            firewall=True, edr=Edr(installed=True, running=True), last_patched=TODAY, last_seen=TODAY, compliant=draw(st.sampled_from([None, True, False])),
        )
    inventory.networks = {n: Network(name=n, type="office") for n in NETWORKS}
    inventory.resources = {r: Resource(name=r, type="app", sensitivity="restricted", exposure="internal", logging=True) for r in RESOURCES}
    for i in range(draw(st.integers(0, 6))):
        name = f"rule{i}"
        effect = draw(st.sampled_from(["allow", "deny"]))
        inventory.access_rules[name] = AccessRule(
            name=name, effect=effect, subjects=draw(subjects), exclude=draw(st.one_of(no_one, principals)),
            state=draw(st.sampled_from(["enforced", "enforced", "enforced", "report_only"])),
            resources=draw(st.one_of(subsets(RESOURCES, 2, min_size=1), st.just(("*",)))),
            conditions=draw(st.one_of(st.just(Conditions()), conditions) if effect == "deny" else conditions),
            expires=draw(st.sampled_from([None, None, None, TODAY, TODAY - dt.timedelta(days=1)])),
        )
    return inventory


def brute_force(facts: Facts) -> set[tuple[object, ...]]:
    model, allowed = facts.access, set()
    for user in USERS:
        endpoints = [*facts.endpoints_of.get(user, ()), None]
        methods = ["none", *facts.mfa[user].usable]
        for resource in RESOURCES:
            for endpoint in endpoints:
                for network in [*NETWORKS, None]:
                    for method in methods:
                        for country in [*COUNTRIES, None]:
                            if model.decide(Request(user, resource, endpoint, network, method, country)).effect == "allow":
                                allowed.add((user, resource, endpoint, network, method, country))
    return allowed


def grouped(facts: Facts) -> set[tuple[object, ...]]:
    effective, allowed = facts.access.effective, set()
    for resource in RESOURCES:
        for grant in effective.grants_to(resource):
            rules = [effective.rules[i] for i in grant.rule_set]
            named_networks = {n for r in rules for n in (r.conditions.networks or ())}
            named_countries = {c for r in rules for c in (r.conditions.countries or ())}
            usable = facts.mfa[grant.user].usable
            for ctx in grant.contexts:
                methods = ["none"] if ctx.level == 0 else [m for m in usable if (STRENGTH[m] >= PHISHING_RESISTANT) == (ctx.level == 2)]
                endpoints = [e for e in facts.endpoints_of.get(grant.user, ()) if effective.device_classes[e] == ctx.device] if ctx.device.registered else [None]
                networks = [ctx.network] if ctx.network else [n for n in [*NETWORKS, None] if n not in named_networks]
                countries = [ctx.country] if ctx.country else [c for c in [*COUNTRIES, None] if c not in named_countries]
                for endpoint in endpoints:
                    for network in networks:
                        for method in methods:
                            for country in countries:
                                allowed.add((grant.user, resource, endpoint, network, method, country))
    return allowed


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories())
def test_grouped_access_equals_brute_force(inventory: Inventory) -> None:
    facts = Facts(inventory, TODAY, {k: t.default for k, t in THRESHOLDS.items()})
    assert grouped(facts) == brute_force(facts)


@given(inventories())
@settings(max_examples=100, deadline=None)
def test_mfa_shared_between_alike_users_equals_each_user_s_own(inventory: Inventory) -> None:
    policies = [inventory.mfa_policies[n] for n in sorted(inventory.mfa_policies)]
    expected = {name: user_mfa(user, policies) for name, user in inventory.users.items()}
    assert users_mfa(inventory.users.values(), policies) == expected
