"""Rule-pack thresholds: defaults, their sources, and validation of overrides.

Thresholds are data, checked when the inventory loads: an unknown key or a
value of the wrong type in ``organization.thresholds`` is an input error
naming the key, not a silently ignored setting.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

from zerotrust_audit.errors import Problem
from zerotrust_audit.model.inventory import Inventory

TLS_VERSIONS = ("ssl3", "1.0", "1.1", "1.2", "1.3")
MFA_LEVELS = ("none", "restricted", "otp", "push_number_match", "phishing_resistant")


@dataclass(frozen=True)
class Threshold:
    """One tunable bar. ``weaker`` says which direction loosens it (for ZT-GOV-005)."""

    key: str
    default: Any
    source: str
    weaker: Literal["higher", "lower"]
    choices: tuple[str, ...] = ()
    standard: bool = True  # False: a tool default with no standard behind the number

    def is_weaker(self, value: Any) -> bool:
        if self.choices:
            rank = self.choices.index
            return rank(value) < rank(self.default) if self.weaker == "lower" else rank(value) > rank(self.default)
        return value > self.default if self.weaker == "higher" else value < self.default


THRESHOLDS: dict[str, Threshold] = {
    t.key: t
    for t in (
        Threshold("min_mfa_strength", "phishing_resistant", "OMB M-22-09; SCuBA MS.AAD.3.1v1", "lower", MFA_LEVELS),
        Threshold("patch_age_days", 30, "CIS Controls v8 7.3, 7.4", "higher"),
        Threshold("dormant_account_days", 45, "CIS Controls v8 5.3", "higher"),
        Threshold("session_max_hours", 12, "NIST SP 800-63B 4.2.3, 4.3.3", "higher"),
        Threshold("remember_device_max_days", 30, "NIST SP 800-63B 4.1.3", "higher"),
        Threshold("vpn_idle_max_minutes", 30, "NIST SP 800-63B 4.2.3", "higher"),
        Threshold("vpn_idle_max_minutes_privileged", 15, "NIST SP 800-63B 4.3.3", "higher"),
        Threshold("screen_lock_max_seconds", 900, "CIS Controls v8 4.3", "higher"),
        Threshold("screen_lock_max_seconds_mobile", 120, "CIS Controls v8 4.3", "higher"),
        Threshold("privileged_accounts_min", 2, "SCuBA MS.AAD.7.1v1", "lower"),
        Threshold("privileged_accounts_max", 8, "SCuBA MS.AAD.7.1v1", "higher"),
        Threshold("tls_min_version", "1.2", "NIST SP 800-52r2 3.1; RFC 8996", "lower", TLS_VERSIONS),
        Threshold("dh_min_modp_bits", 2048, "NIST SP 800-131A r2; RFC 8247 2.4", "lower"),
        Threshold("dh_min_ecp_bits", 256, "NIST SP 800-131A r2; RFC 8247 2.4", "lower"),
        Threshold("cert_rsa_min_bits", 2048, "CA/B Forum BR 6.1.5; NIST SP 800-131A r2", "lower"),
        Threshold("cert_expiry_warn_days", 30, "tool default", "lower", standard=False),
        Threshold("log_retention_min_days", 90, "CIS Controls v8 8.10", "lower"),
        Threshold("posture_max_age_days", 14, "tool default", "higher", standard=False),
        Threshold("endpoint_stale_days", 30, "tool default", "higher", standard=False),
        Threshold("os_eos_warn_days", 90, "tool default", "lower", standard=False),
        Threshold("break_glass_recent_use_days", 30, "tool default", "lower", standard=False),
        Threshold("waiver_max_days", 365, "tool default", "higher", standard=False),
    )
}


def effective_thresholds(inventory: Inventory, configured: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then the repository configuration's, then the organisation's (validated) overrides."""
    values = {key: t.default for key, t in THRESHOLDS.items()}
    values.update(configured or {})
    if inventory.organization:
        values.update({k: v for k, v in inventory.organization.thresholds.items() if k in THRESHOLDS})
    return values


def check_thresholds(inventory: Inventory) -> list[Problem]:
    """Unknown keys and ill-typed values in ``organization.thresholds``."""
    org = inventory.organization
    source = inventory.sources.of("organization", org.name) if org else None
    if org is None or source is None:
        return []
    problems = []
    for key, value in org.thresholds.items():
        path = ("thresholds", key)
        threshold = THRESHOLDS.get(key)
        if threshold is None:
            close = difflib.get_close_matches(key, list(THRESHOLDS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(
                source.positions.key((*source.path, *path)),
                f"{source.field_name(*path)}: unknown threshold '{key}'{hint}; see 'ztaudit rules' for the keys",
            ))
        else:
            wrong = value_problem(threshold, value)
            if wrong:
                problems.append(Problem(source.field(*path), f"{source.field_name(*path)}: {wrong}"))
    return problems


def value_problem(threshold: Threshold, value: Any) -> str | None:
    """What is wrong with a value for this threshold (None: nothing)."""
    if threshold.choices:
        return None if value in threshold.choices else f"expected one of {', '.join(threshold.choices)}, got {value!r}"
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return f"expected a whole number >= 0, got {value!r}"
    return None
