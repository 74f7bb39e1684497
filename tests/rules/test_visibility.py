"""ZT-VIS: visibility and logging rules, each firing and not firing on near-identical input."""

from __future__ import annotations

import pytest
from rulecheck import findings, hits

from zerotrust_audit.rules import visibility
from zerotrust_audit.rules.base import Rule

Hits = list[tuple[str, str, int]]


def org(default_action: str = "deny", logging: str | None = None, thresholds: str | None = None) -> str:
    """An organisation section; put last in a snippet so the lines above it do not move."""
    text = f"organization:\n  name: Test Org\n  default_action: {default_action}\n  audit_date: 2026-11-01\n"
    if logging is not None:
        text += f"  logging: {logging}\n"
    if thresholds is not None:
        text += f"  thresholds: {thresholds}\n"
    return text


def gateway(name: str = "vpn-eu", logging: str = "true", retention: str | None = None) -> str:
    """An 8-line gateway block: logging on its 7th line, log_retention_days (or a comment) on its 8th."""
    kept = f"    log_retention_days: {retention}" if retention is not None else "    # log_retention_days: omitted"
    return f"""\
  - name: {name}
    protocol: ipsec-ikev2
    authentication: {{mfa_required: true, methods: [certificate, saml]}}
    posture_check: true
    split_tunnel: false
    full_network_access: false
    logging: {logging}
{kept}
"""


def resource(name: str = "payments-db", sensitivity: str = "restricted", logging: str = "true", retention: str | None = None) -> str:
    kept = f", log_retention_days: {retention}" if retention is not None else ""
    return f"  - {{name: {name}, type: database, sensitivity: {sensitivity}, exposure: vpn_only, logging: {logging}{kept}}}\n"


def messages(rule_id: str, text: str) -> list[str]:
    return [f.message for f in findings(rule_id, text)]


def test_rules_in_id_order() -> None:
    assert [r.id for r in visibility.RULES] == [f"ZT-VIS-{i:03d}" for i in range(1, 7)]


@pytest.mark.parametrize("rule", visibility.RULES, ids=lambda r: r.id)
def test_examples(rule: Rule) -> None:
    assert hits(rule.id, rule.failing_example)
    assert hits(rule.id, rule.passing_example) == []


# --- ZT-VIS-001 gateway logging

def test_vis001_gateway_logging_off() -> None:
    text = "version: 1\nvpn_gateways:\n" + gateway("vpn-us", logging="false") + gateway("vpn-eu", logging="true") + gateway("vpn-ap", logging="false")
    assert hits("ZT-VIS-001", text) == [("vpn_gateway", "vpn-us", 9), ("vpn_gateway", "vpn-ap", 25)]
    assert messages("ZT-VIS-001", text)[0] == "VPN gateway 'vpn-us' does not log connections"


def test_vis001_gateway_logging_on() -> None:
    assert hits("ZT-VIS-001", "version: 1\nvpn_gateways:\n" + gateway(logging="true")) == []


# --- ZT-VIS-002 resource logging

@pytest.mark.parametrize(
    ("sensitivity", "logging", "expected"),
    [
        ("restricted", "false", ["high"]),
        ("confidential", "false", ["high"]),
        ("internal", "false", ["low"]),
        ("public", "false", ["low"]),
        ("restricted", "true", []),
        ("public", "true", []),
    ],
)
def test_vis002_resource_logging(sensitivity: str, logging: str, expected: list[str]) -> None:
    text = "version: 1\nresources:\n" + resource("wiki", "internal") + resource(sensitivity=sensitivity, logging=logging)
    assert [f.severity for f in findings("ZT-VIS-002", text)] == expected
    assert hits("ZT-VIS-002", text) == [("resource", "payments-db", 4)] * len(expected)


def test_vis002_message() -> None:
    text = "version: 1\nresources:\n" + resource(sensitivity="confidential", logging="false")
    assert messages("ZT-VIS-002", text) == ["confidential database 'payments-db' does not log access"]


# --- ZT-VIS-003 stale posture on an endpoint that has access

RULE_MANAGED = "  - {name: wiki-managed, effect: allow, subjects: {users: [alice]}, resources: [wiki], conditions: {device: {managed: true}}}"
RULE_COMPLIANT = "  - {name: wiki-compliant, effect: allow, subjects: {users: [alice]}, resources: [wiki], conditions: {device: {compliant: true}}}"
RULE_ANY_DEVICE = "  - {name: wiki-all, effect: allow, subjects: {users: [alice]}, resources: [wiki]}"
RULE_DENY = "  - {name: wiki-block, effect: deny, subjects: {users: [alice]}, resources: [wiki]}"


def posture(last_seen: str, rules: tuple[str, ...] = (RULE_MANAGED,), status: str = "active", firewall: str = "true", tail: str = "") -> str:
    """The endpoint's last_seen is on line 15."""
    return f"""\
version: 1
users:
  - {{name: alice, type: employee, status: {status}, groups: [], mfa_methods: [fido2]}}
endpoints:
  - name: lt-0042
    owner: alice
    type: laptop
    ownership: corporate
    managed: true
    os: {{family: macos, version: "26.1"}}
    disk_encryption: true
    firewall: {firewall}
    edr: {{installed: true, running: true}}
    last_patched: 2026-10-20
    last_seen: {last_seen}
resources:
  - {{name: wiki, type: app, sensitivity: internal, exposure: internet, logging: true}}
access_rules:{"" if rules else " []"}
""" + "".join(r + "\n" for r in rules) + tail


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (posture("2026-10-17"), [("endpoint", "lt-0042", 15)]),                       # 15 days
        (posture("2026-10-18"), []),                                                  # 14 days: at the limit
        (posture("2026-10-17", rules=(RULE_ANY_DEVICE,)), [("endpoint", "lt-0042", 15)]),
        (posture("2026-10-17", rules=()), []),                                        # no access at all
        (posture("2026-10-17", rules=(RULE_COMPLIANT,), firewall="false"), []),      # the device cannot meet the rule
        (posture("2026-10-17", rules=(RULE_COMPLIANT,)), [("endpoint", "lt-0042", 15)]),
        (posture("2026-10-17", rules=(RULE_MANAGED, RULE_DENY)), []),                # denied
        (posture("2026-10-17", status="disabled"), []),
        (posture("2026-10-17", tail=org(thresholds="{posture_max_age_days: 15}")), []),
        (posture("2026-10-01", tail=org(thresholds="{posture_max_age_days: 30}")), [("endpoint", "lt-0042", 15)]),
        (posture("2026-10-17", rules=(), tail=org(default_action="allow")), [("endpoint", "lt-0042", 15)]),
    ],
)
def test_vis003_stale_posture(text: str, expected: Hits) -> None:
    assert hits("ZT-VIS-003", text) == expected


def test_vis003_message_names_a_path() -> None:
    (finding,) = findings("ZT-VIS-003", posture("2026-10-10"))
    assert finding.message == (
        "'lt-0042' last reported its posture 2026-10-10, 22 days before the audit date (limit 14), "
        "yet 'alice' can use it to reach 'wiki' through rule 'wiki-managed'"
    )
    assert finding.evidence == {"path": {"user": "alice", "resource": "wiki", "rule": "wiki-managed", "endpoint": "lt-0042"}}
    (by_default,) = messages("ZT-VIS-003", posture("2026-10-10", rules=(), tail=org(default_action="allow")))
    assert by_default.endswith("through the default action")


# --- ZT-VIS-004 log retention

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the gateway's own retention: reported on its log_retention_days line
        ("vpn_gateways:\n" + gateway(retention="89"), [("vpn_gateway", "vpn-eu", 10)]),
        ("vpn_gateways:\n" + gateway(retention="90"), []),
        ("vpn_gateways:\n" + gateway(retention="30", logging="false"), []),            # nothing is logged
        ("vpn_gateways:\n" + gateway(), []),                                             # retention unknown
        # the organisation's default: reported on the gateway itself
        ("vpn_gateways:\n" + gateway() + org(logging="{central: true, retention_days: 30}"), [("vpn_gateway", "vpn-eu", 3)]),
        ("vpn_gateways:\n" + gateway() + org(logging="{central: true, retention_days: 90}"), []),
        ("vpn_gateways:\n" + gateway() + org(logging="{central: true}"), []),
        ("vpn_gateways:\n" + gateway(retention="365") + org(logging="{central: true, retention_days: 30}"), []),
        ("vpn_gateways:\n" + gateway(retention="60") + org(logging="{central: true, retention_days: 365}"), [("vpn_gateway", "vpn-eu", 10)]),
        # resources, whatever their sensitivity
        ("resources:\n" + resource(retention="30") + resource("wiki", "internal", retention="7"), [("resource", "payments-db", 3), ("resource", "wiki", 4)]),
        ("resources:\n" + resource(retention="30", logging="false"), []),
        ("resources:\n" + resource() + org(logging="{retention_days: 14}"), [("resource", "payments-db", 3)]),
        # threshold override
        ("vpn_gateways:\n" + gateway(retention="30") + org(thresholds="{log_retention_min_days: 30}"), []),
        ("vpn_gateways:\n" + gateway(retention="29") + org(thresholds="{log_retention_min_days: 30}"), [("vpn_gateway", "vpn-eu", 10)]),
        ("vpn_gateways:\n" + gateway(retention="180") + org(thresholds="{log_retention_min_days: 365}"), [("vpn_gateway", "vpn-eu", 10)]),
    ],
)
def test_vis004_retention(text: str, expected: Hits) -> None:
    assert hits("ZT-VIS-004", "version: 1\n" + text) == expected


def test_vis004_messages() -> None:
    text = "version: 1\nvpn_gateways:\n" + gateway() + "resources:\n" + resource(retention="1") + org(logging="{central: true, retention_days: 30}")
    assert messages("ZT-VIS-004", text) == [
        "VPN gateway 'vpn-eu' keeps its logs 30 days (the organisation's default, organization.logging.retention_days), less than the minimum of 90",
        "resource 'payments-db' keeps its logs 1 day, less than the minimum of 90",
    ]


# --- ZT-VIS-005 logs not centralised (organisation on lines 2-5, logging on line 6)

def central(logging: str | None, *sections: str) -> str:
    text = "version: 1\n" + org(logging=logging)
    return (text if logging is not None else text + "  # logging: omitted\n") + "".join(sections)


GATEWAY_LOGS = "vpn_gateways:\n" + gateway()
GATEWAY_SILENT = "vpn_gateways:\n" + gateway(logging="false")
SENSITIVE_LOGS = "resources:\n" + resource()
INTERNAL_LOGS = "resources:\n" + resource("wiki", "internal")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (central("{central: false, retention_days: 365}", GATEWAY_LOGS), [("organization", "Test Org", 6)]),
        (central("{central: false}", SENSITIVE_LOGS), [("organization", "Test Org", 6)]),
        (central("{retention_days: 365}", GATEWAY_LOGS), [("organization", "Test Org", 6)]),   # central not given
        (central(None, GATEWAY_LOGS, SENSITIVE_LOGS), [("organization", "Test Org", 3)]),      # no logging section
        (central("{central: true, retention_days: 365}", GATEWAY_LOGS, SENSITIVE_LOGS), []),
        (central("{central: false}", GATEWAY_SILENT), []),          # nothing logs, so nothing to centralise
        (central("{central: false}", INTERNAL_LOGS), []),           # only non-sensitive resources log
        (central("{central: false}", "resources:\n" + resource(logging="false")), []),
    ],
)
def test_vis005_central_logging(text: str, expected: Hits) -> None:
    assert hits("ZT-VIS-005", text) == expected


def test_vis005_message() -> None:
    text = central("{central: false}", GATEWAY_LOGS, "resources:\n" + resource() + resource("wiki", "internal"))
    (finding,) = findings("ZT-VIS-005", text)
    assert finding.message == "organization.logging.central is false, so the logs of VPN gateway 'vpn-eu', resource 'payments-db' are kept locally only"
    assert finding.evidence == {"vpn_gateways": ["vpn-eu"], "resources": ["payments-db"]}
    (unset,) = messages("ZT-VIS-005", central(None, GATEWAY_LOGS))
    assert unset.startswith("organization.logging.central is not set")


def test_vis005_without_organization_section() -> None:
    # Defining the group itself keeps the helper from adding its base organisation.
    text = "version: 1\ngroups:\n  - name: staff\n" + GATEWAY_LOGS + SENSITIVE_LOGS
    assert hits("ZT-VIS-005", text) == []


# --- ZT-VIS-006 break-glass account used recently

def break_glass(last_login: str | None, kind: str = "break_glass", status: str = "active", tail: str = "") -> str:
    login = f", last_login: {last_login}" if last_login else ""
    return f"""\
version: 1
users:
  - {{name: alice, type: employee, status: active, groups: [], mfa_methods: [fido2], last_login: 2026-10-31}}
  - {{name: breakglass-1, type: {kind}, status: {status}, groups: [], mfa_methods: [fido2]{login}}}
""" + tail


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (break_glass("2026-10-03"), [("user", "breakglass-1", 4)]),     # 29 days ago
        (break_glass("2026-10-02"), []),                               # 30 days ago: outside the window
        (break_glass("2026-11-01"), [("user", "breakglass-1", 4)]),     # on the audit date
        (break_glass("2026-10-03", status="disabled"), [("user", "breakglass-1", 4)]),
        (break_glass(None), []),                                       # never signed in, as far as known
        (break_glass("2026-10-31", kind="employee"), []),
        (break_glass("2026-09-17", tail=org(thresholds="{break_glass_recent_use_days: 60}")), [("user", "breakglass-1", 4)]),
        (break_glass("2026-10-22", tail=org(thresholds="{break_glass_recent_use_days: 10}")), []),
    ],
)
def test_vis006_break_glass(text: str, expected: Hits) -> None:
    assert hits("ZT-VIS-006", text) == expected


def test_vis006_message() -> None:
    assert messages("ZT-VIS-006", break_glass("2026-10-20")) == [
        "break-glass account 'breakglass-1' last signed in 2026-10-20, 12 days before the audit date (review window 30 days)"
    ]
