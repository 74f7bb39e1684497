"""ZT-GOV: waivers, relaxed thresholds and untraceable grants."""

from __future__ import annotations

from pathlib import Path

import pytest
import rulecheck
from rulecheck import findings, hits

from zerotrust_audit.api import ScanOptions, scan
from zerotrust_audit.rules.governance import RULES


def _scan(tmp_path: Path, text: str, *select: str) -> list[tuple[str, str, str, int]]:
    """(rule id, kind, name, line) of every finding when ``select`` runs together (BASE added as in rulecheck)."""
    if "organization:" not in text:
        (tmp_path / "base.yaml").write_text(rulecheck.BASE, encoding="utf-8")
    (tmp_path / "test.yaml").write_text(text, encoding="utf-8")
    report = scan([tmp_path], ScanOptions(select=select))
    return [(f.rule_id, f.entity_kind, f.entity_name, f.location.line) for f in report.findings if f.location.path == "test.yaml"]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_examples(rule, tmp_path):
    select = rule.extra.get("example_select", (rule.id,))
    (tmp_path / "fail").mkdir()
    (tmp_path / "pass").mkdir()
    failing = [f for f in _scan(tmp_path / "fail", rule.failing_example, *select) if f[0] == rule.id]
    assert [f[1] for f in failing] == [rule.entity_kind]
    assert [f for f in _scan(tmp_path / "pass", rule.passing_example, *select) if f[0] == rule.id] == []


def _waiver(
    expires: str = "2027-05-31",
    approved_on: str | None = "2026-06-01",
    approved_by: str = "ciso@acme.example",
    rule: str = "ZT-APP-001",
    target: str = "{kind: resource, name: jump-host}",
    owner: str = "platform",
) -> str:
    approved = f"    approved_on: {approved_on}\n" if approved_on else ""
    return f"""\
version: 1
users:
  - {{name: bob@acme.example, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}}
endpoints:
  - name: lt-0042
    owner: bob@acme.example
    type: laptop
    ownership: corporate
    managed: true
    os: {{family: windows, version: "11 23H2"}}
    disk_encryption: true
    firewall: true
    edr: {{installed: true, running: true}}
    last_patched: 2026-10-20
    last_seen: 2026-10-31
resources:
  - {{name: jump-host, type: ssh, sensitivity: confidential, exposure: internet, logging: true, owner: {owner}}}
waivers:
  - rule: {rule}
    target: {target}
    reason: Vendor support access until the bastion migration (RISK-0101)
    approved_by: "{approved_by}"
{approved}    expires: {expires}
"""


WAIVER_NAME = "ZT-APP-001/resource/jump-host"
WAIVER_LINE = 19          # "- rule:"
EXPIRES_LINE = 24         # with approved_on
APPROVED_BY_LINE = 22


# --- ZT-GOV-001: expired waiver

@pytest.mark.parametrize(
    ("expires", "expected"),
    [
        ("2026-10-31", [("waiver", WAIVER_NAME, EXPIRES_LINE)]),   # one day before the audit date
        ("2026-11-01", []),                                        # on its expiry date it still applies
        ("2026-11-02", []),
    ],
)
def test_gov001_expired_waiver(expires, expected):
    assert hits("ZT-GOV-001", _waiver(expires=expires)) == expected


def test_gov001_message_names_the_waived_finding():
    [finding] = findings("ZT-GOV-001", _waiver(expires="2026-10-01"))
    assert finding.severity == "medium"
    assert finding.message == (
        "waiver of ZT-APP-001 for resource 'jump-host' expired on 2026-10-01, 31 days before the audit date 2026-11-01: "
        "that finding is no longer accepted"
    )


def test_gov001_expired_waiver_no_longer_suppresses(tmp_path):
    assert _scan(tmp_path, _waiver(expires="2026-10-31"), "ZT-GOV-001", "ZT-APP-001") == [
        ("ZT-APP-001", "resource", "jump-host", 17),
        ("ZT-GOV-001", "waiver", WAIVER_NAME, EXPIRES_LINE),
    ]


# --- ZT-GOV-002: waiver valid for too long

@pytest.mark.parametrize(
    ("approved_on", "expires", "expected"),
    [
        ("2026-06-01", "2027-06-01", []),                                          # exactly 365 days
        ("2026-06-01", "2027-06-02", [("waiver", WAIVER_NAME, EXPIRES_LINE)]),     # 366 days
        ("2024-01-01", "2026-12-31", [("waiver", WAIVER_NAME, EXPIRES_LINE)]),
        (None, "2027-11-01", []),                                                  # 365 days from the audit date
        (None, "2027-11-02", [("waiver", WAIVER_NAME, EXPIRES_LINE - 1)]),
        (None, "2026-10-01", []),                                                  # already expired: GOV-001's business
    ],
)
def test_gov002_long_waiver(approved_on, expires, expected):
    assert hits("ZT-GOV-002", _waiver(approved_on=approved_on, expires=expires)) == expected


@pytest.mark.parametrize(
    ("approved_on", "expires", "message"),
    [
        ("2026-06-01", "2028-05-31",
         "waiver of ZT-APP-001 for resource 'jump-host' runs 730 days from approved_on 2026-06-01 to expires 2028-05-31 (limit 365)"),
        (None, "2027-12-01",
         "waiver of ZT-APP-001 for resource 'jump-host' runs 395 days from the audit date 2026-11-01 (approved_on is not recorded) "
         "to expires 2027-12-01 (limit 365)"),
    ],
)
def test_gov002_message(approved_on, expires, message):
    [finding] = findings("ZT-GOV-002", _waiver(approved_on=approved_on, expires=expires))
    assert (finding.severity, finding.message) == ("low", message)


def _with_org(document: str, max_days: int) -> str:
    org = f"""\
version: 1
organization:
  name: Test Org
  default_action: deny
  audit_date: 2026-11-01
  thresholds: {{waiver_max_days: {max_days}}}
groups:
  - name: staff
"""
    return org + document.removeprefix("version: 1\n")


@pytest.mark.parametrize(("max_days", "expected"), [(730, []), (729, [("waiver", WAIVER_NAME, EXPIRES_LINE + 7)])])
def test_gov002_threshold_override(max_days, expected):
    assert hits("ZT-GOV-002", _with_org(_waiver(expires="2028-05-31"), max_days)) == expected


# --- ZT-GOV-003: self-approved waiver, or no approver

@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"approved_by": ""}, [("waiver", WAIVER_NAME, APPROVED_BY_LINE)]),
        ({"approved_by": "   "}, [("waiver", WAIVER_NAME, APPROVED_BY_LINE)]),
        ({"approved_by": "platform"}, [("waiver", WAIVER_NAME, APPROVED_BY_LINE)]),        # owner of the resource
        ({"approved_by": "Platform"}, [("waiver", WAIVER_NAME, APPROVED_BY_LINE)]),
        ({"approved_by": "platform", "owner": "payments"}, []),
        ({"approved_by": "ciso@acme.example"}, []),
        # the waived user approving it themselves (the rule id only has to exist)
        ({"rule": "ZT-IDN-002", "target": "{kind: user, name: bob@acme.example}", "approved_by": "Bob@Acme.example"},
         [("waiver", "ZT-IDN-002/user/bob@acme.example", APPROVED_BY_LINE)]),
        ({"rule": "ZT-IDN-002", "target": "{kind: user, name: bob@acme.example}"}, []),
        # the owner of the waived endpoint
        ({"rule": "ZT-IDN-002", "target": "{kind: endpoint, name: lt-0042}", "approved_by": "bob@acme.example"},
         [("waiver", "ZT-IDN-002/endpoint/lt-0042", APPROVED_BY_LINE)]),
        ({"rule": "ZT-IDN-002", "target": "{kind: endpoint, name: lt-0042}"}, []),
        # bob owns the laptop, but this waiver is about the resource
        ({"approved_by": "bob@acme.example"}, []),
    ],
)
def test_gov003_self_approved_waiver(kwargs, expected):
    assert hits("ZT-GOV-003", _waiver(**kwargs)) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"approved_by": ""}, "waiver of ZT-APP-001 for resource 'jump-host' has no approver (approved_by is empty)"),
        ({"approved_by": "platform"}, "waiver of ZT-APP-001 for resource 'jump-host' was approved by 'platform', the owner of resource 'jump-host'"),
        ({"rule": "ZT-IDN-002", "target": "{kind: user, name: bob@acme.example}", "approved_by": "bob@acme.example"},
         "waiver of ZT-IDN-002 for user 'bob@acme.example' was approved by 'bob@acme.example', the user it is about"),
        ({"rule": "ZT-IDN-002", "target": "{kind: endpoint, name: lt-0042}", "approved_by": "bob@acme.example"},
         "waiver of ZT-IDN-002 for endpoint 'lt-0042' was approved by 'bob@acme.example', the owner of endpoint 'lt-0042'"),
    ],
)
def test_gov003_message(kwargs, message):
    [finding] = findings("ZT-GOV-003", _waiver(**kwargs))
    assert (finding.severity, finding.message) == ("low", message)


# --- ZT-GOV-004: waiver that suppressed nothing (reported by the engine)

OWNED = "  - {name: legacy-crm, type: app, sensitivity: confidential, exposure: vpn_only, logging: true, owner: sales-ops}\n"
UNOWNED = "  - {name: legacy-crm, type: app, sensitivity: confidential, exposure: vpn_only, logging: true}\n"


def _crm_waiver(resource: str, expires: str = "2027-05-31") -> str:
    return f"""\
version: 1
resources:
{resource}waivers:
  - rule: ZT-APP-004
    target: {{kind: resource, name: legacy-crm}}
    reason: Owner to be assigned after the reorganisation (RISK-0110)
    approved_by: ciso@acme.example
    approved_on: 2026-06-01
    expires: {expires}
"""


def test_gov004_waiver_that_suppresses_nothing(tmp_path):
    assert _scan(tmp_path, _crm_waiver(OWNED), "ZT-GOV-004", "ZT-APP-004") == [
        ("ZT-GOV-004", "waiver", "ZT-APP-004/resource/legacy-crm", 5),
    ]


def test_gov004_message(tmp_path):
    (tmp_path / "base.yaml").write_text(rulecheck.BASE, encoding="utf-8")
    (tmp_path / "test.yaml").write_text(_crm_waiver(OWNED), encoding="utf-8")
    [finding] = scan([tmp_path], ScanOptions(select=("ZT-GOV-004", "ZT-APP-004"))).findings
    assert (finding.severity, finding.pillar) == ("info", "governance")
    assert finding.message == "waiver of ZT-APP-004 for resource 'legacy-crm' suppressed no finding in this run"


def test_gov004_waiver_that_suppresses(tmp_path):
    report_rows = _scan(tmp_path, _crm_waiver(UNOWNED), "ZT-GOV-004", "ZT-APP-004")
    assert report_rows == []


@pytest.mark.parametrize(
    ("select", "expires"),
    [
        (("ZT-GOV-004",), "2027-05-31"),                  # the waived rule did not run: unknown whether it would match
        (("ZT-GOV-004", "ZT-APP-004"), "2026-10-01"),     # expired: ZT-GOV-001 reports it instead
    ],
)
def test_gov004_silent_when_it_cannot_tell(tmp_path, select, expires):
    assert _scan(tmp_path, _crm_waiver(OWNED, expires), *select) == []


def test_gov004_check_itself_yields_nothing():
    assert hits("ZT-GOV-004", _crm_waiver(UNOWNED)) == []


# --- ZT-GOV-005: threshold relaxed beyond a standard's default

def _thresholds(*pairs: str) -> str:
    lines = "".join(f"    {p}\n" for p in pairs)
    return f"""\
version: 1
organization:
  name: Acme Corp
  default_action: deny
  audit_date: 2026-11-01
  thresholds:
{lines}"""


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("patch_age_days: 31", [("organization", "Acme Corp", 7)]),
        ("patch_age_days: 30", []),                          # the default itself
        ("patch_age_days: 7", []),                           # stricter
        ("dormant_account_days: 46", [("organization", "Acme Corp", 7)]),
        ("session_max_hours: 13", [("organization", "Acme Corp", 7)]),
        ("log_retention_min_days: 89", [("organization", "Acme Corp", 7)]),   # weaker when lower
        ("log_retention_min_days: 365", []),
        ("tls_min_version: \"1.1\"", [("organization", "Acme Corp", 7)]),
        ("tls_min_version: \"1.3\"", []),
        ("min_mfa_strength: otp", [("organization", "Acme Corp", 7)]),
        ("min_mfa_strength: phishing_resistant", []),
        ("posture_max_age_days: 60", []),                    # tool default: no standard behind it
        ("waiver_max_days: 1000", []),
    ],
)
def test_gov005_relaxed_threshold(setting, expected):
    assert hits("ZT-GOV-005", _thresholds(setting)) == expected


def test_gov005_each_relaxed_key_and_message():
    doc = _thresholds("tls_min_version: \"1.0\"", "endpoint_stale_days: 90", "patch_age_days: 60")
    assert hits("ZT-GOV-005", doc) == [("organization", "Acme Corp", 7), ("organization", "Acme Corp", 9)]
    assert [(f.severity, f.message) for f in findings("ZT-GOV-005", doc)] == [
        ("info", "threshold tls_min_version is set to 1.0, weaker than the default 1.2 (NIST SP 800-52r2 3.1; RFC 8996)"),
        ("info", "threshold patch_age_days is set to 60, weaker than the default 30 (CIS Controls v8 7.3, 7.4)"),
    ]


def test_gov005_no_overrides():
    assert hits("ZT-GOV-005", "version: 1\norganization: {name: Acme Corp, default_action: deny}\n") == []


# --- ZT-GOV-006: temporary or restricted grant without justification

def _grant(sensitivity: str = "restricted", rule_extra: str = "", effect: str = "allow", resources: str = "[payments-db]") -> str:
    return f"""\
version: 1
resources:
  - {{name: payments-db, type: database, sensitivity: {sensitivity}, exposure: vpn_only, logging: true, owner: payments}}
  - {{name: wiki, type: app, sensitivity: internal, exposure: internet, logging: true, owner: it}}
access_rules:
  - name: staff-grant
    effect: {effect}
    subjects: {{groups: [staff]}}
    resources: {resources}
    conditions: {{mfa: phishing_resistant, device: {{managed: true, compliant: true}}}}
{rule_extra}"""


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, [("access_rule", "staff-grant", 6)]),
        ({"rule_extra": "    justification: CHG-1234\n"}, []),
        ({"rule_extra": "    justification: \"\"\n"}, [("access_rule", "staff-grant", 6)]),
        ({"sensitivity": "confidential"}, []),
        ({"sensitivity": "confidential", "rule_extra": "    expires: 2027-01-31\n"}, [("access_rule", "staff-grant", 6)]),
        ({"sensitivity": "confidential", "rule_extra": "    expires: 2027-01-31\n    justification: CHG-1234\n"}, []),
        ({"sensitivity": "confidential", "resources": "[wiki]"}, []),
        ({"resources": "[wiki]"}, []),
        ({"resources": "\"*\""}, [("access_rule", "staff-grant", 6)]),     # the wildcard covers the restricted one
        ({"effect": "deny"}, []),
        ({"effect": "deny", "rule_extra": "    expires: 2027-01-31\n"}, []),
        ({"rule_extra": "    state: disabled\n"}, []),
        ({"rule_extra": "    state: report_only\n"}, [("access_rule", "staff-grant", 6)]),
    ],
)
def test_gov006_unjustified_grant(kwargs, expected):
    assert hits("ZT-GOV-006", _grant(**kwargs)) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "allow rule 'staff-grant' grants restricted resource 'payments-db' but records no justification"),
        ({"rule_extra": "    expires: 2027-01-31\n", "resources": "[payments-db, wiki]"},
         "allow rule 'staff-grant' is temporary (expires 2027-01-31) and grants restricted resource 'payments-db' but records no justification"),
        ({"sensitivity": "internal", "rule_extra": "    expires: 2027-01-31\n"},
         "allow rule 'staff-grant' is temporary (expires 2027-01-31) but records no justification"),
    ],
)
def test_gov006_message(kwargs, message):
    [finding] = findings("ZT-GOV-006", _grant(**kwargs))
    assert (finding.severity, finding.pillar, finding.message) == ("low", "governance", message)


EXEMPTION = """\
version: 1
users:
  - {name: kiosk-1, type: shared, status: active, groups: [staff], mfa_methods: []}
mfa_policies:
  - {name: workforce, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2], exempt: {users: [kiosk-1]}}
waivers:
  - {rule: ZT-IDN-008, target: {kind: user, name: kiosk-1}, reason: Kiosk cannot do MFA, approved_by: ciso@acme.example, expires: 2027-01-31}
"""


def test_gov004_counts_a_waiver_naming_an_exempted_user_as_used(tmp_path):
    """The exemption is reported on the policy but waived per user: the waiver is used."""
    (tmp_path / "base.yaml").write_text(rulecheck.BASE)
    (tmp_path / "test.yaml").write_text(EXEMPTION)
    report = scan([tmp_path], ScanOptions(select=("ZT-IDN-008", "ZT-GOV-004")))
    assert [f.rule_id for f in report.findings] == []
    assert [(s.finding.rule_id, s.finding.entity_name, s.waiver["target"]["name"]) for s in report.suppressed] == [
        ("ZT-IDN-008", "workforce", "kiosk-1")
    ]
