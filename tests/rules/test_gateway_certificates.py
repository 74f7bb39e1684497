"""ZT-NET-016 to ZT-NET-022 (gateway_certificates.py), on certificates built at test time.

The gateway is written one field a line; ``hostname`` is on line 12 and
``certificate`` (where every finding points) on line 13. The audit date is
2026-11-01.
"""

from __future__ import annotations

import datetime
import functools
import warnings

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID
from rulecheck import findings, hits

from zerotrust_audit.analysis.certs import load_certificate
from zerotrust_audit.rules import gateway_certificates
from zerotrust_audit.rules.gateway_certificates import EXAMPLE_CERTIFICATES

UTC = datetime.timezone.utc
AUDIT = datetime.datetime(2026, 11, 1, tzinfo=UTC)
DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)
AT_CERT = [("vpn_gateway", "vpn-eu", 13)]

GATEWAY = """\
version: 1
vpn_gateways:
  - name: vpn-eu
    protocol: sslvpn
    tls_min_version: "1.2"
    authentication: {mfa_required: true, methods: [certificate, saml]}
    posture_check: true
    split_tunnel: false
    full_network_access: false
    idle_timeout_minutes: 30
    logging: true
    hostname: HOSTNAME
    certificate: certs/gw.pem
"""


def _dsa_key():
    """DSA keys still appear on old gateways; cryptography deprecates making them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return dsa.generate_private_key(key_size=2048)


@functools.cache
def key(kind: str = "ec-p256"):
    """One private key per kind, made once per test run."""
    makers = {
        "ec-p256": lambda: ec.generate_private_key(ec.SECP256R1()),
        "ec-p384": lambda: ec.generate_private_key(ec.SECP384R1()),
        "ec-k256": lambda: ec.generate_private_key(ec.SECP256K1()),
        "ca": lambda: ec.generate_private_key(ec.SECP384R1()),
        "rsa-ca": lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "rsa-1024": lambda: rsa.generate_private_key(public_exponent=65537, key_size=1024),
        "rsa-2048": lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "dsa-2048": _dsa_key,
        "ed25519": ed25519.Ed25519PrivateKey.generate,
    }
    return makers[kind]()


def name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def certificate(
    *,
    subject_key: str = "ec-p256",
    issuer_key: str | None = "ca",
    issuer: str = "Acme Issuing CA",
    not_before: datetime.datetime = AUDIT - 30 * DAY,
    valid_for: datetime.timedelta = 90 * DAY,
    dns_names: tuple[str, ...] = ("vpn.acme.example",),
    signature_hash: str = "sha256",
) -> bytes:
    """PEM of a gateway certificate: issued by ``issuer_key`` (None: self-signed).

    ``signature_hash`` "sha1" or "md5" needs an RSA signer: the installed
    cryptography refuses to build such certificates, so a SHA-256 one is built
    and its signature algorithm relabelled and signed again (as in tests/test_certs.py).
    """
    subject_private = key(subject_key)
    signer = subject_private if issuer_key is None else key(issuer_key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name("vpn.acme.example"))
        .issuer_name(name("vpn.acme.example") if issuer_key is None else name(issuer))
        .public_key(subject_private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + valid_for)
    )
    if dns_names:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in dns_names]), critical=False)
    hash_algorithm = None if isinstance(signer, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    cert = builder.sign(signer, hash_algorithm)
    if signature_hash == "sha256":
        return cert.public_bytes(serialization.Encoding.PEM)
    return _relabelled(cert, signer, {"md5": (4, hashes.MD5()), "sha1": (5, hashes.SHA1())}[signature_hash])


def _relabelled(cert: x509.Certificate, signer: rsa.RSAPrivateKey, label: tuple[int, hashes.HashAlgorithm]) -> bytes:
    """DER of an sha256WithRSA certificate turned into 1.2.840.113549.1.1.<arc> signed with ``hash``."""
    arc, hash_algorithm = label
    sha256_with_rsa = bytes.fromhex("300d06092a864886f70d01010b0500")
    data = cert.public_bytes(serialization.Encoding.DER)
    assert data.count(sha256_with_rsa) == 2
    data = data.replace(sha256_with_rsa, sha256_with_rsa[:12] + bytes([arc]) + sha256_with_rsa[13:])
    relabelled = x509.load_der_x509_certificate(data)
    signature = signer.sign(relabelled.tbs_certificate_bytes, padding.PKCS1v15(), hash_algorithm)
    assert len(signature) == len(cert.signature)
    return data.replace(cert.signature, signature)


def scan(rule_id: str, pem: bytes, hostname: str = "vpn.acme.example", tail: str = ""):
    return hits(rule_id, GATEWAY.replace("HOSTNAME", hostname) + tail, files={"certs/gw.pem": pem})


def finding(rule_id: str, pem: bytes, hostname: str = "vpn.acme.example", tail: str = ""):
    [found] = findings(rule_id, GATEWAY.replace("HOSTNAME", hostname) + tail, files={"certs/gw.pem": pem})
    return found


def org(thresholds: str) -> str:
    return f"organization:\n  name: Acme\n  default_action: deny\n  audit_date: 2026-11-01\n  thresholds: {{{thresholds}}}\n"


def test_module_holds_its_rules_in_id_order():
    assert [r.id for r in gateway_certificates.RULES] == [f"ZT-NET-0{n}" for n in range(16, 23)]


@pytest.mark.parametrize("rule", gateway_certificates.RULES, ids=lambda r: r.id)
def test_examples_with_their_certificate_files(rule):
    files = rule.extra["example_files"]
    assert [h[0] for h in hits(rule.id, rule.failing_example, files)] == [rule.entity_kind]
    assert hits(rule.id, rule.passing_example, files) == []


def test_example_certificates_are_what_their_comments_say():
    good = load_certificate(EXAMPLE_CERTIFICATES["certs/vpn-eu.pem"].encode())
    assert (good.key_algorithm, good.curve, good.signature_hash, good.self_signed) == ("ec", "secp256r1", "sha256", False)
    assert good.dns_names == ("vpn.acme.example",)
    for path, text in EXAMPLE_CERTIFICATES.items():
        facts = load_certificate(text.encode())
        assert facts.subject == "CN=vpn.acme.example", path


def test_a_healthy_certificate_passes_every_certificate_rule():
    pem = certificate()
    for rule in gateway_certificates.RULES:
        assert scan(rule.id, pem) == [], rule.id


def test_a_gateway_without_certificate_is_not_judged():
    text = GATEWAY.replace("HOSTNAME", "vpn.acme.example").replace("    certificate: certs/gw.pem\n", "")
    for rule in gateway_certificates.RULES:
        assert hits(rule.id, text) == [], rule.id


# --- ZT-NET-016: outside the validity window


@pytest.mark.parametrize(
    ("not_before", "valid_for", "expected", "severity"),
    [
        (AUDIT - 90 * DAY, 89 * DAY, AT_CERT, "critical"),  # expired the day before
        (AUDIT - 90 * DAY, 90 * DAY + 12 * 3600 * SECOND, [], None),  # expires on the audit date: still valid that day
        (AUDIT + DAY, 90 * DAY, AT_CERT, "medium"),  # valid from tomorrow
        (AUDIT + 23 * 3600 * SECOND, 90 * DAY, [], None),  # valid from later on the audit date
    ],
)
def test_validity_window(not_before, valid_for, expected, severity):
    found = findings("ZT-NET-016", GATEWAY.replace("HOSTNAME", "vpn.acme.example"), files={"certs/gw.pem": certificate(not_before=not_before, valid_for=valid_for)})
    assert [(f.entity_kind, f.entity_name, f.location.line) for f in found] == expected
    assert [f.severity for f in found] == ([severity] if expected else [])


def test_validity_window_messages():
    expired = finding("ZT-NET-016", certificate(not_before=AUDIT - 100 * DAY, valid_for=90 * DAY))
    assert expired.message == "vpn-eu's certificate (CN=vpn.acme.example) expired on 2026-10-22, 10 days before the audit date"
    early = finding("ZT-NET-016", certificate(not_before=AUDIT + 3 * DAY))
    assert early.message == "vpn-eu's certificate (CN=vpn.acme.example) is not valid until 2026-11-04, 3 days after the audit date"


# --- ZT-NET-017: expires soon


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(29, AT_CERT), (30, []), (31, []), (1, AT_CERT), (0, AT_CERT), (-1, [])],  # expired: ZT-NET-016's
)
def test_expires_soon(days_left, expected):
    pem = certificate(not_before=AUDIT - 60 * DAY, valid_for=(60 + days_left) * DAY)
    assert scan("ZT-NET-017", pem) == expected


def test_expires_soon_message():
    found = finding("ZT-NET-017", certificate(not_before=AUDIT - 60 * DAY, valid_for=70 * DAY))
    assert found.message == "vpn-eu's certificate (CN=vpn.acme.example) expires on 2026-11-11, 10 days after the audit date (warning below 30)"
    assert found.severity == "medium"


@pytest.mark.parametrize(("days_left", "expected"), [(59, AT_CERT), (60, [])])
def test_expires_soon_threshold(days_left, expected):
    pem = certificate(not_before=AUDIT - 60 * DAY, valid_for=(60 + days_left) * DAY)
    assert scan("ZT-NET-017", pem, tail=org("cert_expiry_warn_days: 60")) == expected


# --- ZT-NET-018: weak key


@pytest.mark.parametrize(
    ("subject_key", "expected"),
    [
        ("rsa-1024", AT_CERT),
        ("rsa-2048", []),
        ("ec-p256", []),
        ("ec-p384", []),
        ("ec-k256", AT_CERT),  # secp256k1 is not a CA/B BR curve
        ("dsa-2048", AT_CERT),
        ("ed25519", []),  # strong; not a BR key type, but not weak either
    ],
)
def test_weak_key(subject_key, expected):
    assert scan("ZT-NET-018", certificate(subject_key=subject_key)) == expected


@pytest.mark.parametrize(
    ("subject_key", "message"),
    [
        ("rsa-1024", "vpn-eu's certificate (CN=vpn.acme.example) has a 1024-bit RSA key (minimum 2048)"),
        ("ec-k256", "vpn-eu's certificate (CN=vpn.acme.example) has an EC key on curve secp256k1 (256-bit), not P-256, P-384 or P-521"),
        ("dsa-2048", "vpn-eu's certificate (CN=vpn.acme.example) has a 2048-bit DSA key"),
    ],
)
def test_weak_key_messages(subject_key, message):
    assert finding("ZT-NET-018", certificate(subject_key=subject_key)).message == message


@pytest.mark.parametrize(("minimum", "expected"), [(3072, AT_CERT), (2048, []), (1024, [])])
def test_weak_key_threshold(minimum, expected):
    assert scan("ZT-NET-018", certificate(subject_key="rsa-2048"), tail=org(f"cert_rsa_min_bits: {minimum}")) == expected


# --- ZT-NET-019: weak signature


@pytest.mark.parametrize(("signature_hash", "expected"), [("sha1", AT_CERT), ("md5", AT_CERT), ("sha256", [])])
def test_weak_signature(signature_hash, expected):
    pem = certificate(issuer_key="rsa-ca", signature_hash=signature_hash)
    assert scan("ZT-NET-019", pem) == expected


def test_weak_signature_message():
    found = finding("ZT-NET-019", certificate(issuer_key="rsa-ca", signature_hash="sha1"))
    assert found.message == "vpn-eu's certificate (CN=vpn.acme.example) is signed with SHA-1 by CN=Acme Issuing CA"
    assert found.severity == "high"


def test_ed25519_signature_is_not_weak():
    assert scan("ZT-NET-019", certificate(issuer_key="ed25519")) == []


# --- ZT-NET-020: self-signed


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"issuer_key": None}, AT_CERT),
        ({}, []),
        ({"issuer_key": "rsa-ca", "issuer": "vpn.acme.example"}, []),  # same name, but another key signed it
    ],
)
def test_self_signed(options, expected):
    assert scan("ZT-NET-020", certificate(**options)) == expected


# --- ZT-NET-021: validity period too long (CA/B BR 6.3.2, counting both ends)


@pytest.mark.parametrize(
    ("issued", "valid_for", "expected"),
    [
        (datetime.datetime(2026, 1, 10, tzinfo=UTC), 398 * DAY - SECOND, []),  # exactly 398 days, both ends counted
        (datetime.datetime(2026, 1, 10, tzinfo=UTC), 398 * DAY, AT_CERT),
        (datetime.datetime(2026, 3, 14, 23, 59, tzinfo=UTC), 398 * DAY - SECOND, []),  # last day of the 398-day rule
        (datetime.datetime(2026, 3, 15, tzinfo=UTC), 398 * DAY - SECOND, AT_CERT),  # 200 from 2026-03-15
        (datetime.datetime(2026, 3, 15, tzinfo=UTC), 200 * DAY - SECOND, []),
        (datetime.datetime(2026, 10, 1, tzinfo=UTC), 200 * DAY, AT_CERT),
        (datetime.datetime(2026, 10, 1, tzinfo=UTC), 90 * DAY, []),
    ],
)
def test_validity_too_long(issued, valid_for, expected):
    assert scan("ZT-NET-021", certificate(not_before=issued, valid_for=valid_for)) == expected


def test_validity_too_long_message_and_severity():
    found = finding("ZT-NET-021", certificate(not_before=datetime.datetime(2026, 4, 1, tzinfo=UTC), valid_for=365 * DAY))
    assert found.message == (
        "vpn-eu's certificate (CN=vpn.acme.example) is valid for 365 days (2026-04-01 to 2027-04-01); "
        "certificates issued on 2026-04-01 may be valid for at most 200 days"
    )
    assert found.severity == "low"


def test_validity_too_long_by_one_second_says_so():
    found = finding("ZT-NET-021", certificate(not_before=datetime.datetime(2026, 10, 1, tzinfo=UTC), valid_for=200 * DAY))
    assert "valid for 200 days counting both ends, one second more than allowed" in found.message


def test_validity_too_long_is_info_when_self_signed():
    found = finding("ZT-NET-021", certificate(issuer_key=None, not_before=datetime.datetime(2026, 4, 1, tzinfo=UTC), valid_for=3650 * DAY))
    assert found.severity == "info"


# --- ZT-NET-022: name mismatch


@pytest.mark.parametrize(
    ("hostname", "dns_names", "expected"),
    [
        ("vpn.acme.example", ("vpn.acme.example",), []),
        ("VPN.Acme.Example.", ("vpn.acme.example",), []),
        ("vpn.acme.example", ("*.acme.example",), []),
        ("eu.vpn.acme.example", ("*.acme.example",), AT_CERT),  # a wildcard covers one label
        ("remote.acme.example", ("vpn.acme.example", "vpn2.acme.example"), AT_CERT),
        ("vpn.acme.example", (), AT_CERT),  # only a CN: not used for matching
    ],
)
def test_name_mismatch(hostname, dns_names, expected):
    assert scan("ZT-NET-022", certificate(dns_names=dns_names), hostname=hostname) == expected


def test_name_mismatch_messages():
    other = finding("ZT-NET-022", certificate(dns_names=("vpn.acme.example", "vpn2.acme.example")), hostname="remote.acme.example")
    assert other.message == "vpn-eu's certificate (CN=vpn.acme.example) does not cover hostname 'remote.acme.example': its DNS names are vpn.acme.example, vpn2.acme.example"
    none = finding("ZT-NET-022", certificate(dns_names=()))
    assert none.message.endswith("does not cover hostname 'vpn.acme.example': it has no DNS subject alternative names")


def test_name_not_checked_without_hostname():
    text = GATEWAY.replace("    hostname: HOSTNAME\n", "")
    assert hits("ZT-NET-022", text, files={"certs/gw.pem": certificate(dns_names=("other.example",))}) == []
