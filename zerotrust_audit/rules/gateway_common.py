"""What the ZT-NET modules share: gateways in a stable order, and the example inventory.

Every gateway rule's examples start from one healthy gateway and change a
single field, so the failing and passing examples differ only where the rule
looks and no other rule of the family fires on either.
"""

from __future__ import annotations

from collections.abc import Iterator

from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.model.entities import VpnGateway

# A healthy gateway, one field a line.
HEALTHY_GATEWAY = {
    "product": '{vendor: fortinet, name: fortios, version: "7.2.7"}',
    "protocol": "ipsec-ikev2",
    "ike": "{dh_groups: [19, 20], encryption: [AES-256-GCM], integrity: [SHA2-256], auth: certificate}",
    "authentication": "{mfa_required: true, methods: [certificate, saml]}",
    "posture_check": "true",
    "split_tunnel": "false",
    "full_network_access": "false",
    "idle_timeout_minutes": "30",
    "logging": "true",
}


def gateway_example(head: str = "", **fields: str | None) -> str:
    """A complete inventory with gateway ``vpn-eu``: the healthy one with ``fields``
    replaced or added (None drops a field); ``head`` goes before ``vpn_gateways``."""
    values = {**HEALTHY_GATEWAY, **fields}
    body = "".join(f"    {key}: {value}\n" for key, value in values.items() if value is not None)
    return f"version: 1\n{head}vpn_gateways:\n  - name: vpn-eu\n{body}"


def gateways(facts: Facts) -> Iterator[VpnGateway]:
    """The inventory's gateways in name order."""
    for name in sorted(facts.inventory.vpn_gateways):
        yield facts.inventory.vpn_gateways[name]
