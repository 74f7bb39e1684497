"""ZT-ACC and ZT-DAT rules: exact entities, lines and the proof they carry."""

from __future__ import annotations

import pytest
from rulecheck import findings, hits

PEOPLE = """\
version: 1
groups:
  - {name: staff}
  - {name: contractors}
  - {name: admins, privileged: true}
users:
  - {name: ana, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
  - {name: bob, type: contractor, status: active, groups: [contractors], mfa_methods: [sms]}
  - {name: root, type: employee, status: active, groups: [admins], mfa_methods: [fido2]}
  - {name: gone, type: employee, status: disabled, groups: [staff, contractors], mfa_methods: [sms]}
mfa_policies:
  - {name: all, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2, sms]}
endpoints:
  - {name: lt-1, owner: ana, type: laptop, ownership: corporate, managed: true, os: {family: macos, version: "15"},
     disk_encryption: true, firewall: true, edr: {installed: true, running: true}, last_patched: 2026-10-20, last_seen: 2026-10-31}
  - {name: lt-99, owner: bob, type: laptop, ownership: byod, managed: false, os: {family: windows, version: "11"},
     disk_encryption: false, firewall: true, edr: {installed: false, running: false}, last_patched: 2026-10-20, last_seen: 2026-10-31}
resources:
  - {name: payments-db, type: database, sensitivity: restricted, exposure: vpn_only, logging: true}
  - {name: wiki, type: app, sensitivity: internal, exposure: internet, logging: true}
  - {name: bastion, type: ssh, sensitivity: confidential, exposure: vpn_only, logging: true}
organization: {name: Acme, default_action: deny, audit_date: 2026-11-01}
"""


def with_rules(rules: str) -> str:
    return PEOPLE + "access_rules:\n" + rules


ENG_ALL = "  - {name: eng-all, effect: allow, subjects: {groups: [staff, contractors]}, resources: [payments-db], conditions: {mfa: any}}\n"  # line 24
STRICT = "  - {name: strict, effect: allow, subjects: {groups: [staff]}, resources: [payments-db], conditions: {mfa: phishing_resistant, device: {managed: true, compliant: true}}}\n"


def test_weak_mfa_from_unmanaged_device_names_user_resource_rule_and_endpoint() -> None:
    found = findings("ZT-ACC-007", with_rules(ENG_ALL))
    assert [(f.entity_kind, f.entity_name, f.location.line) for f in found] == [("access_rule", "eng-all", 24)]
    message = found[0].message
    assert message.startswith("bob (contractor, effective MFA: sms) can reach payments-db (restricted) via rule eng-all from lt-99 (byod")
    assert "disk not encrypted" in message
    assert found[0].evidence["endpoint"] == "lt-99" and found[0].evidence["mfa_presented"] == "sms"


def test_weak_mfa_chain_closed_by_device_condition() -> None:
    rule = ENG_ALL.replace("{mfa: any}", "{mfa: any, device: {managed: true}}")
    assert hits("ZT-ACC-007", with_rules(rule)) == []


def test_disabled_user_has_no_paths() -> None:
    rule = ENG_ALL.replace("groups: [staff, contractors]", "users: [gone]")
    assert hits("ZT-ACC-007", with_rules(rule)) == []


def test_restricted_without_phishing_resistant_lists_each_user() -> None:
    found = findings("ZT-ACC-006", with_rules(ENG_ALL))
    assert [(f.entity_name, f.location.line) for f in found] == [("eng-all", 24)]
    assert found[0].message == (
        "2 users reach restricted payments-db via rule eng-all, which does not ask for phishing-resistant MFA: "
        "ana (effective MFA: fido2), bob (effective MFA: sms)"
    )
    assert [p["user"] for p in found[0].evidence["paths"]] == ["ana", "bob"]
    assert hits("ZT-ACC-006", with_rules(STRICT)) == []


def test_non_compliant_endpoints_are_named() -> None:
    found = findings("ZT-ACC-008", with_rules(ENG_ALL))
    assert [(f.entity_name, f.location.line) for f in found] == [("eng-all", 24)]
    assert found[0].evidence["endpoints"] == [None, "lt-99"]
    assert found[0].message.startswith("payments-db (restricted) is reachable via eng-all from an unregistered device, lt-99 (byod, not managed, disk not encrypted")
    assert hits("ZT-ACC-008", with_rules(STRICT)) == []


def test_shadowed_rule_names_both_rules() -> None:
    found = findings("ZT-ACC-010", with_rules(STRICT + ENG_ALL))
    assert [(f.entity_name, f.location.line) for f in found] == [("eng-all", 25)]
    assert "'strict'" in found[0].message
    assert (found[0].evidence["broader_rule"], found[0].evidence["stricter_rule"]) == ("eng-all", "strict")
    # the proof: a request eng-all grants that strict's own conditions refuse
    assert found[0].evidence["path"]["user"] == "ana" and "which 'strict' would refuse (device: an unregistered device meets no device condition)" in found[0].message
    narrower = ENG_ALL.replace("groups: [staff, contractors]", "groups: [contractors]")
    assert hits("ZT-ACC-010", with_rules(STRICT + narrower)) == []


def test_dead_allow_behind_unconditional_deny() -> None:
    deny = "  - {name: freeze, effect: deny, subjects: {groups: ['*']}, resources: [payments-db]}\n"
    found = findings("ZT-ACC-011", with_rules(ENG_ALL + deny))
    assert [(f.entity_name, f.location.line) for f in found] == [("eng-all", 24)]
    assert found[0].evidence["request"] == {"user": "ana", "resource": "payments-db", "endpoint": None, "network": None,
                                            "mfa_presented": "fido2", "country": None}
    conditional = deny.replace("resources: [payments-db]}", "resources: [payments-db], conditions: {countries: [KP]}}")
    assert hits("ZT-ACC-011", with_rules(ENG_ALL + conditional)) == []


def test_network_only_rule_and_weak_vpn_gateway() -> None:
    vpn = (
        "vpn_gateways:\n  - {name: gw, protocol: sslvpn, tls_min_version: '1.2', authentication: {mfa_required: false, methods: [ldap]},\n"
        "     posture_check: false, split_tunnel: true, full_network_access: true, logging: true}\n"
        "networks:\n  - {name: vpn-net, type: vpn, gateway: gw}\n"
    )
    rule = "  - {name: vpn-only, effect: allow, subjects: {groups: [contractors]}, resources: [payments-db], conditions: {networks: [vpn-net]}}\n"
    text = PEOPLE + vpn + "access_rules:\n" + rule
    assert hits("ZT-ACC-003", text) == [("access_rule", "vpn-only", 29)]
    found = findings("ZT-ACC-014", text)
    assert [(f.entity_name, f.location.line) for f in found] == [("vpn-only", 29)]
    assert "gateway 'gw' has mfa_required: false and posture_check: false" in found[0].message and "gateway 'gw'" in found[0].message
    assert hits("ZT-DAT-003", text) == [("resource", "payments-db", 19)]
    strong = text.replace("{networks: [vpn-net]}", "{networks: [vpn-net], mfa: any, device: {managed: true}}")
    assert hits("ZT-ACC-003", strong) == [] and hits("ZT-ACC-014", strong) == []


@pytest.mark.parametrize(
    ("rule_id", "rules", "expected"),
    [
        ("ZT-ACC-002", "  - {name: open, effect: allow, subjects: {groups: [staff]}, resources: [payments-db, wiki]}\n", [("access_rule", "open", 24)]),
        ("ZT-ACC-002", "  - {name: open, effect: allow, subjects: {groups: [staff]}, resources: [wiki]}\n", []),
        ("ZT-ACC-004", "  - {name: all, effect: allow, subjects: {users: ['*']}, resources: [wiki], conditions: {mfa: any}}\n", [("access_rule", "all", 24)]),
        ("ZT-ACC-004", "  - {name: all, effect: allow, subjects: {groups: [staff]}, resources: [wiki], conditions: {mfa: any}}\n", []),
        ("ZT-ACC-005", "  - {name: every, effect: allow, subjects: {groups: [admins]}, resources: '*', conditions: {mfa: phishing_resistant}}\n", [("access_rule", "every", 24)]),
        ("ZT-ACC-005", "  - {name: every, effect: allow, subjects: {groups: [admins]}, resources: [bastion], conditions: {mfa: phishing_resistant}}\n", []),
        ("ZT-ACC-009", "  - {name: b, effect: allow, subjects: {groups: [staff]}, resources: [bastion], conditions: {mfa: any, device: {compliant: true}}}\n", [("access_rule", "b", 24)]),
        ("ZT-ACC-009", "  - {name: b, effect: allow, subjects: {groups: [staff]}, resources: [bastion], conditions: {mfa: any, device: {managed: true}}}\n", []),
        ("ZT-ACC-012", "  - {name: t, effect: allow, subjects: {groups: [staff]}, resources: [wiki], conditions: {mfa: any}, expires: 2026-10-31}\n", [("access_rule", "t", 24)]),
        ("ZT-ACC-012", "  - {name: t, effect: allow, subjects: {groups: [staff]}, resources: [wiki], conditions: {mfa: any}, expires: 2026-11-01}\n", []),
        ("ZT-ACC-013", "  - {name: adm, effect: allow, subjects: {groups: [admins]}, resources: [bastion], conditions: {mfa: phishing_resistant}}\n", [("access_rule", "adm", 24)]),
        ("ZT-ACC-013", "  - {name: adm, effect: allow, subjects: {groups: [admins]}, resources: [bastion], conditions: {mfa: phishing_resistant, device: {managed: true, compliant: true}}}\n", []),
        ("ZT-ACC-015", ENG_ALL, [("user", "bob", 8)]),
        ("ZT-ACC-015", ENG_ALL.replace("{mfa: any}}", "{mfa: any}, expires: 2027-01-01}"), []),
        ("ZT-DAT-001", ENG_ALL, [("endpoint", "lt-99", 17)]),
        ("ZT-DAT-001", STRICT, []),
    ],
)
def test_rule_table(rule_id: str, rules: str, expected: list[tuple[str, str, int]]) -> None:
    assert hits(rule_id, with_rules(rules)) == expected


def test_wildcard_subjects_and_resources_escalate() -> None:
    rule = "  - {name: every, effect: allow, subjects: {groups: ['*']}, resources: '*', conditions: {mfa: any}}\n"
    assert [f.severity for f in findings("ZT-ACC-005", with_rules(rule))] == ["critical"]


def test_default_allow_is_reported_and_grants_paths() -> None:
    text = PEOPLE.replace("default_action: deny", "default_action: allow") + "access_rules: []\n"
    assert hits("ZT-ACC-001", text) == [("organization", "Acme", 22)]
    assert [(f.entity_kind, f.evidence["resource"]) for f in findings("ZT-ACC-007", text)] == [
        ("organization", "bastion"), ("organization", "payments-db")]
    assert hits("ZT-ACC-001", PEOPLE) == []


def test_sensitive_store_on_internet() -> None:
    exposed = PEOPLE.replace("{name: payments-db, type: database, sensitivity: restricted, exposure: vpn_only", "{name: payments-db, type: database, sensitivity: restricted, exposure: internet")
    assert hits("ZT-DAT-002", exposed) == [("resource", "payments-db", 19)]
    assert hits("ZT-DAT-002", PEOPLE) == []


def test_weak_transport_only() -> None:
    vpn = (
        "vpn_gateways:\n  - {name: gw, protocol: sslvpn, tls_min_version: 'TLS', authentication: {mfa_required: true, methods: [saml]},\n"
        "     posture_check: true, split_tunnel: false, full_network_access: false, logging: true}\n"
        "networks:\n  - {name: vpn-net, type: vpn, gateway: gw}\n"
        "access_rules:\n  - {name: v, effect: allow, subjects: {groups: [staff]}, resources: [payments-db], conditions: {mfa: any, networks: [vpn-net]}}\n"
    )
    assert hits("ZT-DAT-004", PEOPLE + vpn.replace("TLS", "1.0")) == [("resource", "payments-db", 19)]
    assert hits("ZT-DAT-004", PEOPLE + vpn.replace("TLS", "1.2")) == []


def test_weak_mfa_accounts_reaching_sensitive_data_are_named() -> None:
    found = findings("ZT-ACC-016", with_rules(ENG_ALL))
    assert [(f.entity_name, f.location.line) for f in found] == [("eng-all", 24)]
    assert found[0].message == "payments-db (restricted) is reachable via rule eng-all by accounts with weak or no MFA: bob (contractor, effective MFA: sms)"
    assert found[0].evidence["users"] == ["bob"]
    assert hits("ZT-ACC-016", with_rules(ENG_ALL.replace("groups: [staff, contractors]", "groups: [staff]"))) == []


def test_path_evidence_is_capped_and_says_how_many_were_left_out() -> None:
    """Large organisations: a finding carries examples; the access map lists everyone."""
    users = "".join(
        f"  - {{name: u{i:02d}, type: employee, status: active, groups: [staff], mfa_methods: [sms]}}\n" for i in range(25)
    )
    text = with_rules(ENG_ALL).replace("users:\n", "users:\n" + users, 1)
    found = findings("ZT-ACC-016", text)
    assert len(found) == 1
    evidence = found[0].evidence
    assert len(evidence["paths"]) == 20 and evidence["paths_omitted"] == 6      # 25 + bob
    assert len(evidence["users"]) == 20 and evidence["users_omitted"] == 6
    assert found[0].message.endswith("and 21 more")
    few = findings("ZT-ACC-016", with_rules(ENG_ALL))[0].evidence
    assert "paths_omitted" not in few and "users_omitted" not in few
