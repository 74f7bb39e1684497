"""ZT-IDN: identities and MFA (rules in identity.py, mfa_policies.py and accounts.py)."""

from __future__ import annotations

import pytest
from rulecheck import findings, hits

from zerotrust_audit.rules import accounts, identity, mfa_policies

ALL_IDN = (*identity.RULES, *mfa_policies.RULES, *accounts.RULES)


def org(thresholds: str = "", groups: str = "") -> str:
    """An own organisation header (lines 1-7), for threshold overrides and organisation findings."""
    extra = f"  thresholds: {{{thresholds}}}\n" if thresholds else ""
    return (
        "version: 1\norganization:\n  name: Acme\n  default_action: deny\n  audit_date: 2026-11-01\n"
        + extra
        + "groups:\n  - {name: staff}\n"
        + groups
    )


def user(name: str, type_: str = "employee", methods: str = "fido2", status: str = "active", groups: str = "staff", extra: str = "") -> str:
    more = f", {extra}" if extra else ""
    return f"  - {{name: {name}, type: {type_}, status: {status}, groups: [{groups}], mfa_methods: [{methods}]{more}}}\n"


def policy(name: str = "workforce", methods: str = "fido2", scope: str = 'groups: ["*"]', required: str = "true", extra: str = "") -> str:
    more = f", {extra}" if extra else ""
    return f"  - {{name: {name}, applies_to: {{{scope}}}, required: {required}, allowed_methods: [{methods}]{more}}}\n"


def test_modules_hold_the_catalogue_rows_in_id_order():
    for module in (identity, mfa_policies, accounts):
        ids = [r.id for r in module.RULES]
        assert ids == sorted(ids)
    # ZT-IDN-019/020 need input fields the format does not have yet
    assert sorted(r.id for r in ALL_IDN) == [f"ZT-IDN-{n:03d}" for n in range(1, 19)]


@pytest.mark.parametrize("rule", ALL_IDN, ids=lambda r: r.id)
def test_examples(rule):
    assert [h[0] for h in hits(rule.id, rule.failing_example)] == [rule.entity_kind]
    assert hits(rule.id, rule.passing_example) == []


# --- ZT-IDN-001: no required MFA policy covers the whole workforce

@pytest.mark.parametrize(
    ("users", "policies", "expected"),
    [
        # bob (no group) falls under no required policy, and no required policy has "*"
        (user("alice") + user("bob", groups=""), policy("staff-mfa", scope="groups: [staff]"), [("organization", "Acme", 3)]),
        # a "*" policy that is not required does not count
        (user("alice") + user("bob", groups=""), policy("staff-mfa", scope="groups: [staff]") + policy("all", required="false"), [("organization", "Acme", 3)]),
        (user("alice") + user("bob", groups=""), policy(), []),
        (user("alice") + user("bob", groups=""), policy(scope='users: ["*"]'), []),
        # every active user covered, even without a "*" policy
        (user("alice") + user("bob"), policy("staff-mfa", scope="groups: [staff]"), []),
        # the uncovered one is a break-glass account (ZT-IDN-016 covers it) or disabled
        (user("alice") + user("bg", type_="break_glass", groups=""), policy("staff-mfa", scope="groups: [staff]"), []),
        (user("alice") + user("bob", groups="", status="disabled"), policy("staff-mfa", scope="groups: [staff]"), []),
        # exempt from the only policy: uncovered
        (user("alice") + user("bob"), policy("staff-mfa", scope="groups: [staff]", extra="exempt: {users: [bob]}"), [("organization", "Acme", 3)]),
    ],
)
def test_idn001_no_workforce_baseline(users, policies, expected):
    assert hits("ZT-IDN-001", org() + "users:\n" + users + "mfa_policies:\n" + policies) == expected


def test_idn001_message_names_uncovered_users():
    doc = org() + "users:\n" + user("alice") + user("bob", groups="") + user("carol", groups="") + "mfa_policies:\n" + policy("m", scope="groups: [staff]")
    [finding] = findings("ZT-IDN-001", doc)
    assert finding.severity == "high"
    assert finding.message == """no required MFA policy applies to "*", and 2 active account(s) fall under no required policy: 'bob', 'carol'"""


# --- ZT-IDN-002: privileged account without phishing-resistant MFA

ADMINS = "version: 1\ngroups:\n  - {name: admins, privileged: true}\nusers:\n"


@pytest.mark.parametrize(
    ("users", "methods", "expected"),
    [
        (user("root", groups="admins", methods="fido2, totp"), "fido2, totp", [("user", "root", 5)]),
        (user("root", groups="admins", methods="fido2, totp"), "fido2", []),
        (user("root", groups="admins", methods="totp"), "totp", [("user", "root", 5)]),
        (user("root", groups="staff", methods="totp", extra="privileged: true"), "totp", [("user", "root", 5)]),
        # the user's own flag wins over its group
        (user("root", groups="admins", methods="totp", extra="privileged: false"), "totp", []),
        (user("root", groups="admins", methods="totp", status="disabled"), "totp", []),
        (user("dev", methods="totp"), "totp", []),
    ],
)
def test_idn002_privileged_without_phishing_resistant(users, methods, expected):
    assert hits("ZT-IDN-002", ADMINS + users + "mfa_policies:\n" + policy(methods=methods)) == expected


def test_idn002_message_and_severity():
    [finding] = findings("ZT-IDN-002", ADMINS + user("root", groups="admins", methods="piv, sms") + "mfa_policies:\n" + policy(methods="piv, sms"))
    assert finding.severity == "critical"
    assert finding.message == "privileged account 'root' has effective MFA 'sms': an attacker can downgrade to it"


# --- ZT-IDN-003: workforce account below min_mfa_strength

@pytest.mark.parametrize(
    ("type_", "status", "enrolled", "allowed", "expected"),
    [
        ("employee", "active", "fido2, totp", "fido2, totp", [("user", "u", 3)]),
        ("contractor", "active", "push_number_match", "push_number_match", [("user", "u", 3)]),
        ("employee", "active", "fido2, totp", "fido2", []),
        ("employee", "active", "webauthn", "webauthn, sms", []),
        ("employee", "disabled", "totp", "totp", []),
        ("service", "active", "totp", "totp", []),
        ("shared", "active", "totp", "totp", []),
        ("break_glass", "active", "totp", "totp", []),
        ("employee", "active", "", "fido2", [("user", "u", 3)]),
    ],
)
def test_idn003_below_min_strength(type_, status, enrolled, allowed, expected):
    doc = "version: 1\nusers:\n" + user("u", type_, enrolled, status) + "mfa_policies:\n" + policy(methods=allowed)
    assert hits("ZT-IDN-003", doc) == expected


@pytest.mark.parametrize(
    ("minimum", "enrolled", "fires"),
    [
        ("push_number_match", "push_number_match", False),   # exactly at the bar
        ("push_number_match", "totp", True),
        ("otp", "totp", False),
        ("otp", "push", False),
        ("otp", "sms", True),
        ("restricted", "email", False),
        ("none", "", False),
    ],
)
def test_idn003_threshold_override(minimum, enrolled, fires):
    doc = org(f"min_mfa_strength: {minimum}") + "users:\n" + user("u", methods=enrolled) + "mfa_policies:\n" + policy(methods="fido2, push_number_match, totp, push, sms, email")
    assert hits("ZT-IDN-003", doc) == ([("user", "u", 10)] if fires else [])


def test_idn003_messages():
    doc = "version: 1\nusers:\n" + user("a", methods="totp") + user("b", "contractor", "push_number_match") + "mfa_policies:\n" + policy(methods="totp, push_number_match")
    assert [f.message for f in findings("ZT-IDN-003", doc)] == [
        "employee 'a' has effective MFA 'totp' (level 'otp'), below min_mfa_strength 'phishing_resistant'",
        "contractor 'b' has effective MFA 'push_number_match', below min_mfa_strength 'phishing_resistant'",
    ]


# --- ZT-IDN-004: no effective MFA

@pytest.mark.parametrize(
    ("users", "policies", "expected"),
    [
        (user("u", methods=""), policy(), [("user", "u", 3)]),
        (user("u", methods="sms"), policy(), [("user", "u", 3)]),
        (user("u"), policy(), []),
        (user("u"), policy(extra="legacy_auth_allowed: true"), [("user", "u", 3)]),
        (user("u"), policy(required="false"), [("user", "u", 3)]),
        (user("u"), policy(extra="exempt: {groups: [staff]}"), [("user", "u", 3)]),
        (user("u", "service", ""), policy(), [("user", "u", 3)]),
        (user("u", "break_glass", ""), policy(), []),     # ZT-IDN-016's business
        (user("u", methods="", status="disabled"), policy(), []),
    ],
)
def test_idn004_no_effective_mfa(users, policies, expected):
    assert hits("ZT-IDN-004", "version: 1\nusers:\n" + users + "mfa_policies:\n" + policies) == expected


@pytest.mark.parametrize(
    ("users", "policies", "message"),
    [
        (user("u", methods=""), policy(methods="fido2, totp"),
         "account 'u' has no effective MFA: it enrolled no method (its required policies allow totp, fido2)"),
        (user("u", methods="sms, email"), policy(methods="fido2"),
         "account 'u' has no effective MFA: none of its enrolled methods (sms, email) is allowed by its required policies (fido2)"),
        (user("u"), policy("old", extra="legacy_auth_allowed: true") + policy("new"),
         "account 'u' has no effective MFA: policy 'old' allows legacy authentication, which cannot carry a second factor"),
        (user("u"), policy(extra="exempt: {users: [u]}"),
         "account 'u' has no effective MFA: it is exempt from the required policy 'workforce'"),
        (user("u"), policy(required="false"),
         "account 'u' has no effective MFA: no required MFA policy applies to it"),
    ],
)
def test_idn004_message_says_why(users, policies, message):
    [finding] = findings("ZT-IDN-004", "version: 1\nusers:\n" + users + "mfa_policies:\n" + policies)
    assert (finding.severity, finding.message) == ("high", message)


def test_idn004_privileged_is_critical():
    doc = ADMINS + user("root", groups="admins", methods="") + user("dev", methods="") + "mfa_policies:\n" + policy()
    assert [(f.entity_name, f.severity) for f in findings("ZT-IDN-004", doc)] == [("root", "critical"), ("dev", "high")]
    assert findings("ZT-IDN-004", doc)[0].message.startswith("privileged account 'root' has no effective MFA")


def test_idn004_waiver_suppresses():
    doc = "version: 1\nusers:\n" + user("svc", "service", "") + "mfa_policies:\n" + policy() + """\
waivers:
  - {rule: ZT-IDN-004, target: {kind: user, name: svc}, reason: appliance, approved_by: ciso, expires: 2027-01-31}
"""
    assert hits("ZT-IDN-004", doc) == []


# --- ZT-IDN-005 / ZT-IDN-006: weak methods accepted by a required policy

def _methods_doc(methods: list[str], required: str = "true") -> str:
    listed = "".join(f"      - {m}\n" for m in methods)
    return f"""\
version: 1
mfa_policies:
  - name: workforce
    applies_to: {{groups: ["*"]}}
    required: {required}
    allowed_methods:
{listed}"""


@pytest.mark.parametrize(
    ("methods", "required", "expected"),
    [
        (["fido2", "sms"], "true", [("mfa_policy", "workforce", 8)]),
        (["voice", "fido2"], "true", [("mfa_policy", "workforce", 7)]),
        (["fido2", "totp", "email", "sms"], "true", [("mfa_policy", "workforce", 9)]),   # first restricted entry
        (["fido2", "push_number_match", "totp", "push"], "true", []),
        (["fido2", "sms"], "false", []),
    ],
)
def test_idn005_restricted_methods(methods, required, expected):
    assert hits("ZT-IDN-005", _methods_doc(methods, required)) == expected


def test_idn005_message():
    [finding] = findings("ZT-IDN-005", _methods_doc(["fido2", "email", "sms"]))
    assert (finding.severity, finding.message) == (
        "medium", "required policy 'workforce' allows email, sms: restricted authenticators open to SIM swap, number porting or mailbox takeover"
    )


@pytest.mark.parametrize(
    ("methods", "required", "expected"),
    [
        (["fido2", "push"], "true", [("mfa_policy", "workforce", 8)]),
        (["push", "push_number_match"], "true", [("mfa_policy", "workforce", 7)]),
        (["fido2", "push_number_match", "sms"], "true", []),
        (["push"], "false", []),
    ],
)
def test_idn006_plain_push(methods, required, expected):
    assert hits("ZT-IDN-006", _methods_doc(methods, required)) == expected


def test_idn006_message():
    [finding] = findings("ZT-IDN-006", _methods_doc(["push"]))
    assert (finding.severity, finding.message) == ("medium", "required policy 'workforce' allows push: plain approve/deny push is open to MFA-fatigue attacks")


# --- ZT-IDN-007: legacy authentication allowed

def _policy_block(field: str, required: str = "true", extra: str = "") -> str:
    return f"""\
version: 1
users:
  - {{name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}}
  - {{name: bob, type: employee, status: disabled, groups: [staff], mfa_methods: [fido2]}}
mfa_policies:
  - name: workforce
    applies_to: {{groups: ["*"]}}
    required: {required}
    allowed_methods: [fido2]
{field}{extra}"""


@pytest.mark.parametrize(
    ("field", "required", "expected"),
    [
        ("    legacy_auth_allowed: true\n", "true", [("mfa_policy", "workforce", 10)]),
        ("    legacy_auth_allowed: true\n", "false", [("mfa_policy", "workforce", 10)]),   # any policy
        ("    legacy_auth_allowed: false\n", "true", []),
        ("", "true", []),
    ],
)
def test_idn007_legacy_auth(field, required, expected):
    assert hits("ZT-IDN-007", _policy_block(field, required)) == expected


def test_idn007_message_counts_active_accounts():
    [finding] = findings("ZT-IDN-007", _policy_block("    legacy_auth_allowed: true\n"))
    assert (finding.severity, finding.message) == (
        "high", "policy 'workforce' allows legacy authentication, a path without MFA for the 1 active account(s) it applies to"
    )


# --- ZT-IDN-008: standing MFA exemption

def _exempt_doc(exempt: str, waivers: str = "") -> str:
    return f"""\
version: 1
groups:
  - {{name: admins, privileged: true}}
  - {{name: kiosks}}
users:
  - {{name: kiosk-1, type: shared, status: active, groups: [kiosks], mfa_methods: []}}
  - {{name: root, type: employee, status: active, groups: [admins], mfa_methods: [fido2]}}
  - {{name: dev, type: employee, status: active, groups: [staff], privileged: true, mfa_methods: [fido2]}}
mfa_policies:
  - name: workforce
    applies_to: {{groups: ["*"]}}
    required: true
    allowed_methods: [fido2]
    exempt: {exempt}
""" + (f"waivers:\n{waivers}" if waivers else "")


def _waiver(kind: str, name: str, expires: str = "2027-01-31", rule: str = "ZT-IDN-008") -> str:
    return f"  - {{rule: {rule}, target: {{kind: {kind}, name: {name}}}, reason: kiosk, approved_by: ciso, expires: {expires}}}\n"


@pytest.mark.parametrize(
    ("exempt", "waivers", "expected"),
    [
        ("{users: [kiosk-1]}", "", [("mfa_policy", "workforce", 14)]),
        ("{users: [kiosk-1]}", _waiver("user", "kiosk-1"), []),
        ("{users: [kiosk-1]}", _waiver("user", "kiosk-1", expires="2026-11-01"), []),    # valid on its expiry date
        ("{users: [kiosk-1]}", _waiver("user", "kiosk-1", expires="2026-10-31"), [("mfa_policy", "workforce", 14)]),
        ("{users: [kiosk-1]}", _waiver("user", "kiosk-1", rule="ZT-IDN-004"), [("mfa_policy", "workforce", 14)]),
        ("{groups: [kiosks]}", _waiver("user", "kiosk-1"), [("mfa_policy", "workforce", 14)]),   # waiver names another principal
        ("{groups: [kiosks]}", _waiver("group", "kiosks"), []),
        ("{users: [kiosk-1], groups: [kiosks]}", _waiver("group", "kiosks"), [("mfa_policy", "workforce", 14)]),
        ("{users: [kiosk-1, dev]}", "", [("mfa_policy", "workforce", 14), ("mfa_policy", "workforce", 14)]),
        ("{users: [], groups: []}", "", []),
        ("{}", "", []),
        # a waiver on the policy itself accepts all of its findings
        ("{users: [kiosk-1]}", _waiver("mfa_policy", "workforce"), []),
    ],
)
def test_idn008_standing_exemption(exempt, waivers, expected):
    assert hits("ZT-IDN-008", _exempt_doc(exempt, waivers)) == expected


@pytest.mark.parametrize(
    ("exempt", "severity", "message"),
    [
        ("{users: [kiosk-1]}", "medium", "policy 'workforce' exempts user 'kiosk-1' with no unexpired ZT-IDN-008 waiver for it"),
        ("{users: [dev]}", "high", "policy 'workforce' exempts privileged user 'dev' with no unexpired ZT-IDN-008 waiver for it"),
        ("{groups: [kiosks]}", "medium", "policy 'workforce' exempts group 'kiosks' (1 user(s)) with no unexpired ZT-IDN-008 waiver for it"),
        ("{groups: [admins]}", "high",
         "policy 'workforce' exempts privileged group 'admins' (1 user(s), privileged: 'root') with no unexpired ZT-IDN-008 waiver for it"),
        ("{groups: [staff]}", "high",
         "policy 'workforce' exempts privileged group 'staff' (1 user(s), privileged: 'dev') with no unexpired ZT-IDN-008 waiver for it"),
        ('{groups: ["*"]}', "high",
         "policy 'workforce' exempts everyone ('*') (3 user(s), privileged: 'dev', 'root') with no unexpired ZT-IDN-008 waiver for it"),
    ],
)
def test_idn008_message_and_escalation(exempt, severity, message):
    [finding] = findings("ZT-IDN-008", _exempt_doc(exempt))
    assert (finding.severity, finding.message) == (severity, message)


def test_idn008_empty_privileged_group_escalates():
    doc = ADMINS + user("alice") + "mfa_policies:\n" + policy(extra="exempt: {groups: [admins]}")
    [finding] = findings("ZT-IDN-008", doc)
    assert finding.severity == "high"
    assert finding.evidence == {"principal": {"kind": "group", "name": "admins"}, "exempted_users": []}


# --- ZT-IDN-009: session lifetime

@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("    session_lifetime_hours: 12\n", []),          # at the limit
        ("    session_lifetime_hours: 13\n", [("mfa_policy", "workforce", 10)]),
        ("    session_lifetime_hours: 12.5\n", [("mfa_policy", "workforce", 10)]),
        ("", []),                                          # unknown: not asked
    ],
)
def test_idn009_session_lifetime(field, expected):
    assert hits("ZT-IDN-009", _policy_block(field)) == expected


@pytest.mark.parametrize(("hours", "fires"), [(24, False), (25, True)])
def test_idn009_threshold_override(hours, fires):
    doc = org("session_max_hours: 24") + "mfa_policies:\n" + policy(extra=f"session_lifetime_hours: {hours}")
    assert hits("ZT-IDN-009", doc) == ([("mfa_policy", "workforce", 10)] if fires else [])


def test_idn009_message():
    [finding] = findings("ZT-IDN-009", _policy_block("    session_lifetime_hours: 72\n"))
    assert (finding.severity, finding.message) == ("medium", "policy 'workforce' keeps sessions for 72 hours (limit 12)")


# --- ZT-IDN-010: remembered devices

@pytest.mark.parametrize(
    ("users", "days", "extra", "expected"),
    [
        (user("alice"), 30, "", []),                                   # at the limit
        (user("alice"), 31, "", [("mfa_policy", "workforce", 7)]),
        (user("alice"), 0, "", []),
        (user("root", groups="admins"), 1, "", [("mfa_policy", "workforce", 7)]),
        (user("root", groups="admins"), 0, "", []),
        (user("root", groups="admins"), 7, ", exempt: {groups: [admins]}", []),   # does not cover the admin
        (user("root", groups="admins", status="disabled"), 7, "", []),
        (user("root", groups="admins", extra="privileged: false"), 7, "", []),
    ],
)
def test_idn010_remember_device(users, days, extra, expected):
    doc = ADMINS + users + "mfa_policies:\n" + policy(extra=f"remember_device_days: {days}{extra}")
    assert hits("ZT-IDN-010", doc) == expected


@pytest.mark.parametrize(("days", "fires"), [(60, False), (61, True)])
def test_idn010_threshold_override(days, fires):
    doc = org("remember_device_max_days: 60") + "users:\n" + user("alice") + "mfa_policies:\n" + policy(extra=f"remember_device_days: {days}")
    assert hits("ZT-IDN-010", doc) == ([("mfa_policy", "workforce", 12)] if fires else [])


def test_idn010_points_at_field_and_gives_both_reasons():
    doc = _policy_block("    remember_device_days: 45\n").replace("[staff], mfa_methods: [fido2]}\n  - {name: bob", "[staff], privileged: true, mfa_methods: [fido2]}\n  - {name: bob")
    [finding] = findings("ZT-IDN-010", doc)
    assert (finding.location.line, finding.severity) == (10, "medium")
    assert finding.message == (
        "policy 'workforce' remembers devices for 45 days: over the limit of 30; "
        "it covers privileged account(s) 'alice', for whom it must be 0"
    )


# --- ZT-IDN-011: dormant accounts

def _login_doc(last_login: str | None, status: str = "active", type_: str = "employee", header: str = "version: 1\n") -> str:
    login = f"    last_login: {last_login}\n" if last_login else ""
    return header + f"""\
users:
  - name: alice
    type: {type_}
    status: {status}
    groups: [staff]
    mfa_methods: [fido2]
{login}"""


@pytest.mark.parametrize(
    ("last_login", "status", "expected"),
    [
        ("2026-09-17", "active", []),                         # 45 days: at the limit
        ("2026-09-16", "active", [("user", "alice", 8)]),     # 46 days
        ("2026-10-31", "active", []),
        ("2025-01-01", "disabled", []),
        (None, "active", [("user", "alice", 3)]),              # unknown: info, on the user
        (None, "disabled", []),
    ],
)
def test_idn011_dormant(last_login, status, expected):
    assert hits("ZT-IDN-011", _login_doc(last_login, status)) == expected


def test_idn011_severity_and_messages():
    [dormant] = findings("ZT-IDN-011", _login_doc("2026-08-01"))
    assert (dormant.severity, dormant.message) == (
        "medium", "active account 'alice' last signed in on 2026-08-01, 92 days before the audit date (limit 45)"
    )
    [unknown] = findings("ZT-IDN-011", _login_doc(None, type_="service"))
    assert (unknown.severity, unknown.message) == ("info", "active account 'alice' has no last_login, so its dormancy cannot be checked")


@pytest.mark.parametrize(("last_login", "fires"), [("2026-09-02", False), ("2026-09-01", True)])   # 60 / 61 days
def test_idn011_threshold_override(last_login, fires):
    doc = _login_doc(last_login, header=org("dormant_account_days: 60"))
    assert hits("ZT-IDN-011", doc) == ([("user", "alice", 15)] if fires else [])


# --- ZT-IDN-012: account past its end date

@pytest.mark.parametrize(
    ("expires", "status", "expected"),
    [
        ("2026-10-31", "active", [("user", "ext.bob", 3)]),
        ("2026-11-01", "active", []),      # ends on the audit date
        ("2027-03-31", "active", []),
        ("2026-10-31", "disabled", []),
        (None, "active", []),
    ],
)
def test_idn012_expired_account(expires, status, expected):
    extra = f"expires: {expires}" if expires else ""
    assert hits("ZT-IDN-012", "version: 1\nusers:\n" + user("ext.bob", "contractor", status=status, extra=extra)) == expected


def test_idn012_points_at_expires_with_message():
    doc = "version: 1\nusers:\n  - name: ext.bob\n    type: contractor\n    status: active\n    groups: [staff]\n    mfa_methods: [fido2]\n    expires: 2026-09-30\n"
    [finding] = findings("ZT-IDN-012", doc)
    assert (finding.location.line, finding.severity) == (8, "high")
    assert finding.message == "account 'ext.bob' ended on 2026-09-30, 32 days before the audit date, and is still active"


# --- ZT-IDN-013: contractor without end date

@pytest.mark.parametrize(
    ("type_", "status", "extra", "expected"),
    [
        ("contractor", "active", "", [("user", "ext.bob", 3)]),
        ("contractor", "disabled", "", [("user", "ext.bob", 3)]),
        ("contractor", "active", "expires: 2027-03-31", []),
        ("employee", "active", "", []),
    ],
)
def test_idn013_contractor_without_end_date(type_, status, extra, expected):
    assert hits("ZT-IDN-013", "version: 1\nusers:\n" + user("ext.bob", type_, status=status, extra=extra)) == expected


def test_idn013_message():
    [finding] = findings("ZT-IDN-013", "version: 1\nusers:\n" + user("ext.bob", "contractor"))
    assert (finding.severity, finding.message) == ("low", "contractor account 'ext.bob' (active) has no end date (expires)")


# --- ZT-IDN-014: shared account with access

def _shared_doc(status: str = "active", rules: str = "", header: str = "version: 1\n") -> str:
    rules = rules or "  - {name: kiosk-wiki, effect: allow, subjects: {users: [frontdesk]}, resources: [wiki]}\n"
    return header + f"""\
users:
  - {{name: alice, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}}
  - {{name: frontdesk, type: shared, status: {status}, groups: [staff], mfa_methods: [totp]}}
resources:
  - {{name: wiki, type: app, sensitivity: internal, exposure: internet, logging: true}}
  - {{name: crm, type: saas, sensitivity: confidential, exposure: internet, logging: true}}
access_rules:
{rules}"""


@pytest.mark.parametrize(
    ("status", "rules", "expected"),
    [
        ("active", "", [("user", "frontdesk", 4)]),
        ("disabled", "", []),
        ("active", "  - {name: staff-wiki, effect: allow, subjects: {groups: [staff]}, resources: [wiki]}\n", [("user", "frontdesk", 4)]),
        ("active", "  - {name: alice-wiki, effect: allow, subjects: {users: [alice]}, resources: [wiki]}\n", []),
        ("active", "  - {name: staff-all, effect: allow, subjects: {groups: [staff]}, exclude: {users: [frontdesk]}, resources: '*'}\n", []),
        ("active",
         "  - {name: staff-all, effect: allow, subjects: {groups: [staff]}, resources: '*'}\n"
         "  - {name: no-shared, effect: deny, subjects: {users: [frontdesk]}, resources: '*'}\n", []),
        ("active", "  - {name: old, effect: allow, subjects: {users: [frontdesk]}, resources: [wiki], expires: 2026-10-31}\n", []),
        ("active", "  - {name: trial, effect: allow, subjects: {users: [frontdesk]}, resources: [wiki], state: report_only}\n", []),
        # asks for phishing-resistant MFA the account cannot present
        ("active", "  - {name: strict, effect: allow, subjects: {users: [frontdesk]}, resources: [wiki], conditions: {mfa: phishing_resistant}}\n", []),
        # totp is enrolled but allowed by no MFA policy here, so no MFA can be presented
        ("active", "  - {name: mfa, effect: allow, subjects: {users: [frontdesk]}, resources: [wiki], conditions: {mfa: any}}\n", []),
    ],
)
def test_idn014_shared_account(status, rules, expected):
    assert hits("ZT-IDN-014", _shared_doc(status, rules)) == expected


def test_idn014_counts_paths_that_need_mfa():
    doc = _shared_doc(rules="  - {name: mfa, effect: allow, subjects: {users: [frontdesk]}, resources: [wiki], conditions: {mfa: any}}\n")
    doc += "mfa_policies:\n" + policy(methods="fido2, totp")
    [finding] = findings("ZT-IDN-014", doc)
    assert finding.evidence == {"paths": [
        {"user": "frontdesk", "resource": "wiki", "rule": "mfa", "endpoint": None, "network": None, "mfa": "totp", "country": None},
    ]}


def test_idn014_message_and_evidence():
    rules = "  - {name: staff-all, effect: allow, subjects: {groups: [staff]}, resources: '*'}\n"
    [finding] = findings("ZT-IDN-014", _shared_doc(rules=rules))
    assert (finding.severity, finding.message) == ("high", "shared account 'frontdesk' can reach 'crm', 'wiki' (granted by 'staff-all')")
    assert [p["resource"] for p in finding.evidence["paths"]] == ["crm", "wiki"]
    assert finding.evidence["paths"][0]["rule"] == "staff-all"


def test_idn014_default_allow():
    header = "version: 1\norganization: {name: Acme, default_action: allow, audit_date: 2026-11-01}\ngroups:\n  - {name: staff}\n"
    doc = _shared_doc(rules="  - {name: alice-wiki, effect: allow, subjects: {users: [alice]}, resources: [wiki]}\n", header=header)
    [finding] = findings("ZT-IDN-014", doc)
    assert finding.message == "shared account 'frontdesk' can reach 'crm', 'wiki' (granted by 'default_action: allow')"


# --- ZT-IDN-015: service account usable interactively

SERVICE = """\
version: 1
groups:
  - {name: admins, privileged: true}
users:
  - {name: svc-backup, type: service, status: active, groups: [], mfa_methods: []}
vpn_gateways:
  - name: vpn-eu
    protocol: wireguard
    authentication: {mfa_required: true, methods: [oidc]}
    posture_check: true
    split_tunnel: false
    full_network_access: false
    logging: true
networks:
  - {name: vpn-eu-net, type: vpn, gateway: vpn-eu}
  - {name: dc-lan, type: office}
resources:
  - {name: files-01, type: file_share, sensitivity: internal, exposure: internal, logging: true}
  - {name: jump-01, type: ssh, sensitivity: internal, exposure: internal, logging: true}
  - {name: ts-01, type: rdp, sensitivity: internal, exposure: internal, logging: true}
"""
LAPTOP = """\
endpoints:
  - name: lt-0001
    owner: svc-backup
    type: laptop
    ownership: corporate
    managed: true
    os: {family: windows, version: "11"}
    disk_encryption: true
    firewall: true
    edr: {installed: true, running: true}
    last_patched: 2026-10-20
    last_seen: 2026-10-31
"""


def _grant(resource: str, networks: str | None = "dc-lan") -> str:
    cond = f", conditions: {{networks: [{networks}]}}" if networks else ""
    return f"access_rules:\n  - {{name: backup, effect: allow, subjects: {{users: [svc-backup]}}, resources: [{resource}]{cond}}}\n"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (_grant("files-01"), []),                                  # workload network only
        (_grant("jump-01"), [("user", "svc-backup", 5)]),
        (_grant("ts-01"), [("user", "svc-backup", 5)]),
        (_grant("files-01", "vpn-eu-net"), [("user", "svc-backup", 5)]),
        (_grant("files-01", None), [("user", "svc-backup", 5)]),  # no network condition: the VPN is one way in
        (LAPTOP, [("user", "svc-backup", 5)]),
        ("", []),
    ],
)
def test_idn015_service_account(extra, expected):
    assert hits("ZT-IDN-015", SERVICE + extra) == expected


def test_idn015_privileged_even_without_grants():
    doc = SERVICE.replace("groups: [], mfa_methods: []", "groups: [admins], mfa_methods: []")
    assert hits("ZT-IDN-015", doc) == [("user", "svc-backup", 5)]
    disabled = doc.replace("status: active", "status: disabled")
    assert hits("ZT-IDN-015", disabled) == [("user", "svc-backup", 5)]   # the flag itself is the problem


def test_idn015_not_for_people():
    doc = SERVICE.replace("type: service", "type: employee") + _grant("jump-01") + LAPTOP
    assert hits("ZT-IDN-015", doc) == []


def test_idn015_message_lists_every_reason():
    doc = SERVICE.replace("groups: []", "groups: [admins]") + LAPTOP + """\
access_rules:
  - {name: backup, effect: allow, subjects: {users: [svc-backup]}, resources: [files-01, jump-01], conditions: {networks: [vpn-eu-net]}}
"""
    [finding] = findings("ZT-IDN-015", doc)
    assert finding.severity == "medium"
    assert finding.message == (
        "service account 'svc-backup' is usable for interactive or privileged access: it is privileged; "
        "it owns endpoint(s) 'lt-0001'; access rules let it reach 'files-01' through VPN network 'vpn-eu-net', 'jump-01' (ssh)"
    )
    assert [(p["resource"], p["network"]) for p in finding.evidence["paths"]] == [("files-01", "vpn-eu-net"), ("jump-01", "vpn-eu-net")]


# --- ZT-IDN-016: break-glass without phishing-resistant MFA

@pytest.mark.parametrize(
    ("type_", "methods", "expected"),
    [
        ("break_glass", "totp", [("user", "bg", 7)]),
        ("break_glass", "sms, push_number_match", [("user", "bg", 7)]),
        ("break_glass", "", [("user", "bg", 7)]),
        ("break_glass", "totp, fido2", []),
        ("break_glass", "webauthn", []),
        ("break_glass", "piv", []),
        ("employee", "totp", []),
    ],
)
def test_idn016_break_glass(type_, methods, expected):
    doc = f"version: 1\nusers:\n  - name: bg\n    type: {type_}\n    status: active\n    groups: []\n    mfa_methods: [{methods}]\n"
    assert hits("ZT-IDN-016", doc) == expected


def test_idn016_ignores_exemptions_and_status():
    doc = "version: 1\nusers:\n" + user("bg", "break_glass", "fido2", status="disabled", groups="") + "mfa_policies:\n" + policy(methods="totp")
    assert hits("ZT-IDN-016", doc) == []      # enrolled fido2 counts even if no policy allows it
    [finding] = findings("ZT-IDN-016", doc.replace("mfa_methods: [fido2]", "mfa_methods: [totp]"))
    assert (finding.severity, finding.message) == ("high", "break-glass account 'bg' has enrolled totp, nothing phishing-resistant")


# --- ZT-IDN-017: no break-glass account

@pytest.mark.parametrize(
    ("users", "policies", "expected"),
    [
        (user("alice") + user("bob"), policy(), [("organization", "Acme", 3)]),
        (user("alice") + user("bg", "break_glass", groups=""), policy(), []),
        (user("alice") + user("bg", "break_glass", groups="", status="disabled"), policy(), []),
        # someone falls under no required policy: an MFA outage does not lock everyone out
        (user("alice") + user("bob", groups=""), policy(scope="groups: [staff]"), []),
        (user("alice"), policy(required="false"), []),
        # disabled users do not count
        (user("alice") + user("bob", groups="", status="disabled"), policy(scope="groups: [staff]"), [("organization", "Acme", 3)]),
    ],
)
def test_idn017_no_break_glass(users, policies, expected):
    assert hits("ZT-IDN-017", org() + "users:\n" + users + "mfa_policies:\n" + policies) == expected


def test_idn017_no_users_no_finding():
    assert hits("ZT-IDN-017", org() + "mfa_policies:\n" + policy()) == []


def test_idn017_message():
    [finding] = findings("ZT-IDN-017", org() + "users:\n" + user("alice") + user("bob") + "mfa_policies:\n" + policy())
    assert (finding.severity, finding.message) == ("low", "all 2 active account(s) fall under a required MFA policy and no account has type break_glass")


# --- ZT-IDN-018: privileged account count

def _admins(count: int, thresholds: str = "", disabled: int = 0) -> str:
    users = "".join(user(f"admin-{i}", groups="admins") for i in range(count))
    users += "".join(user(f"old-{i}", groups="admins", status="disabled") for i in range(disabled))
    return org(thresholds, groups="  - {name: admins, privileged: true}\n") + "users:\n" + user("alice") + users


@pytest.mark.parametrize(
    ("count", "disabled", "expected"),
    [
        (0, 0, [("organization", "Acme", 3)]),
        (1, 0, [("organization", "Acme", 3)]),
        (1, 3, [("organization", "Acme", 3)]),     # disabled admins do not count
        (2, 0, []),                                # at the minimum
        (8, 0, []),                                # at the maximum
        (9, 0, [("organization", "Acme", 3)]),
    ],
)
def test_idn018_privileged_count(count, disabled, expected):
    assert hits("ZT-IDN-018", _admins(count, disabled=disabled)) == expected


@pytest.mark.parametrize(
    ("count", "fires"),
    [(2, True), (3, False), (12, False), (13, True)],
)
def test_idn018_threshold_override(count, fires):
    doc = _admins(count, "privileged_accounts_min: 3, privileged_accounts_max: 12")
    assert hits("ZT-IDN-018", doc) == ([("organization", "Acme", 3)] if fires else [])


def test_idn018_messages():
    [few] = findings("ZT-IDN-018", _admins(1))
    assert (few.severity, few.message) == ("medium", "1 active privileged account(s) ('admin-0'): fewer than the minimum of 2")
    [none] = findings("ZT-IDN-018", _admins(0))
    assert none.message == "0 active privileged account(s): fewer than the minimum of 2"
    [many] = findings("ZT-IDN-018", _admins(9))
    assert many.message.endswith("'admin-8'): more than the maximum of 8")
    assert many.evidence == {"privileged_users": [f"admin-{i}" for i in range(9)]}


def test_idn018_no_users_no_finding():
    assert hits("ZT-IDN-018", org()) == []


def test_organisation_findings_without_an_organisation_section():
    doc = "version: 1\ngroups:\n  - name: staff\nusers:\n" + user("alice")
    [finding] = findings("ZT-IDN-018", doc)
    assert (finding.entity_kind, finding.entity_name, finding.location.line) == ("organization", "organization", 1)
