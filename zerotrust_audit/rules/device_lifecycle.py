"""ZT-DEV (inventory and lifecycle): whether a device's record can be trusted.

Stale compliance verdicts, devices of people who have left, devices that
stopped reporting, and remote-access clients with known exploited flaws.
"""

from __future__ import annotations

from collections.abc import Iterator

from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.analysis.kev import find_exploited
from zerotrust_audit.rules.base import Hit, refs, rule
from zerotrust_audit.rules.devices import _age, _days, _endpoints, _example


@rule(
    id="ZT-DEV-010",
    title="Reported compliance contradicts posture facts",
    severity="medium",
    pillar="devices",
    entity_kind="endpoint",
    references=refs(
        tenets=("T4", "T5"), ztmm=("Devices/Policy Enforcement & Compliance Monitoring", "Devices/Visibility & Analytics"), sp800_53=("CM-6", "CA-7"), cis=("4.1",),
    ),
    rationale="Access rules that trust a 'compliant' flag are only as good as that flag; a stale or mis-scoped compliance policy silently admits weak devices.",
    remediation="Make the device-management compliance policy check the same posture facts, or stop relying on its verdict.",
    failing_example=_example(firewall="false", compliant="true"),
    passing_example=_example(compliant="true"),
    thresholds=("patch_age_days",),
)
def stale_compliance_verdict(facts: Facts) -> Iterator[Hit]:
    """A 'compliant' verdict the facts contradict lets weak devices through device conditions."""
    for endpoint in _endpoints(facts):
        compliance = facts.compliance[endpoint.name]
        if compliance.stale_verdict:
            message = f"'{endpoint.name}' is reported compliant, but its posture facts fail: {', '.join(compliance.failing)}"
            yield Hit("endpoint", endpoint.name, message, field=("compliant",), evidence={"failing": list(compliance.failing)})


_LEAVER = "  - {name: bob@acme.example, type: contractor, status: active, groups: [], mfa_methods: [fido2], expires: 2026-09-30}\n"


@rule(
    id="ZT-DEV-011",
    title="Endpoint assigned to a disabled or expired user",
    severity="medium",
    pillar="devices",
    entity_kind="endpoint",
    references=refs(tenets=("T5",), ztmm=("Devices/Asset & Supply Chain Risk Management",), sp800_53=("CM-8", "PS-4"), cis=("1.1", "6.2")),
    rationale="A leaver's device that still checks in may hold cached credentials and data.",
    remediation="Recover and wipe the device, or reassign it to a current user.",
    failing_example=_example(users=_LEAVER, owner="bob@acme.example"),
    passing_example=_example(users=_LEAVER),
    thresholds=("endpoint_stale_days",),
)
def endpoint_of_leaver(facts: Facts) -> Iterator[Hit]:
    """A device still in use after its owner left is access nobody accounts for."""
    limit = int(facts.thresholds["endpoint_stale_days"])
    for endpoint in _endpoints(facts):
        owner = facts.inventory.users[endpoint.owner]
        if owner.status == "disabled":
            why = "is disabled"
        elif owner.expires is not None and owner.expires < facts.today:
            why = f"expired {owner.expires.isoformat()}"
        else:
            continue
        age = _age(facts, endpoint, "last_seen")
        if age <= limit:
            seen = f"{endpoint.last_seen.isoformat()}, {_days(age)} before the audit date (window {limit} days)"
            message = f"'{endpoint.name}' belongs to '{owner.name}', who {why}, yet it was last seen {seen}"
            yield Hit("endpoint", endpoint.name, message, field=("owner",))


@rule(
    id="ZT-DEV-012",
    title="Endpoint missing from recent inventory",
    severity="info",
    pillar="devices",
    entity_kind="endpoint",
    references=refs(tenets=("T5", "T7"), ztmm=("Devices/Asset & Supply Chain Risk Management",), sp800_53=("CM-8",), cis=("1.1", "1.2")),
    rationale="Devices that stopped reporting may be lost, stolen or decommissioned while still holding access.",
    remediation="Confirm where the device is; if it is gone, revoke its certificates and sessions.",
    failing_example=_example(last_seen="2026-09-01"),
    passing_example=_example(),
    thresholds=("endpoint_stale_days",),
)
def endpoint_not_seen(facts: Facts) -> Iterator[Hit]:
    """A silent device is either retired or out of sight; either way its access should be checked."""
    limit = int(facts.thresholds["endpoint_stale_days"])
    for endpoint in _endpoints(facts):
        age = _age(facts, endpoint, "last_seen")
        if age > limit:
            message = f"'{endpoint.name}' was last seen {endpoint.last_seen.isoformat()}, {_days(age)} before the audit date (limit {limit})"
            yield Hit("endpoint", endpoint.name, message, field=("last_seen",))


_LAB_VM = '[{{vendor: fortinet, name: fortios, version: "{}"}}]   # lab image of the VPN gateway'


@rule(
    id="ZT-DEV-013",
    title="Remote-access client on the endpoint is in CISA KEV",
    severity="high",
    pillar="devices",
    entity_kind="endpoint",
    references=refs(tenets=("T5",), ztmm=("Devices/Device Threat Protection",), sp800_53=("SI-2", "RA-5"), cis=("7.4", "7.7"), other=("CISA KEV",)),
    rationale="Exploited flaws in VPN and ZTNA software give attackers a foothold or local privilege escalation on exactly the devices used for remote access.",
    remediation="Update the affected software to a fixed release (see each CVE's fixed version).",
    failing_example=_example(name="vm-netlab-01", type="vm", os='{family: linux, version: "24.04"}', software=_LAB_VM.format("7.2.4")),
    passing_example=_example(name="vm-netlab-01", type="vm", os='{family: linux, version: "24.04"}', software=_LAB_VM.format("7.2.7")),
)
def software_in_kev(facts: Facts) -> Iterator[Hit]:
    """Attackers are exploiting these versions now; no posture check makes up for them.

    Every ``software`` entry is matched against the bundled KEV table (``analysis.kev``).
    """
    for endpoint in _endpoints(facts):
        for index, item in enumerate(endpoint.software):
            matches = find_exploited(item.vendor, item.name, item.version)
            if not matches:
                continue
            cves = "; ".join(
                f"{m.cve} ({m.title}; " + (f"fixed in {m.fixed_in})" if m.fixed_in else "no fixed release on this branch)")
                for m in matches
            )
            ransomware = ", known ransomware use" if any(m.known_ransomware for m in matches) else ""
            message = f"'{endpoint.name}' has {item.vendor} {item.name} {item.version}, exploited in the wild per CISA KEV{ransomware}: {cves}"
            evidence = {
                "software": {"vendor": item.vendor, "name": item.name, "version": item.version},
                "cves": [{"cve": m.cve, "fixed_in": m.fixed_in, "known_ransomware": m.known_ransomware} for m in matches],
            }
            yield Hit("endpoint", endpoint.name, message, field=("software", index), evidence=evidence)


RULES = (
    stale_compliance_verdict,
    endpoint_of_leaver,
    endpoint_not_seen,
    software_in_kev,
)
