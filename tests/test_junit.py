"""JUnit XML: counts a dashboard shows match the report, the file validates,
and hostile text from policy files cannot break the XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from junitparser import Failure, JUnitXml, Skipped
from reporting import RULE, example_report, make_finding, make_report

from zerotrust_audit.findings import Suppressed
from zerotrust_audit.report import junit
from zerotrust_audit.rules import ALL_RULES

XSD = Path(__file__).resolve().parent / "data" / "junit.xsd"


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(XSD)


def parse(text: str) -> JUnitXml:
    return JUnitXml.fromstring(text.encode("utf-8"))  # bytes: the text declares its encoding


def test_suites_cases_and_failures_match_the_report() -> None:
    report = example_report()
    xml = parse(junit.render(report))
    failing = {(f.rule_id, f.entity_kind, f.entity_name) for f in report.findings}
    waived = {(s.finding.rule_id, s.finding.entity_kind, s.finding.entity_name) for s in report.suppressed} - failing
    clean = {r.id for r in report.rules} - {key[0] for key in failing}
    assert report.suppressed and clean and len(failing) < len(report.findings)  # the example exercises every kind

    suites = list(xml)
    assert [s.name for s in suites] == [f"{r.id} {r.title}" for r in report.rules]
    seen_failing, seen_waived, seen_clean = set(), set(), set()
    for suite in suites:
        cases = list(suite)
        assert int(suite.tests) == len(cases)
        assert int(suite.failures) == sum(c.is_failure for c in cases)
        assert int(suite.skipped) == sum(c.is_skipped for c in cases)
        assert int(suite.errors) == 0
        for case in cases:
            entity_kind, _, entity_name = case.name.partition("/")
            key = (case.classname, entity_kind, entity_name)
            if case.is_failure:
                seen_failing.add(key)
            elif case.is_skipped:
                seen_waived.add(key)
            else:
                assert case.name == junit.PASSING_NAME
                seen_clean.add(case.classname)
    assert (seen_failing, seen_waived, seen_clean) == (failing, waived, clean)
    assert (int(xml.tests), int(xml.failures), int(xml.skipped)) == (len(failing) + len(waived) + len(clean), len(failing), len(waived))


def test_failure_carries_the_finding(schema: xmlschema.XMLSchema) -> None:
    finding = make_finding(references=("NIST SP 800-207 T6", "CIS 6.3"))
    text = junit.render(make_report([finding]))
    schema.validate(text)
    case = next(iter(next(iter(parse(text)))))
    (failure,) = case.result
    assert isinstance(failure, Failure)
    assert (failure.message, failure.type) == (finding.message, "high")
    assert (case.classname, case.name) == (RULE.id, "user/ana")
    element = ET.fromstring(text.encode("utf-8")).find("testsuite/testcase")
    assert element is not None and (element.get("file"), element.get("line")) == ("identity/users.yaml", "3")
    for part in ("identity/users.yaml:3:5", finding.message, finding.remediation, "NIST SP 800-207 T6; CIS 6.3"):
        assert part in failure.text


def test_several_findings_on_one_entity_are_one_failed_case() -> None:
    findings = [make_finding(message="first", severity="medium"), make_finding(message="second", severity="critical")]
    (case,) = next(iter(parse(junit.render(make_report(findings)))))
    (failure,) = case.result
    assert failure.type == "critical"  # the worst of them
    assert failure.message == "2 findings: first; second"


def test_waived_finding_is_skipped_and_rule_without_findings_passes() -> None:
    waived = Suppressed(make_finding(), {"kind": "waiver", "reason": "accepted risk RISK-1"})
    other = ALL_RULES[1]
    xml = parse(junit.render(make_report([], [waived], rules=[RULE, other])))
    first, second = list(xml)
    skipped = [c for c in first if c.is_skipped]
    assert len(skipped) == 1 and isinstance(skipped[0].result[0], Skipped)
    assert skipped[0].result[0].message == "waived: accepted risk RISK-1"
    assert [(c.name, c.is_passed) for c in second] == [(junit.PASSING_NAME, True)]


def test_example_validates_against_the_junit_schema(schema: xmlschema.XMLSchema) -> None:
    schema.validate(junit.render(example_report()))


def test_schema_is_not_a_rubber_stamp(schema: xmlschema.XMLSchema) -> None:
    text = junit.render(example_report())
    assert not schema.is_valid(text.replace('<testsuites name="ztaudit" tests=', '<testsuites name="ztaudit" count=', 1))
    assert not schema.is_valid(text.replace('type="high"', 'type="severe"', 1))


@pytest.mark.parametrize("message", ['a < b & "c" \'d\' \x1b[31mred\x1b[0m', "nul\x00 and \ufffe", "]]> </failure>"])
def test_hostile_text_gives_well_formed_xml(schema: xmlschema.XMLSchema, message: str) -> None:
    text = junit.render(make_report([make_finding(message=message, remediation=message)]))
    schema.validate(text)
    failure = ET.fromstring(text.encode("utf-8")).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == junit.xml_text(message)
    assert "\x1b" not in text and "\x00" not in text
    if "\x1b" in message:
        assert failure.get("message") == 'a < b & "c" \'d\' \\x1b[31mred\\x1b[0m'


def test_output_is_deterministic() -> None:
    assert junit.render(example_report()) == junit.render(example_report())
    assert "time=\"0\"" in junit.render(example_report())
