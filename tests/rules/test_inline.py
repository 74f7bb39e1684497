"""Inline suppressions (# ztaudit: ignore[RULE] reason) and ZT-GOV-007 / ZT-GOV-008."""

from __future__ import annotations

from pathlib import Path

from rulecheck import BASE
from test_cli import ztaudit

from zerotrust_audit.api import ScanOptions, scan

DOC = """\
version: 1
resources:
{above}  - {{name: app-a, type: app, sensitivity: internal, exposure: internal, logging: true}}{same}
  - {{name: app-b, type: app, sensitivity: internal, exposure: internal, logging: true}}
"""


def run(tmp_path: Path, above: str = "", same: str = "", *, inline: bool = True, select: tuple[str, ...] = ("ZT-APP-004", "ZT-GOV-007", "ZT-GOV-008")):
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "test.yaml").write_text(DOC.format(above=above, same=same))
    report = scan([tmp_path], ScanOptions(select=select, inline_suppressions=inline))
    found = [(f.rule_id, f.entity_name, f.location.line) for f in report.findings if f.location.path == "test.yaml"]
    accepted = [(s.finding.rule_id, s.finding.entity_name, s.waiver["kind"]) for s in report.suppressed]
    return found, accepted


def test_comment_on_the_line_above_suppresses_with_reason(tmp_path: Path) -> None:
    found, accepted = run(tmp_path, above="  # ztaudit: ignore[ZT-APP-004] decommissioned in Q1, CHG-7\n")
    assert found == [("ZT-APP-004", "app-b", 5)]
    assert accepted == [("ZT-APP-004", "app-a", "inline")]


def test_comment_on_the_same_line_suppresses(tmp_path: Path) -> None:
    found, accepted = run(tmp_path, same="  # ztaudit: ignore[ZT-APP-004] owned by the vendor")
    assert found == [("ZT-APP-004", "app-b", 4)] and accepted == [("ZT-APP-004", "app-a", "inline")]


def test_suppression_without_reason_suppresses_nothing_and_is_a_finding(tmp_path: Path) -> None:
    found, accepted = run(tmp_path, above="  # ztaudit: ignore[ZT-APP-004]\n")
    assert found == [("ZT-GOV-007", "inline:test.yaml:3", 3), ("ZT-APP-004", "app-a", 4), ("ZT-APP-004", "app-b", 5)]
    assert accepted == []


def test_unused_suppression_is_reported(tmp_path: Path) -> None:
    found, _ = run(tmp_path, above="  # ztaudit: ignore[ZT-APP-004] no longer needed\n".replace("ZT-APP-004", "ZT-APP-001"),
                   select=("ZT-APP-001", "ZT-GOV-008"))
    assert found == [("ZT-GOV-008", "inline:test.yaml:3", 3)]


def test_other_rules_are_not_suppressed(tmp_path: Path) -> None:
    found, accepted = run(tmp_path, above="  # ztaudit: ignore[ZT-APP-001] wrong rule\n", select=("ZT-APP-004",))
    assert [f[1] for f in found] == ["app-a", "app-b"] and accepted == []


def test_ci_can_refuse_inline_suppressions(tmp_path: Path) -> None:
    found, accepted = run(tmp_path, above="  # ztaudit: ignore[ZT-APP-004] please\n", inline=False)
    assert [f[1] for f in found] == ["app-a", "app-b"] and accepted == []
    result = ztaudit("scan", tmp_path, "--select", "ZT-APP-004", "--no-inline-suppressions")
    assert result.returncode == 1 and "app-a" in result.stdout


def test_unknown_rule_in_a_suppression_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "test.yaml").write_text(DOC.format(above="  # ztaudit: ignore[ZT-APP-404] typo\n", same=""))
    result = ztaudit("validate", tmp_path)
    assert result.returncode == 2 and "test.yaml:3:3: inline suppression names unknown rule id(s): ZT-APP-404" in result.stderr
