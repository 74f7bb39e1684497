"""ZT-DEV: endpoint posture: is the device a request comes from fit to be trusted?

Remote workers' devices sit on home and public networks, get lost and carry
cached credentials; zero trust measures their posture instead of assuming it.
"""

from __future__ import annotations

from collections.abc import Iterator

from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.model.entities import Endpoint
from zerotrust_audit.rules.base import Hit, refs, rule

USER_DEVICES = ("laptop", "desktop", "mobile", "tablet")
COMPUTERS = ("laptop", "desktop")
HANDHELDS = ("mobile", "tablet")

# The examples share one endpoint, so each pair differs only in the fields that matter.
_HEAD = """\
version: 1
organization: {name: Acme Corp, default_action: deny, audit_date: 2026-11-01}
users:
  - {name: alice@acme.example, type: employee, status: active, groups: [], mfa_methods: [fido2]}
endpoints:
"""
_ENDPOINT = {
    "name": "lt-0042",
    "owner": "alice@acme.example",
    "type": "laptop",
    "ownership": "corporate",
    "managed": "true",
    "os": '{family: windows, version: "11 24H2", end_of_support: 2027-10-12}',
    "disk_encryption": "true",
    "firewall": "true",
    "edr": "{installed: true, running: true, vendor: example-edr}",
    "screen_lock_seconds": "300",
    "last_patched": "2026-10-20",
    "last_seen": "2026-10-31",
}


def _example(users: str = "", **changes: str | None) -> str:
    """A complete document with one endpoint; ``changes`` replace or add its fields (None drops one)."""
    fields = {**_ENDPOINT, **changes}
    body = "\n".join(f"    {key}: {value}" for key, value in fields.items() if value is not None)
    return _HEAD.replace("endpoints:\n", users + "endpoints:\n") + "  - " + body.lstrip() + "\n"


def _endpoints(facts: Facts) -> Iterator[Endpoint]:
    for name in sorted(facts.inventory.endpoints):
        yield facts.inventory.endpoints[name]


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _age(facts: Facts, endpoint: Endpoint, attribute: str) -> int:
    """Days from the endpoint's date ``attribute`` to the audit date."""
    return (facts.today - getattr(endpoint, attribute)).days


@rule(
    id="ZT-DEV-001",
    title="Disk encryption off",
    severity="high",
    pillar="devices",
    entity_kind="endpoint",
    references=refs(
        tenets=("T5",),
        ztmm=("Devices/Policy Enforcement & Compliance Monitoring", "Data/Data Encryption"),
        sp800_53=("AC-19(5)", "SC-28(1)"),
        cis=("3.6",),
        other=("NIST SP 800-46r2",),
    ),
    rationale="Remote workers' devices get lost and stolen; without full-disk encryption their data and cached tokens can be read by whoever holds them.",
    remediation="Turn on BitLocker, FileVault or dm-crypt (platform encryption on phones and tablets) and escrow the recovery keys.",
    failing_example=_example(disk_encryption="false"),
    passing_example=_example(),
)
def disk_encryption_off(facts: Facts) -> Iterator[Hit]:
    """End-user devices leave the building; their disks must be unreadable without the user."""
    for endpoint in _endpoints(facts):
        if endpoint.type in USER_DEVICES and not endpoint.disk_encryption:
            yield Hit("endpoint", endpoint.name, f"{endpoint.type} '{endpoint.name}' has disk encryption off", field=("disk_encryption",))


@rule(
    id="ZT-DEV-002",
    title="Host firewall off",
    severity="medium",
    pillar="devices",
    entity_kind="endpoint",
    references=refs(tenets=("T2", "T5"), ztmm=("Devices/Device Threat Protection",), sp800_53=("SC-7(12)",), cis=("4.5",), other=("NIST SP 800-46r2",)),
    rationale="Home and public networks are hostile; a device without a host firewall exposes its services to everything on the same segment.",
    remediation="Turn the host firewall on with a default-deny inbound profile.",
    failing_example=_example(firewall="false"),
    passing_example=_example(),
)
def firewall_off(facts: Facts) -> Iterator[Hit]:
    """The device, not the network, has to filter what reaches it."""
    for endpoint in _endpoints(facts):
        if not endpoint.firewall:
            yield Hit("endpoint", endpoint.name, f"{endpoint.type} '{endpoint.name}' has its host firewall off", field=("firewall",))


@rule(
    id="ZT-DEV-003",
    title="EDR missing or not running",
    severity="high",
    pillar="devices",
    entity_kind="endpoint",
    references=refs(tenets=("T5", "T7"), ztmm=("Devices/Device Threat Protection",), sp800_53=("SI-3", "SI-4"), cis=("10.1", "13.2"), other=("OMB M-22-09 Devices",)),
    rationale="Without EDR, the compromise of a remote device is neither detected nor containable.",
    remediation="Deploy the EDR agent on the device and alert when an agent stops reporting.",
    failing_example=_example(edr="{installed: true, running: false, vendor: example-edr}"),
    passing_example=_example(),
)
def edr_not_running(facts: Facts) -> Iterator[Hit]:
    """A device nobody watches can be owned for months without anyone noticing."""
    for endpoint in _endpoints(facts):
        edr = endpoint.edr
        agent = f"EDR agent ({edr.vendor})" if edr.vendor else "EDR agent"
        if not edr.installed:
            yield Hit("endpoint", endpoint.name, f"{endpoint.type} '{endpoint.name}' has no EDR agent installed", field=("edr", "installed"))
        elif not edr.running:
            yield Hit("endpoint", endpoint.name, f"{endpoint.type} '{endpoint.name}' has its {agent} installed but not running", field=("edr", "running"))


@rule(
    id="ZT-DEV-004",
    title="Operating system out of support",
    severity="high",
    severity_note="info when support ends within os_eos_warn_days",
    pillar="devices",
    entity_kind="endpoint",
    references=refs(tenets=("T5",), ztmm=("Devices/Asset & Supply Chain Risk Management",), sp800_53=("SA-22", "SI-2"), cis=("2.2",)),
    rationale="An operating system past its end of support receives no security fixes, so every new flaw in it stays open.",
    remediation="Upgrade or replace the device before its OS leaves support, and keep it away from sensitive resources until then.",
    failing_example=_example(os='{family: windows, version: "10 22H2", end_of_support: 2025-10-14}'),
    passing_example=_example(),
    thresholds=("os_eos_warn_days",),
)
def os_out_of_support(facts: Facts) -> Iterator[Hit]:
    """Unsupported systems stay vulnerable forever; warn before the date comes."""
    warn_days = int(facts.thresholds["os_eos_warn_days"])
    for endpoint in _endpoints(facts):
        os, eos = endpoint.os, endpoint.os.end_of_support
        if eos is None:
            continue
        system = " ".join(filter(None, (os.family, os.version)))
        left = (eos - facts.today).days
        if left < 0:
            message = f"'{endpoint.name}' runs {system}, out of support since {eos.isoformat()} ({_days(-left)} before the audit date)"
            yield Hit("endpoint", endpoint.name, message, field=("os", "end_of_support"))
        elif left <= warn_days:
            when = f"in {_days(left)}" if left else "on the audit date"
            message = f"'{endpoint.name}' runs {system}, whose support ends {eos.isoformat()}, {when} (warning window {warn_days} days)"
            yield Hit("endpoint", endpoint.name, message, severity="info", field=("os", "end_of_support"))


@rule(
    id="ZT-DEV-005",
    title="Patches older than allowed",
    severity="medium",
    pillar="devices",
    entity_kind="endpoint",
    references=refs(tenets=("T5",), ztmm=("Devices/Policy Enforcement & Compliance Monitoring",), sp800_53=("SI-2", "SI-2(2)"), cis=("7.3", "7.4")),
    rationale="Unpatched endpoints are the usual first foothold, which a VPN then carries inside.",
    remediation="Enforce automated OS and application patching at least monthly.",
    failing_example=_example(last_patched="2026-08-01"),
    passing_example=_example(),
    thresholds=("patch_age_days",),
)
def patches_too_old(facts: Facts) -> Iterator[Hit]:
    """Known flaws are exploited within days of the fix; patch age is exposure time."""
    limit = int(facts.thresholds["patch_age_days"])
    for endpoint in _endpoints(facts):
        age = _age(facts, endpoint, "last_patched")
        if age > limit:
            message = f"'{endpoint.name}' was last patched {endpoint.last_patched.isoformat()}, {_days(age)} before the audit date (limit {limit})"
            yield Hit("endpoint", endpoint.name, message, field=("last_patched",))


@rule(
    id="ZT-DEV-006",
    title="Jailbroken or rooted device",
    severity="high",
    pillar="devices",
    entity_kind="endpoint",
    references=refs(tenets=("T5",), ztmm=("Devices/Device Threat Protection",), sp800_53=("AC-19", "CM-14"), cis=("4.1",)),
    rationale="Rooting removes the platform's sandbox and makes every posture report from the device untrustworthy.",
    remediation="Quarantine the device from corporate resources and re-image or replace it.",
    failing_example=_example(name="mb-0042", type="mobile", os='{family: android, version: "14"}', screen_lock_seconds="60", jailbroken="true"),
    passing_example=_example(name="mb-0042", type="mobile", os='{family: android, version: "14"}', screen_lock_seconds="60", jailbroken="false"),
)
def jailbroken(facts: Facts) -> Iterator[Hit]:
    """A rooted device reports whatever its owner, or its malware, wants."""
    for endpoint in _endpoints(facts):
        if endpoint.jailbroken:
            yield Hit("endpoint", endpoint.name, f"{endpoint.type} '{endpoint.name}' is jailbroken or rooted", field=("jailbroken",))


@rule(
    id="ZT-DEV-007",
    title="Corporate device not under management",
    severity="medium",
    pillar="devices",
    entity_kind="endpoint",
    references=refs(
        tenets=("T5",), ztmm=("Devices/Policy Enforcement & Compliance Monitoring",), sp800_53=("CM-8", "CM-2"), cis=("1.1", "4.1"), scuba=("MS.AAD.3.7v1",),
    ),
    rationale="Unmanaged corporate devices drift from the baseline and can be neither checked nor wiped remotely.",
    remediation="Enrol the device in device management, or retire it.",
    failing_example=_example(managed="false"),
    passing_example=_example(),
)
def corporate_unmanaged(facts: Facts) -> Iterator[Hit]:
    """The organisation owns the device, so nothing excuses leaving it unmanaged."""
    for endpoint in _endpoints(facts):
        if endpoint.ownership == "corporate" and not endpoint.managed:
            yield Hit("endpoint", endpoint.name, f"corporate {endpoint.type} '{endpoint.name}' is not enrolled in device management", field=("managed",))


@rule(
    id="ZT-DEV-008",
    title="Screen lock delay too long",
    severity="low",
    severity_note="info when the delay is unknown",
    pillar="devices",
    entity_kind="endpoint",
    references=refs(ztmm=("Devices/Policy Enforcement & Compliance Monitoring",), sp800_53=("AC-11",), cis=("4.3",)),
    rationale="Devices used in homes and cafés are left unattended; a long lock delay hands an open session to whoever is nearby.",
    remediation="Lock the screen after 15 minutes of inactivity or less on computers, and 2 minutes or less on phones and tablets.",
    failing_example=_example(screen_lock_seconds="1800"),
    passing_example=_example(screen_lock_seconds="600"),
    thresholds=("screen_lock_max_seconds", "screen_lock_max_seconds_mobile"),
)
def screen_lock_too_long(facts: Facts) -> Iterator[Hit]:
    """An unlocked, unattended device is an authenticated session anyone can use."""
    limits = {
        **dict.fromkeys(COMPUTERS, int(facts.thresholds["screen_lock_max_seconds"])),
        **dict.fromkeys(HANDHELDS, int(facts.thresholds["screen_lock_max_seconds_mobile"])),
    }
    for endpoint in _endpoints(facts):
        limit = limits.get(endpoint.type)
        seconds = endpoint.screen_lock_seconds
        if limit is None:
            continue
        if seconds is None:
            message = f"{endpoint.type} '{endpoint.name}' has no known screen lock delay (limit {limit} s)"
            yield Hit("endpoint", endpoint.name, message, severity="info")
        elif seconds > limit:
            message = f"{endpoint.type} '{endpoint.name}' locks its screen after {seconds} s of inactivity (limit {limit} s)"
            yield Hit("endpoint", endpoint.name, message, field=("screen_lock_seconds",))


@rule(
    id="ZT-DEV-009",
    title="Local administrator rights on an end-user device",
    severity="medium",
    pillar="devices",
    entity_kind="endpoint",
    references=refs(tenets=("T5",), ztmm=("Devices/Policy Enforcement & Compliance Monitoring",), sp800_53=("AC-6(2)", "AC-6(10)"), cis=("5.4",)),
    rationale="Malware running as a user who is a local administrator can turn off EDR, the firewall and encryption.",
    remediation="Remove standing local administrator rights and use just-in-time elevation.",
    failing_example=_example(local_admin="true"),
    passing_example=_example(local_admin="false"),
)
def local_admin(facts: Facts) -> Iterator[Hit]:
    """Standing admin rights let anything the user runs switch the device's defences off."""
    for endpoint in _endpoints(facts):
        if endpoint.type in USER_DEVICES and endpoint.local_admin:
            message = f"the user of {endpoint.type} '{endpoint.name}' ({endpoint.owner}) has standing local administrator rights"
            yield Hit("endpoint", endpoint.name, message, field=("local_admin",))


RULES = (
    disk_encryption_off,
    firewall_off,
    edr_not_running,
    os_out_of_support,
    patches_too_old,
    jailbroken,
    corporate_unmanaged,
    screen_lock_too_long,
    local_admin,
)
