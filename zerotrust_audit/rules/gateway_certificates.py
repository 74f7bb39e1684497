"""ZT-NET-016 to ZT-NET-022: the certificates VPN gateways present to their clients.

A gateway certificate that is expired, weak, self-signed or issued for another
name either breaks clients or, worse, teaches users and clients to accept
certificate warnings, which is what a man in the middle needs. Findings are
reported on the gateway, at its ``certificate`` field; the certificate facts
come from :mod:`zerotrust_audit.analysis.certs`.
"""

from __future__ import annotations

from collections.abc import Iterator

from zerotrust_audit.analysis.certs import CertificateFacts, hostname_matches, max_validity_days, validity_days
from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.rules.base import Hit, refs, rule
from zerotrust_audit.rules.gateway_common import gateway_example

# Certificates for the examples (shown by `ztaudit explain`; audit date 2026-11-01).
EXAMPLE_CERTIFICATES = {
    # EC P-256, SHA-256, issued by Acme Issuing CA, 2026-10-01 to 2026-12-30
    "certs/vpn-eu.pem": """\
-----BEGIN CERTIFICATE-----
MIIBQzCB6qADAgECAgIQATAKBggqhkjOPQQDAjAaMRgwFgYDVQQDDA9BY21lIElz
c3VpbmcgQ0EwHhcNMjYxMDAxMDAwMDAwWhcNMjYxMjMwMDAwMDAwWjAbMRkwFwYD
VQQDDBB2cG4uYWNtZS5leGFtcGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
2AROXXCBgXWgGiD2417Ql3H8DTZH+bUOW1CluNdPNKXpdi/x8hHic1wR8A3aDdyF
tl38qkf6lMtHjhMhkalDF6MfMB0wGwYDVR0RBBQwEoIQdnBuLmFjbWUuZXhhbXBs
ZTAKBggqhkjOPQQDAgNIADBFAiA9r45/WpdWbw06MlPjYZvHl33G52fdDnjT6PWJ
+9hrswIhAOGCoMKo9u5fpIc98d2ifOjrenCu1VBbq4kGYmf1mWuY
-----END CERTIFICATE-----
""",
    # as above, 2026-06-01 to 2026-08-30
    "certs/vpn-eu-expired.pem": """\
-----BEGIN CERTIFICATE-----
MIIBQzCB6qADAgECAgIQAjAKBggqhkjOPQQDAjAaMRgwFgYDVQQDDA9BY21lIElz
c3VpbmcgQ0EwHhcNMjYwNjAxMDAwMDAwWhcNMjYwODMwMDAwMDAwWjAbMRkwFwYD
VQQDDBB2cG4uYWNtZS5leGFtcGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
2AROXXCBgXWgGiD2417Ql3H8DTZH+bUOW1CluNdPNKXpdi/x8hHic1wR8A3aDdyF
tl38qkf6lMtHjhMhkalDF6MfMB0wGwYDVR0RBBQwEoIQdnBuLmFjbWUuZXhhbXBs
ZTAKBggqhkjOPQQDAgNIADBFAiBwxKbCVRIn2IBXNppizYEtXf3DTqUT3DpP//l6
ktBPXwIhALDtdEZ2z/MsoaXaNGNra70HXOA72OpHb/zRdFirKHsX
-----END CERTIFICATE-----
""",
    # as above, 2026-08-20 to 2026-11-18
    "certs/vpn-eu-expiring.pem": """\
-----BEGIN CERTIFICATE-----
MIIBRDCB6qADAgECAgIQAzAKBggqhkjOPQQDAjAaMRgwFgYDVQQDDA9BY21lIElz
c3VpbmcgQ0EwHhcNMjYwODIwMDAwMDAwWhcNMjYxMTE4MDAwMDAwWjAbMRkwFwYD
VQQDDBB2cG4uYWNtZS5leGFtcGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
2AROXXCBgXWgGiD2417Ql3H8DTZH+bUOW1CluNdPNKXpdi/x8hHic1wR8A3aDdyF
tl38qkf6lMtHjhMhkalDF6MfMB0wGwYDVR0RBBQwEoIQdnBuLmFjbWUuZXhhbXBs
ZTAKBggqhkjOPQQDAgNJADBGAiEAzPhazZimw8/c18SXuejKhRQpJg39C4w/CBmk
h3zP8QQCIQC8B2fUejdbl5zwjysQI71iG78IobwZ9GK79YXEvFPHCA==
-----END CERTIFICATE-----
""",
    # RSA 1024-bit key, otherwise as vpn-eu.pem
    "certs/vpn-eu-rsa1024.pem": """\
-----BEGIN CERTIFICATE-----
MIIBizCCATGgAwIBAgICEAQwCgYIKoZIzj0EAwIwGjEYMBYGA1UEAwwPQWNtZSBJ
c3N1aW5nIENBMB4XDTI2MTAwMTAwMDAwMFoXDTI2MTIzMDAwMDAwMFowGzEZMBcG
A1UEAwwQdnBuLmFjbWUuZXhhbXBsZTCBnzANBgkqhkiG9w0BAQEFAAOBjQAwgYkC
gYEApuXRRrnZNo3Ekj8NDAssLs42afemJvfxxvR5GjltSLOn+DLws5V+y7xLLfLs
6HuD29gBUCA8/NIJP+W/tMou6WhB3nYNy7gi06GTZdYDzr0H/HTQ2WbwKsSyRJ/P
5taAUmTYAP4v728hAbT/JRMXYTGoOLg1LLwyXRoaOyMiuC0CAwEAAaMfMB0wGwYD
VR0RBBQwEoIQdnBuLmFjbWUuZXhhbXBsZTAKBggqhkjOPQQDAgNIADBFAiBhl33R
6X4aAV5ZMxoGqJrYL4v5SuqFGlOK/1pLVujROwIhALbEKdWZTkPnj59DvtUUSXZn
CLco8MUK3VvFdMxO98Oh
-----END CERTIFICATE-----
""",
    # signed with ECDSA-SHA1, otherwise as vpn-eu.pem
    "certs/vpn-eu-sha1.pem": """\
-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgICEAcwCQYHKoZIzj0EATAaMRgwFgYDVQQDDA9BY21lIElz
c3VpbmcgQ0EwHhcNMjYxMDAxMDAwMDAwWhcNMjYxMjMwMDAwMDAwWjAbMRkwFwYD
VQQDDBB2cG4uYWNtZS5leGFtcGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
2AROXXCBgXWgGiD2417Ql3H8DTZH+bUOW1CluNdPNKXpdi/x8hHic1wR8A3aDdyF
tl38qkf6lMtHjhMhkalDF6NsMGowGwYDVR0RBBQwEoIQdnBuLmFjbWUuZXhhbXBs
ZTAdBgNVHQ4EFgQU13eMPN8+9f+1WZXuA6bPLqw+gYgwLAYDVR0jBCUwI6EepBww
GjEYMBYGA1UEAwwPQWNtZSBJc3N1aW5nIENBggEBMAkGByqGSM49BAEDSQAwRgIh
APEnU4KfMphu14tY2o0Y/5x2kp4jBK+rfQOl5m3VxrLYAiEA/7Yrdj7CyAQhZlTd
MECzjvpIBizcSbi8pOY7mm6nsJw=
-----END CERTIFICATE-----
""",
    # self-signed, otherwise as vpn-eu.pem
    "certs/vpn-eu-selfsigned.pem": """\
-----BEGIN CERTIFICATE-----
MIIBRDCB66ADAgECAgIQBTAKBggqhkjOPQQDAjAbMRkwFwYDVQQDDBB2cG4uYWNt
ZS5leGFtcGxlMB4XDTI2MTAwMTAwMDAwMFoXDTI2MTIzMDAwMDAwMFowGzEZMBcG
A1UEAwwQdnBuLmFjbWUuZXhhbXBsZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IA
BNgETl1wgYF1oBog9uNe0Jdx/A02R/m1DltQpbjXTzSl6XYv8fIR4nNcEfAN2g3c
hbZd/KpH+pTLR44TIZGpQxejHzAdMBsGA1UdEQQUMBKCEHZwbi5hY21lLmV4YW1w
bGUwCgYIKoZIzj0EAwIDSAAwRQIgHxqnHSh5FrpcPJWJVcmbJ2K8+GUxcw+OmFcm
rrxL90ECIQCdc2zxUdsEsv8H2ejn7m+ynjBQ+hWzIdtl9Jq0lBEYiA==
-----END CERTIFICATE-----
""",
    # 365 days from 2026-04-01, otherwise as vpn-eu.pem
    "certs/vpn-eu-long.pem": """\
-----BEGIN CERTIFICATE-----
MIIBQzCB6qADAgECAgIQBjAKBggqhkjOPQQDAjAaMRgwFgYDVQQDDA9BY21lIElz
c3VpbmcgQ0EwHhcNMjYwNDAxMDAwMDAwWhcNMjcwNDAxMDAwMDAwWjAbMRkwFwYD
VQQDDBB2cG4uYWNtZS5leGFtcGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
2AROXXCBgXWgGiD2417Ql3H8DTZH+bUOW1CluNdPNKXpdi/x8hHic1wR8A3aDdyF
tl38qkf6lMtHjhMhkalDF6MfMB0wGwYDVR0RBBQwEoIQdnBuLmFjbWUuZXhhbXBs
ZTAKBggqhkjOPQQDAgNIADBFAiEAzp6/mRPa9kZ5dhB1TukKVBrBwI4GXdIlVAoy
dWTpq+ECIGUj25HvYG6BaItskSARBweWDE1eCqcqWZ4Sf76Lg81Z
-----END CERTIFICATE-----
""",
}

ORGANIZATION = "organization: {name: Acme Corp, default_action: deny, audit_date: 2026-11-01}\n"
ACCEPTED_CURVES = ("secp256r1", "secp384r1", "secp521r1")  # CA/B BR 6.1.5: P-256, P-384, P-521
WEAK_SIGNATURE_HASHES = {"md2": "MD2", "md4": "MD4", "md5": "MD5", "sha1": "SHA-1"}


def certificate_example(certificate: str = "certs/vpn-eu.pem", hostname: str = "vpn.acme.example") -> str:
    """A complete inventory whose gateway vpn-eu presents ``certificate`` (a key of EXAMPLE_CERTIFICATES)."""
    return gateway_example(head=ORGANIZATION, hostname=hostname, certificate=certificate)


def example_files(*paths: str) -> dict[str, dict[str, str]]:
    """``Rule.extra`` for a rule whose examples need certificate files beside the YAML."""
    return {"example_files": {path: EXAMPLE_CERTIFICATES[path] for path in paths}}


def certificates(facts: Facts) -> Iterator[tuple[str, CertificateFacts]]:
    """(gateway name, certificate facts) of the gateways that declare a certificate, in name order."""
    for name in sorted(facts.certificates):
        yield name, facts.certificates[name]


@rule(
    id="ZT-NET-016",
    title="Gateway certificate outside its validity window",
    severity="critical",
    severity_note="medium when the certificate is not yet valid",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(tenets=("T2",), ztmm=("Networks/Traffic Encryption",), sp800_53=("SC-17", "SC-12"), other=("NIST SP 800-52r2 3.2",)),
    rationale="An invalid certificate either breaks clients or, worse, trains users and clients to accept certificate warnings.",
    remediation="Renew and deploy the certificate, and automate renewal.",
    failing_example=certificate_example("certs/vpn-eu-expired.pem"),
    passing_example=certificate_example("certs/vpn-eu.pem"),
    extra=example_files("certs/vpn-eu-expired.pem", "certs/vpn-eu.pem"),
)
def certificate_not_valid(facts: Facts) -> Iterator[Hit]:
    """Validity is judged by calendar date (UTC): a certificate expiring on the audit date is still valid that day."""
    for name, cert in certificates(facts):
        not_before, not_after = cert.not_before.date(), cert.not_after.date()
        if not_after < facts.today:
            days = (facts.today - not_after).days
            yield Hit("vpn_gateway", name, f"{name}'s certificate ({cert.subject}) expired on {not_after}, {days} days before the audit date", field=("certificate",))
        elif not_before > facts.today:
            days = (not_before - facts.today).days
            yield Hit(
                "vpn_gateway", name, f"{name}'s certificate ({cert.subject}) is not valid until {not_before}, {days} days after the audit date",
                severity="medium", field=("certificate",),
            )


@rule(
    id="ZT-NET-017",
    title="Gateway certificate expires soon",
    severity="medium",
    pillar="networks",
    entity_kind="vpn_gateway",
    thresholds=("cert_expiry_warn_days",),
    references=refs(
        ztmm=("Networks/Traffic Encryption", "Cross-cutting/Automation & Orchestration"), sp800_53=("SC-17",), other=("CA/B Forum BR 6.3.2",),
    ),
    rationale="Last-minute renewals are where outages and insecure workarounds happen.",
    remediation="Renew the certificate now and automate renewal (ACME or EST).",
    failing_example=certificate_example("certs/vpn-eu-expiring.pem"),
    passing_example=certificate_example("certs/vpn-eu.pem"),
    extra=example_files("certs/vpn-eu-expiring.pem", "certs/vpn-eu.pem"),
)
def certificate_expires_soon(facts: Facts) -> Iterator[Hit]:
    """Fewer than cert_expiry_warn_days days left; an expired certificate is ZT-NET-016's."""
    warn = int(facts.thresholds["cert_expiry_warn_days"])
    for name, cert in certificates(facts):
        left = (cert.not_after.date() - facts.today).days
        if 0 <= left < warn:
            yield Hit(
                "vpn_gateway", name, f"{name}'s certificate ({cert.subject}) expires on {cert.not_after.date()}, {left} days after the audit date (warning below {warn})",
                field=("certificate",),
            )


@rule(
    id="ZT-NET-018",
    title="Weak certificate key",
    severity="high",
    pillar="networks",
    entity_kind="vpn_gateway",
    thresholds=("cert_rsa_min_bits",),
    references=refs(
        tenets=("T2",), ztmm=("Networks/Traffic Encryption",), sp800_53=("SC-12", "SC-13", "SC-17"),
        other=("CA/B Forum BR 6.1.5", "NIST SP 800-131A r2", "NIST SP 800-52r2 3.2"),
    ),
    rationale="Keys below 112-bit strength can be factored, or are no longer allowed for generating signatures.",
    remediation="Reissue the certificate with an RSA key of 2048 bits or more (3072 for long-lived keys) or an ECDSA P-256/P-384 key.",
    failing_example=certificate_example("certs/vpn-eu-rsa1024.pem"),
    passing_example=certificate_example("certs/vpn-eu.pem"),
    extra=example_files("certs/vpn-eu-rsa1024.pem", "certs/vpn-eu.pem"),
)
def weak_certificate_key(facts: Facts) -> Iterator[Hit]:
    """RSA below cert_rsa_min_bits, EC curves other than P-256/384/521, and DSA (CA/B BR 6.1.5).
    EdDSA keys are strong and not judged here; keys the parser cannot identify neither."""
    min_rsa = int(facts.thresholds["cert_rsa_min_bits"])
    for name, cert in certificates(facts):
        if cert.key_algorithm == "rsa" and cert.key_bits < min_rsa:
            problem = f"a {cert.key_bits}-bit RSA key (minimum {min_rsa})"
        elif cert.key_algorithm == "ec" and cert.curve not in ACCEPTED_CURVES:
            problem = f"an EC key on curve {cert.curve} ({cert.key_bits}-bit), not P-256, P-384 or P-521"
        elif cert.key_algorithm == "dsa":
            problem = f"a {cert.key_bits}-bit DSA key"
        else:
            continue
        yield Hit("vpn_gateway", name, f"{name}'s certificate ({cert.subject}) has {problem}", field=("certificate",))


@rule(
    id="ZT-NET-019",
    title="Weak certificate signature algorithm",
    severity="high",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(
        tenets=("T2",), ztmm=("Networks/Traffic Encryption",), sp800_53=("SC-13", "SC-17"), other=("NIST SP 800-131A r2", "CA/B Forum BR 7.1.3"),
    ),
    rationale="Collisions on SHA-1 and MD5 allow forged certificates that clients will accept.",
    remediation="Reissue the certificate signed with SHA-256 or stronger.",
    failing_example=certificate_example("certs/vpn-eu-sha1.pem"),
    passing_example=certificate_example("certs/vpn-eu.pem"),
    extra=example_files("certs/vpn-eu-sha1.pem", "certs/vpn-eu.pem"),
)
def weak_certificate_signature(facts: Facts) -> Iterator[Hit]:
    """SHA-1 (and older) signatures are disallowed for signature generation by SP 800-131A r2."""
    for name, cert in certificates(facts):
        weak = WEAK_SIGNATURE_HASHES.get(cert.signature_hash or "")
        if weak:
            yield Hit("vpn_gateway", name, f"{name}'s certificate ({cert.subject}) is signed with {weak} by {cert.issuer}", field=("certificate",))


@rule(
    id="ZT-NET-020",
    title="Self-signed gateway certificate",
    severity="medium",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(tenets=("T2", "T6"), ztmm=("Networks/Traffic Encryption",), sp800_53=("SC-17", "IA-5(2)"), other=("NIST SP 800-52r2 3.2",)),
    rationale="Clients cannot validate a self-signed certificate against a CA, so users learn to click through warnings and a man in the middle goes unnoticed.",
    remediation="Issue the gateway certificate from a public CA or a managed private CA whose root is deployed to the clients, and pin it in the VPN profile.",
    failing_example=certificate_example("certs/vpn-eu-selfsigned.pem"),
    passing_example=certificate_example("certs/vpn-eu.pem"),
    extra=example_files("certs/vpn-eu-selfsigned.pem", "certs/vpn-eu.pem"),
)
def self_signed_certificate(facts: Facts) -> Iterator[Hit]:
    """Self-signed: subject equals issuer and the certificate's own key verifies its signature."""
    for name, cert in certificates(facts):
        if cert.self_signed:
            yield Hit("vpn_gateway", name, f"{name}'s certificate ({cert.subject}) is self-signed", field=("certificate",))


@rule(
    id="ZT-NET-021",
    title="Certificate validity period too long",
    severity="low",
    severity_note="info when the certificate is self-signed: the CA/Browser Forum limits bind public CAs only",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(ztmm=("Networks/Traffic Encryption",), sp800_53=("SC-12", "SC-17"), other=("CA/B Forum BR 6.3.2", "NIST SP 800-57 Pt 1")),
    rationale="A long lifetime widens the window in which a compromised key or a stale identity stays valid.",
    remediation="Issue shorter-lived certificates and automate their rotation.",
    failing_example=certificate_example("certs/vpn-eu-long.pem"),
    passing_example=certificate_example("certs/vpn-eu.pem"),
    extra=example_files("certs/vpn-eu-long.pem", "certs/vpn-eu.pem"),
)
def certificate_validity_too_long(facts: Facts) -> Iterator[Hit]:
    """Limits by issue date, CA/B BR 6.3.2 (ballot SC-081v3): 398, 200, 100, then 47 days.
    As the Baseline Requirements do, the validity period counts both ends (one second more)."""
    for name, cert in certificates(facts):
        limit = max_validity_days(cert.not_before)
        days = validity_days(cert)
        if days * 86400 + 1 <= limit * 86400:
            continue
        counted = " counting both ends, one second more than allowed" if days == limit else ""
        yield Hit(
            "vpn_gateway", name,
            f"{name}'s certificate ({cert.subject}) is valid for {round(days, 1):g} days{counted} ({cert.not_before.date()} to {cert.not_after.date()}); "
            f"certificates issued on {cert.not_before.date()} may be valid for at most {limit} days",
            severity="info" if cert.self_signed else None, field=("certificate",),
        )


@rule(
    id="ZT-NET-022",
    title="Certificate name does not match the gateway",
    severity="medium",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(tenets=("T2",), ztmm=("Networks/Traffic Encryption",), sp800_53=("SC-17", "SC-23"), other=("NIST SP 800-52r2 3.2", "RFC 6125")),
    rationale="A certificate for another name fails validation in strict clients and is accepted only by clients that skip the hostname check.",
    remediation="Reissue the certificate with the gateway's public name in its subject alternative names.",
    failing_example=certificate_example(hostname="remote.acme.example"),
    passing_example=certificate_example(hostname="vpn.acme.example"),
    extra=example_files("certs/vpn-eu.pem"),
)
def certificate_name_mismatch(facts: Facts) -> Iterator[Hit]:
    """The hostname must be covered by a DNS subject alternative name (RFC 6125 wildcards; the CN is not used)."""
    for name, cert in certificates(facts):
        hostname = facts.inventory.vpn_gateways[name].hostname
        if hostname is None or hostname_matches(hostname, cert.dns_names):
            continue
        names = f"its DNS names are {', '.join(cert.dns_names)}" if cert.dns_names else "it has no DNS subject alternative names"
        yield Hit("vpn_gateway", name, f"{name}'s certificate ({cert.subject}) does not cover hostname '{hostname}': {names}", field=("certificate",))


RULES = (
    certificate_not_valid,
    certificate_expires_soon,
    weak_certificate_key,
    weak_certificate_signature,
    self_signed_certificate,
    certificate_validity_too_long,
    certificate_name_mismatch,
)
