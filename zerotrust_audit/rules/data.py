"""ZT-DAT: sensitive data and the paths, stores and tunnels that expose it."""

from __future__ import annotations

from collections.abc import Iterator

from zerotrust_audit.analysis.access import Path
from zerotrust_audit.analysis.contexts import DeviceClass, weakest_method
from zerotrust_audit.analysis.facts import SENSITIVE, Facts
from zerotrust_audit.rules.base import Hit, refs, rule
from zerotrust_audit.rules.describe import path_evidence, path_sentence

_WEAK_TRANSPORT_RULES = ("ZT-NET-005", "ZT-NET-006", "ZT-NET-007")

_ACCESS = """\
version: 1
users:
  - {name: ana, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
mfa_policies:
  - {name: all, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2]}
endpoints:
  - {name: lt-1, owner: ana, type: laptop, ownership: corporate, managed: true, os: {family: linux, version: "24.04"},
     disk_encryption: ENCRYPTED, firewall: true, edr: {installed: true, running: true}, last_patched: 2026-10-20, last_seen: 2026-10-31}
resources:
  - {name: payroll, type: app, sensitivity: restricted, exposure: internal, logging: true}
access_rules:
  - {name: staff-payroll, effect: allow, subjects: {groups: [staff]}, resources: [payroll], conditions: {mfa: phishing_resistant, device: {managed: true}}}
"""

_VPN = """\
version: 1
users:
  - {name: ana, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
mfa_policies:
  - {name: all, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2]}
vpn_gateways:
  - {name: gw, protocol: sslvpn, tls_min_version: "TLS", authentication: {mfa_required: true, methods: [saml]}, posture_check: true,
     split_tunnel: SPLIT, full_network_access: false, logging: true}
networks:
  - {name: vpn-net, type: vpn, gateway: gw}
resources:
  - {name: payroll, type: app, sensitivity: restricted, exposure: vpn_only, logging: true}
access_rules:
  - {name: vpn-payroll, effect: allow, subjects: {groups: [staff]}, resources: [payroll], conditions: {mfa: phishing_resistant, networks: [vpn-net]}}
"""


def _vpn(tls: str = "1.2", split: str = "false") -> str:
    return _VPN.replace("TLS", tls).replace("SPLIT", split)


def _registered(level: int, device: DeviceClass, network: str | None, country: str | None) -> bool:
    return device.registered


@rule(
    id="ZT-DAT-001",
    title="Sensitive data reachable from an unencrypted endpoint",
    severity="high",
    pillar="data",
    entity_kind="endpoint",
    references=refs(tenets=("T5",), ztmm=("Data/Data Encryption", "Devices/Resource Access"), sp800_53=("SC-28(1)", "AC-19(5)"), cis=("3.6",)),
    rationale="Data synchronised or cached on a laptop without disk encryption is exposed the day it is lost or stolen.",
    remediation="Encrypt the device, and require device.compliant: true (which implies encryption) on the grant.",
    failing_example=_ACCESS.replace("ENCRYPTED", "false"),
    passing_example=_ACCESS.replace("ENCRYPTED", "true"),
)
def unencrypted_endpoint_reaches_data(facts: Facts) -> Iterator[Hit]:
    endpoints = facts.inventory.endpoints
    unencrypted: dict[str, list[str]] = {}     # owner -> their unencrypted endpoints, in name order
    for name in sorted(endpoints):
        if not endpoints[name].disk_encryption:
            unencrypted.setdefault(endpoints[name].owner, []).append(name)
    access, classes = facts.access, facts.access.effective.device_classes
    owners = frozenset(unencrypted)
    for resource in facts.sensitive_resources():
        # the first request per unencrypted endpoint, in report order; only those are built
        for grant in access.effective.grants_to(resource, owners):
            waiting = list(unencrypted[grant.user])
            for granting, device, network, country, level in access.weakest_items(grant, _registered):
                for endpoint in [e for e in waiting if classes[e] == device]:
                    waiting.remove(endpoint)
                    path = Path(grant.user, resource, granting or None, endpoint, network, weakest_method(facts.mfa[grant.user], level), country)
                    yield Hit("endpoint", endpoint, f"{endpoint} has no disk encryption and {path_sentence(facts, path)}",
                              field=("disk_encryption",), evidence=path_evidence(facts, path))


@rule(
    id="ZT-DAT-002",
    title="Sensitive data store exposed to the internet",
    severity="critical",
    pillar="data",
    entity_kind="resource",
    references=refs(tenets=("T2",), ztmm=("Data/Data Access", "Networks/Network Segmentation"), sp800_53=("SC-7", "AC-3", "AC-4"), cis=("3.12", "12.2")),
    rationale="Databases and file shares are not built to face the internet and leak at scale when they do.",
    remediation="Remove direct internet exposure and publish access through an authenticated, per-user broker.",
    failing_example="version: 1\nresources:\n  - {name: crm-db, type: database, sensitivity: confidential, exposure: internet, logging: true}\n",
    passing_example="version: 1\nresources:\n  - {name: crm-db, type: database, sensitivity: confidential, exposure: vpn_only, logging: true}\n",
)
def sensitive_store_on_internet(facts: Facts) -> Iterator[Hit]:
    for name, r in sorted(facts.inventory.resources.items()):
        if r.type in ("database", "file_share") and r.exposure == "internet" and r.sensitivity in SENSITIVE:
            yield Hit("resource", name, f"{r.type.replace('_', ' ')} '{name}' holds {r.sensitivity} data and is exposed to the internet", field=("exposure",))


@rule(
    id="ZT-DAT-003",
    title="Restricted data reachable through a split-tunnel VPN",
    severity="medium",
    pillar="data",
    entity_kind="resource",
    references=refs(tenets=("T2",), ztmm=("Data/Data Access", "Networks/Network Traffic Management"), sp800_53=("SC-7(7)", "AC-4"), cis=("3.12", "12.7")),
    rationale="The same device holds a restricted-data session and an uninspected internet path at once: an easy exfiltration route.",
    remediation="Use full tunnelling for the VPN profiles that reach restricted data.",
    failing_example=_vpn(split="true"),
    passing_example=_vpn(split="false"),
)
def restricted_over_split_tunnel(facts: Facts) -> Iterator[Hit]:
    split = {network for network, gateway in facts.gateway_of.items() if gateway.split_tunnel}
    if not split:
        return

    def through_split(level: int, device: DeviceClass, network: str | None, country: str | None) -> bool:
        return network in split

    reach = facts.access.effective.reach
    for name, r in sorted(facts.inventory.resources.items()):
        if r.sensitivity != "restricted":
            continue
        # the networks of the requests someone can make, without building them
        networks = {network for _, _, network, _ in reach.users_by_item(name, through_split)}
        gateways = sorted((facts.gateway_of[network].name, network) for network in networks if network is not None)
        for gateway, network in gateways:
            yield Hit("resource", name, f"restricted {name} is granted through VPN network '{network}' whose gateway '{gateway}' uses split tunnelling",
                      evidence={"gateway": gateway, "network": network})


@rule(
    id="ZT-DAT-004",
    title="Restricted data reachable only over weak transport cryptography",
    severity="high",
    pillar="data",
    entity_kind="resource",
    references=refs(tenets=("T2",), ztmm=("Data/Data Encryption", "Networks/Traffic Encryption"), sp800_53=("SC-8(1)", "SC-13"), cis=("3.10",), other=("NIST SP 800-52r2",)),
    rationale="The strongest data is protected by the weakest tunnel setting it has to cross.",
    remediation="Fix the gateway's TLS version, ciphers or DH groups, or give the resource its own TLS 1.2+ channel.",
    failing_example=_vpn(tls="1.0"),
    passing_example=_vpn(tls="1.2"),
)
def restricted_over_weak_crypto(facts: Facts) -> Iterator[Hit]:
    weak = _gateways_with_weak_transport(facts)

    def avoids_weak(level: int, device: DeviceClass, network: str | None, country: str | None) -> bool:
        gateway = facts.gateway_of.get(network) if network is not None else None
        return gateway is None or gateway.name not in weak

    for name, r in sorted(facts.inventory.resources.items()):
        if r.sensitivity != "restricted":
            continue
        if facts.any_path(name, avoids_weak):
            continue
        paths = facts.paths_to(name)
        if paths and all(p.network in facts.gateway_of and facts.gateway_of[p.network].name in weak for p in paths):
            gateways = sorted({facts.gateway_of[p.network].name for p in paths if p.network})
            detail = "; ".join(f"{g}: {', '.join(sorted(weak[g]))}" for g in gateways)
            yield Hit("resource", name, f"every path to restricted {name} crosses a gateway with weak transport cryptography ({detail})",
                      evidence={"gateways": gateways})


def _gateways_with_weak_transport(facts: Facts) -> dict[str, set[str]]:
    """Gateways that the transport-crypto rules (NET-005/006/007) flag, with those rule ids.

    Asking the rules themselves keeps one definition of "weak" in the pack.
    """
    from zerotrust_audit.rules import RULES_BY_ID

    weak: dict[str, set[str]] = {}
    for rule_id in _WEAK_TRANSPORT_RULES:
        net_rule = RULES_BY_ID.get(rule_id)
        if net_rule is None:
            continue
        for hit in net_rule.check(facts):
            if hit.kind == "vpn_gateway" and (hit.severity or net_rule.severity) != "info":
                weak.setdefault(hit.name, set()).add(rule_id)
    return weak


RULES = (unencrypted_endpoint_reaches_data, sensitive_store_on_internet, restricted_over_split_tunnel, restricted_over_weak_crypto)
