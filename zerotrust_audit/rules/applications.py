"""ZT-APP: applications and resources: how they are published and who answers for them."""

from __future__ import annotations

from collections.abc import Iterator

from zerotrust_audit.analysis.access import Path
from zerotrust_audit.analysis.contexts import DeviceClass
from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.model.entities import VpnGateway
from zerotrust_audit.rules.base import Hit, refs, rule
from zerotrust_audit.rules.describe import EVIDENCE_LIMIT, capped

REMOTE_ADMIN_TYPES = ("ssh", "rdp")


def _grant(path: Path) -> str:
    """Which decision lets the request through: a rule, or the default action."""
    return f"rule '{path.rule}'" if path.rule else "default_action: allow"


def _flat_gateway(facts: Facts, network: str | None) -> VpnGateway | None:
    """The gateway in front of ``network`` when it gives clients the whole internal network."""
    gateway = facts.gateway_of.get(network) if network is not None else None
    return gateway if gateway is not None and gateway.full_network_access else None


def _without_mfa(level: int, device: DeviceClass, network: str | None, country: str | None) -> bool:
    return level == 0


def _path_evidence(paths: list[Path]) -> dict[str, object]:
    return capped("paths", paths, lambda p: {"user": p.user, "rule": p.rule, "endpoint": p.endpoint, "network": p.network, "mfa": p.mfa, "country": p.country})


@rule(
    id="ZT-APP-001",
    title="Remote-administration service exposed to the internet",
    severity="critical",
    pillar="applications",
    entity_kind="resource",
    references=refs(
        tenets=("T2", "T6"),
        ztmm=("Applications & Workloads/Accessible Applications",),
        sp800_53=("AC-17", "SC-7", "CM-7"),
        cis=("4.6", "12.3", "13.4"),
    ),
    rationale="Internet-facing RDP and SSH are brute-forced continuously and are a leading ransomware entry point.",
    remediation="Put the service behind an identity-aware proxy or a VPN that requires MFA, or close it.",
    failing_example="""\
version: 1
resources:
  - {name: jump-host, type: ssh, sensitivity: confidential, exposure: internet, logging: true, owner: platform}
""",
    passing_example="""\
version: 1
resources:
  - {name: jump-host, type: ssh, sensitivity: confidential, exposure: vpn_only, logging: true, owner: platform}
""",
)
def remote_admin_on_internet(facts: Facts) -> Iterator[Hit]:
    """SSH and RDP facing the internet are attacked around the clock."""
    for name, resource in sorted(facts.inventory.resources.items()):
        if resource.type in REMOTE_ADMIN_TYPES and resource.exposure == "internet":
            yield Hit(
                "resource", name,
                f"{resource.type} service '{name}' is exposed to the internet (exposure: internet)",
                field=("exposure",),
            )


@rule(
    id="ZT-APP-002",
    title="Internet-exposed resource reachable without MFA",
    severity="high",
    pillar="applications",
    entity_kind="resource",
    references=refs(
        tenets=("T6",),
        ztmm=("Applications & Workloads/Application Access",),
        sp800_53=("IA-2(1)", "IA-2(2)"),
        cis=("6.3",),
        scuba=("MS.AAD.3.2v2",),
    ),
    rationale="Anything on the internet is reachable by every attacker; a password alone is not enough there.",
    remediation="Require MFA (mfa: any or phishing_resistant) in every rule that grants an internet-exposed resource.",
    failing_example="""\
version: 1
users:
  - {name: bob, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
mfa_policies:
  - {name: all, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2]}
resources:
  - {name: wiki, type: app, sensitivity: internal, exposure: internet, logging: true, owner: it}
access_rules:
  - {name: staff-wiki, effect: allow, subjects: {groups: [staff]}, resources: [wiki], conditions: {mfa: none}}
""",
    passing_example="""\
version: 1
users:
  - {name: bob, type: employee, status: active, groups: [staff], mfa_methods: [fido2]}
mfa_policies:
  - {name: all, applies_to: {groups: ["*"]}, required: true, allowed_methods: [fido2]}
resources:
  - {name: wiki, type: app, sensitivity: internal, exposure: internet, logging: true, owner: it}
access_rules:
  - {name: staff-wiki, effect: allow, subjects: {groups: [staff]}, resources: [wiki], conditions: {mfa: any}}
""",
)
def internet_resource_without_mfa(facts: Facts) -> Iterator[Hit]:
    """An internet-facing resource must never be one stolen password away."""
    reach = facts.access.effective.reach
    for name, resource in sorted(facts.inventory.resources.items()):
        if resource.exposure != "internet":
            continue
        # users with a request needing no MFA, and how many such requests:
        # counted on sets of users, built only for the examples shown
        users, total = 0, 0
        for item, bits in reach.users_by_item(name, _without_mfa).items():
            users |= bits
            total += reach.request_count(bits, item[1])
        shown = reach.sets.from_indexes(reach.sets.first_indexes(users, EVIDENCE_LIMIT))
        open_paths: list[Path] = []
        for grant in reach.grants_within(name, shown, _without_mfa):
            open_paths.extend(facts.access.paths_of(grant, _without_mfa))
        del open_paths[EVIDENCE_LIMIT:]
        omitted = total - len(open_paths)
        if not open_paths:
            continue
        first = open_paths[0]
        count = users.bit_count()
        others = f" ({count - 1} more user{'s' if count > 2 else ''} likewise)" if count > 1 else ""
        where = f" from network '{first.network}'" if first.network else ""
        yield Hit(
            "resource", name,
            f"'{name}' is exposed to the internet and '{first.user}' can reach it without MFA through {_grant(first)}{where}{others}",
            evidence={**_path_evidence(open_paths), **({"paths_omitted": omitted} if omitted else {})},
        )


@rule(
    id="ZT-APP-003",
    title="Application reachable only by network placement behind a flat VPN",
    severity="low",
    pillar="applications",
    entity_kind="resource",
    references=refs(
        tenets=("T2", "T3"),
        ztmm=("Applications & Workloads/Accessible Applications",),
        sp800_53=("AC-3", "SC-7"),
        other=("OMB M-22-09 Applications (treat applications as internet-reachable)",),
    ),
    rationale='Such an application is protected by "being inside", which zero trust replaces with per-application authorisation.',
    remediation="Move the application to per-application access (ZTNA or an identity-aware proxy) with its own MFA and device checks.",
    failing_example="""\
version: 1
users:
  - {name: bob, type: employee, status: active, groups: [staff], mfa_methods: []}
vpn_gateways:
  - name: vpn-eu
    protocol: ipsec-ikev2
    authentication: {mfa_required: true, methods: [certificate, saml]}
    posture_check: true
    split_tunnel: false
    full_network_access: true
    logging: true
networks:
  - {name: vpn-eu-net, type: vpn, gateway: vpn-eu}
resources:
  - {name: intranet, type: app, sensitivity: internal, exposure: vpn_only, logging: true, owner: it}
access_rules:
  - {name: staff-intranet, effect: allow, subjects: {groups: [staff]}, resources: [intranet], conditions: {networks: [vpn-eu-net]}}
""",
    passing_example="""\
version: 1
users:
  - {name: bob, type: employee, status: active, groups: [staff], mfa_methods: []}
vpn_gateways:
  - name: vpn-eu
    protocol: ipsec-ikev2
    authentication: {mfa_required: true, methods: [certificate, saml]}
    posture_check: true
    split_tunnel: false
    full_network_access: false
    logging: true
networks:
  - {name: vpn-eu-net, type: vpn, gateway: vpn-eu}
resources:
  - {name: intranet, type: app, sensitivity: internal, exposure: vpn_only, logging: true, owner: it}
access_rules:
  - {name: staff-intranet, effect: allow, subjects: {groups: [staff]}, resources: [intranet], conditions: {networks: [vpn-eu-net]}}
""",
)
def only_behind_flat_vpn(facts: Facts) -> Iterator[Hit]:
    """An application whose only protection is sitting behind a VPN that opens the whole network."""

    def not_through_flat_vpn(level: int, device: DeviceClass, network: str | None, country: str | None) -> bool:
        return _flat_gateway(facts, network) is None

    for name, resource in sorted(facts.inventory.resources.items()):
        if resource.exposure != "vpn_only":
            continue
        if facts.any_path(name, not_through_flat_vpn):
            continue   # some request does not go through a flat VPN
        paths = facts.paths_to(name)
        gateways = [_flat_gateway(facts, p.network) for p in paths]
        if not paths or any(g is None for g in gateways):
            continue
        routes = sorted({(_grant(p), p.network, g.name) for p, g in zip(paths, gateways) if g is not None})
        via = "; ".join(f"{grant} via network '{network}' (gateway '{gateway}')" for grant, network, gateway in routes)
        yield Hit(
            "resource", name,
            f"vpn_only resource '{name}' is granted only to requests from VPN networks whose gateway has "
            f"full_network_access: true: {via}",
            evidence=_path_evidence(paths),
        )


@rule(
    id="ZT-APP-004",
    title="Resource without an owner",
    severity="low",
    pillar="governance",
    entity_kind="resource",
    references=refs(
        tenets=("T1",),
        ztmm=("Data/Data Inventory Management", "Cross-cutting/Governance"),
        sp800_53=("CM-8", "PM-5"),
        cis=("1.1", "3.1"),
    ),
    rationale="Nobody reviews access to, or accepts risk for, an unowned system.",
    remediation="Assign an owning team in the resource's owner field.",
    failing_example="""\
version: 1
resources:
  - {name: legacy-crm, type: app, sensitivity: confidential, exposure: vpn_only, logging: true}
""",
    passing_example="""\
version: 1
resources:
  - {name: legacy-crm, type: app, sensitivity: confidential, exposure: vpn_only, logging: true, owner: sales-ops}
""",
)
def resource_without_owner(facts: Facts) -> Iterator[Hit]:
    """Every resource needs someone who reviews its access and accepts its risks."""
    for name, resource in sorted(facts.inventory.resources.items()):
        if resource.owner is None:
            yield Hit("resource", name, f"resource '{name}' ({resource.sensitivity}, {resource.type}) has no owner")


RULES = (remote_admin_on_internet, internet_resource_without_mfa, only_behind_flat_vpn, resource_without_owner)
