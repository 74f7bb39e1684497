"""Cross-reference resolution: every name that points at another entity must exist.

A dangling reference is an input error at the referencing field, because a
typo in a security policy (``enginering``) would otherwise silently grant or
exempt nobody, or everybody.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from zerotrust_audit.errors import Problem
from zerotrust_audit.model.entities import WILDCARD, Principals
from zerotrust_audit.model.inventory import SECTION_MODELS, Inventory, Source

Known = Callable[[str], bool]


def check_references(inventory: Inventory, known_rule: Known) -> list[Problem]:
    """All dangling references of the inventory, each at its referencing line."""
    problems: list[Problem] = []
    sources = inventory.sources

    def known(target: str, value: str) -> bool:
        return value == WILDCARD or value in inventory.section(_section_of(target)) or (target, value) in inventory.unresolved

    def check(kind: str, name: str, field: tuple[str | int, ...], target: str, value: str) -> None:
        source = sources.of(kind, name)
        if not known(target, value) and source is not None:
            problems.append(Problem(
                source.field(*field),
                f"{source.field_name(*field)}: unknown {target.replace('_', ' ')} '{value}'",
            ))

    for user in inventory.users.values():
        for i, group in enumerate(user.groups):
            check("user", user.name, ("groups", i), "group", group)
    for endpoint in inventory.endpoints.values():
        check("endpoint", endpoint.name, ("owner",), "user", endpoint.owner)
    for network in inventory.networks.values():
        if network.gateway is not None:
            check("network", network.name, ("gateway",), "vpn_gateway", network.gateway)
    for policy in inventory.mfa_policies.values():
        for field, principals in (("applies_to", policy.applies_to), ("exempt", policy.exempt)):
            for path, kind, value in _principal_refs(field, principals):
                check("mfa_policy", policy.name, path, kind, value)
    for rule in inventory.access_rules.values():
        for field, principals in (("subjects", rule.subjects), ("exclude", rule.exclude)):
            for path, kind, value in _principal_refs(field, principals):
                check("access_rule", rule.name, path, kind, value)
        for i, resource in enumerate(rule.resources):
            if not known("resource", resource):   # where to point depends on the form written
                path = ("resources", i) if _resources_is_list(sources.of("access_rule", rule.name)) else ("resources",)
                check("access_rule", rule.name, path, "resource", resource)
        for i, network_name in enumerate(rule.conditions.networks or ()):
            check("access_rule", rule.name, ("conditions", "networks", i), "network", network_name)
    problems.extend(_waiver_problems(inventory, known_rule))
    return problems


def _waiver_problems(inventory: Inventory, known_rule: Known) -> Iterator[Problem]:
    for waiver, source in zip(inventory.waivers, inventory.sources.waivers):
        if not known_rule(waiver.rule):
            yield Problem(source.field("rule"), f"{source.field_name('rule')}: unknown rule id '{waiver.rule}' (see 'ztaudit rules')")
        target = (waiver.target.kind, waiver.target.name)
        if inventory.entity(*target) is None and target not in inventory.unresolved:
            yield Problem(
                source.field("target", "name"),
                f"{source.field_name('target', 'name')}: no {waiver.target.kind.replace('_', ' ')} named '{waiver.target.name}'",
            )


def _principal_refs(field: str, principals: Principals) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    for i, user in enumerate(principals.users):
        yield (field, "users", i), "user", user
    for i, group in enumerate(principals.groups):
        yield (field, "groups", i), "group", group


def _resources_is_list(source: Source | None) -> bool:
    return source is not None and source.positions.exists((*source.path, "resources", 0))


def _section_of(kind: str) -> str:
    for section, (section_kind, _) in SECTION_MODELS.items():
        if section_kind == kind:
            return section
    raise KeyError(kind)
