"""Shared wording of access paths, so every combination finding reads the same.

A finding about reachability is only convincing with its proof: who, with
which effective MFA, reaches what, through which rule, from which device and
network. This module writes that sentence and its structured ``evidence``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from zerotrust_audit.analysis.access import Path, Request
from zerotrust_audit.analysis.contexts import CONDITION_LEVEL
from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.model.entities import AccessRule, Conditions


def endpoint_words(facts: Facts, endpoint: str | None) -> str:
    """``lt-0099 (byod, not managed, disk not encrypted)`` or ``an unregistered device``."""
    if endpoint is None:
        return "an unregistered device"
    e = facts.inventory.endpoints[endpoint]
    state = facts.compliance[endpoint]
    details = [e.ownership, *(state.failing or ("compliant",))]
    if state.declared is False and not state.failing:
        details[-1] = "reported non-compliant"
    return f"{endpoint} ({', '.join(details)})"


def path_sentence(facts: Facts, path: Path) -> str:
    user = facts.inventory.users[path.user]
    resource = facts.inventory.resources[path.resource]
    via = f"rule {path.rule}" if path.rule else "default_action: allow"
    text = (
        f"{path.user} ({user.type}, effective MFA: {facts.mfa[path.user].effective}) can reach "
        f"{path.resource} ({resource.sensitivity}) via {via} from {endpoint_words(facts, path.endpoint)}"
    )
    if path.network:
        text += f" on network {path.network}"
    if path.mfa != "none":
        text += f" presenting {path.mfa}"
    return text


# A finding's evidence proves it with examples; the exhaustive list of who
# reaches what is the access map's job (``ztaudit access``). Unbounded lists
# made reports of large organisations hundreds of megabytes.
EVIDENCE_LIMIT = 20

T = TypeVar("T")


def capped(name: str, items: Sequence[T], render: Callable[[T], Any] | None = None) -> dict[str, Any]:
    """``{name: the first EVIDENCE_LIMIT items}``, plus ``{name}_omitted`` when some were left out."""
    shown = items[:EVIDENCE_LIMIT]
    out: dict[str, Any] = {name: [render(i) for i in shown] if render else list(shown)}
    if len(items) > EVIDENCE_LIMIT:
        out[f"{name}_omitted"] = len(items) - EVIDENCE_LIMIT
    return out


def path_evidence(facts: Facts, path: Path) -> dict[str, Any]:
    return {
        "user": path.user,
        "effective_mfa": facts.mfa[path.user].effective,
        "resource": path.resource,
        "sensitivity": facts.inventory.resources[path.resource].sensitivity,
        "rule": path.rule,
        "endpoint": path.endpoint,
        "network": path.network,
        "mfa_presented": path.mfa,
        "country": path.country,
    }


def grantor(path: Path, facts: Facts) -> tuple[str, str]:
    """The entity a path finding is reported on: the granting rule, or the organisation."""
    return rule_grantor(facts, path.rule)


def rule_grantor(facts: Facts, rule: str | None) -> tuple[str, str]:
    """The entity a finding about a rule's grants is reported on: the rule, or
    the organisation for ``default_action: allow`` (``None``)."""
    if rule is not None:
        return "access_rule", rule
    org = facts.inventory.organization
    return "organization", org.name if org else ""


def conditions_weaker_or_equal(weak: Conditions, strict: Conditions) -> bool:
    """Every request meeting ``strict`` also meets ``weak`` (``weak`` asks no more)."""
    if CONDITION_LEVEL[weak.mfa] > CONDITION_LEVEL[strict.mfa]:
        return False
    if weak.device is not None:
        if strict.device is None:
            return False
        for key in ("managed", "compliant"):
            asked = getattr(weak.device, key)
            if asked is not None and getattr(strict.device, key) != asked:
                return False
        if weak.device.ownership is not None and (
            strict.device.ownership is None or not set(strict.device.ownership) <= set(weak.device.ownership)
        ):
            return False
    for key in ("networks", "countries"):
        asked = getattr(weak, key)
        if asked is not None and (getattr(strict, key) is None or not set(getattr(strict, key)) <= set(asked)):
            return False
    return True


def conditions_list(rule: AccessRule) -> str:
    """A short reading of a rule's conditions for messages."""
    c = rule.conditions
    parts = []
    if c.mfa != "none":
        parts.append(f"mfa {c.mfa}")
    if c.device is not None:
        device = [f"{k}={getattr(c.device, k)}".lower() for k in ("managed", "compliant") if getattr(c.device, k) is not None]
        if c.device.ownership is not None:
            device.append("ownership=" + "/".join(c.device.ownership))
        parts.append("device " + ", ".join(device) if device else "device")
    if c.networks is not None:
        parts.append("networks " + ", ".join(c.networks))
    if c.countries is not None:
        parts.append("countries " + ", ".join(c.countries))
    return "; ".join(parts) if parts else "no conditions"


def rule_paths(facts: Facts, rule: AccessRule) -> Iterator[Path]:
    """Concrete requests granted through one rule, resource by resource, users in
    name order; built lazily, only for the users the rule actually lets in."""
    effective, paths_of = facts.access.effective, facts.access.paths_of
    for resource in sorted(facts.access.matched_resources(rule)):
        for grant in effective.grants_to(resource):
            if rule.name in grant.rules:
                for path in paths_of(grant):
                    if path.rule == rule.name:
                        yield path


def request_of(path: Path) -> Request:
    return Request(path.user, path.resource, path.endpoint, path.network, path.mfa, path.country)


def witness_request(facts: Facts, rule: AccessRule) -> Request | None:
    """A concrete request of a matched user that meets all the rule's conditions, if any user can make one."""
    access = facts.access
    for user in sorted(access.matched_users(rule)):
        usable = facts.mfa[user].usable
        methods = ["none", *usable]
        endpoints: list[str | None] = [None, *facts.endpoints_of.get(user, ())]
        networks = list(rule.conditions.networks or [None])
        countries = list(rule.conditions.countries or [None])
        for resource in sorted(access.matched_resources(rule)):
            for method in methods:
                for endpoint in endpoints:
                    request = Request(user, resource, endpoint, networks[0], method, countries[0])
                    if not access.condition_failures(rule, request):
                        return request
    return None


def request_sentence(facts: Facts, request: Request) -> str:
    parts = [f"{request.user} requesting {request.resource} from {endpoint_words(facts, request.endpoint)}"]
    if request.network:
        parts.append(f"on network {request.network}")
    parts.append(f"presenting {request.mfa}" if request.mfa != "none" else "with no MFA")
    if request.country:
        parts.append(f"from {request.country}")
    return " ".join(parts)


def request_evidence(request: Request) -> dict[str, Any]:
    return {"user": request.user, "resource": request.resource, "endpoint": request.endpoint,
            "network": request.network, "mfa_presented": request.mfa, "country": request.country}
