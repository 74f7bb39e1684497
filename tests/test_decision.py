"""The access decision of the format, one table row per rule of the semantics."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest

from zerotrust_audit.analysis.access import Request
from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.api import load

BASE = """\
version: 1
organization: {name: Acme, default_action: DEFAULT, audit_date: 2026-11-01}
groups:
  - {name: eng}
  - {name: ops}
users:
  - {name: ana, type: employee, status: active, groups: [eng], mfa_methods: [fido2, sms]}
  - {name: bob, type: contractor, status: active, groups: [eng, ops], mfa_methods: [sms]}
  - {name: cy, type: employee, status: disabled, groups: [eng], mfa_methods: [fido2]}
  - {name: dee, type: service, status: active, groups: [ops], mfa_methods: []}
mfa_policies:
  - {name: all, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2, sms], exempt: {users: [dee]}}
endpoints:
  - {name: good, owner: ana, type: laptop, ownership: corporate, managed: true, os: {family: macos, version: "15"},
     disk_encryption: true, firewall: true, edr: {installed: true, running: true}, last_patched: 2026-10-20, last_seen: 2026-10-31}
  - {name: stale, owner: ana, type: laptop, ownership: corporate, managed: true, os: {family: macos, version: "15"}, compliant: true,
     disk_encryption: false, firewall: true, edr: {installed: true, running: true}, last_patched: 2026-10-20, last_seen: 2026-10-31}
  - {name: home, owner: bob, type: laptop, ownership: byod, managed: false, os: {family: windows, version: "11"},
     disk_encryption: true, firewall: true, edr: {installed: true, running: true}, last_patched: 2026-10-20, last_seen: 2026-10-31}
networks:
  - {name: office, type: office}
  - {name: vpn, type: vpn, gateway: gw}
vpn_gateways:
  - {name: gw, protocol: wireguard, authentication: {mfa_required: true, methods: [certificate]}, posture_check: true,
     split_tunnel: false, full_network_access: false, logging: true}
resources:
  - {name: db, type: database, sensitivity: restricted, exposure: vpn_only, logging: true}
  - {name: wiki, type: app, sensitivity: internal, exposure: internet, logging: true}
access_rules:
"""


def facts_for(rules: str, default: str = "deny") -> Facts:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "p.yaml").write_text(BASE.replace("DEFAULT", default) + (rules or "  []\n"))
        return load([Path(tmp)]).facts


def R(user: str, resource: str = "db", endpoint: str | None = None, network: str | None = None, mfa: str = "none", country: str | None = None) -> Request:
    return Request(user, resource, endpoint, network, mfa, country)


ALLOW_ENG = "  - {name: eng-db, effect: allow, subjects: {groups: [eng]}, resources: [db]}\n"

CASES = [
    # (id, rules, default, request, effect, reason)
    ("allow-by-group", ALLOW_ENG, "deny", R("ana"), "allow", "rule"),
    ("no-rule-default-deny", "", "deny", R("ana"), "deny", "default"),
    ("no-rule-default-allow", "", "allow", R("ana"), "allow", "default"),
    ("unmatched-user-default", ALLOW_ENG, "deny", R("dee"), "deny", "default"),
    ("deny-overrides-allow", ALLOW_ENG + "  - {name: no-ops, effect: deny, subjects: {groups: [ops]}, resources: [db]}\n", "deny", R("bob"), "deny", "rule"),
    ("deny-overrides-default-allow", "  - {name: no, effect: deny, subjects: {users: [ana]}, resources: ['*']}\n", "allow", R("ana"), "deny", "rule"),
    ("wildcard-subjects", "  - {name: all, effect: allow, subjects: {groups: ['*']}, resources: [db]}\n", "deny", R("dee"), "allow", "rule"),
    ("wildcard-resources", "  - {name: all, effect: allow, subjects: {users: [ana]}, resources: '*'}\n", "deny", R("ana", "wiki"), "allow", "rule"),
    ("exclude-user", "  - {name: e, effect: allow, subjects: {groups: [eng]}, exclude: {users: [bob]}, resources: [db]}\n", "deny", R("bob"), "deny", "default"),
    ("exclude-group", "  - {name: e, effect: allow, subjects: {groups: [eng]}, exclude: {groups: [ops]}, resources: [db]}\n", "deny", R("bob"), "deny", "default"),
    ("disabled-user", ALLOW_ENG, "allow", R("cy"), "deny", "disabled"),
    ("report-only-ignored", "  - {name: r, effect: deny, subjects: {groups: [eng]}, resources: [db], state: report_only}\n" + ALLOW_ENG, "deny", R("ana"), "allow", "rule"),
    ("disabled-rule-ignored", "  - {name: r, effect: allow, subjects: {groups: [eng]}, resources: [db], state: disabled}\n", "deny", R("ana"), "deny", "default"),
    ("expired-rule", "  - {name: t, effect: allow, subjects: {groups: [eng]}, resources: [db], expires: 2026-10-31}\n", "deny", R("ana"), "deny", "default"),
    ("rule-on-expiry-date", "  - {name: t, effect: allow, subjects: {groups: [eng]}, resources: [db], expires: 2026-11-01}\n", "deny", R("ana"), "allow", "rule"),
    ("expired-deny", "  - {name: t, effect: deny, subjects: {groups: [eng]}, resources: [db], expires: 2026-10-31}\n" + ALLOW_ENG, "deny", R("ana"), "allow", "rule"),
    ("mfa-any-none-presented", "  - {name: m, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {mfa: any}}\n", "deny", R("ana"), "deny", "default"),
    ("mfa-any-sms", "  - {name: m, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {mfa: any}}\n", "deny", R("bob", mfa="sms"), "allow", "rule"),
    ("mfa-pr-sms", "  - {name: m, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {mfa: phishing_resistant}}\n", "deny", R("ana", mfa="sms"), "deny", "default"),
    ("mfa-pr-fido2", "  - {name: m, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {mfa: phishing_resistant}}\n", "deny", R("ana", mfa="fido2"), "allow", "rule"),
    ("mfa-not-enrolled", "  - {name: m, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {mfa: phishing_resistant}}\n", "deny", R("bob", mfa="fido2"), "deny", "default"),
    ("exempt-user-cannot-mfa", "  - {name: m, effect: allow, subjects: {groups: ['*']}, resources: [db], conditions: {mfa: any}}\n", "deny", R("dee", mfa="sms"), "deny", "default"),
    ("device-unregistered", "  - {name: d, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {device: {managed: true}}}\n", "deny", R("ana"), "deny", "default"),
    ("device-managed", "  - {name: d, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {device: {managed: true}}}\n", "deny", R("ana", endpoint="good"), "allow", "rule"),
    ("device-stale-verdict", "  - {name: d, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {device: {compliant: true}}}\n", "deny", R("ana", endpoint="stale"), "deny", "default"),
    ("device-ownership", "  - {name: d, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {device: {ownership: [corporate]}}}\n", "deny", R("bob", endpoint="home"), "deny", "default"),
    ("deny-unmanaged", ALLOW_ENG + "  - {name: d, effect: deny, subjects: {groups: [eng]}, resources: [db], conditions: {device: {managed: false}}}\n", "deny", R("bob", endpoint="home"), "deny", "rule"),
    ("deny-unmanaged-unregistered", ALLOW_ENG + "  - {name: d, effect: deny, subjects: {groups: [eng]}, resources: [db], conditions: {device: {managed: false}}}\n", "deny", R("bob"), "allow", "rule"),
    ("network-match", "  - {name: n, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {networks: [vpn]}}\n", "deny", R("ana", network="vpn"), "allow", "rule"),
    ("network-other", "  - {name: n, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {networks: [vpn]}}\n", "deny", R("ana", network="office"), "deny", "default"),
    ("network-unknown", "  - {name: n, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {networks: [vpn]}}\n", "deny", R("ana"), "deny", "default"),
    ("country-match", "  - {name: c, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {countries: [NO]}}\n", "deny", R("ana", country="NO"), "allow", "rule"),
    ("country-other", "  - {name: c, effect: allow, subjects: {groups: [eng]}, resources: [db], conditions: {countries: [NO]}}\n", "deny", R("ana", country="US"), "deny", "default"),
]


@pytest.mark.parametrize(("rules", "default", "request_", "effect", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_decision(rules: str, default: str, request_: Request, effect: str, reason: str) -> None:
    decision = facts_for(rules, default).access.decide(request_)
    assert (decision.effect, decision.reason) == (effect, reason)


def test_legacy_auth_and_mfa_downgrade_set_effective_mfa() -> None:
    facts = facts_for(ALLOW_ENG)
    assert facts.mfa["ana"].effective == "sms"          # downgrade: weakest enrolled and allowed
    assert facts.mfa["dee"].effective == "none"         # exempt: no required policy applies
    legacy = BASE.replace("exempt: {users: [dee]}}", "exempt: {users: [dee]}, legacy_auth_allowed: true}")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "p.yaml").write_text(legacy.replace("DEFAULT", "deny") + ALLOW_ENG)
        assert load([Path(tmp)]).facts.mfa["ana"].effective == "none"


def test_audit_date_defaults_to_today_when_not_pinned() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "p.yaml").write_text(BASE.replace(", audit_date: 2026-11-01", "").replace("DEFAULT", "deny") + ALLOW_ENG)
        assert load([Path(tmp)], today=dt.date(2030, 1, 2)).facts.today == dt.date(2030, 1, 2)
