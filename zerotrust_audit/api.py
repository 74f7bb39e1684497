"""The library API: load and check a policy repository, then scan it.

The ``ztaudit`` command line is a thin layer over these functions, so a
Python user gets exactly what the CLI does::

    from zerotrust_audit.api import ScanOptions, scan
    report = scan([Path("policies/acme")], ScanOptions(fail_on="high"))
    for finding in report.findings: ...
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zerotrust_audit import __version__
from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.engine import evaluate
from zerotrust_audit.errors import InputError, Location, Problem, UsageError
from zerotrust_audit.findings import Finding, Report
from zerotrust_audit.gcpause import gc_paused
from zerotrust_audit.inline import apply_inline
from zerotrust_audit.load import InputFile, Limits, load_paths
from zerotrust_audit.load.comments import InlineSuppression
from zerotrust_audit.model.certificates import load_gateway_certificates
from zerotrust_audit.model.inventory import merge_documents
from zerotrust_audit.model.references import check_references
from zerotrust_audit.progress import SILENT, Progress
from zerotrust_audit.rules import ALL_RULES, RULES_BY_ID
from zerotrust_audit.rules.base import SEVERITIES, Rule
from zerotrust_audit.rules.thresholds import check_thresholds, effective_thresholds
from zerotrust_audit.schema import validate_document
from zerotrust_audit.forked import default_jobs

FAIL_ON_CHOICES = (*SEVERITIES, "never")


@dataclass(frozen=True)
class ScanOptions:
    """What to run and when a scan counts as failed."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str = "low"
    today: dt.date | None = None     # "today" when the inventory sets no audit_date
    limits: Limits = Limits()
    inline_suppressions: bool = True  # honour "# ztaudit: ignore[...] reason" comments
    allowed_suppressions: tuple[str, ...] = ()  # rule ids or prefixes they may name (empty: any)
    progress: Progress = SILENT  # the CLI passes a terminal progress line
    thresholds: tuple[tuple[str, Any], ...] = ()  # repository defaults (from the configuration)
    jobs: int = 0  # processes for large inventories (0: one per CPU)


@dataclass
class Loaded:
    """A valid inventory with its derived facts and the files it came from."""

    facts: Facts
    inputs: list[InputFile]
    suppressions: list[InlineSuppression] = field(default_factory=list)


def load(
    paths: list[Path], limits: Limits = Limits(), today: dt.date | None = None, thresholds: dict[str, Any] | None = None,
    progress: Progress = SILENT, jobs: int = 0,
) -> Loaded:
    """Read, validate, merge and resolve a policy repository (``jobs``: processes
    for reading a large one; 0 is one per CPU).

    Raises :class:`InputError` with every problem of every file when the
    input is invalid; nothing is evaluated on an invalid inventory.
    """
    with gc_paused(freeze=True):
        return _load(paths, limits, today, thresholds or {}, progress, jobs or default_jobs())


def _load(paths: list[Path], limits: Limits, today: dt.date | None, thresholds: dict[str, Any], progress: Progress, jobs: int) -> Loaded:
    result = load_paths(paths, limits, progress=progress, jobs=jobs)
    problems: list[Problem] = list(result.problems)
    invalid = []
    for document in result.documents:
        checked = validate_document(document)
        problems.extend(checked.problems)
        invalid.append(checked.invalid)
    inventory, merge_problems = merge_documents(result.documents, result.root, invalid)
    problems.extend(merge_problems)
    problems.extend(check_references(inventory, RULES_BY_ID.__contains__))
    for s in result.suppressions:
        unknown = [r for r in s.rule_ids if r not in RULES_BY_ID]
        if unknown or not s.rule_ids:
            problems.append(Problem(Location(s.path, s.line, s.column), f"inline suppression names unknown rule id(s): {', '.join(unknown) or '(none)'}"))
    problems.extend(check_thresholds(inventory))
    certificates, cert_problems = load_gateway_certificates(inventory)
    problems.extend(cert_problems)
    if not result.files and not problems:
        problems.append(Problem(None, "no policy files (*.yaml, *.yml, *.json) found under " + ", ".join(str(p) for p in paths)))
    if problems:
        raise InputError(problems)
    org = inventory.organization
    audit_date = (org.audit_date if org else None) or today or dt.date.today()
    facts = Facts(inventory, audit_date, effective_thresholds(inventory, thresholds), certificates)
    return Loaded(facts, result.files, result.suppressions)


def select_rules(select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> list[Rule]:
    """Rules chosen by id or id prefix (``ZT-NET``); unknown ids are a usage error."""
    for pattern in (*select, *ignore):
        if not any(r.id.startswith(pattern) for r in ALL_RULES):
            raise UsageError(f"unknown rule id or prefix '{pattern}' (see 'ztaudit rules')")
    chosen = [r for r in ALL_RULES if not select or any(r.id.startswith(p) for p in select)]
    return [r for r in chosen if not any(r.id.startswith(p) for p in ignore)]


def scan(paths: list[Path], options: ScanOptions = ScanOptions()) -> Report:
    """Load the repository and evaluate the selected rules on it."""
    if options.fail_on not in FAIL_ON_CHOICES:
        raise UsageError(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}")
    rules = select_rules(options.select, options.ignore)
    loaded = load(paths, options.limits, options.today, dict(options.thresholds), options.progress, options.jobs)
    # frozen afterwards too: findings and derived facts live as long as the
    # report, and a full collection while it is written would rescan them all
    with gc_paused(freeze=True):
        findings, suppressed = evaluate(loaded.facts, rules, RULES_BY_ID, options.progress, options.jobs or default_jobs())
        options.progress.close()
        if options.inline_suppressions and loaded.suppressions:
            findings, accepted = apply_inline(
                findings, loaded.suppressions, loaded.facts.inventory.sources, rules, RULES_BY_ID, options.allowed_suppressions
            )
            findings.sort(key=Finding.sort_key)
            suppressed = sorted([*suppressed, *accepted], key=lambda s: s.finding.sort_key())
    return Report(
        tool_version=__version__,
        audit_date=loaded.facts.today,
        findings=findings,
        suppressed=suppressed,
        rules=rules,
        inputs=loaded.inputs,
        fail_on=options.fail_on,
        jobs=options.jobs or default_jobs(),
    )
