"""ZT-DEV: endpoint posture rules, each firing and not firing on near-identical input."""

from __future__ import annotations

import pytest
from rulecheck import findings, hits

from zerotrust_audit.analysis.kev import KevMatch
from zerotrust_audit.rules import device_lifecycle, devices
from zerotrust_audit.rules.base import Rule

HEAD = """\
version: 1
users:
  - {name: alice, type: employee, status: active, groups: [], mfa_methods: [fido2]}
  - {name: bob, type: contractor, status: active, groups: [], mfa_methods: [fido2], expires: 2027-03-31}
endpoints:
"""
# Every endpoint block has the same 14 lines, so the first one's fields are at
# fixed lines: name 6, owner 7, type 8, ownership 9, managed 10, os 11,
# disk_encryption 12, firewall 13, edr 14, screen_lock_seconds 15,
# last_patched 16, last_seen 17, local_admin 18, jailbroken 19; extras from 20.
# A second endpoint starts at line 20.
DEFAULTS = {
    "owner": "alice",
    "type": "laptop",
    "ownership": "corporate",
    "managed": "true",
    "os": '{family: windows, version: "11 24H2", end_of_support: 2027-10-12}',
    "disk_encryption": "true",
    "firewall": "true",
    "edr": "{installed: true, running: true, vendor: example-edr}",
    "screen_lock_seconds": "300",
    "last_patched": "2026-10-20",
    "last_seen": "2026-10-31",
    "local_admin": "false",
    "jailbroken": "false",
}


def endpoint(name: str = "lt-0042", extra: str = "", **fields: str | None) -> str:
    """One endpoint block; a field set to None becomes a comment line (omitted, same line count)."""
    values = {**DEFAULTS, **fields}
    lines = [f"  - name: {name}"]
    lines += [f"    {key}: {value}" if value is not None else f"    # {key}: omitted" for key, value in values.items()]
    return "\n".join(lines) + "\n" + extra


def doc(*blocks: str, thresholds: str = "") -> str:
    text = HEAD + "".join(blocks or (endpoint(),))
    if thresholds:  # the organisation goes last so that the lines above do not move
        text += f"organization:\n  name: Test Org\n  default_action: deny\n  audit_date: 2026-11-01\n  thresholds: {thresholds}\n"
    return text


def severities(rule_id: str, text: str) -> list[str]:
    return [f.severity for f in findings(rule_id, text)]


def messages(rule_id: str, text: str) -> list[str]:
    return [f.message for f in findings(rule_id, text)]


def test_rules_in_id_order() -> None:
    assert [r.id for r in (*devices.RULES, *device_lifecycle.RULES)] == [f"ZT-DEV-{i:03d}" for i in range(1, 14)]


@pytest.mark.parametrize("rule", (*devices.RULES, *device_lifecycle.RULES), ids=lambda r: r.id)
def test_examples(rule: Rule) -> None:
    assert hits(rule.id, rule.failing_example)
    assert hits(rule.id, rule.passing_example) == []


# --- ZT-DEV-001 disk encryption

@pytest.mark.parametrize(
    ("kind", "encrypted", "expected"),
    [
        ("laptop", "false", [("endpoint", "lt-0042", 12)]),
        ("desktop", "false", [("endpoint", "lt-0042", 12)]),
        ("mobile", "false", [("endpoint", "lt-0042", 12)]),
        ("tablet", "false", [("endpoint", "lt-0042", 12)]),
        ("vm", "false", []),
        ("server", "false", []),
        ("laptop", "true", []),
    ],
)
def test_dev001_disk_encryption(kind: str, encrypted: str, expected: list[tuple[str, str, int]]) -> None:
    assert hits("ZT-DEV-001", doc(endpoint(type=kind, disk_encryption=encrypted))) == expected


def test_dev001_reports_each_endpoint_in_order() -> None:
    text = doc(endpoint("lt-0002", disk_encryption="false"), endpoint("lt-0001", disk_encryption="false"))
    assert hits("ZT-DEV-001", text) == [("endpoint", "lt-0002", 12), ("endpoint", "lt-0001", 26)]
    assert messages("ZT-DEV-001", text)[0] == "laptop 'lt-0002' has disk encryption off"


# --- ZT-DEV-002 host firewall

@pytest.mark.parametrize(
    ("kind", "firewall", "expected"),
    [
        ("laptop", "false", [("endpoint", "lt-0042", 13)]),
        ("server", "false", [("endpoint", "lt-0042", 13)]),
        ("laptop", "true", []),
    ],
)
def test_dev002_firewall(kind: str, firewall: str, expected: list[tuple[str, str, int]]) -> None:
    assert hits("ZT-DEV-002", doc(endpoint(type=kind, firewall=firewall))) == expected


# --- ZT-DEV-003 EDR

@pytest.mark.parametrize(
    ("edr", "expected"),
    [
        ("{installed: false, running: false}", "laptop 'lt-0042' has no EDR agent installed"),
        ("{installed: true, running: false, vendor: example-edr}", "laptop 'lt-0042' has its EDR agent (example-edr) installed but not running"),
        ("{installed: true, running: false}", "laptop 'lt-0042' has its EDR agent installed but not running"),
    ],
)
def test_dev003_edr_fires(edr: str, expected: str) -> None:
    text = doc(endpoint(edr=edr))
    assert hits("ZT-DEV-003", text) == [("endpoint", "lt-0042", 14)]
    assert messages("ZT-DEV-003", text) == [expected]


def test_dev003_edr_running_passes() -> None:
    assert hits("ZT-DEV-003", doc(endpoint(edr="{installed: true, running: true}"))) == []


# --- ZT-DEV-004 OS end of support (audit date 2026-11-01)

def _os(end_of_support: str | None) -> str:
    eos = f", end_of_support: {end_of_support}" if end_of_support else ""
    return f'{{family: windows, version: "10 22H2"{eos}}}'


@pytest.mark.parametrize(
    ("end_of_support", "expected"),
    [
        ("2025-10-14", ["high"]),
        ("2026-10-31", ["high"]),     # one day past
        ("2026-11-01", ["info"]),     # last day of support: still supported, warn
        ("2027-01-30", ["info"]),     # exactly os_eos_warn_days (90) ahead
        ("2027-01-31", []),           # 91 days ahead
        (None, []),                   # no published end of support
    ],
)
def test_dev004_os_support(end_of_support: str | None, expected: list[str]) -> None:
    text = doc(endpoint(os=_os(end_of_support)))
    assert severities("ZT-DEV-004", text) == expected
    assert hits("ZT-DEV-004", text) == [("endpoint", "lt-0042", 11)] * len(expected)


def test_dev004_messages() -> None:
    assert messages("ZT-DEV-004", doc(endpoint(os=_os("2025-10-14")))) == [
        "'lt-0042' runs windows 10 22H2, out of support since 2025-10-14 (383 days before the audit date)"
    ]
    assert messages("ZT-DEV-004", doc(endpoint(os=_os("2026-11-10")))) == [
        "'lt-0042' runs windows 10 22H2, whose support ends 2026-11-10, in 9 days (warning window 90 days)"
    ]


@pytest.mark.parametrize(("end_of_support", "expected"), [("2026-11-11", ["info"]), ("2026-11-12", [])])
def test_dev004_warn_days_override(end_of_support: str, expected: list[str]) -> None:
    assert severities("ZT-DEV-004", doc(endpoint(os=_os(end_of_support)), thresholds="{os_eos_warn_days: 10}")) == expected


# --- ZT-DEV-005 patch age

@pytest.mark.parametrize(
    ("last_patched", "thresholds", "expected"),
    [
        ("2026-10-02", "", []),                                        # 30 days: at the limit
        ("2026-10-01", "", [("endpoint", "lt-0042", 16)]),             # 31 days
        ("2026-10-18", "{patch_age_days: 14}", []),                   # 14 days
        ("2026-10-17", "{patch_age_days: 14}", [("endpoint", "lt-0042", 16)]),
        ("2026-10-01", "{patch_age_days: 45}", []),
    ],
)
def test_dev005_patch_age(last_patched: str, thresholds: str, expected: list[tuple[str, str, int]]) -> None:
    assert hits("ZT-DEV-005", doc(endpoint(last_patched=last_patched), thresholds=thresholds)) == expected


def test_dev005_message() -> None:
    assert messages("ZT-DEV-005", doc(endpoint(last_patched="2026-08-01"))) == [
        "'lt-0042' was last patched 2026-08-01, 92 days before the audit date (limit 30)"
    ]


# --- ZT-DEV-006 jailbroken

@pytest.mark.parametrize(("jailbroken", "expected"), [("true", [("endpoint", "mb-0042", 19)]), ("false", [])])
def test_dev006_jailbroken(jailbroken: str, expected: list[tuple[str, str, int]]) -> None:
    text = doc(endpoint("mb-0042", type="mobile", os='{family: android, version: "14"}', jailbroken=jailbroken))
    assert hits("ZT-DEV-006", text) == expected


def test_dev006_omitted_means_not_jailbroken() -> None:
    assert hits("ZT-DEV-006", doc(endpoint(jailbroken=None))) == []


# --- ZT-DEV-007 corporate device unmanaged

@pytest.mark.parametrize(
    ("ownership", "managed", "expected"),
    [
        ("corporate", "false", [("endpoint", "lt-0042", 10)]),
        ("corporate", "true", []),
        ("byod", "false", []),
    ],
)
def test_dev007_unmanaged(ownership: str, managed: str, expected: list[tuple[str, str, int]]) -> None:
    assert hits("ZT-DEV-007", doc(endpoint(ownership=ownership, managed=managed))) == expected


# --- ZT-DEV-008 screen lock

@pytest.mark.parametrize(
    ("kind", "seconds", "thresholds", "expected"),
    [
        ("laptop", "900", "", []),
        ("laptop", "901", "", ["low"]),
        ("desktop", "901", "", ["low"]),
        ("mobile", "120", "", []),
        ("mobile", "121", "", ["low"]),
        ("tablet", "121", "", ["low"]),
        ("tablet", "600", "{screen_lock_max_seconds: 1200}", ["low"]),   # the computer limit does not apply
        ("vm", "3600", "", []),
        ("server", None, "", []),
        ("laptop", None, "", ["info"]),
        ("mobile", None, "", ["info"]),
        ("laptop", "601", "{screen_lock_max_seconds: 600}", ["low"]),
        ("laptop", "600", "{screen_lock_max_seconds: 600}", []),
        ("mobile", "61", "{screen_lock_max_seconds_mobile: 60}", ["low"]),
        ("mobile", "60", "{screen_lock_max_seconds_mobile: 60}", []),
    ],
)
def test_dev008_screen_lock(kind: str, seconds: str | None, thresholds: str, expected: list[str]) -> None:
    assert severities("ZT-DEV-008", doc(endpoint(type=kind, screen_lock_seconds=seconds), thresholds=thresholds)) == expected


def test_dev008_locations_and_messages() -> None:
    text = doc(endpoint("lt-0001", screen_lock_seconds="1800"), endpoint("lt-0002", screen_lock_seconds=None))
    assert hits("ZT-DEV-008", text) == [("endpoint", "lt-0001", 15), ("endpoint", "lt-0002", 20)]
    assert messages("ZT-DEV-008", text) == [
        "laptop 'lt-0001' locks its screen after 1800 s of inactivity (limit 900 s)",
        "laptop 'lt-0002' has no known screen lock delay (limit 900 s)",
    ]


# --- ZT-DEV-009 local admin

@pytest.mark.parametrize(
    ("kind", "admin", "expected"),
    [
        ("laptop", "true", [("endpoint", "lt-0042", 18)]),
        ("tablet", "true", [("endpoint", "lt-0042", 18)]),
        ("server", "true", []),
        ("vm", "true", []),
        ("laptop", "false", []),
        ("laptop", None, []),
    ],
)
def test_dev009_local_admin(kind: str, admin: str | None, expected: list[tuple[str, str, int]]) -> None:
    assert hits("ZT-DEV-009", doc(endpoint(type=kind, local_admin=admin))) == expected


# --- ZT-DEV-010 stale compliance verdict

@pytest.mark.parametrize(
    ("compliant", "changes", "thresholds", "expected"),
    [
        ("true", {"firewall": "false"}, "", [("endpoint", "lt-0042", 20)]),
        ("true", {"last_patched": "2026-09-01"}, "", [("endpoint", "lt-0042", 20)]),
        ("true", {"last_patched": "2026-09-01"}, "{patch_age_days: 61}", []),
        ("true", {}, "", []),
        ("false", {"firewall": "false"}, "", []),
        (None, {"firewall": "false"}, "", []),
    ],
)
def test_dev010_stale_verdict(compliant: str | None, changes: dict[str, str], thresholds: str, expected: list[tuple[str, str, int]]) -> None:
    extra = f"    compliant: {compliant}\n" if compliant else ""
    assert hits("ZT-DEV-010", doc(endpoint(extra=extra, **changes), thresholds=thresholds)) == expected


def test_dev010_lists_failing_facts() -> None:
    text = doc(endpoint(extra="    compliant: true\n", firewall="false", managed="false", last_patched="2026-09-01"))
    (finding,) = findings("ZT-DEV-010", text)
    assert finding.message == "'lt-0042' is reported compliant, but its posture facts fail: not managed, firewall off, patched 61 days ago"
    assert finding.evidence == {"failing": ["not managed", "firewall off", "patched 61 days ago"]}


# --- ZT-DEV-011 endpoint of a disabled or expired user

def _owner_doc(status: str = "active", expires: str = "2027-03-31", last_seen: str = "2026-10-31", thresholds: str = "") -> str:
    text = doc(endpoint(owner="bob", last_seen=last_seen), thresholds=thresholds)
    return text.replace("status: active, groups: [], mfa_methods: [fido2], expires: 2027-03-31",
                        f"status: {status}, groups: [], mfa_methods: [fido2], expires: {expires}")


@pytest.mark.parametrize(
    ("status", "expires", "last_seen", "thresholds", "expected"),
    [
        ("disabled", "2027-03-31", "2026-10-31", "", [("endpoint", "lt-0042", 7)]),
        ("active", "2026-10-31", "2026-10-31", "", [("endpoint", "lt-0042", 7)]),   # expired yesterday
        ("active", "2026-11-01", "2026-10-31", "", []),                             # expires on the audit date
        ("active", "2027-03-31", "2026-10-31", "", []),
        ("disabled", "2027-03-31", "2026-10-02", "", [("endpoint", "lt-0042", 7)]),  # seen 30 days ago: within
        ("disabled", "2027-03-31", "2026-10-01", "", []),                           # 31 days: stale, ZT-DEV-012's case
        ("disabled", "2027-03-31", "2026-10-01", "{endpoint_stale_days: 31}", [("endpoint", "lt-0042", 7)]),
        ("disabled", "2027-03-31", "2026-10-22", "{endpoint_stale_days: 9}", []),
    ],
)
def test_dev011_leaver_device(status: str, expires: str, last_seen: str, thresholds: str, expected: list[tuple[str, str, int]]) -> None:
    assert hits("ZT-DEV-011", _owner_doc(status, expires, last_seen, thresholds)) == expected


def test_dev011_messages() -> None:
    assert messages("ZT-DEV-011", _owner_doc(status="disabled")) == [
        "'lt-0042' belongs to 'bob', who is disabled, yet it was last seen 2026-10-31, 1 day before the audit date (window 30 days)"
    ]
    assert messages("ZT-DEV-011", _owner_doc(expires="2026-09-30", last_seen="2026-10-21")) == [
        "'lt-0042' belongs to 'bob', who expired 2026-09-30, yet it was last seen 2026-10-21, 11 days before the audit date (window 30 days)"
    ]


# --- ZT-DEV-012 endpoint not seen recently

@pytest.mark.parametrize(
    ("last_seen", "thresholds", "expected"),
    [
        ("2026-10-02", "", []),
        ("2026-10-01", "", [("endpoint", "lt-0042", 17)]),
        ("2026-10-01", "{endpoint_stale_days: 31}", []),
        ("2026-10-21", "{endpoint_stale_days: 10}", [("endpoint", "lt-0042", 17)]),
    ],
)
def test_dev012_not_seen(last_seen: str, thresholds: str, expected: list[tuple[str, str, int]]) -> None:
    assert hits("ZT-DEV-012", doc(endpoint(last_seen=last_seen), thresholds=thresholds)) == expected


def test_dev012_is_info() -> None:
    assert severities("ZT-DEV-012", doc(endpoint(last_seen="2026-09-01"))) == ["info"]


# --- ZT-DEV-013 remote-access software in CISA KEV

def _software(*items: str) -> str:
    return "    software:\n" + "".join(f"      - {item}\n" for item in items)


FORTIOS_OLD = '{vendor: fortinet, name: fortios, version: "7.2.4"}'
FORTIOS_FIXED = '{vendor: fortinet, name: fortios, version: "7.2.7"}'
FORTICLIENT = '{vendor: fortinet, name: forticlient, version: "7.4.3"}'
ANYCONNECT = '{vendor: cisco, name: anyconnect, version: "4.8.02042"}'


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ((FORTIOS_OLD,), [("endpoint", "vm-lab", 21)]),
        ((FORTICLIENT, FORTIOS_OLD), [("endpoint", "vm-lab", 22)]),   # points at the affected entry
        ((FORTIOS_FIXED,), []),
        ((FORTICLIENT,), []),                                          # not in the bundled table
    ],
)
def test_dev013_kev(items: tuple[str, ...], expected: list[tuple[str, str, int]]) -> None:
    text = doc(endpoint("vm-lab", type="vm", extra=_software(*items)))
    assert hits("ZT-DEV-013", text) == expected


def test_dev013_message_and_evidence() -> None:
    (finding,) = findings("ZT-DEV-013", doc(endpoint("vm-lab", type="vm", extra=_software(FORTIOS_OLD))))
    assert finding.severity == "high"
    assert finding.message.startswith("'vm-lab' has fortinet fortios 7.2.4, exploited in the wild per CISA KEV, known ransomware use: CVE-2023-27997 (")
    assert "fixed in 7.2.5" in finding.message and "CVE-2024-21762" in finding.message
    assert finding.evidence is not None
    assert [c["cve"] for c in finding.evidence["cves"]] == ["CVE-2023-27997", "CVE-2024-21762"]


def test_dev013_client_match(monkeypatch: pytest.MonkeyPatch) -> None:
    """A client entry of the KEV table (data that can grow) is reported the same way."""
    match = KevMatch(
        cve="CVE-2020-3433", vendor="cisco", product="anyconnect", title="DLL hijack, local privilege escalation",
        date_added="2022-10-24", known_ransomware=False, fixed_in=None,
    )

    def fake(vendor: str, product: str, version: str) -> list[KevMatch]:
        return [match] if (vendor, product) == ("cisco", "anyconnect") else []

    monkeypatch.setattr(device_lifecycle, "find_exploited", fake)
    text = doc(endpoint(extra=_software(FORTICLIENT, ANYCONNECT)), endpoint("lt-0043"))
    assert hits("ZT-DEV-013", text) == [("endpoint", "lt-0042", 22)]
    assert messages("ZT-DEV-013", text) == [
        "'lt-0042' has cisco anyconnect 4.8.02042, exploited in the wild per CISA KEV: "
        "CVE-2020-3433 (DLL hijack, local privilege escalation; no fixed release on this branch)"
    ]


def test_dev013_no_software() -> None:
    assert hits("ZT-DEV-013", doc(endpoint())) == []
