"""Output of a what-if question: the decision, the request as decided, and a rule-by-rule trace."""

from __future__ import annotations

import json
from typing import Any

from zerotrust_audit.analysis.access import Check
from zerotrust_audit.analysis.whatif import RuleTrace, WhatIf
from zerotrust_audit.report.escape import terminal


def _check(c: Check) -> str:
    return f"{c.condition}: {'held' if c.held else 'FAILED'} ({c.why})"


def _trace_lines(t: RuleTrace) -> list[str]:
    head = f"  {t.rule} ({t.effect}): "
    if not t.in_force:
        return [head + f"not in force: {t.not_in_force_because}"]
    if not t.subjects.held:
        return [head + f"subjects do not match: {t.subjects.why}"]
    if not t.resources.held:
        return [head + f"resources do not match: {t.resources.why}"]
    lines = [head + ("APPLIES" if t.applies else "does not apply") + f": subjects match ({t.subjects.why}); resources match ({t.resources.why})"]
    lines += [f"      {_check(c)}" for c in t.conditions] or ["      no conditions"]
    return lines


def render_text(result: WhatIf) -> str:
    d, r = result.decision, result.request
    if d.reason == "rule":
        because = f"allowed by {', '.join(d.allow_rules)}" if d.effect == "allow" else f"denied by {', '.join(d.deny_rules)}"
    elif d.reason == "default":
        because = f"no rule matched; default_action is {d.effect}"
    else:
        because = "the user is disabled" if d.reason == "disabled" else d.reason
    lines = [
        f"Decision: {d.effect.upper()} ({because})",
        f"Request: {r.user} -> {r.resource} from {r.endpoint or 'an unregistered device'}, network {r.network or 'any'}, "
        f"MFA {r.mfa}, country {r.country or 'any'}",
    ]
    if result.assumed:
        lines.append("Not specified, so assumed:")
        lines += [f"  {name}: {how}" for name, how in result.assumed.items()]
    lines.append("Rules:")
    for t in result.traces:
        lines += _trace_lines(t)
    return "\n".join(terminal(line) for line in lines) + "\n"


def result_dict(result: WhatIf) -> dict[str, Any]:
    d, r = result.decision, result.request
    return {
        "decision": d.effect,
        "reason": d.reason,
        "allow_rules": list(d.allow_rules),
        "deny_rules": list(d.deny_rules),
        "request": {"user": r.user, "resource": r.resource, "endpoint": r.endpoint, "network": r.network, "mfa": r.mfa, "country": r.country},
        "assumed": result.assumed,
        "allowed_for_some_choice": result.allowed_somehow,
        "rules": [
            {
                "rule": t.rule, "effect": t.effect, "in_force": t.in_force, "not_in_force_because": t.not_in_force_because or None,
                "subjects": {"matched": t.subjects.held, "why": t.subjects.why},
                "resources": {"matched": t.resources.held, "why": t.resources.why},
                "conditions": [{"condition": c.condition, "held": c.held, "why": c.why} for c in t.conditions],
                "applies": t.applies,
            }
            for t in result.traces
        ],
    }


def render_json(result: WhatIf) -> str:
    return json.dumps(result_dict(result), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
