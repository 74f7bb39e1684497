"""ZT-VIS: visibility and logging: can an intrusion through remote access be seen and traced?

Zero trust assumes breach; what is not logged, kept and collected centrally
cannot be detected or investigated afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

from zerotrust_audit.analysis.access import Path
from zerotrust_audit.analysis.facts import SENSITIVE, Facts
from zerotrust_audit.rules.base import Hit, refs, rule

_ORG = "organization: {name: Acme Corp, default_action: deny, audit_date: 2026-11-01}\n"
_GATEWAY = """\
vpn_gateways:
  - name: vpn-eu
    protocol: ipsec-ikev2
    authentication: {mfa_required: true, methods: [certificate, saml]}
    posture_check: true
    split_tunnel: false
    full_network_access: false
"""


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


@rule(
    id="ZT-VIS-001",
    title="VPN gateway logging off",
    severity="high",
    pillar="visibility",
    entity_kind="vpn_gateway",
    references=refs(
        tenets=("T7",),
        ztmm=("Cross-cutting/Visibility & Analytics",),
        sp800_53=("AU-2", "AU-12", "AC-17(1)"),
        cis=("8.2", "8.5"),
        scuba=("MS.AAD.4.1v1",),
    ),
    rationale="Gateway logs are often the only record of who connected from where during an intrusion.",
    remediation="Log authentications, sessions and configuration changes on the gateway and forward them to the SOC.",
    failing_example="version: 1\n" + _GATEWAY + "    logging: false\n",
    passing_example="version: 1\n" + _GATEWAY + "    logging: true\n",
)
def gateway_logging_off(facts: Facts) -> Iterator[Hit]:
    """The front door of remote access must leave a trace of everyone who came through it."""
    for name, gateway in sorted(facts.inventory.vpn_gateways.items()):
        if not gateway.logging:
            yield Hit("vpn_gateway", name, f"VPN gateway '{name}' does not log connections", field=("logging",))


@rule(
    id="ZT-VIS-002",
    title="Sensitive resource logging off",
    severity="high",
    severity_note="low for public and internal resources",
    pillar="visibility",
    entity_kind="resource",
    references=refs(
        tenets=("T7",),
        ztmm=("Cross-cutting/Visibility & Analytics", "Data/Data Access"),
        sp800_53=("AU-2", "AU-12", "AU-6"),
        cis=("8.2", "8.5"),
    ),
    rationale="Without access logs, misuse of sensitive data can be neither detected nor investigated.",
    remediation="Turn on access logging at the resource and send it to central collection.",
    failing_example="""\
version: 1
resources:
  - {name: payments-db, type: database, sensitivity: restricted, exposure: vpn_only, logging: false}
""",
    passing_example="""\
version: 1
resources:
  - {name: payments-db, type: database, sensitivity: restricted, exposure: vpn_only, logging: true}
""",
)
def resource_logging_off(facts: Facts) -> Iterator[Hit]:
    """Who read what is the first question after a breach; only access logs answer it."""
    for name, resource in sorted(facts.inventory.resources.items()):
        if not resource.logging:
            severity = None if resource.sensitivity in SENSITIVE else "low"
            message = f"{resource.sensitivity} {resource.type} '{name}' does not log access"
            yield Hit("resource", name, message, severity=severity, field=("logging",))


_POSTURE = _ORG + """\
users:
  - {name: alice@acme.example, type: employee, status: active, groups: [], mfa_methods: [fido2]}
endpoints:
  - name: lt-0042
    owner: alice@acme.example
    type: laptop
    ownership: corporate
    managed: true
    os: {family: macos, version: "26.1"}
    disk_encryption: true
    firewall: true
    edr: {installed: true, running: true}
    last_patched: 2026-10-10
    last_seen: {last_seen}
resources:
  - {name: wiki, type: app, sensitivity: internal, exposure: internet, logging: true}
access_rules:
  - {name: wiki-managed, effect: allow, subjects: {users: [alice@acme.example]}, resources: [wiki], conditions: {device: {managed: true}}}
"""


@rule(
    id="ZT-VIS-003",
    title="Posture evidence too old for an endpoint that has access",
    severity="medium",
    pillar="visibility",
    entity_kind="endpoint",
    references=refs(
        tenets=("T4", "T5", "T7"),
        ztmm=("Devices/Policy Enforcement & Compliance Monitoring",),
        sp800_53=("CA-7", "SI-4"),
    ),
    rationale="Access decisions based on posture data that is weeks old are not dynamic policy.",
    remediation="Shorten posture reporting intervals and have the policy engine refuse stale posture.",
    failing_example="version: 1\n" + _POSTURE.replace("{last_seen}", "2026-10-10"),
    passing_example="version: 1\n" + _POSTURE.replace("{last_seen}", "2026-10-30"),
    thresholds=("posture_max_age_days",),
)
def stale_posture_with_access(facts: Facts) -> Iterator[Hit]:
    """A device that has not reported for weeks is trusted on what it was, not what it is."""
    limit = int(facts.thresholds["posture_max_age_days"])
    inventory = facts.inventory
    stale = {name for name, e in inventory.endpoints.items() if (facts.today - e.last_seen).days > limit}
    # an endpoint appears only in its owner's paths: walk each owner's
    # resources in name order until all their stale devices have a path
    first_path: dict[str, Path] = {}
    for owner in sorted(facts.owners_of(stale)):
        waiting = {e for e in facts.endpoints_of.get(owner, ()) if e in stale}
        for resource in sorted(facts.access.effective.grants_of_user(owner)):
            for path in facts.access.paths(owner, resource):
                if path.endpoint in waiting:
                    waiting.discard(path.endpoint)
                    first_path[path.endpoint] = path
            if not waiting:
                break
    for name in sorted(first_path):
        endpoint, path = inventory.endpoints[name], first_path[name]
        age = (facts.today - endpoint.last_seen).days
        via = f"rule '{path.rule}'" if path.rule else "the default action"
        message = (
            f"'{name}' last reported its posture {endpoint.last_seen.isoformat()}, {_days(age)} before the audit date "
            f"(limit {limit}), yet '{path.user}' can use it to reach '{path.resource}' through {via}"
        )
        evidence = {"path": {"user": path.user, "resource": path.resource, "rule": path.rule, "endpoint": name}}
        yield Hit("endpoint", name, message, field=("last_seen",), evidence=evidence)


@rule(
    id="ZT-VIS-004",
    title="Log retention shorter than 90 days",
    severity="medium",
    pillar="visibility",
    entity_kind="vpn_gateway",
    references=refs(tenets=("T7",), ztmm=("Cross-cutting/Visibility & Analytics",), sp800_53=("AU-11",), cis=("8.10",)),
    rationale="Intrusions are commonly found weeks after initial access; short retention erases the trail before anyone looks.",
    remediation="Keep remote-access and resource access logs for at least 90 days.",
    failing_example="version: 1\n" + _GATEWAY + "    logging: true\n    log_retention_days: 30\n",
    passing_example="version: 1\n" + _GATEWAY + "    logging: true\n    log_retention_days: 90\n",
    thresholds=("log_retention_min_days",),
)
def short_log_retention(facts: Facts) -> Iterator[Hit]:
    """Reports on gateways and resources that log; their own retention wins over the organisation's default."""
    minimum = int(facts.thresholds["log_retention_min_days"])
    org = facts.inventory.organization
    default = org.logging.retention_days if org and org.logging else None
    sections = (("vpn_gateway", "VPN gateway", facts.inventory.vpn_gateways), ("resource", "resource", facts.inventory.resources))
    for kind, label, entities in sections:
        for name, entity in sorted(entities.items()):
            if not entity.logging:
                continue
            own = entity.log_retention_days
            retention = own if own is not None else default
            if retention is None or retention >= minimum:
                continue
            source = "" if own is not None else " (the organisation's default, organization.logging.retention_days)"
            message = f"{label} '{name}' keeps its logs {_days(retention)}{source}, less than the minimum of {minimum}"
            yield Hit(kind, name, message, field=("log_retention_days",) if own is not None else ())


@rule(
    id="ZT-VIS-005",
    title="Logs not centralised",
    severity="medium",
    pillar="visibility",
    entity_kind="organization",
    references=refs(
        tenets=("T7",),
        ztmm=("Cross-cutting/Visibility & Analytics",),
        sp800_53=("AU-6(3)", "AU-9(2)", "SI-4"),
        cis=("8.9",),
        scuba=("MS.AAD.4.1v1",),
    ),
    rationale="Logs kept only on the appliance can be wiped by whoever compromised it, and are never correlated with anything else.",
    remediation="Forward gateway and sensitive-resource logs to a SIEM or SOC with integrity protection, and set organization.logging.central: true.",
    failing_example="""\
version: 1
organization:
  name: Acme Corp
  default_action: deny
  logging: {central: false, retention_days: 365}
resources:
  - {name: payments-db, type: database, sensitivity: restricted, exposure: vpn_only, logging: true}
""",
    passing_example="""\
version: 1
organization:
  name: Acme Corp
  default_action: deny
  logging: {central: true, retention_days: 365}
resources:
  - {name: payments-db, type: database, sensitivity: restricted, exposure: vpn_only, logging: true}
""",
)
def logs_not_centralised(facts: Facts) -> Iterator[Hit]:
    """Reported once, on the organisation, when it does not declare central collection."""
    org = facts.inventory.organization
    if org is None or (org.logging is not None and org.logging.central is True):
        return
    inventory = facts.inventory
    gateways = [n for n, g in sorted(inventory.vpn_gateways.items()) if g.logging]
    resources = [n for n in facts.sensitive_resources() if inventory.resources[n].logging]
    if not gateways and not resources:
        return
    state = "false" if org.logging is not None and org.logging.central is False else "not set"
    local = [*(f"VPN gateway '{n}'" for n in gateways), *(f"resource '{n}'" for n in resources)]
    message = f"organization.logging.central is {state}, so the logs of {', '.join(local)} are kept locally only"
    yield Hit("organization", org.name, message, field=("logging", "central"), evidence={"vpn_gateways": gateways, "resources": resources})


_BREAK_GLASS = "version: 1\n" + _ORG + """\
users:
  - {name: breakglass-1, type: break_glass, status: active, groups: [], mfa_methods: [fido2], last_login: LAST_LOGIN}
"""


@rule(
    id="ZT-VIS-006",
    title="Break-glass account used recently",
    severity="medium",
    pillar="visibility",
    entity_kind="user",
    references=refs(
        tenets=("T7",),
        ztmm=("Identity/Visibility & Analytics",),
        sp800_53=("AC-2(4)", "AU-6"),
        scuba=("MS.AAD.7.7v1", "MS.AAD.7.8v1"),
    ),
    rationale="Emergency accounts should almost never sign in; a recent login is either an incident or misuse, and needs review.",
    remediation="Match the sign-in to an incident record, rotate the account's credential, and alert on every future use.",
    failing_example=_BREAK_GLASS.replace("LAST_LOGIN", "2026-10-20"),
    passing_example=_BREAK_GLASS.replace("LAST_LOGIN", "2026-06-02"),
    thresholds=("break_glass_recent_use_days",),
)
def break_glass_used(facts: Facts) -> Iterator[Hit]:
    """Every use of an emergency account has to be explained."""
    window = int(facts.thresholds["break_glass_recent_use_days"])
    for name, user in sorted(facts.inventory.users.items()):
        if user.type != "break_glass" or user.last_login is None:
            continue
        age = (facts.today - user.last_login).days
        if age < window:
            message = f"break-glass account '{name}' last signed in {user.last_login.isoformat()}, {_days(age)} before the audit date (review window {window} days)"
            yield Hit("user", name, message, field=("last_login",))


RULES = (
    gateway_logging_off,
    resource_logging_off,
    stale_posture_with_access,
    short_log_retention,
    logs_not_centralised,
    break_glass_used,
)
