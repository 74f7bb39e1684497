"""GitHub Actions: annotations escaped by GitHub's rules, one per finding that
counts, and a job summary that shows hostile text instead of rendering it."""

from __future__ import annotations

import re

import pytest
from reporting import example_report, make_finding, make_report

from zerotrust_audit.errors import Location
from zerotrust_audit.findings import Suppressed
from zerotrust_audit.report import github

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("50% done", "50%25 done", "50%25 done"),
        ("one\ntwo\r\nthree", "one%0Atwo%0D%0Athree", "one%0Atwo%0D%0Athree"),
        ("a,b:c", "a,b:c", "a%2Cb%3Ac"),
        ("%0A", "%250A", "%250A"),  # an escape sequence in the input stays literal
    ],
)
def test_escaping(text: str, data: str, prop: str) -> None:
    assert github.escape_data(text) == data
    assert github.escape_property(text) == prop


def test_annotation_line() -> None:
    finding = make_finding(location=Location("team,a/rules:v2.yaml", 7, 3), message="100% open\nto all")
    assert github.render(make_report([finding])) == (
        f"::error file=team%2Ca/rules%3Av2.yaml,line=7,col=3,title={finding.rule_id} {finding.title}::100%25 open%0Ato all\n"
    )


def test_a_message_cannot_start_a_workflow_command() -> None:
    text = github.render(make_report([make_finding(message="x\n::add-mask::secret\r\n::stop-commands::t")]))
    # GitHub reads a command only at the start of a line: one line is one command
    assert text.count("\n") == 1 and text.endswith("::x%0A::add-mask::secret%0D%0A::stop-commands::t\n")


@pytest.mark.parametrize(
    ("severity", "level"),
    [("critical", "error"), ("high", "error"), ("medium", "warning"), ("low", "notice"), ("info", "notice")],
)
def test_levels(severity: str, level: str) -> None:
    assert github.render(make_report([make_finding(severity=severity)])).startswith(f"::{level} file=")


def test_one_annotation_per_unsuppressed_finding_of_the_example() -> None:
    report = example_report()
    lines = github.render(report).splitlines()
    assert report.suppressed and len(lines) == len(report.findings)
    assert all(re.match(r"::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,title=ZT-[A-Z]+-\d+ [^:]+::.+", line) for line in lines)
    waived = report.suppressed[0].finding
    assert not any(f"title={waived.rule_id} " in line and waived.location.path in line for line in lines)


def test_no_findings_no_annotations() -> None:
    assert github.render(make_report([])) == ""


def test_summary_escapes_html_and_markdown() -> None:
    message = "</details><script>alert(1)</script> | `code` & [link](https://x) *b* \x1b[31m\nnext"
    summary = github.summary_markdown(make_report([make_finding(message=message)]))
    for raw in ("<script>", "</details>", "</script>", "`code`", "[link]", "\x1b"):
        assert raw not in summary
    assert "&lt;/details&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in summary
    assert "\\| \\`code\\` &amp; \\[link\\](https://x) \\*b\\* \\\\x1b\\[31m next" in summary
    row = [line for line in summary.splitlines() if "alert" in line]
    assert len(row) == 1 and len(UNESCAPED_PIPE.split(row[0])) == 6  # four cells, the row intact


def test_summary_of_the_example() -> None:
    report = example_report()
    summary = github.summary_markdown(report)
    assert summary.startswith(f"## ztaudit: {len(report.findings)} findings\n")
    for severity, count in report.by_severity().items():
        assert f"| {severity} | {count} |" in summary
    rows = [line for line in summary.splitlines() if line.startswith("| ") and "ZT-" in line]
    assert len(rows) == len(report.findings)
    ranks = ["critical", "high", "medium", "low", "info"]
    assert [ranks.index(r.split(" | ")[0][2:]) for r in rows] == sorted(ranks.index(f.severity) for f in report.findings)
    assert summary == github.summary_markdown(report)


def test_summary_without_findings() -> None:
    waived = Suppressed(make_finding(), {"kind": "waiver", "reason": "ok"})
    summary = github.summary_markdown(make_report([], [waived]))
    assert summary.startswith("## ztaudit: 0 findings\n") and "1 suppressed" in summary and "| message |" not in summary


def test_summary_stays_under_the_size_github_accepts() -> None:
    findings = [make_finding(entity_name=f"u{i}", message="x" * 2000) for i in range(1000)]
    summary = github.summary_markdown(make_report(findings))
    assert len(summary.encode("utf-8")) <= 1024 * 1024
    shown = summary.count("| high | ZT-")
    assert 0 < shown < 1000 and f"{1000 - shown} more not shown" in summary
