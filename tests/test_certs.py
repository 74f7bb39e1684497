"""Tests for zerotrust_audit.analysis.certs, on certificates built at test time."""

from __future__ import annotations

import datetime
import functools
import ipaddress
import random
import warnings

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, x25519
from cryptography.x509.oid import ExtensionOID, NameOID

from zerotrust_audit.analysis.certs import (
    CertificateError,
    CertificateFacts,
    hostname_matches,
    load_certificate,
    max_validity_days,
    validity_days,
)

UTC = datetime.timezone.utc
START = datetime.datetime(2025, 1, 1, 8, 30, tzinfo=UTC)

# AlgorithmIdentifier of sha256WithRSAEncryption (OID + NULL parameters), DER.
SHA256_WITH_RSA = bytes.fromhex("300d06092a864886f70d01010b0500")


@functools.cache
def rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@functools.cache
def ec_key(curve_name: str = "secp256r1") -> ec.EllipticCurvePrivateKey:
    curves = {"secp256r1": ec.SECP256R1(), "secp384r1": ec.SECP384R1()}
    return ec.generate_private_key(curves[curve_name])


@functools.cache
def ed_key(name: str = "leaf") -> ed25519.Ed25519PrivateKey:
    """One key per name, so that a CA and its leaf differ."""
    return ed25519.Ed25519PrivateKey.generate()


def make_cert(
    key,
    *,
    subject: str = "vpn.acme.example",
    issuer: str | None = None,
    issuer_key=None,
    hash_algorithm: hashes.HashAlgorithm | None = hashes.SHA256(),
    not_before: datetime.datetime = START,
    days: float = 90,
    dns_names: tuple[str, ...] = (),
    serial: int = 4242,
    extensions: tuple[x509.ExtensionType, ...] = (),
) -> x509.Certificate:
    """A certificate for ``key``: self-signed unless an issuer key is given."""
    public_key = key.public_key() if hasattr(key, "public_key") else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer or subject)]))
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_before + datetime.timedelta(days=days))
    )
    if dns_names:
        san = x509.SubjectAlternativeName([x509.DNSName(name) for name in dns_names])
        builder = builder.add_extension(san, critical=False)
    for extension in extensions:
        builder = builder.add_extension(extension, critical=False)
    signer = issuer_key if issuer_key is not None else key
    if isinstance(signer, ed25519.Ed25519PrivateKey):
        hash_algorithm = None
    return builder.sign(signer, hash_algorithm)


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def with_rsa_signature_oid(
    cert: x509.Certificate,
    key: rsa.RSAPrivateKey,
    last_arc: int,
    hash_algorithm: hashes.HashAlgorithm | None,
) -> bytes:
    """DER of ``cert`` (sha256WithRSA) relabelled as 1.2.840.113549.1.1.<last_arc>.

    The installed cryptography refuses to build certificates signed with SHA-1
    or MD5, so the OID is swapped in place (same length, in both places it
    occurs) and, when ``hash_algorithm`` is given, the new to-be-signed part is
    signed again with that hash, which raw RSA signing still allows.
    """
    data = der(cert)
    assert data.count(SHA256_WITH_RSA) == 2
    relabelled_algorithm = SHA256_WITH_RSA[:12] + bytes([last_arc]) + SHA256_WITH_RSA[13:]
    data = data.replace(SHA256_WITH_RSA, relabelled_algorithm)
    if hash_algorithm is not None:
        relabelled = x509.load_der_x509_certificate(data)
        signature = key.sign(relabelled.tbs_certificate_bytes, padding.PKCS1v15(), hash_algorithm)
        assert len(signature) == len(cert.signature) and data.count(cert.signature) == 1
        data = data.replace(cert.signature, signature)
    return data


# --- keys and signatures -------------------------------------------------------


def test_rsa_2048_self_signed_facts():
    cert = make_cert(rsa_key(2048), dns_names=("vpn.acme.example",))
    facts = load_certificate(pem(cert))
    assert facts == CertificateFacts(
        subject="CN=vpn.acme.example",
        issuer="CN=vpn.acme.example",
        not_before=START,
        not_after=START + datetime.timedelta(days=90),
        key_algorithm="rsa",
        key_bits=2048,
        curve=None,
        signature_hash="sha256",
        self_signed=True,
        dns_names=("vpn.acme.example",),
        serial=4242,
        fingerprint_sha256=cert.fingerprint(hashes.SHA256()).hex(),
    )
    assert facts.not_before.utcoffset() == datetime.timedelta(0)
    assert len(facts.fingerprint_sha256) == 64


def test_rsa_1024_key_bits():
    facts = load_certificate(pem(make_cert(rsa_key(1024))))
    assert (facts.key_algorithm, facts.key_bits, facts.curve) == ("rsa", 1024, None)


@pytest.mark.parametrize(
    ("curve", "hash_algorithm", "bits", "hash_name"),
    [("secp256r1", hashes.SHA256(), 256, "sha256"), ("secp384r1", hashes.SHA384(), 384, "sha384")],
)
def test_ec_curve(curve, hash_algorithm, bits, hash_name):
    facts = load_certificate(pem(make_cert(ec_key(curve), hash_algorithm=hash_algorithm)))
    assert (facts.key_algorithm, facts.key_bits, facts.curve) == ("ec", bits, curve)
    assert facts.signature_hash == hash_name
    assert facts.self_signed


def test_ed25519_has_no_signature_hash():
    facts = load_certificate(pem(make_cert(ed_key())))
    assert (facts.key_algorithm, facts.key_bits, facts.curve) == ("ed25519", 256, None)
    assert facts.signature_hash is None
    assert facts.self_signed


def test_ed25519_key_signed_by_rsa_ca_reports_the_ca_hash():
    cert = make_cert(ed_key(), issuer="Acme CA", issuer_key=rsa_key(2048))
    facts = load_certificate(pem(cert))
    assert (facts.key_algorithm, facts.signature_hash) == ("ed25519", "sha256")
    assert not facts.self_signed


def test_key_type_without_a_name_is_unknown():
    cert = make_cert(x25519.X25519PrivateKey.generate(), issuer="Acme CA", issuer_key=ed_key("ca"))
    facts = load_certificate(pem(cert))
    assert (facts.key_algorithm, facts.key_bits, facts.curve) == ("unknown", 0, None)


def test_sha1_signature_is_named_and_still_verified_as_self_signed():
    # cryptography (48 here) refuses to *build* SHA-1 certificates, and its
    # verify_directly_issued_by() refuses to verify them: see with_rsa_signature_oid().
    key = rsa_key(2048)
    facts = load_certificate(with_rsa_signature_oid(make_cert(key), key, 5, hashes.SHA1()))
    assert facts.signature_hash == "sha1"
    assert facts.self_signed


def test_md5_signature():
    key = rsa_key(2048)
    facts = load_certificate(with_rsa_signature_oid(make_cert(key), key, 4, hashes.MD5()))
    assert facts.signature_hash == "md5"
    assert facts.self_signed


def test_md2_signature_named_from_the_oid():
    # cryptography cannot name md2WithRSAEncryption (signature_hash_algorithm
    # raises UnsupportedAlgorithm) nor verify it: the OID map names it.
    key = rsa_key(2048)
    facts = load_certificate(with_rsa_signature_oid(make_cert(key), key, 2, None))
    assert facts.signature_hash == "md2"
    assert not facts.self_signed


def test_unknown_signature_oid_is_reported_dotted():
    key = rsa_key(2048)
    facts = load_certificate(with_rsa_signature_oid(make_cert(key), key, 127, None))
    assert facts.signature_hash == "1.2.840.113549.1.1.127"


# --- self-signed ---------------------------------------------------------------


def test_ca_issued_certificate_is_not_self_signed():
    ca = make_cert(ec_key(), subject="Acme CA")
    leaf = make_cert(rsa_key(2048), issuer="Acme CA", issuer_key=ec_key())
    assert load_certificate(pem(ca)).self_signed
    leaf_facts = load_certificate(pem(leaf))
    assert not leaf_facts.self_signed
    assert leaf_facts.issuer == "CN=Acme CA"
    assert leaf_facts.signature_hash == "sha256"  # the CA's ECDSA-with-SHA256


def test_subject_equal_to_issuer_but_signed_by_another_key_is_not_self_signed():
    cert = make_cert(
        rsa_key(2048), subject="vpn.acme.example", issuer="vpn.acme.example", issuer_key=ec_key()
    )
    facts = load_certificate(pem(cert))
    assert facts.subject == facts.issuer
    assert not facts.self_signed


def test_sha1_certificate_with_broken_signature_is_not_self_signed():
    key = rsa_key(2048)
    data = bytearray(with_rsa_signature_oid(make_cert(key), key, 5, hashes.SHA1()))
    data[-1] ^= 0x01  # last byte of the signature
    assert not load_certificate(bytes(data)).self_signed


# --- names ---------------------------------------------------------------------


def test_san_dns_names_in_certificate_order_only_dns_entries():
    san = x509.SubjectAlternativeName(
        [
            x509.DNSName("vpn2.acme.example"),
            x509.IPAddress(ipaddress.ip_address("192.0.2.7")),
            x509.DNSName("*.vpn.acme.example"),
            x509.RFC822Name("ops@acme.example"),
            x509.DNSName("vpn.acme.example"),
        ]
    )
    facts = load_certificate(pem(make_cert(rsa_key(2048), extensions=(san,))))
    assert facts.dns_names == ("vpn2.acme.example", "*.vpn.acme.example", "vpn.acme.example")


def test_no_san_gives_no_dns_names():
    assert load_certificate(pem(make_cert(rsa_key(2048)))).dns_names == ()


# --- input formats ---------------------------------------------------------------


def test_pem_chain_gives_the_leaf():
    ca = make_cert(ec_key(), subject="Acme CA")
    leaf = make_cert(
        rsa_key(2048), issuer="Acme CA", issuer_key=ec_key(), dns_names=("vpn.acme.example",)
    )
    facts = load_certificate(pem(leaf) + pem(ca))
    assert facts.subject == "CN=vpn.acme.example"
    assert facts.fingerprint_sha256 == leaf.fingerprint(hashes.SHA256()).hex()


def test_garbage_around_pem_is_tolerated():
    cert = make_cert(rsa_key(2048))
    data = (
        b"subject=CN = vpn.acme.example\nissuer=CN = vpn.acme.example\n"
        b"-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n\n"
        + pem(cert)
        + b"\n...trailing notes\x00\xff"
    )
    assert load_certificate(data).fingerprint_sha256 == cert.fingerprint(hashes.SHA256()).hex()


def test_pem_with_crlf_and_indentation():
    cert = make_cert(rsa_key(2048))
    lines = pem(cert).decode().splitlines()
    data = "\r\n".join(f"    {line}" for line in lines).encode()
    assert load_certificate(data).serial == 4242


def test_der_input():
    cert = make_cert(ec_key())
    facts = load_certificate(der(cert))
    assert facts.fingerprint_sha256 == cert.fingerprint(hashes.SHA256()).hex()
    assert facts.curve == "secp256r1"


def test_negative_serial_loads_without_a_warning():
    data = der(make_cert(rsa_key(2048), serial=1))
    assert data.count(b"\x02\x01\x01") == 1  # INTEGER 1, the serial
    data = data.replace(b"\x02\x01\x01", b"\x02\x01\xff")  # INTEGER -1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        facts = load_certificate(data)
    assert facts.serial == -1


# --- unreadable input ------------------------------------------------------------


def _truncated_pem() -> bytes:
    data = pem(make_cert(rsa_key(2048)))
    return data[: len(data) // 2]


def _pem_with_body_cut_short() -> bytes:
    lines = pem(make_cert(rsa_key(2048))).splitlines(keepends=True)
    return b"".join(lines[:6] + lines[-1:])


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b" \n\t\n", "empty", id="whitespace"),
        pytest.param(random.Random(7).randbytes(600), "no certificate found", id="random-bytes"),
        pytest.param(
            b"\x30" + random.Random(8).randbytes(600), "unreadable certificate", id="random-der"
        ),
        pytest.param(b"hello, this is not a certificate\n", "no certificate found", id="text"),
        pytest.param(_truncated_pem(), "no END line", id="truncated-pem"),
        pytest.param(_pem_with_body_cut_short(), "unreadable certificate", id="pem-cut-short"),
        pytest.param(
            b"-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
            "PRIVATE KEY",
            id="key-only",
        ),
        pytest.param(
            b"-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n",
            "base64",
            id="bad-base64",
        ),
    ],
)
def test_unreadable_input_raises_certificate_error(data, reason):
    with pytest.raises(CertificateError) as caught:
        load_certificate(data)
    message = str(caught.value)
    assert reason in message
    assert "\n" not in message and len(message) <= 200


def test_truncated_der():
    data = der(make_cert(rsa_key(2048)))
    with pytest.raises(CertificateError, match="unreadable certificate"):
        load_certificate(data[:-40])


def test_malformed_extension_is_reported():
    # RFC 5280 requires at least one purpose in extendedKeyUsage; cryptography
    # refuses to parse an empty one, and with it every extension (the SAN too).
    empty_eku = x509.UnrecognizedExtension(ExtensionOID.EXTENDED_KEY_USAGE, b"\x30\x00")
    cert = make_cert(rsa_key(2048), dns_names=("vpn.acme.example",), extensions=(empty_eku,))
    with pytest.raises(CertificateError, match="unreadable certificate extensions"):
        load_certificate(pem(cert))


def test_mutated_certificates_raise_nothing_but_certificate_error():
    rng = random.Random(2024)
    originals = [der(make_cert(rsa_key(1024), dns_names=("a.example",))), der(make_cert(ec_key()))]
    for _ in range(400):
        data = bytearray(rng.choice(originals))
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            facts = load_certificate(bytes(data))
        except CertificateError:
            continue
        assert isinstance(facts, CertificateFacts)


# --- hostname matching -------------------------------------------------------------


@pytest.mark.parametrize(
    ("hostname", "dns_names", "expected"),
    [
        pytest.param("vpn.acme.example", ["vpn.acme.example"], True, id="exact"),
        pytest.param("VPN.Acme.Example", ["vpn.ACME.example"], True, id="case"),
        pytest.param("vpn.acme.example.", ["vpn.acme.example"], True, id="trailing-dot-host"),
        pytest.param("vpn.acme.example", ["vpn.acme.example."], True, id="trailing-dot-name"),
        pytest.param("vpn.acme.example", ["a.acme.example", "vpn.acme.example"], True, id="2nd"),
        pytest.param("vpn.acme.example", ["*.acme.example"], True, id="wildcard"),
        pytest.param("a.vpn.acme.example", ["*.acme.example"], False, id="wildcard-too-deep"),
        pytest.param("acme.example", ["*.acme.example"], False, id="wildcard-apex"),
        pytest.param("foo.example", ["f*.example"], False, id="partial-wildcard"),
        pytest.param("foo.acme.example", ["f*.acme.example"], False, id="partial-wildcard-deeper"),
        pytest.param("vpn.acme.example", ["vpn.*.example"], False, id="wildcard-not-leftmost"),
        pytest.param("acme.example", ["*.example"], False, id="wildcard-over-one-label"),
        pytest.param("vpn.acme.example", ["*"], False, id="bare-wildcard"),
        pytest.param("10.0.0.1", ["*.0.0.1"], False, id="ipv4-vs-wildcard"),
        pytest.param("10.0.0.1", ["10.0.0.1"], True, id="ipv4-identical"),
        pytest.param("192.168.1", ["*.168.1"], False, id="short-ipv4-vs-wildcard"),
        pytest.param("vpn.acme.example", ["vpn.acme.example.evil"], False, id="suffix"),
        pytest.param("vpn.acme.example", [], False, id="no-names"),
        pytest.param("", ["*.acme.example"], False, id="empty-host"),
        pytest.param("*.acme.example", ["*.acme.example"], False, id="wildcard-host"),
    ],
)
def test_hostname_matches(hostname, dns_names, expected):
    assert hostname_matches(hostname, dns_names) is expected


# --- validity ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued", "days"),
    [
        (datetime.date(2015, 6, 1), 398),
        (datetime.date(2026, 3, 14), 398),
        (datetime.date(2026, 3, 15), 200),
        (datetime.date(2027, 3, 14), 200),
        (datetime.date(2027, 3, 15), 100),
        (datetime.date(2029, 3, 14), 100),
        (datetime.date(2029, 3, 15), 47),
        (datetime.date(2040, 1, 1), 47),
    ],
)
def test_max_validity_days_schedule(issued, days):
    assert max_validity_days(issued) == days


def test_max_validity_days_takes_the_utc_date_of_a_datetime():
    # 2026-03-15 00:30 in UTC+02:00 is still 2026-03-14 in UTC.
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    local = datetime.datetime(2026, 3, 15, 0, 30, tzinfo=plus_two)
    assert max_validity_days(local) == 398
    assert max_validity_days(datetime.datetime(2026, 3, 15, 0, 30, tzinfo=UTC)) == 200


def test_validity_days():
    facts = load_certificate(pem(make_cert(ec_key(), days=397.5)))
    assert validity_days(facts) == pytest.approx(397.5)
    assert validity_days(facts) <= max_validity_days(facts.not_before)
