"""Baselines: adopt on a repository with findings, then see only what is new."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import ztaudit

ORG = "version: 1\norganization: {name: Acme, default_action: deny, audit_date: 2026-11-01}\ngroups:\n  - {name: staff}\n"
LAPTOP = """\
  - name: {name}
    owner: ana
    type: laptop
    ownership: corporate
    managed: true
    os: {{family: linux, version: "24.04"}}
    disk_encryption: {encrypted}
    firewall: true
    edr: {{installed: true, running: true}}
    last_patched: 2026-10-20
    last_seen: 2026-10-31
"""
USERS = "version: 1\nusers:\n  - {name: ana, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}\n"


def write_repo(root: Path, devices: dict[str, bool], file: str = "devices.yaml", padding: int = 0) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "org.yaml").write_text(ORG)
    (root / "users.yaml").write_text(USERS)
    for old in root.glob("devices*.yaml"):
        old.unlink()
    body = "".join(LAPTOP.format(name=n, encrypted=str(e).lower()) for n, e in devices.items())
    (root / file).write_text("version: 1\n" + "# moved\n" * padding + "endpoints:\n" + body)


def scan_json(root: Path, baseline: Path) -> dict:
    result = ztaudit("scan", root, "--select", "ZT-DEV-001", "--baseline", baseline, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_baseline_lifecycle(tmp_path: Path) -> None:
    repo, baseline = tmp_path / "repo", tmp_path / "baseline.json"
    write_repo(repo, {"lt-1": False, "lt-2": True})
    recorded = ztaudit("baseline", repo, "--select", "ZT-DEV-001", "-o", baseline)
    assert recorded.returncode == 0 and "Recorded 1 findings" in recorded.stdout
    assert [e["entity"]["name"] for e in json.loads(baseline.read_text())["findings"]] == ["lt-1"]

    # nothing new: exit 0, the old finding is suppressed by the baseline
    same = ztaudit("scan", repo, "--select", "ZT-DEV-001", "--baseline", baseline)
    assert same.returncode == 0 and "1 suppressed by the baseline" in same.stdout

    # moved to other lines and another file: still baselined
    write_repo(repo, {"lt-2": True, "lt-1": False}, file="devices-moved.yaml", padding=5)
    moved = scan_json(repo, baseline)
    assert moved["findings"] == [] and [s["finding"]["entity"]["name"] for s in moved["suppressed"]] == ["lt-1"]

    # the same rule on another entity is new, never hidden behind the old one
    write_repo(repo, {"lt-1": False, "lt-2": False})
    new = scan_json(repo, baseline)
    assert [f["entity"]["name"] for f in new["findings"]] == ["lt-2"]
    assert ztaudit("scan", repo, "--select", "ZT-DEV-001", "--baseline", baseline).returncode == 1

    # fixed: listed as fixed
    write_repo(repo, {"lt-1": True, "lt-2": True})
    fixed = scan_json(repo, baseline)
    assert fixed["findings"] == [] and [e["entity"]["name"] for e in fixed["baseline"]["fixed"]] == ["lt-1"]
    text = ztaudit("scan", repo, "--select", "ZT-DEV-001", "--baseline", baseline).stdout
    assert "1 baseline findings fixed:" in text and "ZT-DEV-001  endpoint/lt-1" in text


def test_bad_baseline_is_a_usage_error(tmp_path: Path) -> None:
    write_repo(tmp_path / "repo", {"lt-1": False})
    (tmp_path / "bad.json").write_text("{not json")
    result = ztaudit("scan", tmp_path / "repo", "--baseline", tmp_path / "bad.json")
    assert result.returncode == 2 and "not valid JSON" in result.stderr
    missing = ztaudit("scan", tmp_path / "repo", "--baseline", tmp_path / "none.json")
    assert missing.returncode == 2 and "cannot read baseline" in missing.stderr
