"""The rule pack as a whole: registered, documented, tested, examples that work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rulecheck import hits

from zerotrust_audit.model.entities import ENTITY_KINDS
from zerotrust_audit.rules import ALL_RULES, RULES_BY_ID
from zerotrust_audit.rules.base import PILLARS, SEVERITIES
from zerotrust_audit.rules.thresholds import THRESHOLDS

RULE_TESTS = Path(__file__).parent / "rules"


def test_pack_has_at_least_sixty_rules_covering_every_pillar() -> None:
    assert len(ALL_RULES) >= 60
    assert {r.pillar for r in ALL_RULES} == set(PILLARS)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_metadata_is_complete(rule) -> None:
    assert re.fullmatch(r"ZT-(IDN|DEV|NET|ACC|APP|DAT|VIS|GOV)-\d{3}", rule.id)
    assert rule.severity in SEVERITIES and rule.pillar in PILLARS
    assert rule.entity_kind in ENTITY_KINDS
    assert rule.title and rule.rationale and rule.remediation
    assert rule.references, "every rule cites the framework it comes from"
    assert all(key in THRESHOLDS for key in rule.thresholds)
    assert rule.check.__doc__ is None or rule.check.__doc__.strip()


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_documented_examples_fail_and_pass(rule) -> None:
    """The examples `ztaudit explain` shows are real: one fires, its near twin does not."""
    files = rule.extra.get("example_files")  # certificates the examples point at
    select = rule.extra.get("example_select", (rule.id,))  # rules whose findings the example needs
    assert hits(rule.id, rule.failing_example, files, select), f"{rule.id} failing example does not fire"
    assert hits(rule.id, rule.passing_example, files, select) == [], f"{rule.id} passing example fires"


def test_every_rule_has_its_own_tests() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in RULE_TESTS.glob("test_*.py"))
    untested = [r.id for r in ALL_RULES if r.id not in text]
    assert untested == []


def test_registry_ids_are_unique_and_sorted() -> None:
    ids = [r.id for r in ALL_RULES]
    assert ids == sorted(set(ids))
    assert set(RULES_BY_ID) == set(ids)


def test_rule_reference_doc_is_current() -> None:
    """docs/rules.md is generated from the registry (ztaudit rules --format markdown)."""
    from zerotrust_audit.report.rules_doc import render_rules

    doc = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    assert doc.read_text(encoding="utf-8") == render_rules(ALL_RULES), "regenerate: ztaudit rules --format markdown > docs/rules.md"


def test_format_doc_lists_every_threshold() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "format.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", doc[doc.index("## 5. Thresholds"):], flags=re.M))
    assert listed == set(THRESHOLDS)
