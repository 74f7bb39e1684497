"""Abstract requests (contexts) and how a set of access rules decides them.

A request is reduced to what a rule condition can look at: the MFA level
presented, a device class (unregistered, or managed/compliant/ownership),
the network and the country. Deciding every such context once per set of
matching rules is what makes effective access affordable for an enterprise
(see :mod:`.effective`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from zerotrust_audit.analysis.devices import Compliance
from zerotrust_audit.analysis.mfa import PHISHING_RESISTANT, STRENGTH, UserMfa
from zerotrust_audit.model.entities import AccessRule, Endpoint

# MFA levels as conditions see them: 0 nothing, 1 a method that is not
# phishing-resistant (satisfies ``mfa: any``), 2 a phishing-resistant one.
CONDITION_LEVEL = {"none": 0, "any": 1, "phishing_resistant": 2}


class DeviceClass(NamedTuple):
    """What device conditions can see of an endpoint (unregistered: ``registered=False``).

    Named tuples hash and compare in C: the access map tests device classes
    millions of times.
    """

    registered: bool
    managed: bool = False
    compliant: bool = False
    ownership: str = ""


UNREGISTERED = DeviceClass(False)
ALL_DEVICE_CLASSES = (UNREGISTERED, *(
    DeviceClass(True, m, c, o) for m, c, o in itertools.product((False, True), (False, True), ("byod", "corporate"))
))


class Context(NamedTuple):
    """An abstract request: everything a rule condition can look at."""

    level: int                 # 0 none, 1 a standard method, 2 phishing-resistant
    device: DeviceClass
    network: str | None        # None: a network no rule of the class names
    country: str | None        # None: a country no rule of the class names


# A question about abstract requests (level, device class, network, country):
# rules pass one to paths_to so that grants which cannot answer it yes are
# skipped before any user is looked at.
ContextFilter = Callable[[int, DeviceClass, "str | None", "str | None"], bool]


def context_order(ctx: Context) -> tuple[object, ...]:
    """Weakest first; ``None`` (any other network or country) after named ones."""
    return (ctx.level, ctx.device, ctx.network is None, ctx.network or "", ctx.country is None, ctx.country or "")


def device_class(endpoint: Endpoint, compliance: Compliance) -> DeviceClass:
    return DeviceClass(True, endpoint.managed, compliance.compliant, endpoint.ownership)


def rule_admits(rule: AccessRule, ctx: Context, place: bool = True) -> bool:
    """Do the rule's conditions hold for this context? (``place=False``: MFA and device only.)"""
    c = rule.conditions
    if ctx.level < CONDITION_LEVEL[c.mfa]:
        return False
    if c.device is not None:
        d = ctx.device
        if not d.registered:
            return False
        if c.device.managed is not None and d.managed != c.device.managed:
            return False
        if c.device.compliant is not None and d.compliant != c.device.compliant:
            return False
        if c.device.ownership is not None and d.ownership not in c.device.ownership:
            return False
    if not place:
        return True
    if c.networks is not None and ctx.network not in c.networks:
        return False
    return c.countries is None or ctx.country in c.countries


@dataclass(frozen=True)
class Grant:
    """The contexts in which a set of matching rules allows access, and by which rules."""

    allowed: dict[Context, tuple[str, ...]]   # context -> allow rules granting it ("" = default allow)

    def __bool__(self) -> bool:
        return bool(self.allowed)


class UserGrant(NamedTuple):
    """What one user can actually do on one resource."""

    user: str
    resource: str
    rule_set: frozenset[int]               # the matching rules (indexes into the active rules)
    contexts: tuple[Context, ...]          # allowed contexts the user can present, weakest first
    rules: tuple[str, ...]                 # allow rules granting those ("" = default allow)


_INTERNED: dict[object, object] = {}


def interned(value: Any) -> Any:
    """One shared copy of each context and granting-rule tuple: thousands of
    class grants hold the same few hundred of them."""
    return _INTERNED.setdefault(value, value)


def evaluate_rules(rules: tuple[AccessRule, ...], default_allow: bool, pairs: dict[int, frozenset[tuple[int, DeviceClass]]] | None = None) -> Grant:
    """Decide every distinguishable context for requests that these rules match.

    A rule's conditions split into an MFA-and-device part and a
    network-and-country part; the first is known per rule once (which of the
    27 level x device-class pairs it admits), so each context costs a few
    set lookups rather than a walk through every condition of every rule.
    ``pairs`` keeps those per-rule answers across calls (keyed by ``id(rule)``:
    the caller keeps the rules alive).
    """
    pairs = {} if pairs is None else pairs
    allows = [r for r in rules if r.effect == "allow"]
    denies = [r for r in rules if r.effect == "deny"]
    if not allows and not default_allow:
        return Grant({})
    networks = sorted({n for r in rules for n in (r.conditions.networks or ())})
    countries = sorted({c for r in rules for c in (r.conditions.countries or ())})
    places = [(network, country) for network in [*networks, None] for country in [*countries, None]]
    # per (network, country): the rules whose network and country conditions hold there
    active = {place: ([_admitted_pairs(d, pairs) for d in denies if _place_admits(d, *place)],
                      [(a.name, _admitted_pairs(a, pairs)) for a in allows if _place_admits(a, *place)]) for place in places}
    allowed: dict[Context, tuple[str, ...]] = {}
    for level in range(3):
        for device in ALL_DEVICE_CLASSES:
            pair = (level, device)
            for place in places:
                deny_pairs, allow_pairs = active[place]
                if any(pair in admitted for admitted in deny_pairs):
                    continue
                granting = tuple([name for name, admitted in allow_pairs if pair in admitted])
                if granting:
                    allowed[interned(Context(level, device, *place))] = interned(granting)
                elif default_allow:  # no rule admits the context (a deny would have been skipped)
                    allowed[interned(Context(level, device, *place))] = ("",)
    return Grant(allowed)


def _admitted_pairs(rule: AccessRule, cache: dict[int, frozenset[tuple[int, DeviceClass]]]) -> frozenset[tuple[int, DeviceClass]]:
    """The (MFA level, device class) pairs the rule's conditions admit."""
    cached = cache.get(id(rule))
    if cached is None:
        cached = cache[id(rule)] = frozenset(
            (level, device) for level in range(3) for device in ALL_DEVICE_CLASSES
            if rule_admits(rule, Context(level, device, None, None), place=False)
        )
    return cached


def _place_admits(rule: AccessRule, network: str | None, country: str | None) -> bool:
    c = rule.conditions
    return (c.networks is None or network in c.networks) and (c.countries is None or country in c.countries)


def presentable_levels(mfa: UserMfa) -> tuple[int, ...]:
    """MFA levels a user can present: always none; the others need a usable method."""
    levels = [0]
    if any(STRENGTH[m] < PHISHING_RESISTANT for m in mfa.usable):
        levels.append(1)
    if any(STRENGTH[m] >= PHISHING_RESISTANT for m in mfa.usable):
        levels.append(2)
    return tuple(levels)


def weakest_method(mfa: UserMfa, level: int) -> str:
    """The method a user presents at a level: the weakest that reaches it."""
    if level == 0:
        return "none"
    fits = [m for m in mfa.usable if (STRENGTH[m] >= PHISHING_RESISTANT) == (level == 2)]
    return fits[0]
