"""Endpoint compliance as the format defines it, with the reasons it fails.

An endpoint is compliant when managed, encrypted, firewall on, EDR running,
not jailbroken, its OS in support and patched within ``patch_age_days``. A
declared ``compliant`` verdict counts only when the facts agree; the reasons
are kept so findings and traces can say *why* a device is not compliant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zerotrust_audit.model.entities import Endpoint


@dataclass(frozen=True)
class Compliance:
    failing: tuple[str, ...]   # facts that fail, in words ("disk not encrypted")
    declared: bool | None      # the device-management verdict, when given

    @property
    def compliant(self) -> bool:
        return not self.failing and self.declared is not False

    @property
    def stale_verdict(self) -> bool:
        """``compliant: true`` declared while the facts say otherwise."""
        return self.declared is True and bool(self.failing)

    def describe(self) -> str:
        reasons = list(self.failing)
        if self.declared is False:
            reasons.append("device management reports it non-compliant")
        return ", ".join(reasons) if reasons else "compliant"


def endpoint_compliance(endpoint: Endpoint, today: dt.date, patch_age_days: int) -> Compliance:
    failing = []
    if not endpoint.managed:
        failing.append("not managed")
    if not endpoint.disk_encryption:
        failing.append("disk not encrypted")
    if not endpoint.firewall:
        failing.append("firewall off")
    if not endpoint.edr.running:
        failing.append("EDR not running" if endpoint.edr.installed else "no EDR")
    if endpoint.jailbroken:
        failing.append("jailbroken")
    eos = endpoint.os.end_of_support
    if eos is not None and today > eos:
        failing.append(f"OS out of support since {eos.isoformat()}")
    age = (today - endpoint.last_patched).days
    if age > patch_age_days:
        failing.append(f"patched {age} days ago")
    return Compliance(tuple(failing), endpoint.compliant)
