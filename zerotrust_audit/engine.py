"""Run the selected rules over the derived facts and stamp their findings.

The engine owns everything a rule should not care about: its metadata on each
finding, the location of the entity (or the field) to fix, deterministic
order, and the waivers that accept a finding until they expire.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter

from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.errors import Location
from zerotrust_audit.findings import Finding, Suppressed
from zerotrust_audit.forked import run_tasks
from zerotrust_audit.model.entities import Waiver
from zerotrust_audit.progress import SILENT, Progress
from zerotrust_audit.rules.base import Hit, Rule

UNUSED_WAIVER_RULE = "ZT-GOV-004"


# Below this many users, endpoints and resources together, forking a worker
# costs more than the rules take.
PARALLEL_MIN_ENTITIES = 2_000


def evaluate(
    facts: Facts, rules: Iterable[Rule], all_rules: dict[str, Rule], progress: Progress = SILENT, jobs: int = 1
) -> tuple[list[Finding], list[Suppressed]]:
    """Findings of ``rules``, with waived ones moved to the suppressed list.

    With ``jobs`` > 1 on a large inventory, rules are shared between this
    process and forked workers; the result is the same as with one.
    """
    selected = list(rules)
    inventory = facts.inventory
    if len(inventory.users) + len(inventory.endpoints) + len(inventory.resources) < PARALLEL_MIN_ENTITIES:
        jobs = 1

    def check(index: int) -> list[Finding]:
        rule = selected[index]
        return [finding_of(rule, hit, facts) for hit in rule.check(facts)]

    def started(index: int) -> None:
        progress.update("evaluating rules", index + 1, len(selected))

    if jobs > 1:
        facts.prepare_shared()   # before forking, so that workers share it
    raw = [finding for found in run_tasks(len(selected), check, jobs, started) for finding in found]
    findings, suppressed, used = _apply_waivers(raw, facts)
    unused = all_rules.get(UNUSED_WAIVER_RULE)
    if unused is not None and unused in selected:
        ran = {r.id for r in selected}
        for index, waiver in enumerate(facts.inventory.waivers):
            if index not in used and waiver.rule in ran and not _expired(waiver, facts):
                hit = Hit("waiver", waiver.name, f"waiver of {waiver.rule} for {waiver.target.kind} '{waiver.target.name}' suppressed no finding in this run")
                findings.append(finding_of(unused, hit, facts, waiver_index=index))
    suppressed.sort(key=lambda s: s.finding.sort_key())
    return _sorted_unique(findings), suppressed


def finding_of(rule: Rule, hit: Hit, facts: Facts, waiver_index: int | None = None) -> Finding:
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        severity=hit.severity or rule.severity,
        pillar=rule.pillar,
        entity_kind=hit.kind,
        entity_name=hit.name,
        location=_location(hit, facts, waiver_index),
        message=hit.message,
        remediation=rule.remediation,
        references=rule.references,
        evidence=hit.evidence,
        waivable_as=hit.waivable_as,
    )


def _location(hit: Hit, facts: Facts, waiver_index: int | None) -> Location:
    sources = facts.inventory.sources
    if hit.kind == "waiver" and waiver_index is not None and waiver_index < len(sources.waivers):
        source = sources.waivers[waiver_index]
        return source.field(*hit.field) if hit.field else source.location
    return sources.locate(hit.kind, hit.name, hit.field) or Location(sources.first_file, 1, 1)


def _expired(waiver: Waiver, facts: Facts) -> bool:
    return waiver.expires < facts.today


def _apply_waivers(raw: list[Finding], facts: Facts) -> tuple[list[Finding], list[Suppressed], set[int]]:
    valid = {}
    for index, waiver in enumerate(facts.inventory.waivers):
        if not _expired(waiver, facts):
            valid.setdefault((waiver.rule, waiver.target.kind, waiver.target.name), (index, waiver))
    findings, suppressed, used = [], [], set()
    for finding in raw:
        targets = ((finding.entity_kind, finding.entity_name), *finding.waivable_as)
        match = next((valid[(finding.rule_id, *t)] for t in targets if (finding.rule_id, *t) in valid), None)
        if match is None:
            findings.append(finding)
            continue
        index, waiver = match
        used.add(index)
        suppressed.append(Suppressed(finding, _waiver_dict(waiver, facts, index)))
    return findings, suppressed, used


def _waiver_dict(waiver: Waiver, facts: Facts, index: int) -> dict[str, object]:
    loc = facts.inventory.sources.waivers[index].location
    return {
        "kind": "waiver",
        "rule": waiver.rule,
        "target": {"kind": waiver.target.kind, "name": waiver.target.name},
        "reason": waiver.reason,
        "approved_by": waiver.approved_by,
        "approved_on": waiver.approved_on.isoformat() if waiver.approved_on else None,
        "expires": waiver.expires.isoformat(),
        "location": {"path": loc.path, "line": loc.line, "column": loc.column},
    }


def _sorted_unique(findings: list[Finding]) -> list[Finding]:
    """In report order, exact repeats dropped (two paths proving the same thing
    give one finding). The sort key holds every field that makes a finding
    the same (rule, entity, message, location), so repeats end up side by side."""
    keyed = sorted(zip(map(Finding.sort_key, findings), findings), key=itemgetter(0))
    out, last = [], None
    for key, finding in keyed:
        if key != last:
            out.append(finding)
            last = key
    return out
