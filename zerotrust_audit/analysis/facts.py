"""Derived facts, computed once per scan and shared by every rule.

Rules stay small and consistent because none of them recomputes effective
MFA, endpoint compliance, who owns which device, which gateway fronts which
network, or who can reach what: they read it here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from zerotrust_audit.analysis.access import AccessModel, Path
from zerotrust_audit.analysis.certs import CertificateFacts
from zerotrust_audit.analysis.contexts import ContextFilter
from zerotrust_audit.analysis.devices import Compliance, endpoint_compliance
from zerotrust_audit.analysis.mfa import RESTRICTED, UserMfa, users_mfa
from zerotrust_audit.model.entities import User, VpnGateway
from zerotrust_audit.model.inventory import Inventory

SENSITIVE = ("confidential", "restricted")


@dataclass
class Facts:
    """Everything the rules read: the inventory plus what is derived from it."""

    inventory: Inventory
    today: dt.date
    thresholds: dict[str, Any]
    certificates: dict[str, CertificateFacts] = field(default_factory=dict)

    @cached_property
    def mfa(self) -> dict[str, UserMfa]:
        policies = [self.inventory.mfa_policies[n] for n in sorted(self.inventory.mfa_policies)]
        return users_mfa(self.inventory.users.values(), policies)

    @cached_property
    def privileged(self) -> dict[str, bool]:
        """A user's own flag wins; otherwise privileged when any of its groups is."""
        groups = self.inventory.groups
        return {
            name: user.privileged if user.privileged is not None else any(groups[g].privileged for g in user.groups if g in groups)
            for name, user in self.inventory.users.items()
        }

    @cached_property
    def privileged_users(self) -> frozenset[str]:
        return frozenset(name for name, flag in self.privileged.items() if flag)

    @cached_property
    def weak_mfa_users(self) -> frozenset[str]:
        """Users whose effective MFA is a restricted factor (SMS, voice, e-mail) or nothing."""
        return frozenset(name for name, mfa in self.mfa.items() if mfa.effective_strength <= RESTRICTED)

    def owners_of(self, endpoints: Iterable[str]) -> frozenset[str]:
        return frozenset(self.inventory.endpoints[e].owner for e in endpoints)

    @cached_property
    def compliance(self) -> dict[str, Compliance]:
        patch_age = int(self.thresholds["patch_age_days"])
        return {name: endpoint_compliance(e, self.today, patch_age) for name, e in self.inventory.endpoints.items()}

    @cached_property
    def endpoints_of(self) -> dict[str, tuple[str, ...]]:
        owned: dict[str, list[str]] = {}
        for name in sorted(self.inventory.endpoints):
            owned.setdefault(self.inventory.endpoints[name].owner, []).append(name)
        return {user: tuple(names) for user, names in owned.items()}

    @cached_property
    def gateway_of(self) -> dict[str, VpnGateway]:
        """network name -> the VPN gateway in front of it (VPN networks only)."""
        gateways = self.inventory.vpn_gateways
        return {
            name: gateways[network.gateway]
            for name, network in self.inventory.networks.items()
            if network.gateway is not None and network.gateway in gateways
        }

    @cached_property
    def access(self) -> AccessModel:
        return AccessModel(self.inventory, self.today, self.mfa, self.compliance, self.endpoints_of)

    def paths_to(self, resource: str, users: Collection[str] | None = None, where: ContextFilter | None = None) -> list[Path]:
        """Every user's weakest allowed requests to ``resource``, users in name order.

        ``users`` and ``where`` restrict the answer to those users and to
        requests whose context (MFA level, device class, network, country)
        ``where`` accepts: the result is the full list filtered, but rules
        that can only report, say, weak-MFA users or unmanaged devices never
        build the paths of everyone else.
        """
        cache = self._path_cache
        full = cache.get(resource)
        if full is None and users is None and where is None:
            full = cache[resource] = self._paths_of_users(resource, None, None)
        if full is None or where is not None:
            return self._paths_of_users(resource, users, where)
        return full if users is None else [p for p in full if p.user in users]

    def prepare_shared(self) -> None:
        """Compute what most rules read (derived facts, who reaches each sensitive
        resource through which rules) once, so processes forked afterwards share it."""
        self.mfa, self.compliance, self.privileged, self.endpoints_of, self.gateway_of
        effective = self.access.effective
        effective.reach.presentable_bits
        for resource in self.sensitive_resources():
            effective.reach.buckets(resource)

    def any_path(self, resource: str, where: ContextFilter) -> bool:
        """Does some user have an allowed request to ``resource`` whose context ``where`` accepts?"""
        return self.access.effective.reach.reaches(resource, where)

    def _paths_of_users(self, resource: str, users: Collection[str] | None, where: ContextFilter | None) -> list[Path]:
        paths_of = self.access.paths_of
        return [p for grant in self.access.effective.grants_to(resource, users, where) for p in paths_of(grant, where)]

    @cached_property
    def _path_cache(self) -> dict[str, list[Path]]:
        return {}

    def active_users(self) -> list[User]:
        return [u for _, u in sorted(self.inventory.users.items()) if u.status == "active"]

    def sensitive_resources(self) -> list[str]:
        return sorted(n for n, r in self.inventory.resources.items() if r.sensitivity in SENSITIVE)
