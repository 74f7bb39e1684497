"""SARIF output: valid against the OASIS schema, deterministic, complete, and
stable fingerprints, because code-scanning services track alerts by them."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from jsonschema import FormatChecker
from jsonschema.validators import validator_for

from zerotrust_audit.api import scan
from zerotrust_audit.errors import Location
from zerotrust_audit.findings import Finding, Report, Suppressed
from zerotrust_audit.load import InputFile
from zerotrust_audit.report.sarif import render
from zerotrust_audit.rules import RULES_BY_ID

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "policies" / "acme"
# Vendored copy of the OASIS schema (oasis-tcs/sarif-spec, sarif-2.1/schema/sarif-schema-2.1.0.json,
# commit e0583813964ec43cea53b6b531b402866095ed1f), so the tests need no network.
SCHEMA = json.loads((Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
# RFC 3986 URI-reference characters: jsonschema checks "uri-reference" only
# with optional packages, so the character set is checked here instead.
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


@pytest.fixture(scope="module")
def report() -> Report:
    return scan([EXAMPLE])


@pytest.fixture(scope="module")
def sarif(report: Report) -> dict:
    return json.loads(render(report))


def schema_errors(log: dict) -> list[str]:
    # The schema declares draft-04; use the validator it asks for.
    validator_cls = validator_for(SCHEMA)
    assert validator_cls.__name__ == "Draft4Validator"
    validator_cls.check_schema(SCHEMA)
    validator = validator_cls(SCHEMA, format_checker=FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


def all_uris(log: dict) -> list[str]:
    run = log["runs"][0]
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    uris += [loc["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"] for loc in r["locations"]]
    return uris


def test_example_is_valid_sarif(sarif: dict) -> None:
    assert schema_errors(sarif) == []
    assert sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1
    assert "originalUriBaseIds" not in sarif["runs"][0], "no machine-specific absolute path"
    assert all(URI_CHARS.match(u) and not u.startswith("/") for u in all_uris(sarif))


def test_two_renders_are_byte_identical(report: Report) -> None:
    first = render(report)
    assert first == render(report) == render(scan([EXAMPLE]))
    assert first.endswith("}\n")


def test_driver_describes_every_rule_that_ran(report: Report, sarif: dict) -> None:
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "zerotrust-audit" and driver["version"] == report.tool_version
    assert [r["id"] for r in driver["rules"]][: len(report.rules)] == [r.id for r in report.rules]
    for rule, descriptor in zip(report.rules, driver["rules"]):
        assert descriptor["shortDescription"]["text"] == rule.title
        assert descriptor["fullDescription"]["text"] == rule.rationale
        assert rule.remediation in descriptor["help"]["text"] and rule.remediation in descriptor["help"]["markdown"]
        assert descriptor["helpUri"].endswith("docs/rules.md#" + rule.id.lower())
        assert re.fullmatch(r"[A-Z0-9][A-Za-z0-9]*", descriptor["name"])
        tags = descriptor["properties"]["tags"]
        assert tags == sorted(set(tags)) and {"security", rule.pillar} <= set(tags)
        float(descriptor["properties"]["security-severity"])
        assert isinstance(descriptor["properties"]["security-severity"], str)
    tags = {t for d in driver["rules"] for t in d["properties"]["tags"]}
    assert {"NIST SP 800-53", "CIS Controls v8", "NIST SP 800-207", "CISA ZTMM", "NIST SP 800-63B", "CISA SCuBA"} <= tags
    levels = {d["id"]: d["defaultConfiguration"]["level"] for d in driver["rules"]}
    assert levels["ZT-ACC-001"] == "error"  # critical


def test_every_finding_and_suppression_is_a_result(report: Report, sarif: dict) -> None:
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == len(report.findings) + len(report.suppressed) and report.suppressed
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        float(rules[result["ruleIndex"]]["properties"]["security-severity"])
    active = [r for r in results if "suppressions" not in r]
    accepted = [r for r in results if "suppressions" in r]
    assert [r["partialFingerprints"]["zerotrustAudit/v1"] for r in active] == [f.fingerprint for f in report.findings]
    assert [r["partialFingerprints"]["zerotrustAudit/v1"] for r in accepted] == [s.finding.fingerprint for s in report.suppressed]
    for result, suppressed in zip(accepted, report.suppressed):
        (suppression,) = result["suppressions"]
        assert suppression["kind"] == "external" and suppression["status"] == "accepted"
        assert suppression["justification"] == suppressed.waiver["reason"]
        assert suppression["properties"] == suppressed.waiver
    for result, finding in zip(active, report.findings):
        (location,) = result["locations"]
        assert location["physicalLocation"]["region"] == {"startLine": finding.location.line, "startColumn": finding.location.column}
        assert location["logicalLocations"][0]["fullyQualifiedName"] == f"{finding.entity_kind}/{finding.entity_name}"
        assert result["message"]["text"] == finding.message
    artifacts = run["artifacts"]
    assert [(a["location"]["uri"], a["hashes"]["sha-256"]) for a in artifacts] == [(i.path, i.sha256) for i in report.inputs]


def test_fingerprints_survive_moved_lines(tmp_path: Path, sarif: dict) -> None:
    copy = tmp_path / "acme"
    shutil.copytree(EXAMPLE, copy)
    target = "devices/laptops.yaml"
    path = copy / target
    path.write_text("#\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    moved = json.loads(render(scan([copy])))

    def of_file(log: dict) -> dict[str, int]:
        return {
            r["partialFingerprints"]["zerotrustAudit/v1"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
            for r in log["runs"][0]["results"]
            if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == target
        }

    before, after = of_file(sarif), of_file(moved)
    assert before and set(before) == set(after)
    assert all(after[fp] == line + 1 for fp, line in before.items()), "the lines did move"


def synthetic_report() -> Report:
    hostile = 'quote " <script>alert(1)</script>\nsecond line \\ \u00e9 \u2028'
    location = Location("odd dir/a#b.yaml", 3, 7)
    unknown = Finding(
        rule_id="ZT-TST-999", title="Test <rule> \"x\"", severity="medium", pillar="data", entity_kind="resource",
        entity_name=hostile, location=location, message=hostile, remediation="Fix </script> it", references=("NIST SP 800-53 AC-3",),
        evidence={"resource": hostile, "nested": [1, None, True]},
    )
    known = Finding(
        rule_id="ZT-ACC-001", title="Default action is allow", severity="critical", pillar="governance", entity_kind="organization",
        entity_name="Acme", location=Location("organization.yaml", 2, 1), message="m", remediation="r", references=(),
    )
    return Report(
        tool_version="0.0.0", audit_date=dt.date(2026, 11, 1), findings=[unknown], rules=[],
        suppressed=[Suppressed(known, {"kind": "baseline", "reason": hostile, "file": "base.json"})],
        inputs=[InputFile("odd dir/a#b.yaml", "0" * 64, 1)],
    )


def test_hostile_text_stays_valid_json_and_round_trips() -> None:
    report = synthetic_report()
    text = render(report)
    log = json.loads(text)
    assert schema_errors(log) == []
    unknown, accepted = log["runs"][0]["results"]
    hostile = report.findings[0].message
    assert unknown["message"]["text"] == hostile
    assert unknown["locations"][0]["logicalLocations"][0]["name"] == hostile
    assert unknown["properties"]["evidence"]["resource"] == hostile
    assert accepted["suppressions"][0]["justification"] == hostile
    assert "</script>\nsecond" not in text and "</script>\\nsecond" in text, "the newline is escaped"
    assert all(URI_CHARS.match(u) for u in all_uris(log))
    assert unknown["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "odd%20dir/a%23b.yaml"


def test_rules_of_findings_outside_report_rules_are_added() -> None:
    log = json.loads(render(synthetic_report()))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["ZT-TST-999", "ZT-ACC-001"]
    for result in log["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert rules[1]["fullDescription"]["text"] == RULES_BY_ID["ZT-ACC-001"].rationale, "the pack's metadata when known"
    assert rules[0]["defaultConfiguration"]["level"] == "warning"
    assert rules[0]["properties"]["security-severity"] == "5.5"
    assert rules[0]["properties"]["tags"] == ["NIST SP 800-53", "data", "security"]


def test_inline_suppressions_are_in_source_and_baselines_external(tmp_path: Path) -> None:
    from zerotrust_audit.baseline import apply_baseline
    from zerotrust_audit.api import ScanOptions, scan

    (tmp_path / "p.yaml").write_text(
        "version: 1\norganization: {name: X, default_action: deny, audit_date: 2026-11-01}\nresources:\n"
        "  - {name: a, type: app, sensitivity: internal, exposure: internal, logging: true}  # ztaudit: ignore[ZT-APP-004] retiring\n"
        "  - {name: b, type: app, sensitivity: internal, exposure: internal, logging: true}\n"
    )
    report = scan([tmp_path], ScanOptions(select=("ZT-APP-004",)))
    report = apply_baseline(report, {f.fingerprint: {"rule_id": f.rule_id} for f in report.findings}, "bl.json")
    kinds = {r["locations"][0]["logicalLocations"][0]["name"]: r["suppressions"][0]["kind"]
             for r in json.loads(render(report))["runs"][0]["results"]}
    assert kinds == {"a": "inSource", "b": "external"}
