"""The rule pack: one explicit registry of every built-in rule.

Each area module exports ``RULES``, a tuple of its rules; adding a rule is
one line there, adding a module one line here. Tests assert that every rule
is documented, and has a test that fires and one that does not.
"""

from __future__ import annotations

from zerotrust_audit.rules import (
    access,
    access_paths,
    access_review,
    accounts,
    applications,
    data,
    device_lifecycle,
    devices,
    gateway_certificates,
    governance,
    identity,
    mfa_policies,
    networks,
    visibility,
)
from zerotrust_audit.rules.base import Rule

_MODULES = (
    identity,
    mfa_policies,
    accounts,
    devices,
    device_lifecycle,
    networks,
    gateway_certificates,
    access,
    access_paths,
    access_review,
    applications,
    data,
    visibility,
    governance,
)

ALL_RULES: tuple[Rule, ...] = tuple(sorted((rule for module in _MODULES for rule in module.RULES), key=lambda r: r.id))
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in ALL_RULES}

if len(RULES_BY_ID) != len(ALL_RULES):  # pragma: no cover - a packaging mistake
    raise RuntimeError("two rules share an id")
