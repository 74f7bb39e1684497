"""ZT-NET: VPN gateways and network trust: how remote users get in, and what "inside" grants.

The gateway is the front door of a remote-access set-up: a known-exploited
version, weak tunnel cryptography, no MFA or device check, or a flat network
behind it each undo the per-request checks zero trust asks for.

``RULES`` holds ZT-NET-001 to ZT-NET-015 and the gateway rules that follow
them; tunnel protocol and cryptography (ZT-NET-003 to ZT-NET-008) are written
in :mod:`.gateway_crypto` and included here. Certificates (ZT-NET-016 to
ZT-NET-022) are :mod:`.gateway_certificates`, a module of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.analysis.kev import KevMatch, catalog_info, find_exploited
from zerotrust_audit.model.entities import Product
from zerotrust_audit.rules import gateway_crypto
from zerotrust_audit.rules.base import Hit, refs, rule
from zerotrust_audit.rules.gateway_common import gateway_example, gateways


def _upgrade_target(product: Product, matches: list[KevMatch]) -> str | None:
    """The first listed fixed release clear of every matched CVE; None when a CVE has no fix on the branch."""
    if any(m.fixed_in is None for m in matches):
        return None
    cves = {m.cve for m in matches}
    for release in dict.fromkeys(m.fixed_in for m in matches if m.fixed_in):
        if not cves & {m.cve for m in find_exploited(product.vendor, product.name, release)}:
            return release
    return None


@rule(
    id="ZT-NET-001",
    title="Gateway version affected by a CISA KEV vulnerability",
    severity="critical",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(
        tenets=("T5",),
        ztmm=("Networks/Network Resilience", "Devices/Asset & Supply Chain Risk Management"),
        sp800_53=("SI-2", "RA-5", "SI-5"),
        cis=("7.7", "12.1"),
        other=("CISA KEV", "CISA BOD 22-01"),
    ),
    rationale="Remote-access appliances are among the most exploited internet-facing devices; a vulnerability in CISA's Known Exploited Vulnerabilities catalogue is being used by attackers now.",
    remediation="Upgrade to at least the fixed release of the same branch (or migrate off a branch without one) and follow the vendor's and CISA's hunting guidance: patching alone does not remove an intruder who is already in.",
    failing_example=gateway_example(product='{vendor: fortinet, name: fortios, version: "7.2.4"}'),
    passing_example=gateway_example(product='{vendor: fortinet, name: fortios, version: "7.2.7"}'),
)
def gateway_known_exploited(facts: Facts) -> Iterator[Hit]:
    """Gateway product and version matched against the bundled KEV snapshot (vendor-aware versions)."""
    for gateway in gateways(facts):
        product = gateway.product
        if product is None or not product.version:
            continue
        matches = find_exploited(product.vendor, product.name, product.version)
        if not matches:
            continue
        listed = ", ".join(f"{m.cve} ({m.title}; " + (f"fixed in {m.fixed_in})" if m.fixed_in else "no fixed release on this branch)") for m in matches)
        target = _upgrade_target(product, matches)
        advice = f"upgrade to at least {target}" if target else "no release of this branch fixes them all: move to a supported branch"
        ransomware = [m.cve for m in matches if m.known_ransomware]
        known = f"; CISA lists known ransomware use of {', '.join(ransomware)}" if ransomware else ""
        catalog = catalog_info()["catalog_version"]
        yield Hit(
            "vpn_gateway", gateway.name,
            f"{gateway.name} runs {product.vendor} {product.name} {product.version}, affected by known exploited "
            f"vulnerabilities (KEV catalog {catalog}): {listed}{known}; {advice}",
            field=("product", "version"),
            evidence={"cves": [m.cve for m in matches], "catalog": catalog},
        )


@rule(
    id="ZT-NET-002",
    title="Gateway product or version not declared",
    severity="info",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(tenets=("T7",), ztmm=("Devices/Asset & Supply Chain Risk Management",), sp800_53=("CM-8",), cis=("1.1", "12.1")),
    rationale="The known-exploited-vulnerability check cannot protect a gateway it cannot identify.",
    remediation="Record the gateway's vendor, product and exact version, including hotfix or build.",
    failing_example=gateway_example(product=None),
    passing_example=gateway_example(),
)
def gateway_product_unknown(facts: Facts) -> Iterator[Hit]:
    """Without vendor, product and version, ZT-NET-001 silently passes."""
    unchecked = ", so it cannot be checked against known exploited vulnerabilities"
    for gateway in gateways(facts):
        if gateway.product is None:
            yield Hit("vpn_gateway", gateway.name, f"{gateway.name} does not declare its product and version{unchecked}")
        elif not (gateway.product.version or "").strip():
            yield Hit(
                "vpn_gateway", gateway.name,
                f"{gateway.name} runs {gateway.product.vendor} {gateway.product.name} without a stated version{unchecked}",
                field=("product",),
            )


@rule(
    id="ZT-NET-009",
    title="VPN does not require MFA",
    severity="critical",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(
        tenets=("T6",),
        ztmm=("Identity/Authentication", "Networks"),
        sp800_53=("AC-17", "IA-2(1)", "IA-2(2)"),
        cis=("6.4", "12.7"),
        other=("NIST SP 800-46r2", "OMB M-22-09 Identity"),
    ),
    rationale="A password-only VPN is the classic entry point of credential-stuffing and ransomware intrusions.",
    remediation="Require MFA on every remote-access profile, preferably phishing-resistant (for example a device certificate plus FIDO2 through SAML).",
    failing_example=gateway_example(authentication="{mfa_required: false, methods: [ldap]}"),
    passing_example=gateway_example(authentication="{mfa_required: true, methods: [ldap]}"),
)
def vpn_without_mfa(facts: Facts) -> Iterator[Hit]:
    """One stolen password should never be enough to join the network."""
    for gateway in gateways(facts):
        if not gateway.authentication.mfa_required:
            methods = ", ".join(gateway.authentication.methods) or "no stated method"
            yield Hit("vpn_gateway", gateway.name, f"{gateway.name} lets users connect without MFA ({methods})", field=("authentication", "mfa_required"))


@rule(
    id="ZT-NET-010",
    title="Split tunnelling enabled",
    severity="medium",
    severity_note="high when the gateway also runs no device posture check",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(tenets=("T2",), ztmm=("Networks/Network Traffic Management",), sp800_53=("SC-7(7)",), cis=("12.7",), other=("NIST SP 800-46r2",)),
    rationale="Traffic that bypasses the tunnel escapes the organisation's inspection, and the device bridges the home network and the internal one.",
    remediation="Disable split tunnelling, or limit it to named SaaS destinations on compliant devices with a host firewall and EDR.",
    failing_example=gateway_example(split_tunnel="true"),
    passing_example=gateway_example(split_tunnel="false"),
)
def split_tunnel(facts: Facts) -> Iterator[Hit]:
    """A split tunnel makes every connected device a bridge between networks."""
    for gateway in gateways(facts):
        if gateway.split_tunnel:
            unchecked = "" if gateway.posture_check else ", and connecting devices are not posture-checked"
            yield Hit(
                "vpn_gateway", gateway.name, f"{gateway.name} lets clients send part of their traffic outside the tunnel{unchecked}",
                severity=None if gateway.posture_check else "high", field=("split_tunnel",),
            )


@rule(
    id="ZT-NET-011",
    title="VPN grants flat network access",
    severity="high",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(tenets=("T3",), ztmm=("Networks/Network Segmentation",), sp800_53=("AC-4", "SC-7", "AC-6"), cis=("12.2", "13.4")),
    rationale="Once connected, any user or malware can scan and move laterally across whole internal ranges: the opposite of per-resource access.",
    remediation="Publish only the resources each group needs (per-application tunnels, ZTNA, or per-group ACLs).",
    failing_example=gateway_example(full_network_access="true"),
    passing_example=gateway_example(full_network_access="false"),
)
def flat_network_access(facts: Facts) -> Iterator[Hit]:
    """Network-level access hands out far more than any user needs."""
    for gateway in gateways(facts):
        if gateway.full_network_access:
            message = f"{gateway.name} gives connected clients whole internal ranges instead of individual resources"
            yield Hit("vpn_gateway", gateway.name, message, field=("full_network_access",))


@rule(
    id="ZT-NET-012",
    title="No device posture check before connecting",
    severity="high",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(tenets=("T4", "T5"), ztmm=("Devices/Resource Access",), sp800_53=("AC-17", "AC-19", "IA-3"), cis=("13.5",), scuba=("MS.AAD.3.7v1",)),
    rationale="Without a device check, any machine that holds a valid credential becomes part of the internal network.",
    remediation="Enforce a pre-connect check (managed, encrypted, EDR running, recently patched) and quarantine devices that fail it.",
    failing_example=gateway_example(posture_check="false"),
    passing_example=gateway_example(posture_check="true"),
)
def no_posture_check(facts: Facts) -> Iterator[Hit]:
    """The device is half of every access decision; the gateway must look at it."""
    for gateway in gateways(facts):
        if not gateway.posture_check:
            yield Hit("vpn_gateway", gateway.name, f"{gateway.name} accepts connections without checking the device's posture", field=("posture_check",))


def _privileged_users_of(facts: Facts) -> dict[str, str]:
    """Gateway name -> the first privileged user (by name) with an allowed path through it."""
    found: dict[str, str] = {}
    for resource in sorted(facts.inventory.resources):
        for path in facts.paths_to(resource, facts.privileged_users):
            gateway = facts.gateway_of.get(path.network or "")
            if gateway is not None and facts.privileged[path.user] and path.user < found.get(gateway.name, "\uffff"):
                found[gateway.name] = path.user
    return found


@rule(
    id="ZT-NET-013",
    title="VPN idle timeout missing or too long",
    severity="medium",
    pillar="networks",
    entity_kind="vpn_gateway",
    thresholds=("vpn_idle_max_minutes", "vpn_idle_max_minutes_privileged"),
    references=refs(tenets=("T3",), ztmm=("Networks/Network Traffic Management",), sp800_53=("AC-12", "SC-10"), sp800_63b=("4.2.3", "4.3.3")),
    rationale="An idle tunnel on an unattended device keeps an authenticated path into the network open.",
    remediation="Disconnect idle sessions after 30 minutes or less, and after 15 or less on gateways used for administration.",
    failing_example=gateway_example(idle_timeout_minutes="120"),
    passing_example=gateway_example(idle_timeout_minutes="30"),
)
def idle_timeout(facts: Facts) -> Iterator[Hit]:
    """Idle limits per NIST SP 800-63B: 30 minutes at AAL2, 15 at AAL3, the latter for gateways
    that a privileged user reaches some resource through. 0 counts as "no timeout"."""
    admins = _privileged_users_of(facts)
    for gateway in gateways(facts):
        admin = admins.get(gateway.name)
        if admin:
            limit = int(facts.thresholds["vpn_idle_max_minutes_privileged"])
            note = f"limit {limit} minutes for privileged access: privileged user '{admin}' connects through it"
        else:
            limit = int(facts.thresholds["vpn_idle_max_minutes"])
            note = f"limit {limit} minutes"
        minutes = gateway.idle_timeout_minutes
        if minutes is None:
            yield Hit("vpn_gateway", gateway.name, f"{gateway.name} states no idle timeout ({note})")
        elif minutes == 0:
            yield Hit("vpn_gateway", gateway.name, f"{gateway.name} has its idle timeout disabled (0) ({note})", field=("idle_timeout_minutes",))
        elif minutes > limit:
            yield Hit("vpn_gateway", gateway.name, f"{gateway.name} disconnects idle sessions after {minutes} minutes ({note})", field=("idle_timeout_minutes",))


@rule(
    id="ZT-NET-014",
    title="Gateway management interface exposed to the internet",
    severity="critical",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(tenets=("T2",), ztmm=("Networks/Network Segmentation",), sp800_53=("SC-7", "AC-17(3)", "CM-7"), cis=("4.6", "12.3"), other=("CISA BOD 23-02",)),
    rationale="Several known-exploited gateway flaws (for example PAN-OS CVE-2024-0012 and FortiOS CVE-2024-55591) are reachable only through the management plane.",
    remediation="Restrict the management interface to an internal administration network or a jump host.",
    failing_example=gateway_example(internet_exposed_management="true"),
    passing_example=gateway_example(internet_exposed_management="false"),
)
def management_exposed(facts: Facts) -> Iterator[Hit]:
    """The administration plane of the front door must not face the internet."""
    for gateway in gateways(facts):
        if gateway.internet_exposed_management:
            yield Hit("vpn_gateway", gateway.name, f"{gateway.name} exposes its management interface to the internet", field=("internet_exposed_management",))


@rule(
    id="ZT-NET-015",
    title="Network marked as trusted",
    severity="medium",
    pillar="networks",
    entity_kind="network",
    references=refs(tenets=("T2", "T6"), ztmm=("Networks/Network Segmentation",), sp800_53=("AC-3", "SC-7"), other=("OMB M-22-09 Networks",)),
    rationale="Trusting a location is exactly the implicit trust zero trust removes: an attacker on that network inherits it.",
    remediation="Remove the trusted flag and state the conditions that matter (MFA, device) in the access rules.",
    failing_example="""\
version: 1
networks:
  - name: hq-lan
    type: office
    cidrs: [10.10.0.0/16]
    trusted: true
""",
    passing_example="""\
version: 1
networks:
  - name: hq-lan
    type: office
    cidrs: [10.10.0.0/16]
    trusted: false
""",
)
def trusted_network(facts: Facts) -> Iterator[Hit]:
    """Being on a network proves nothing about the user or the device."""
    for name in sorted(facts.inventory.networks):
        network = facts.inventory.networks[name]
        if network.trusted:
            yield Hit("network", name, f"{network.type} network {name} is marked as trusted", field=("trusted",))


@rule(
    id="ZT-NET-023",
    title="VPN clients can reach each other",
    severity="medium",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(
        tenets=("T3",),
        ztmm=("Networks/Network Segmentation",),
        sp800_53=("AC-4", "SC-7"),
        cis=("12.2", "13.4"),
        other=("OpenVPN 2.6 reference manual: --client-to-client",),
    ),
    rationale="Remote devices sit on home and public networks and are the likeliest to be compromised; letting connected clients reach each other gives one infected device a path to every other one.",
    remediation="Stop forwarding traffic between clients (OpenVPN: remove client-to-client) or filter it at the gateway, so that clients reach only published resources.",
    failing_example=gateway_example(client_to_client="true"),
    passing_example=gateway_example(client_to_client="false"),
)
def client_to_client(facts: Facts) -> Iterator[Hit]:
    """Lateral movement between remote devices, through the gateway."""
    for gateway in gateways(facts):
        if gateway.client_to_client:
            message = f"{gateway.name} forwards traffic between connected clients, so any remote device can reach the others"
            yield Hit("vpn_gateway", gateway.name, message, field=("client_to_client",))


@rule(
    id="ZT-NET-024",
    title="One VPN credential may hold several sessions",
    severity="medium",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(
        tenets=("T6",),
        ztmm=("Identity/Authentication",),
        sp800_53=("AC-10", "IA-2"),
        other=("OpenVPN 2.6 reference manual: --duplicate-cn",),
    ),
    rationale="When one certificate or login may be connected from several places at once, a stolen profile is used alongside its owner without anything noticing, and the logs cannot tell which person or device did what.",
    remediation="Issue one credential per user and device and allow one session per credential (OpenVPN: remove duplicate-cn).",
    failing_example=gateway_example(shared_credentials="true"),
    passing_example=gateway_example(shared_credentials="false"),
)
def shared_credentials(facts: Facts) -> Iterator[Hit]:
    """Concurrent sessions per credential hide stolen and shared credentials."""
    for gateway in gateways(facts):
        if gateway.shared_credentials:
            yield Hit("vpn_gateway", gateway.name, f"{gateway.name} lets one credential hold several sessions at once", field=("shared_credentials",))


@rule(
    id="ZT-NET-025",
    title="Tunnel compression enabled",
    severity="low",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(
        tenets=("T2",),
        ztmm=("Networks/Traffic Encryption",),
        sp800_53=("SC-8", "SC-13"),
        other=("OpenVPN 2.6 reference manual: --compress, --allow-compression",),
    ),
    rationale="Compressing before encrypting makes the ciphertext length depend on the content: compression-oracle attacks such as VORACLE recover secrets from tunnelled traffic the attacker can partly influence.",
    remediation="Turn tunnel compression off on the gateway and in the client profiles (OpenVPN: allow-compression no).",
    failing_example=gateway_example(compression="true"),
    passing_example=gateway_example(compression="false"),
)
def compression(facts: Facts) -> Iterator[Hit]:
    """Compression leaks plaintext through ciphertext lengths."""
    for gateway in gateways(facts):
        if gateway.compression:
            yield Hit("vpn_gateway", gateway.name, f"{gateway.name} compresses tunnel traffic before encrypting it", field=("compression",))


RULES = tuple(
    sorted(
        (
            gateway_known_exploited,
            gateway_product_unknown,
            *gateway_crypto.RULES,
            vpn_without_mfa,
            split_tunnel,
            flat_network_access,
            no_posture_check,
            idle_timeout,
            management_exposed,
            trusted_network,
            client_to_client,
            shared_credentials,
            compression,
        ),
        key=lambda r: r.id,
    )
)
