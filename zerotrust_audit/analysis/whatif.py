"""What-if: decide one request and explain the decision rule by rule.

Attributes the asker leaves open are answered for the weakest case the user
could present: their weakest usable MFA method (or none), an unregistered
device or any of their endpoints, any network, any country. Every
combination is tried, weakest first; the first one allowed is reported,
which is exactly the question an attacker holding the user's password asks.
When none is allowed, the strongest request the user could make is shown.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from zerotrust_audit.analysis.access import AccessModel, Check, Decision, Request
from zerotrust_audit.analysis.mfa import STRENGTH
from zerotrust_audit.errors import UsageError
from zerotrust_audit.model.entities import AccessRule

ANY = None  # "not specified" for an optional request attribute


@dataclass(frozen=True)
class RuleTrace:
    """How one access rule relates to the request."""

    rule: str
    effect: str
    in_force: bool
    not_in_force_because: str
    subjects: Check
    resources: Check
    conditions: tuple[Check, ...]

    @property
    def applies(self) -> bool:
        return self.in_force and self.subjects.held and self.resources.held and all(c.held for c in self.conditions)


@dataclass(frozen=True)
class WhatIf:
    request: Request
    decision: Decision
    assumed: dict[str, str] = field(default_factory=dict)   # attribute -> how it was chosen
    traces: tuple[RuleTrace, ...] = ()
    allowed_somehow: bool = False                             # some choice of the open attributes is allowed


def what_if(
    model: AccessModel,
    user: str,
    resource: str,
    endpoint: str | None = ANY,
    network: str | None = ANY,
    mfa: str | None = ANY,
    country: str | None = ANY,
) -> WhatIf:
    """Decide the request (filling open attributes with the weakest case) and trace it."""
    inventory = model.inventory
    _known(user, inventory.users, "user")
    _known(resource, inventory.resources, "resource")
    if endpoint is not ANY:
        _known(endpoint, inventory.endpoints, "endpoint")
    if network is not ANY:
        _known(network, inventory.networks, "network")
    if mfa is not ANY and mfa not in STRENGTH:
        raise UsageError(f"unknown MFA method '{mfa}'; expected one of {', '.join(STRENGTH)}")
    if country is not ANY and (len(country) != 2 or not country.isupper()):
        raise UsageError(f"country must be an ISO 3166 alpha-2 code such as US or NO, got '{country}'")

    options, assumed = _options(model, user, endpoint, network, mfa, country)
    requests = [Request(user, resource, e, n, m, c) for m, e, n, c in itertools.product(*options)]
    allowed = next((r for r in requests if model.decide(r).effect == "allow"), None)
    chosen = allowed or requests[-1]
    if allowed is None:
        assumed = {k: "every choice tried, none allowed; showing the strongest" for k in assumed}
    traces = tuple(trace_rule(model, rule, chosen) for _, rule in sorted(inventory.access_rules.items()))
    return WhatIf(chosen, model.decide(chosen), _describe_assumed(assumed, chosen), traces, allowed is not None)


def trace_rule(model: AccessModel, rule: AccessRule, request: Request) -> RuleTrace:
    user = model.inventory.users[request.user]
    in_force, because = True, ""
    if rule.state != "enforced":
        in_force, because = False, f"state is {rule.state}"
    elif rule.expires is not None and rule.expires < model.today:
        in_force, because = False, f"expired on {rule.expires.isoformat()}"
    return RuleTrace(rule.name, rule.effect, in_force, because, _subjects(rule, request.user, user.groups),
                     _resources(rule, request.resource), tuple(model.condition_checks(rule, request)))


def _subjects(rule: AccessRule, user: str, groups: tuple[str, ...]) -> Check:
    s, x = rule.subjects, rule.exclude
    if x.everyone or user in x.users:
        return Check("subjects", False, f"{user} is excluded")
    excluded_groups = [g for g in groups if g in x.groups]
    if excluded_groups:
        return Check("subjects", False, f"{user} is excluded through group {excluded_groups[0]}")
    if s.everyone:
        return Check("subjects", True, "the rule applies to everyone (*)")
    if user in s.users:
        return Check("subjects", True, f"{user} is named")
    member = [g for g in groups if g in s.groups]
    if member:
        return Check("subjects", True, f"{user} is in group {member[0]}")
    if not s.groups:
        return Check("subjects", False, f"{user} is not one of the named users")
    return Check("subjects", False, f"{user} is neither named nor in {', '.join(s.groups)}")


def _resources(rule: AccessRule, resource: str) -> Check:
    if rule.all_resources:
        return Check("resources", True, "the rule covers every resource (*)")
    if resource in rule.resources:
        return Check("resources", True, f"{resource} is listed")
    return Check("resources", False, f"{resource} is not listed")


def _options(
    model: AccessModel, user: str, endpoint: str | None, network: str | None, mfa: str | None, country: str | None
) -> tuple[list[list[str | None]], dict[str, str]]:
    """Candidate values per attribute, weakest first, and which ones were assumed."""
    assumed: dict[str, str] = {}
    methods: list[str | None] = [mfa] if mfa is not ANY else ["none", *model.mfa[user].usable]
    if mfa is ANY:
        assumed["mfa"] = "weakest method the user can present"
    if endpoint is not ANY:
        endpoints: list[str | None] = [endpoint]
    else:
        own = sorted(model.endpoints_of.get(user, ()), key=lambda e: model.compliance[e].compliant)
        endpoints = [None, *own]
        assumed["endpoint"] = "weakest device the user could use (unregistered, then their endpoints)"
    networks: list[str | None] = [network] if network is not ANY else [None, *sorted(model.inventory.networks)]
    if network is ANY:
        assumed["network"] = "weakest network (any, then each defined network)"
    mentioned = sorted({c for r in model.active_rules for c in (r.conditions.countries or ())})
    countries: list[str | None] = [country] if country is not ANY else [None, *mentioned]
    if country is ANY:
        assumed["country"] = "weakest country (any, then each country a rule names)"
    return [methods, endpoints, networks, countries], assumed


def _describe_assumed(assumed: dict[str, str], request: Request) -> dict[str, str]:
    values = {"mfa": request.mfa, "endpoint": request.endpoint or "an unregistered device",
              "network": request.network or "any network", "country": request.country or "any country"}
    return {k: f"{values[k]}; {how}" for k, how in assumed.items()}


def _known(name: str, table: dict[str, object], kind: str) -> None:
    if name not in table:
        raise UsageError(f"unknown {kind} '{name}'")
