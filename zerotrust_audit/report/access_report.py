"""Output of the access map: text grouped by resource, JSON, and spreadsheet-safe CSV.

Writers stream entry by entry to a text stream: an enterprise access map has
millions of rows and must not be built as one string.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any, TextIO

from zerotrust_audit.analysis.access_map import AccessEntry, Conditions
from zerotrust_audit.report.escape import spreadsheet_cell, terminal

CSV_COLUMNS = (
    "resource", "sensitivity", "user", "user_type", "privileged", "effective_mfa", "rules", "weakest_rule",
    "mfa_required", "device_required", "networks", "countries", "admitted_endpoints", "unregistered_device", "reachable",
)


def conditions_words(c: Conditions) -> str:
    parts = [f"mfa {c.mfa}", f"device {c.device}"]
    parts.append("networks " + (", ".join(c.networks) if c.networks is not None else "any"))
    parts.append("countries " + (", ".join(c.countries) if c.countries is not None else "any"))
    return "; ".join(parts)


def _via(e: AccessEntry) -> str:
    others = [r for r in e.rules if r != e.weakest_rule]
    return e.weakest_rule + (f" (weakest; also {', '.join(others)})" if others else "")


def write_text(entries: Iterable[AccessEntry], out: TextIO) -> int:
    count, current = 0, None
    for e in entries:
        if e.resource != current:
            if current is not None:
                out.write("\n")
            current = e.resource
            out.write(f"{terminal(e.resource)} ({e.sensitivity})\n")
        devices = ", ".join(e.endpoints) + (", unregistered device" if e.unregistered_device and e.endpoints else "unregistered device" if e.unregistered_device else "")
        reach = "" if e.reachable else "  [cannot present these conditions]"
        out.write(
            f"  {terminal(e.user)} ({e.user_type}{', privileged' if e.privileged else ''}, effective MFA: {e.effective_mfa})"
            f" via {terminal(_via(e))}: {terminal(conditions_words(e.conditions))}; admitted: {terminal(devices) or 'no device'}{reach}\n"
        )
        count += 1
    out.write(f"\n{count} user-resource grant{'s' if count != 1 else ''}.\n" if count else "No access granted.\n")
    return count


def entry_dict(e: AccessEntry) -> dict[str, Any]:
    data = asdict(e)
    data["conditions"]["networks"] = list(e.conditions.networks) if e.conditions.networks is not None else None
    data["conditions"]["countries"] = list(e.conditions.countries) if e.conditions.countries is not None else None
    data["rules"], data["endpoints"] = list(e.rules), list(e.endpoints)
    return data


def write_json(entries: Iterable[AccessEntry], out: TextIO, header: dict[str, Any]) -> int:
    """``{...header, "grants": [...]}``, keys sorted, one entry per line: deterministic and streamable."""
    head = json.dumps(header, sort_keys=True, ensure_ascii=False)
    out.write(head[:-1] + (", " if header else "") + '"grants": [')
    count = 0
    for e in entries:
        out.write(("," if count else "") + "\n  " + json.dumps(entry_dict(e), sort_keys=True, ensure_ascii=False))
        count += 1
    out.write("\n]}\n" if count else "]}\n")
    return count


def write_csv(entries: Iterable[AccessEntry], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for e in entries:
        c = e.conditions
        row = [
            e.resource, e.sensitivity, e.user, e.user_type, str(e.privileged).lower(), e.effective_mfa, ";".join(e.rules), e.weakest_rule,
            c.mfa, c.device, ";".join(c.networks) if c.networks is not None else "any",
            ";".join(c.countries) if c.countries is not None else "any", ";".join(e.endpoints),
            str(e.unregistered_device).lower(), str(e.reachable).lower(),
        ]
        writer.writerow([spreadsheet_cell(cell) for cell in row])
        count += 1
    return count
