"""ZT-NET (networks.py): gateway exposure, access and network trust.

Gateways are written one field a line, so a finding's line says which field
it points at::

    1 version: 1
    2 vpn_gateways:
    3   - name: vpn-eu
    4     protocol: ipsec-ikev2
    5     ike: {...}
    6     authentication: {...}
    7     posture_check: true
    8     split_tunnel: false
    9     full_network_access: false
   10     idle_timeout_minutes: 30
   11     logging: true
   12     (first extra field)
"""

from __future__ import annotations

import pytest
from rulecheck import findings, hits

from zerotrust_audit.analysis.kev import catalog_info
from zerotrust_audit.rules import networks

HEALTHY = {
    "protocol": "ipsec-ikev2",
    "ike": "{dh_groups: [19, 20], encryption: [AES-256-GCM], integrity: [SHA2-256], auth: certificate}",
    "authentication": "{mfa_required: true, methods: [certificate, saml]}",
    "posture_check": "true",
    "split_tunnel": "false",
    "full_network_access": "false",
    "idle_timeout_minutes": "30",
    "logging": "true",
}


def gateway(name: str = "vpn-eu", **fields: str | None) -> str:
    """A healthy gateway (9 lines) with ``fields`` replaced or appended; None drops a field."""
    values = {**HEALTHY, **fields}
    return f"  - name: {name}\n" + "".join(f"    {key}: {value}\n" for key, value in values.items() if value is not None)


def doc(*gateways: str, tail: str = "") -> str:
    return "version: 1\nvpn_gateways:\n" + "".join(gateways or (gateway(),)) + tail


def org(thresholds: str) -> str:
    """An organisation with threshold overrides, placed after the gateways so their lines stay put."""
    return f"organization:\n  name: Acme\n  default_action: deny\n  audit_date: 2026-11-01\n  thresholds: {{{thresholds}}}\n"


def fortios(version: str) -> str:
    return f'{{vendor: fortinet, name: fortios, version: "{version}"}}'


def test_module_holds_the_gateway_rules_in_id_order():
    # ZT-NET-003 to ZT-NET-008 are written in gateway_crypto.py and registered here;
    # ZT-NET-016 to ZT-NET-022 are gateway_certificates.py's own
    assert [r.id for r in networks.RULES] == [f"ZT-NET-{n:03d}" for n in (*range(1, 16), 23, 24, 25)]


@pytest.mark.parametrize("rule", networks.RULES, ids=lambda r: r.id)
def test_examples(rule):
    assert [h[0] for h in hits(rule.id, rule.failing_example)] == [rule.entity_kind]
    assert hits(rule.id, rule.passing_example) == []


# --- ZT-NET-001: gateway version in CISA KEV


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        (fortios("7.2.4"), [("vpn_gateway", "vpn-eu", 12)]),
        (fortios("7.2.7"), []),
        ('{vendor: Fortinet, name: FortiGate, version: "6.4.10"}', [("vpn_gateway", "vpn-eu", 12)]),  # aliases, any case
        ('{vendor: paloaltonetworks, name: pan-os, version: "10.2.9"}', [("vpn_gateway", "vpn-eu", 12)]),
        ('{vendor: paloaltonetworks, name: pan-os, version: "10.2.9-h1"}', []),
        ('{vendor: ivanti, name: connect_secure, version: "22.7R2.4"}', [("vpn_gateway", "vpn-eu", 12)]),
        ('{vendor: ivanti, name: connect_secure, version: "22.7R2.6"}', []),
        ('{vendor: acme, name: tunnel, version: "1.0"}', []),  # unknown product
        ('{vendor: fortinet, name: fortios, version: "latest"}', []),  # unparseable version
        ("{vendor: fortinet, name: fortios}", []),  # no version: ZT-NET-002's case
        (None, []),
    ],
)
def test_kev(product, expected):
    assert hits("ZT-NET-001", doc(gateway(product=product))) == expected


def test_kev_message_names_cves_fixes_and_catalog():
    [finding] = findings("ZT-NET-001", doc(gateway(product=fortios("7.2.4"))))
    assert finding.severity == "critical"
    assert "CVE-2023-27997" in finding.message and "fixed in 7.2.5" in finding.message
    assert "CVE-2024-21762" in finding.message and "fixed in 7.2.7" in finding.message
    assert finding.message.endswith("upgrade to at least 7.2.7")
    assert finding.evidence == {"cves": ["CVE-2023-27997", "CVE-2024-21762"], "catalog": catalog_info()["catalog_version"]}


def test_kev_upgrade_target_covers_every_matched_cve():
    [finding] = findings("ZT-NET-001", doc(gateway(product='{vendor: ivanti, name: connect_secure, version: "22.7R2.4"}')))
    assert finding.evidence["cves"] == ["CVE-2025-0282", "CVE-2025-22457"]
    assert finding.message.endswith("upgrade to at least 22.7R2.6")


def test_kev_branch_without_fix_says_migrate():
    [finding] = findings("ZT-NET-001", doc(gateway(product=fortios("6.0.17"))))
    assert "CVE-2024-21762" in finding.message and "no fixed release on this branch" in finding.message
    assert finding.message.endswith("move to a supported branch")


# --- ZT-NET-002: product or version not declared


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        (None, [("vpn_gateway", "vpn-eu", 3)]),
        ("{vendor: fortinet, name: fortios}", [("vpn_gateway", "vpn-eu", 12)]),
        ('{vendor: fortinet, name: fortios, version: ""}', [("vpn_gateway", "vpn-eu", 12)]),
        ('{vendor: fortinet, name: fortios, version: "  "}', [("vpn_gateway", "vpn-eu", 12)]),
        (fortios("7.2.7"), []),
        ('{vendor: acme, name: tunnel, version: "1.0"}', []),  # declared, even if not in the KEV data
    ],
)
def test_product_unknown(product, expected):
    assert hits("ZT-NET-002", doc(gateway(product=product))) == expected


# --- ZT-NET-009 to ZT-NET-012, ZT-NET-014, ZT-NET-023 to ZT-NET-025: one flag each


@pytest.mark.parametrize(
    ("rule_id", "fields", "expected"),
    [
        ("ZT-NET-009", {"authentication": "{mfa_required: false, methods: [password]}"}, [("vpn_gateway", "vpn-eu", 6)]),
        ("ZT-NET-009", {"authentication": "{mfa_required: true, methods: [password]}"}, []),
        ("ZT-NET-010", {"split_tunnel": "true"}, [("vpn_gateway", "vpn-eu", 8)]),
        ("ZT-NET-010", {"split_tunnel": "false"}, []),
        ("ZT-NET-011", {"full_network_access": "true"}, [("vpn_gateway", "vpn-eu", 9)]),
        ("ZT-NET-011", {"full_network_access": "false"}, []),
        ("ZT-NET-012", {"posture_check": "false"}, [("vpn_gateway", "vpn-eu", 7)]),
        ("ZT-NET-012", {"posture_check": "true"}, []),
        ("ZT-NET-014", {"internet_exposed_management": "true"}, [("vpn_gateway", "vpn-eu", 12)]),
        ("ZT-NET-014", {"internet_exposed_management": "false"}, []),
        ("ZT-NET-014", {}, []),
        ("ZT-NET-023", {"client_to_client": "true"}, [("vpn_gateway", "vpn-eu", 12)]),
        ("ZT-NET-023", {"client_to_client": "false"}, []),
        ("ZT-NET-023", {}, []),
        ("ZT-NET-024", {"shared_credentials": "true"}, [("vpn_gateway", "vpn-eu", 12)]),
        ("ZT-NET-024", {"shared_credentials": "false"}, []),
        ("ZT-NET-024", {}, []),
        ("ZT-NET-025", {"compression": "true"}, [("vpn_gateway", "vpn-eu", 12)]),
        ("ZT-NET-025", {"compression": "false"}, []),
        ("ZT-NET-025", {}, []),
    ],
)
def test_gateway_flags(rule_id, fields, expected):
    assert hits(rule_id, doc(gateway(**fields))) == expected


def test_flags_report_every_gateway_in_order():
    text = doc(gateway("vpn-b", compression="true"), gateway("vpn-a"), gateway("vpn-c", compression="true"))
    assert hits("ZT-NET-025", text) == [("vpn_gateway", "vpn-b", 12), ("vpn_gateway", "vpn-c", 31)]


@pytest.mark.parametrize(("posture", "severity"), [("true", "medium"), ("false", "high")])
def test_split_tunnel_escalates_without_posture_check(posture, severity):
    [finding] = findings("ZT-NET-010", doc(gateway(split_tunnel="true", posture_check=posture)))
    assert finding.severity == severity


def test_no_mfa_message_names_methods():
    [finding] = findings("ZT-NET-009", doc(gateway(authentication="{mfa_required: false, methods: [ldap, password]}")))
    assert finding.severity == "critical"
    assert finding.message == "vpn-eu lets users connect without MFA (ldap, password)"


# --- ZT-NET-013: idle timeout

PRIVILEGED_PATH = """\
networks:
  - {name: vpn-net, type: vpn, gateway: vpn-eu}
groups:
  - {name: admins, privileged: true}
users:
  - {name: root-admin, type: employee, status: active, groups: [GROUP], mfa_methods: [fido2]}
resources:
  - {name: prod-ssh, type: ssh, sensitivity: restricted, exposure: vpn_only, logging: true}
access_rules:
  - {name: admin-ssh, effect: allow, subjects: {groups: [GROUP]}, resources: [prod-ssh], conditions: {networks: [vpn-net]}}
"""


def privileged_path(group: str = "admins") -> str:
    return PRIVILEGED_PATH.replace("GROUP", group)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        ("30", []),
        ("31", [("vpn_gateway", "vpn-eu", 10)]),
        ("5", []),
        ("0", [("vpn_gateway", "vpn-eu", 10)]),  # 0 disables the timeout
        (None, [("vpn_gateway", "vpn-eu", 3)]),
    ],
)
def test_idle_timeout(minutes, expected):
    assert hits("ZT-NET-013", doc(gateway(idle_timeout_minutes=minutes))) == expected


def test_idle_timeout_messages():
    [missing] = findings("ZT-NET-013", doc(gateway(idle_timeout_minutes=None)))
    assert missing.message == "vpn-eu states no idle timeout (limit 30 minutes)"
    [long] = findings("ZT-NET-013", doc(gateway(idle_timeout_minutes="45")))
    assert long.message == "vpn-eu disconnects idle sessions after 45 minutes (limit 30 minutes)"
    assert long.severity == "medium"


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [("15", []), ("16", [("vpn_gateway", "vpn-eu", 10)]), ("30", [("vpn_gateway", "vpn-eu", 10)])],
)
def test_idle_timeout_privileged_limit(minutes, expected):
    assert hits("ZT-NET-013", doc(gateway(idle_timeout_minutes=minutes), tail=privileged_path())) == expected


def test_idle_timeout_privileged_message_names_the_user():
    [finding] = findings("ZT-NET-013", doc(gateway(idle_timeout_minutes="30"), tail=privileged_path()))
    assert finding.message == (
        "vpn-eu disconnects idle sessions after 30 minutes "
        "(limit 15 minutes for privileged access: privileged user 'root-admin' connects through it)"
    )


def test_idle_timeout_unprivileged_users_keep_the_normal_limit():
    assert hits("ZT-NET-013", doc(gateway(idle_timeout_minutes="30"), tail=privileged_path("staff"))) == []


def test_idle_timeout_other_gateway_is_not_privileged():
    text = doc(gateway("vpn-eu", idle_timeout_minutes="30"), gateway("vpn-us", idle_timeout_minutes="30"), tail=privileged_path())
    assert hits("ZT-NET-013", text) == [("vpn_gateway", "vpn-eu", 10)]


@pytest.mark.parametrize(
    ("thresholds", "minutes", "extra", "expected"),
    [
        ("vpn_idle_max_minutes: 60", "60", "", []),
        ("vpn_idle_max_minutes: 60", "61", "", [("vpn_gateway", "vpn-eu", 10)]),
        ("vpn_idle_max_minutes: 10", "15", "", [("vpn_gateway", "vpn-eu", 10)]),
        ("vpn_idle_max_minutes_privileged: 30", "30", privileged_path(), []),
        ("vpn_idle_max_minutes_privileged: 30", "31", privileged_path(), [("vpn_gateway", "vpn-eu", 10)]),
    ],
)
def test_idle_timeout_thresholds(thresholds, minutes, extra, expected):
    text = doc(gateway(idle_timeout_minutes=minutes), tail=org(thresholds) + extra)
    assert hits("ZT-NET-013", text) == expected


# --- ZT-NET-015: trusted network


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [("true", [("network", "hq-lan", 5)]), ("false", []), (None, [])],
)
def test_trusted_network(trusted, expected):
    flag = f"    trusted: {trusted}\n" if trusted else ""
    text = f"version: 1\nnetworks:\n  - name: hq-lan\n    type: office\n{flag}  - name: home\n    type: home\n"
    assert hits("ZT-NET-015", text) == expected


def test_trusted_vpn_network_message():
    text = "version: 1\nnetworks:\n  - {name: vpn-net, type: vpn, gateway: vpn-eu, trusted: true}\n" + doc()[len("version: 1\n"):]
    [finding] = findings("ZT-NET-015", text)
    assert (finding.entity_name, finding.location.line, finding.message) == ("vpn-net", 3, "vpn network vpn-net is marked as trusted")
