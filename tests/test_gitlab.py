"""GitLab Code Quality: the issue shape GitLab reads, the severity scale, and
fingerprints that tell issues apart."""

from __future__ import annotations

import json

import pytest
from reporting import example_report, make_finding, make_report

from zerotrust_audit.findings import Suppressed
from zerotrust_audit.report import gitlab
from zerotrust_audit.report import jsontext

KEYS = {"description", "check_name", "fingerprint", "severity", "location", "categories", "content"}


def test_issue_structure_on_the_example() -> None:
    report = example_report()
    issues = json.loads(gitlab.render(report))
    assert isinstance(issues, list) and len(issues) == len(report.findings)
    for issue, finding in zip(issues, report.findings):
        assert set(issue) == KEYS
        assert issue["description"] == finding.message
        assert issue["check_name"] == finding.rule_id
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"] == {"path": finding.location.path, "lines": {"begin": finding.location.line}}
        assert issue["categories"] == ["Security"]
        assert issue["content"] == {"body": finding.remediation}


def test_only_unsuppressed_findings() -> None:
    waived = make_finding(entity_name="svc")
    issues = json.loads(gitlab.render(make_report([make_finding()], [Suppressed(waived, {"kind": "waiver", "reason": "ok"})])))
    assert [i["fingerprint"] for i in issues] == [make_finding().fingerprint]
    example = example_report()
    assert {s.finding.fingerprint for s in example.suppressed}.isdisjoint(i["fingerprint"] for i in json.loads(gitlab.render(example)))


@pytest.mark.parametrize(
    ("severity", "expected"),
    [("critical", "critical"), ("high", "major"), ("medium", "minor"), ("low", "info"), ("info", "info")],
)
def test_severity_mapping(severity: str, expected: str) -> None:
    (issue,) = json.loads(gitlab.render(make_report([make_finding(severity=severity)])))
    assert issue["severity"] == expected


def test_fingerprints_are_the_findings_and_unique_on_the_example() -> None:
    report = example_report()
    prints = [i["fingerprint"] for i in json.loads(gitlab.render(report))]
    assert prints == [f.fingerprint for f in report.findings]
    assert len(set(prints)) == len(prints)


def test_findings_the_fingerprint_cannot_tell_apart_still_get_unique_ones() -> None:
    same = [make_finding(message="one"), make_finding(message="two"), make_finding(message="three")]
    prints = [i["fingerprint"] for i in json.loads(gitlab.render(make_report(same)))]
    assert prints[0] == same[0].fingerprint
    assert len(set(prints)) == 3 and all(len(p) == 32 for p in prints)
    assert prints == [i["fingerprint"] for i in json.loads(gitlab.render(make_report(same)))]


def test_no_remediation_no_content() -> None:
    (issue,) = json.loads(gitlab.render(make_report([make_finding(remediation="")])))
    assert "content" not in issue


def test_output_is_sorted_deterministic_json() -> None:
    text = gitlab.render(example_report())
    assert text == gitlab.render(example_report())
    issues = json.loads(text)
    assert text == jsontext.dumps(issues, levels=1)          # canonical: keys sorted
    assert [json.loads(line.rstrip(",")) for line in text.splitlines()[1:-1]] == issues   # one issue per line
    assert gitlab.render(make_report([])) == "[]\n"
