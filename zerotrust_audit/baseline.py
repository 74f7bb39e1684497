"""Baselines: adopt the tool on a repository that already has findings.

``ztaudit baseline`` records every current finding by its fingerprint (rule,
entity and distinguishing facts, never the line). ``scan --baseline FILE``
then reports only findings that are not in it, lists the recorded ones that
are gone (fixed), and moves the rest to the suppressed list, marked as
accepted by the baseline. Because the entity is part of the fingerprint, a
new finding of an old rule on another entity is always reported.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from zerotrust_audit import __version__
from zerotrust_audit.errors import UsageError
from zerotrust_audit.findings import Finding, Report, Suppressed
from zerotrust_audit.report import jsontext

BASELINE_VERSION = 1


def baseline_json(report: Report) -> str:
    """The baseline file for a report: sorted, deterministic, reviewable in a diff."""
    entries = sorted(
        ({"fingerprint": f.fingerprint, "rule_id": f.rule_id, "entity": {"kind": f.entity_kind, "name": f.entity_name},
          "message": f.message} for f in report.findings),
        key=lambda e: (e["rule_id"], e["entity"]["kind"], e["entity"]["name"], e["fingerprint"]),
    )
    data = {"version": BASELINE_VERSION, "tool": {"name": "zerotrust-audit", "version": __version__}, "findings": entries}
    return jsontext.dumps(data, levels=2)


def load_baseline(path: Path) -> dict[str, dict[str, Any]]:
    """fingerprint -> recorded entry. A missing or malformed file is a usage error."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"baseline {path} is not valid JSON: {exc}") from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION or not isinstance(entries, list):
        raise UsageError(f"baseline {path} is not a version {BASELINE_VERSION} ztaudit baseline (create one with 'ztaudit baseline')")
    recorded = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise UsageError(f"baseline {path}: every finding needs a fingerprint")
        recorded[entry["fingerprint"]] = entry
    return recorded


def apply_baseline(report: Report, recorded: dict[str, dict[str, Any]], source: str, reason: str | None = None) -> Report:
    """New findings stay; recorded ones are suppressed; missing ones are listed as fixed."""
    new: list[Finding] = []
    suppressed = list(report.suppressed)
    seen = set()
    for finding in report.findings:
        if finding.fingerprint in recorded:
            seen.add(finding.fingerprint)
            suppressed.append(Suppressed(finding, {"kind": "baseline", "reason": reason or f"recorded in baseline {source}", "file": source}))
        else:
            new.append(finding)
    ran = {r.id for r in report.rules}
    fixed = sorted(
        (e for fp, e in recorded.items() if fp not in seen and e.get("rule_id") in ran),
        key=lambda e: (str(e.get("rule_id")), json.dumps(e.get("entity"), sort_keys=True)),
    )
    suppressed.sort(key=lambda s: s.finding.sort_key())
    return replace(report, findings=new, suppressed=suppressed, extra={**report.extra, "baseline": {"file": source, "fixed": fixed}})
