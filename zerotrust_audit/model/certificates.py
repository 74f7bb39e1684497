"""Reading the gateway certificates an inventory points at.

``vpn_gateways[].certificate`` is a path relative to the YAML file that names
it. It must stay inside the scanned repository (a pull request must not make
the tool read files elsewhere) and must be a readable certificate: anything
else is an input error at the ``certificate`` field, never a silent pass.
"""

from __future__ import annotations


from zerotrust_audit.analysis.certs import CertificateError, CertificateFacts, load_certificate
from zerotrust_audit.errors import Problem
from zerotrust_audit.model.inventory import Inventory

MAX_CERTIFICATE_BYTES = 1024 * 1024


def load_gateway_certificates(inventory: Inventory) -> tuple[dict[str, CertificateFacts], list[Problem]]:
    """Certificate facts by gateway name, and the problems of those that cannot be read."""
    facts: dict[str, CertificateFacts] = {}
    problems: list[Problem] = []
    root = inventory.root.resolve()
    for name in sorted(inventory.vpn_gateways):
        gateway = inventory.vpn_gateways[name]
        source = inventory.sources.of("vpn_gateway", name)
        if gateway.certificate is None or source is None:
            continue
        where, field = source.field("certificate"), source.field_name("certificate")
        declared_in = (root / source.positions.path).parent
        target = (declared_in / gateway.certificate).resolve()
        if target != root and root not in target.parents:
            problems.append(Problem(where, f"{field}: '{gateway.certificate}' leaves the scanned repository; refused"))
            continue
        try:
            if target.stat().st_size > MAX_CERTIFICATE_BYTES:
                problems.append(Problem(where, f"{field}: '{gateway.certificate}' is larger than {MAX_CERTIFICATE_BYTES} bytes"))
                continue
            data = target.read_bytes()
        except OSError as exc:
            problems.append(Problem(where, f"{field}: cannot read '{gateway.certificate}': {exc.strerror or exc}"))
            continue
        try:
            facts[name] = load_certificate(data)
        except CertificateError as exc:
            problems.append(Problem(where, f"{field}: '{gateway.certificate}' is not a readable certificate: {exc}"))
    return facts, problems
