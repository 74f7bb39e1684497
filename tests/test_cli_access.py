"""End-to-end: ``ztaudit whatif`` and ``ztaudit access`` on the bundled example."""

from __future__ import annotations

import csv
import io
import json

from test_cli import EXAMPLE, ztaudit


def test_whatif_allow_with_trace_and_assumptions() -> None:
    result = ztaudit("whatif", EXAMPLE, "--user", "ext.marek.nowak@acme.example", "--resource", "source-code")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Decision: ALLOW (allowed by contractors-vpn-us)"
    assert lines[1] == "Request: ext.marek.nowak@acme.example -> source-code from an unregistered device, network vpn-us-net, MFA none, country any"
    assert "  mfa: none; weakest method the user can present" in lines
    assert ("  contractors-vpn-us (allow): APPLIES: subjects match (ext.marek.nowak@acme.example is in group contractors); "
            "resources match (source-code is listed)") in lines
    assert "      networks: vpn-us-net: held (request from vpn-us-net)" in lines
    assert "  ext-payments-migration (allow): not in force: expired on 2026-10-15" in lines
    assert "  admins-infrastructure (allow): not in force: state is report_only" in lines


def test_whatif_device_condition_explains_non_compliance() -> None:
    result = ztaudit("whatif", EXAMPLE, "--user", "alice.nguyen@acme.example", "--resource", "payments-db",
                     "--endpoint", "lt-0027", "--network", "vpn-eu-net", "--mfa", "fido2", "--country", "NO")
    assert result.returncode == 0
    assert "Not specified" not in result.stdout
    assert "      device.compliant: true: FAILED (lt-0027 is not compliant: patched 116 days ago, device management reports it non-compliant)" in result.stdout
    assert result.stdout.startswith("Decision: ALLOW (allowed by eng-tooling)")


def test_whatif_deny_exits_1_and_json_trace() -> None:
    result = ztaudit("whatif", EXAMPLE, "--user", "rachel.cohen@acme.example", "--resource", "payments-db", "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert (data["decision"], data["reason"], data["allowed_for_some_choice"]) == ("deny", "default", False)
    trace = {r["rule"]: r for r in data["rules"]}
    assert trace["eng-tooling"]["subjects"] == {"matched": False, "why": "rachel.cohen@acme.example is neither named nor in engineering"}
    assert trace["ext-payments-migration"]["not_in_force_because"] == "expired on 2026-10-15"


def test_whatif_usage_errors() -> None:
    assert ztaudit("whatif", EXAMPLE, "--user", "nobody", "--resource", "wiki").returncode == 2
    assert ztaudit("whatif", EXAMPLE, "--user", "alice.nguyen@acme.example", "--resource", "wiki", "--mfa", "carrier-pigeon").returncode == 2
    assert ztaudit("whatif", EXAMPLE, "--resource", "wiki").returncode == 2


def test_access_text_groups_by_resource_most_sensitive_first() -> None:
    result = ztaudit("access", EXAMPLE)
    assert result.returncode == 0, result.stderr
    headers = [line for line in result.stdout.splitlines() if line and not line.startswith(" ") and "grant" not in line]
    order = ["restricted", "confidential", "internal", "public"]
    ranks = [order.index(h.rsplit("(", 1)[1].rstrip(")")) for h in headers]
    assert ranks == sorted(ranks) and headers[0] == "finance-share (restricted)"
    assert ("  ext.marek.nowak@acme.example (contractor, effective MFA: sms) via contractors-vpn-us: mfa none; device any; "
            "networks vpn-us-net; countries any; admitted: byod-lt-mnowak, unregistered device") in result.stdout


def test_access_json_is_deterministic_and_filtered() -> None:
    first = ztaudit("access", EXAMPLE, "--format", "json", "--min-sensitivity", "confidential")
    second = ztaudit("access", EXAMPLE, "--format", "json", "--min-sensitivity", "confidential")
    assert first.stdout == second.stdout
    grants = json.loads(first.stdout)["grants"]
    assert grants and {g["sensitivity"] for g in grants} <= {"restricted", "confidential"}
    alice = [g for g in grants if g["user"] == "alice.nguyen@acme.example" and g["resource"] == "payments-db"]
    assert alice == [{
        "conditions": {"countries": None, "device": "registered (managed)", "mfa": "any", "networks": None},
        "effective_mfa": "fido2", "endpoints": ["lt-0021", "vm-dev-0021"], "privileged": False, "reachable": True,
        "resource": "payments-db", "rules": ["eng-payments-db", "eng-tooling"], "sensitivity": "restricted",
        "unregistered_device": False, "user": "alice.nguyen@acme.example", "user_type": "employee", "weakest_rule": "eng-tooling",
    }]
    only = json.loads(ztaudit("access", EXAMPLE, "--format", "json", "--user", "alice.nguyen@acme.example", "--resource", "wiki").stdout)
    assert [(g["user"], g["resource"]) for g in only["grants"]] == [("alice.nguyen@acme.example", "wiki")]


def test_access_csv_is_a_table_of_grants() -> None:
    result = ztaudit("access", EXAMPLE, "--format", "csv", "--resource", "payments-db")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["resource"] for r in rows} == {"payments-db"}
    marek = [r for r in rows if r["user"] == "breakglass-1@acme.example"][0]
    assert (marek["weakest_rule"], marek["mfa_required"], marek["device_required"], marek["networks"]) == ("admins-all-from-office", "none", "any", "hq-lan")


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised() -> None:
    """Names cannot start with = + - @ (the name pattern), but descriptions of the future
    and labels can; every cell goes through the neutraliser."""
    from zerotrust_audit.analysis.access_map import AccessEntry, Conditions
    from zerotrust_audit.report.access_report import write_csv

    entry = AccessEntry("=cmd|'/c calc'!A1", "internal", "+1", "employee", False, "none", ("-2",), "-2",
                        Conditions("none", "any", None, None), ("@x",), False, True)
    out = io.StringIO()
    write_csv([entry], out)
    row = list(csv.reader(io.StringIO(out.getvalue())))[1]
    assert row[:3] == ["'=cmd|'/c calc'!A1", "internal", "'+1"] and row[6] == "'-2" and row[12] == "'@x"


def test_fast_json_entries_equal_json_dumps() -> None:
    """The hand-assembled JSON of an entry is exactly json.dumps of its dict."""
    from zerotrust_audit.api import load
    from zerotrust_audit.analysis.access_map import access_map
    from zerotrust_audit.report.access_report import entry_dict, entry_json

    entries = list(access_map(load([EXAMPLE]).facts))
    assert entries
    for entry in entries:
        assert entry_json(entry) == json.dumps(entry_dict(entry), sort_keys=True, ensure_ascii=False)
