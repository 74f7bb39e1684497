"""Output of the access map: text grouped by resource, JSON, and spreadsheet-safe CSV.

Writers stream entry by entry to a text stream: an enterprise access map has
millions of rows and must not be built as one string.
"""

from __future__ import annotations

import csv
from functools import lru_cache
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


@lru_cache(maxsize=4096)
def conditions_words(c: Conditions) -> str:
    parts = [f"mfa {c.mfa}", f"device {c.device}"]
    parts.append("networks " + (", ".join(c.networks) if c.networks is not None else "any"))
    parts.append("countries " + (", ".join(c.countries) if c.countries is not None else "any"))
    return "; ".join(parts)


@lru_cache(maxsize=65536)
def _via(weakest: str, rules: tuple[str, ...]) -> str:
    others = [r for r in rules if r != weakest]
    return weakest + (f" (weakest; also {', '.join(others)})" if others else "")


def write_text(entries: Iterable[AccessEntry], out: TextIO) -> int:
    """Grouped by resource. Names cannot hold control characters (the name
    pattern), so only the resource heading, once per group, needs escaping."""
    count, current = 0, None
    lines: list[str] = []
    write = lines.append  # flushed once per resource: millions of small writes cost seconds
    for e in entries:
        if e.resource != current:
            out.write("".join(lines))
            lines.clear()
            if current is not None:
                write("\n")
            current = e.resource
            write(f"{terminal(e.resource)} ({e.sensitivity})\n")
        devices = ", ".join(e.endpoints)
        if e.unregistered_device:
            devices = devices + ", unregistered device" if devices else "unregistered device"
        reach = "" if e.reachable else "  [cannot present these conditions]"
        write(
            f"  {e.user} ({e.user_type}{', privileged' if e.privileged else ''}, effective MFA: {e.effective_mfa})"
            f" via {_via(e.weakest_rule, e.rules)}: {conditions_words(e.conditions)}; admitted: {devices or 'no device'}{reach}\n"
        )
        count += 1
    out.write("".join(lines))
    out.write(f"\n{count} user-resource grant{'s' if count != 1 else ''}.\n" if count else "No access granted.\n")
    return count


def entry_dict(e: AccessEntry) -> dict[str, Any]:
    data = e._asdict()
    data["conditions"] = asdict(e.conditions)
    for key in ("networks", "countries"):
        value = data["conditions"][key]
        data["conditions"][key] = list(value) if value is not None else None
    data["rules"], data["endpoints"] = list(e.rules), list(e.endpoints)
    return data


@lru_cache(maxsize=65536)
def _json_of(value: object) -> str:
    """JSON text of a value shared by many entries (conditions, rule lists)."""
    if isinstance(value, Conditions):
        return json.dumps(entry_dict_conditions(value), sort_keys=True, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


def entry_dict_conditions(c: Conditions) -> dict[str, Any]:
    data = asdict(c)
    for key in ("networks", "countries"):
        data[key] = list(data[key]) if data[key] is not None else None
    return data


_QUOTED: dict[object, str] = {}


def _quoted(value: object) -> str:
    """json.dumps of a name or a tuple of names, remembered: names repeat across entries."""
    text = _QUOTED.get(value)
    if text is None:
        text = json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)
        if len(_QUOTED) < 1_000_000:
            _QUOTED[value] = text
    return text


def entry_json(e: AccessEntry) -> str:
    """The same text as ``json.dumps(entry_dict(e), sort_keys=True)``, built from
    cached parts: an access map has millions of entries."""
    s = _quoted
    return (
        f'{{"conditions": {_json_of(e.conditions)}, "effective_mfa": {s(e.effective_mfa)}, "endpoints": {s(e.endpoints)}, '
        f'"privileged": {"true" if e.privileged else "false"}, "reachable": {"true" if e.reachable else "false"}, '
        f'"resource": {s(e.resource)}, "rules": {_json_of(e.rules)}, "sensitivity": {s(e.sensitivity)}, '
        f'"unregistered_device": {"true" if e.unregistered_device else "false"}, "user": {s(e.user)}, '
        f'"user_type": {s(e.user_type)}, "weakest_rule": {s(e.weakest_rule)}}}'
    )


def write_json(entries: Iterable[AccessEntry], out: TextIO, header: dict[str, Any]) -> int:
    """``{...header, "grants": [...]}``, keys sorted, one entry per line: deterministic and streamable."""
    head = json.dumps(header, sort_keys=True, ensure_ascii=False)
    out.write(head[:-1] + (", " if header else "") + '"grants": [')
    count, batch = 0, []
    for e in entries:
        batch.append(("," if count else "") + "\n  " + entry_json(e))
        count += 1
        if len(batch) >= 4096:
            out.write("".join(batch))
            batch.clear()
    out.write("".join(batch))
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
