"""Repository configuration: .ztaudit.yaml or [tool.ztaudit], validated, command line on top."""

from __future__ import annotations

from pathlib import Path

from test_baseline import write_repo
from test_cli import ztaudit


def test_yaml_config_sets_fail_on_ignore_and_thresholds(tmp_path: Path) -> None:
    write_repo(tmp_path, {"lt-1": False})
    assert ztaudit("scan", tmp_path, "--select", "ZT-DEV-001").returncode == 1
    (tmp_path / ".ztaudit.yaml").write_text("fail_on: critical\n")
    assert ztaudit("scan", tmp_path, "--select", "ZT-DEV-001").returncode == 0          # high < critical
    assert ztaudit("scan", tmp_path, "--select", "ZT-DEV-001", "--fail-on", "high").returncode == 1  # command line wins
    (tmp_path / ".ztaudit.yaml").write_text("ignore: [ZT-DEV-001]\nthresholds: {patch_age_days: 5}\n")
    result = ztaudit("scan", tmp_path, "--select", "ZT-DEV")
    assert "ZT-DEV-001" not in result.stdout and "ZT-DEV-005" in result.stdout   # patched 12 days ago > 5


def test_pyproject_config(tmp_path: Path) -> None:
    write_repo(tmp_path, {"lt-1": False})
    (tmp_path / "pyproject.toml").write_text('[tool.ztaudit]\nfail-on = "never"\n')
    assert ztaudit("scan", tmp_path).returncode == 0
    shown = ztaudit("config", "--show", tmp_path).stdout
    assert 'fail_on: "never"  (pyproject.toml [tool.ztaudit])' in shown and "select: []  (default)" in shown


def test_config_errors_are_input_errors(tmp_path: Path) -> None:
    write_repo(tmp_path, {"lt-1": False})
    (tmp_path / ".ztaudit.yaml").write_text("fail_on: high\nselcet: [ZT-DEV]\nthresholds: {patch_age: 3}\n")
    result = ztaudit("scan", tmp_path)
    assert result.returncode == 2
    assert ".ztaudit.yaml:2:1: unknown setting 'selcet' (did you mean 'select'?)" in result.stderr
    assert ".ztaudit.yaml:3:1: thresholds: unknown threshold 'patch_age'" in result.stderr


def test_config_show_names_sources(tmp_path: Path) -> None:
    write_repo(tmp_path, {"lt-1": False})
    (tmp_path / ".ztaudit.yaml").write_text("# team defaults\nfail_on: medium\n")
    shown = ztaudit("config", "--show", tmp_path).stdout.splitlines()
    assert 'fail_on: "medium"  (.ztaudit.yaml:2)' in shown and "inline_suppressions: true  (default)" in shown


def test_allowed_suppressions_limit_what_comments_may_suppress(tmp_path: Path) -> None:
    write_repo(tmp_path, {"lt-1": False})
    laptop = (tmp_path / "devices.yaml").read_text().replace("  - name: lt-1", "  - name: lt-1   # ztaudit: ignore[ZT-DEV-001] lab machine")
    (tmp_path / "devices.yaml").write_text(laptop)
    assert ztaudit("scan", tmp_path, "--select", "ZT-DEV-001").returncode == 0
    (tmp_path / ".ztaudit.yaml").write_text("allowed_suppressions: [ZT-VIS]\n")
    assert ztaudit("scan", tmp_path, "--select", "ZT-DEV-001").returncode == 1
