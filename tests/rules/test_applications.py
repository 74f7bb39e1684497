"""ZT-APP: applications and resources."""

from __future__ import annotations

import pytest
from rulecheck import findings, hits

from zerotrust_audit.rules.applications import RULES


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_examples(rule):
    assert [h[0] for h in hits(rule.id, rule.failing_example)] == [rule.entity_kind]
    assert hits(rule.id, rule.passing_example) == []


# --- ZT-APP-001: SSH/RDP facing the internet

def _resource(type_: str, exposure: str) -> str:
    return f"""\
version: 1
resources:
  - name: admin-svc
    type: {type_}
    sensitivity: confidential
    exposure: {exposure}
    logging: true
    owner: platform
"""


@pytest.mark.parametrize(
    ("type_", "exposure", "expected"),
    [
        ("ssh", "internet", [("resource", "admin-svc", 6)]),   # points at exposure
        ("rdp", "internet", [("resource", "admin-svc", 6)]),
        ("ssh", "vpn_only", []),
        ("rdp", "internal", []),
        ("app", "internet", []),
        ("network_segment", "internet", []),
    ],
)
def test_app001_remote_admin_on_internet(type_, exposure, expected):
    assert hits("ZT-APP-001", _resource(type_, exposure)) == expected


def test_app001_message_and_severity():
    [finding] = findings("ZT-APP-001", _resource("rdp", "internet"))
    assert finding.severity == "critical"
    assert finding.message == "rdp service 'admin-svc' is exposed to the internet (exposure: internet)"


# --- ZT-APP-002: internet-exposed resource reachable without MFA

def _mfa_doc(mfa: str = "none", exposure: str = "internet", status: str = "active", extra_rules: str = "") -> str:
    return f"""\
version: 1
users:
  - {{name: bob, type: employee, status: {status}, groups: [staff], mfa_methods: [fido2]}}
  - {{name: carol, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}}
mfa_policies:
  - {{name: all, applies_to: {{groups: ["*"]}}, required: true, allowed_methods: [fido2]}}
resources:
  - {{name: wiki, type: app, sensitivity: internal, exposure: {exposure}, logging: true, owner: it}}
access_rules:
  - {{name: staff-wiki, effect: allow, subjects: {{groups: [staff]}}, resources: [wiki], conditions: {{mfa: {mfa}}}}}
{extra_rules}"""


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, [("resource", "wiki", 8)]),
        ({"mfa": "any"}, []),
        ({"mfa": "phishing_resistant"}, []),
        ({"exposure": "vpn_only"}, []),
        ({"exposure": "internal"}, []),
        # a deny for everyone on unregistered and registered devices alike blocks the grant
        ({"extra_rules": "  - {name: block, effect: deny, subjects: {groups: [staff]}, resources: [wiki]}\n"}, []),
    ],
)
def test_app002_internet_without_mfa(kwargs, expected):
    assert hits("ZT-APP-002", _mfa_doc(**kwargs)) == expected


def test_app002_message_names_user_and_rule():
    [finding] = findings("ZT-APP-002", _mfa_doc())
    assert finding.severity == "high"
    assert finding.message == "'wiki' is exposed to the internet and 'bob' can reach it without MFA through rule 'staff-wiki' (1 more user likewise)"
    assert {p["user"] for p in finding.evidence["paths"]} == {"bob", "carol"}
    assert {p["mfa"] for p in finding.evidence["paths"]} == {"none"}


def test_app002_disabled_user_has_no_path():
    [finding] = findings("ZT-APP-002", _mfa_doc(status="disabled"))
    assert finding.message == "'wiki' is exposed to the internet and 'carol' can reach it without MFA through rule 'staff-wiki'"


def test_app002_one_rule_without_mfa_is_enough():
    second = "  - {name: wiki-open, effect: allow, subjects: {users: [carol]}, resources: [wiki]}\n"
    [finding] = findings("ZT-APP-002", _mfa_doc(mfa="any", extra_rules=second))
    assert finding.message == "'wiki' is exposed to the internet and 'carol' can reach it without MFA through rule 'wiki-open'"


DEFAULT_ALLOW = """\
version: 1
organization: {name: Open Org, default_action: allow, audit_date: 2026-11-01}
groups:
  - name: staff
users:
  - {name: bob, type: employee, status: active, groups: [staff], mfa_methods: []}
resources:
  - {name: wiki, type: app, sensitivity: internal, exposure: internet, logging: true, owner: it}
"""


def test_app002_message_names_the_network():
    office = "  - {name: wiki-office, effect: allow, subjects: {users: [carol]}, resources: [wiki], conditions: {networks: [hq-lan]}}\n"
    doc = _mfa_doc(mfa="any", extra_rules=office) + "networks:\n  - {name: hq-lan, type: office}\n"
    [finding] = findings("ZT-APP-002", doc)
    assert finding.message == "'wiki' is exposed to the internet and 'carol' can reach it without MFA through rule 'wiki-office' from network 'hq-lan'"


def test_app002_default_allow_grants_without_mfa():
    [finding] = findings("ZT-APP-002", DEFAULT_ALLOW)
    assert (finding.entity_name, finding.location.line) == ("wiki", 8)
    assert finding.message == "'wiki' is exposed to the internet and 'bob' can reach it without MFA through default_action: allow"


# --- ZT-APP-003: only reachable from behind a flat VPN

def _vpn_doc(full_access: str = "true", networks: str = "[vpn-eu-net]", exposure: str = "vpn_only", extra_rules: str = "") -> str:
    return f"""\
version: 1
users:
  - {{name: bob, type: employee, status: active, groups: [staff], mfa_methods: []}}
vpn_gateways:
  - name: vpn-eu
    protocol: ipsec-ikev2
    authentication: {{mfa_required: true, methods: [certificate, saml]}}
    posture_check: true
    split_tunnel: false
    full_network_access: {full_access}
    logging: true
  - name: vpn-flat
    protocol: wireguard
    authentication: {{mfa_required: true, methods: [certificate]}}
    posture_check: true
    split_tunnel: false
    full_network_access: true
    logging: true
networks:
  - {{name: vpn-eu-net, type: vpn, gateway: vpn-eu}}
  - {{name: vpn-flat-net, type: vpn, gateway: vpn-flat}}
  - {{name: hq-lan, type: office}}
resources:
  - {{name: intranet, type: app, sensitivity: internal, exposure: {exposure}, logging: true, owner: it}}
access_rules:
  - {{name: staff-intranet, effect: allow, subjects: {{groups: [staff]}}, resources: [intranet], conditions: {{networks: {networks}}}}}
{extra_rules}"""


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, [("resource", "intranet", 24)]),
        ({"networks": "[vpn-eu-net, vpn-flat-net]"}, [("resource", "intranet", 24)]),
        ({"full_access": "false"}, []),                             # segmented gateway
        ({"networks": "[vpn-eu-net, hq-lan]"}, []),                 # also granted from the office
        ({"networks": "[vpn-eu-net, vpn-flat-net]", "full_access": "false"}, []),
        ({"exposure": "internal"}, []),
        ({"exposure": "internet"}, []),
        # a second grant that does not depend on the network at all
        ({"extra_rules": "  - {name: anywhere, effect: allow, subjects: {users: [bob]}, resources: [intranet], conditions: {mfa: none}}\n"}, []),
        # nobody can reach it: nothing to report
        ({"extra_rules": "  - {name: block, effect: deny, subjects: {groups: [\"*\"]}, resources: [intranet]}\n"}, []),
    ],
)
def test_app003_only_behind_flat_vpn(kwargs, expected):
    assert hits("ZT-APP-003", _vpn_doc(**kwargs)) == expected


def test_app003_message_names_rules_networks_and_gateways():
    [finding] = findings("ZT-APP-003", _vpn_doc(networks="[vpn-flat-net, vpn-eu-net]"))
    assert finding.severity == "low"
    assert finding.message == (
        "vpn_only resource 'intranet' is granted only to requests from VPN networks whose gateway has full_network_access: true: "
        "rule 'staff-intranet' via network 'vpn-eu-net' (gateway 'vpn-eu'); rule 'staff-intranet' via network 'vpn-flat-net' (gateway 'vpn-flat')"
    )


def test_app003_needs_a_grant():
    no_rule = _vpn_doc().split("access_rules:")[0]
    assert hits("ZT-APP-003", no_rule) == []


# --- ZT-APP-004: resource without owner

@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        ("", [("resource", "legacy-crm", 3)]),
        (", owner: sales-ops", []),
    ],
)
def test_app004_resource_without_owner(owner, expected):
    doc = f"""\
version: 1
resources:
  - {{name: legacy-crm, type: app, sensitivity: confidential, exposure: vpn_only, logging: true{owner}}}
"""
    assert hits("ZT-APP-004", doc) == expected


def test_app004_message_and_pillar():
    doc = "version: 1\nresources:\n  - {name: crm, type: saas, sensitivity: internal, exposure: internet, logging: true}\n"
    [finding] = findings("ZT-APP-004", doc)
    assert (finding.severity, finding.pillar) == ("low", "governance")
    assert finding.message == "resource 'crm' (internal, saas) has no owner"
