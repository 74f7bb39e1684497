"""End-to-end: the real ``ztaudit`` process on real files, exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from zerotrust_audit.model.entities import ENTITY_KINDS
from zerotrust_audit.rules.base import PILLARS, SEVERITIES

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "policies" / "acme"
CONTRACT_FIELDS = {"rule_id", "title", "severity", "pillar", "entity", "location", "message", "remediation", "references"}

GOOD = """\
version: 1
organization: {name: Tiny, default_action: deny, audit_date: 2026-11-01}
groups:
  - {name: staff}
users:
  - {name: ana, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
"""


def ztaudit(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zerotrust_audit", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=120, env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


def test_version() -> None:
    result = ztaudit("--version")
    assert result.returncode == 0 and result.stdout.startswith("ztaudit, version ")


def test_help_documents_exit_codes() -> None:
    result = ztaudit("scan", "--help")
    assert result.returncode == 0
    for line in ("0  no finding", "1  findings", "2  invalid input", "3  internal error"):
        assert line in result.stdout


def test_scan_example_finds_gaps_in_every_pillar() -> None:
    result = ztaudit("scan", EXAMPLE, "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert {f["pillar"] for f in report["findings"]} == set(PILLARS)
    assert report["summary"]["findings"] == len(report["findings"]) > 0


def test_scan_text_lines_are_jumpable() -> None:
    result = ztaudit("scan", "--example", "--fail-on", "never")
    assert result.returncode == 0
    first = result.stdout.splitlines()[0]
    location, severity, rule_id = first.split()[:3]
    path, line, column = location.split(":")
    assert path.endswith(".yaml") and int(line) > 0 and int(column) > 0
    assert severity.lower() in SEVERITIES and rule_id.startswith("ZT-")
    assert "By pillar:" in result.stdout


def test_json_is_byte_identical_and_complete(tmp_path: Path) -> None:
    first = ztaudit("scan", EXAMPLE, "--format", "json", "--output", tmp_path / "a.json")
    second = ztaudit("scan", EXAMPLE, "--format", "json", "--output", tmp_path / "b.json")
    assert first.returncode == second.returncode == 1
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    report = json.loads((tmp_path / "a.json").read_text())
    assert report["tool"]["name"] == "zerotrust-audit"
    assert {i["path"] for i in report["inputs"]} and all(len(i["sha256"]) == 64 for i in report["inputs"])
    assert report["rules"] and report["suppressed"], "the example's valid waiver suppresses a finding"
    for finding in report["findings"]:
        assert CONTRACT_FIELDS <= set(finding)
        assert finding["pillar"] in PILLARS and finding["severity"] in SEVERITIES
        assert finding["entity"]["kind"] in ENTITY_KINDS
        assert (EXAMPLE / finding["location"]["path"]).is_file() and finding["location"]["line"] >= 1


def test_fail_on_threshold_and_select(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(GOOD.replace("default_action: deny", "default_action: allow"))
    assert ztaudit("scan", tmp_path, "--select", "ZT-ACC-001").returncode == 1
    assert ztaudit("scan", tmp_path, "--select", "ZT-ACC-001", "--fail-on", "never").returncode == 0
    assert ztaudit("scan", tmp_path, "--select", "ZT-ACC", "--ignore", "ZT-ACC-001").returncode in (0, 1)
    unknown = ztaudit("scan", tmp_path, "--select", "ZT-NOPE-1")
    assert unknown.returncode == 2 and "unknown rule id" in unknown.stderr


def test_clean_inventory_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(GOOD)
    result = ztaudit("scan", tmp_path, "--select", "ZT-ACC-001,ZT-DAT")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings." in result.stdout


def test_country_code_no_is_norway(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(GOOD + "resources:\n  - {name: r, type: app, sensitivity: internal, exposure: internal, logging: true}\n"
                                     "access_rules:\n  - {name: nordic, effect: allow, subjects: {groups: [staff]}, resources: [r], conditions: {countries: [NO, SE]}}\n")
    assert ztaudit("validate", tmp_path).returncode == 0


BROKEN = {
    "syntax": ("users: [\n", "bad.yaml:3:1: YAML syntax error"),
    "duplicate-key": ("users:\n  - name: bob\n    name: bob2\n", "bad.yaml:4:5: duplicate key 'name' (first defined at line 3)"),
    "unknown-field": ("users:\n  - {name: bob, type: employee, status: active, groups: [], mfa_methods: [], role: x}\n",
                      "bad.yaml:3:78: users[0].role: unknown field 'role'"),
    "dangling-reference": ("endpoints:\n  - {name: lt-1, owner: nobody, type: laptop, ownership: corporate, managed: true, os: {family: linux, version: '6'},\n"
                           "     disk_encryption: true, firewall: true, edr: {installed: true, running: true}, last_patched: 2026-10-01, last_seen: 2026-10-01}\n",
                           "bad.yaml:3:25: endpoints[0].owner: unknown user 'nobody'"),
    "bad-date": ("users:\n  - {name: bob, type: employee, status: active, groups: [], mfa_methods: [], expires: 2026-02-30}\n",
                 "bad.yaml:3:87: users[0].expires: expected a date YYYY-MM-DD, got '2026-02-30'"),
    "bad-cidr": ("networks:\n  - {name: n, type: office, cidrs: [10.0.0.0/33]}\n", "bad.yaml:3:37: networks[0].cidrs[0]: expected an IPv4 or IPv6 network"),
    "no-as-boolean": ("endpoints:\n  - {name: lt-1, owner: ana, type: laptop, ownership: corporate, managed: NO, os: {family: linux, version: '6'},\n"
                      "     disk_encryption: true, firewall: true, edr: {installed: true, running: true}, last_patched: 2026-10-01, last_seen: 2026-10-01}\n",
                      "bad.yaml:3:75: endpoints[0].managed: expected true or false, got 'NO'"),
    "unsafe-tag": ("users: !!python/object/apply:os.system ['touch /tmp/pwned']\n", "bad.yaml:2:8: tag '!!python/object/apply:os.system' is not allowed"),
    "certificate-escape": ("vpn_gateways:\n  - {name: gw, protocol: wireguard, authentication: {mfa_required: true, methods: [certificate]}, posture_check: true,\n"
                           "     split_tunnel: false, full_network_access: false, logging: true, certificate: ../../etc/passwd}\n",
                           "bad.yaml:4:83: vpn_gateways[0].certificate: '../../etc/passwd' leaves the scanned repository; refused"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_input_exits_2_with_position_and_no_traceback(tmp_path: Path, case: str) -> None:
    snippet, expected = BROKEN[case]
    (tmp_path / "p.yaml").write_text(GOOD)
    (tmp_path / "bad.yaml").write_text("version: 1\n" + snippet)
    (tmp_path / "other.yaml").write_text("version: 1\nresources:\n  - {name: r, type: app, sensitivity: secret, exposure: internal, logging: true}\n")
    for command in ("scan", "validate"):
        result = ztaudit(command, tmp_path)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert expected in result.stderr, result.stderr
        # every file's problems are reported, not just the first file's
        assert "other.yaml:3:39: resources[0].sensitivity: expected one of" in result.stderr


def test_missing_certificate_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(GOOD + BROKEN["certificate-escape"][0].replace("../../etc/passwd", "certs/missing.pem"))  # noqa: E501
    result = ztaudit("validate", tmp_path)
    assert result.returncode == 2 and "cannot read 'certs/missing.pem'" in result.stderr


def test_validate_example_and_usage_errors(tmp_path: Path) -> None:
    assert ztaudit("validate", EXAMPLE).returncode == 0
    assert ztaudit("scan").returncode == 2
    assert ztaudit("scan", tmp_path / "nowhere").returncode == 2
    assert ztaudit("explain", "ZT-XXX-000").returncode == 2


def test_rules_explain_and_schema() -> None:
    listing = json.loads(ztaudit("rules", "--format", "json").stdout)
    assert len(listing["rules"]) >= 60 and "patch_age_days" in listing["thresholds"]
    explained = ztaudit("explain", "ZT-ACC-007")
    assert explained.returncode == 0 and "Fails:" in explained.stdout and "Passes:" in explained.stdout
    whole = json.loads(ztaudit("schema").stdout)
    assert whole["$defs"]["users"] and all(not ref.endswith(".json") for ref in _refs(whole))
    assert json.loads(ztaudit("schema", "endpoints").stdout)["type"] == "array"
    assert ztaudit("schema", "nope").returncode == 2


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_internal_error_exit_3_without_traceback_unless_debug(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import zerotrust_audit.api as api\n"
        "def boom(*a, **k): raise RuntimeError('kaboom')\n"
        "api.scan = boom\n"
        "from zerotrust_audit.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    (tmp_path / "p.yaml").write_text(GOOD)
    plain = subprocess.run([sys.executable, "-c", code, "scan", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert plain.returncode == 3 and "internal error: RuntimeError: kaboom" in plain.stderr and "Traceback" not in plain.stderr
    debug = subprocess.run([sys.executable, "-c", code, "--debug", "scan", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert debug.returncode == 3 and "Traceback" in debug.stderr


def test_installed_command_works_from_any_directory(tmp_path: Path) -> None:
    """Schemas and the example ship in the wheel: no checkout needed at run time."""
    script = Path(sys.executable).with_name("ztaudit")
    assert script.is_file(), "install the package (pip install '.[test]') before running the tests"
    result = subprocess.run([str(script), "scan", "--example", "--format", "json"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["findings"]
    assert subprocess.run([str(script), "schema"], capture_output=True, cwd=tmp_path, timeout=60).returncode == 0


def test_invalid_entity_is_not_reported_again_as_a_dangling_reference(tmp_path: Path) -> None:
    """A user with a bad field is left out of the model, but it exists: no false "unknown user"."""
    (tmp_path / "p.yaml").write_text(GOOD.replace("mfa_methods: [fido2]}", "mfa_methods: [fido2], status_note: x}"))
    (tmp_path / "devices.yaml").write_text(
        "version: 1\nendpoints:\n  - {name: lt-1, owner: ana, type: laptop, ownership: corporate, managed: true, os: {family: linux, version: '6'},\n"
        "     disk_encryption: true, firewall: true, edr: {installed: true, running: true}, last_patched: 2026-10-01, last_seen: 2026-10-01}\n"
        "  - {name: lt-2, owner: nobody, type: laptop, ownership: corporate, managed: true, os: {family: linux, version: '6'},\n"
        "     disk_encryption: true, firewall: true, edr: {installed: true, running: true}, last_patched: 2026-10-01, last_seen: 2026-10-01}\n"
    )
    result = ztaudit("validate", tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "devices.yaml:5:25: endpoints[1].owner: unknown user 'nobody'"
    assert lines[1].startswith("p.yaml:6:") and "unknown field 'status_note'" in lines[1]
    assert lines[2] == "2 input problems; nothing was scanned."
