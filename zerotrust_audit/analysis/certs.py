"""Facts about an X.509 certificate, for the rules that judge VPN gateway certificates.

Rules ask plain questions: is the key too small, is the signature SHA-1, is it
self-signed, does it cover the gateway's name, is it valid for too long.  This
module answers them once, from the certificate bytes, so that no rule needs
the ``cryptography`` API or its quirks: old signature algorithms it no longer
names or verifies, and deprecation warnings that ``-W error`` turns into crashes.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import ipaddress
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa
from cryptography.utils import CryptographyDeprecationWarning

# Signature OIDs cryptography may refuse to name, so a rule can still say "MD2".
_LEGACY_SIGNATURE_HASHES = {
    "1.2.840.113549.1.1.2": "md2",  # md2WithRSAEncryption
    "1.2.840.113549.1.1.3": "md4",  # md4WithRSAEncryption
    "1.2.840.113549.1.1.4": "md5",  # md5WithRSAEncryption
    "1.2.840.113549.2.5": "md5",  # bare MD5 OID, used as a signature OID by old tools
    "1.3.14.3.2.3": "md5",  # md5WithRSA (OIW)
    "1.2.840.113549.1.1.5": "sha1",  # sha1WithRSAEncryption
    "1.3.14.3.2.29": "sha1",  # sha1WithRSASignature (OIW)
    "1.3.14.3.2.27": "sha1",  # dsaWithSHA1 (OIW)
    "1.2.840.10040.4.3": "sha1",  # dsa-with-sha1
    "1.2.840.10045.4.1": "sha1",  # ecdsa-with-SHA1
}

_PEM_BEGIN = re.compile(rb"-----BEGIN ((?:X509 )?CERTIFICATE)-----")
_PEM_ANY_BEGIN = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----")

# Baseline Requirements 6.3.2 (ballot SC-081v3): issued before the date -> at most that many days.
_VALIDITY_SCHEDULE = (
    (datetime.date(2026, 3, 15), 398),
    (datetime.date(2027, 3, 15), 200),
    (datetime.date(2029, 3, 15), 100),
    (datetime.date.max, 47),
)


class CertificateError(ValueError):
    """The bytes are not a readable certificate; str(e) is a short user-facing reason."""


@dataclass(frozen=True)
class CertificateFacts:
    """What the gateway-certificate rules need to know, free of ``cryptography`` types."""

    subject: str
    issuer: str
    not_before: datetime.datetime
    not_after: datetime.datetime
    key_algorithm: str
    key_bits: int
    curve: str | None
    signature_hash: str | None
    self_signed: bool
    dns_names: tuple[str, ...]
    serial: int
    fingerprint_sha256: str


def load_certificate(data: bytes) -> CertificateFacts:
    """Read the first certificate (the leaf; a chain may follow) of PEM data, or DER data.

    Users hand over whatever their gateway uses, so text around PEM blocks is
    tolerated.  Every failure is a CertificateError with a one-line reason:
    the input is untrusted, and the caller reports instead of crashing.
    """
    der = _first_certificate_der(data)
    # A negative serial only draws a deprecation warning; ``serial`` reports it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        try:
            return _facts(x509.load_der_x509_certificate(der))
        except CertificateError:
            raise
        except Exception as exc:  # cryptography raises ValueError, InvalidVersion, ...
            raise CertificateError(f"unreadable certificate: {_one_line(exc)}") from exc


def hostname_matches(hostname: str, dns_names: Sequence[str]) -> bool:
    """Whether a certificate with these dNSName entries covers ``hostname`` (RFC 6125).

    Case-insensitive, trailing dot ignored.  A wildcard counts only as the whole
    left-most label, stands for exactly one label and, as in OpenSSL, needs two
    labels after it (``*.example`` matches nothing).  IP-address-looking
    hostnames never match wildcards; an identical entry still matches them.
    """
    host = _normalise_name(hostname)
    if not host or "*" in host:
        return False
    ip_like = _looks_like_ip(host)
    return any(_name_matches(host, _normalise_name(name), ip_like) for name in dns_names)


def max_validity_days(issued: datetime.date) -> int:
    """The longest validity the Baseline Requirements allow for a certificate issued
    that day; a datetime (``facts.not_before``, say) counts as its UTC date."""
    if isinstance(issued, datetime.datetime):
        aware = issued.tzinfo is not None
        issued = (issued.astimezone(datetime.timezone.utc) if aware else issued).date()
    return next(days for before, days in _VALIDITY_SCHEDULE if issued < before)


def validity_days(facts: CertificateFacts) -> float:
    """``not_after - not_before`` in days, for max_validity_days() (the Baseline
    Requirements count both ends, one second more; a rule needing that adds it)."""
    return (facts.not_after - facts.not_before).total_seconds() / 86400


def _first_certificate_der(data: bytes) -> bytes:
    """The DER bytes of the first certificate, so one parser serves PEM and DER."""
    if not data.strip():
        raise CertificateError("empty certificate data")
    begin = _PEM_BEGIN.search(data)
    if begin is None:
        labels = sorted({m.group(1).decode() for m in _PEM_ANY_BEGIN.finditer(data)})
        if labels:
            found = ", ".join(labels)
            raise CertificateError(f"no certificate found: PEM data holds only {found}")
        if not data.startswith(b"\x30"):  # every DER certificate is a SEQUENCE
            raise CertificateError("no certificate found: neither a PEM CERTIFICATE block nor DER")
        return data
    end = data.find(b"-----END " + begin.group(1) + b"-----", begin.end())
    body = data[begin.end() : end]
    if end < 0 or b"-----" in body:
        raise CertificateError("PEM certificate block has no END line (truncated?)")
    try:
        return base64.b64decode(b"".join(body.split()), validate=True)
    except binascii.Error as exc:
        raise CertificateError("PEM certificate block is not valid base64") from exc


def _facts(cert: x509.Certificate) -> CertificateFacts:
    key_algorithm, key_bits, curve = _key_facts(cert)
    return CertificateFacts(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        key_algorithm=key_algorithm,
        key_bits=key_bits,
        curve=curve,
        signature_hash=_signature_hash(cert),
        self_signed=_is_self_signed(cert),
        dns_names=_dns_names(cert),
        serial=cert.serial_number,
        fingerprint_sha256=cert.fingerprint(hashes.SHA256()).hex(),
    )


def _key_facts(cert: x509.Certificate) -> tuple[str, int, str | None]:
    """Algorithm, bits, curve.  A key cryptography cannot load is "unknown", not an
    error: the rest of the certificate is still worth auditing."""
    try:
        key = cert.public_key()
    except (UnsupportedAlgorithm, ValueError):
        return "unknown", 0, None
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa", key.key_size, None
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ec", key.curve.key_size, key.curve.name
    if isinstance(key, dsa.DSAPublicKey):
        return "dsa", key.key_size, None
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "ed25519", 256, None  # sizes as OpenSSL reports them
    if isinstance(key, ed448.Ed448PublicKey):
        return "ed448", 456, None
    return "unknown", 0, None


def _signature_hash(cert: x509.Certificate) -> str | None:
    """The hash name; known OIDs fill in where cryptography gives up, because the
    weakest signatures are the ones it no longer names and the ones rules must flag."""
    try:
        algorithm = cert.signature_hash_algorithm
    except (UnsupportedAlgorithm, ValueError):
        oid = cert.signature_algorithm_oid.dotted_string
        return _LEGACY_SIGNATURE_HASHES.get(oid, oid)
    return None if algorithm is None else algorithm.name.lower()


def _is_self_signed(cert: x509.Certificate) -> bool:
    """Subject equals issuer and the certificate's own key verifies its signature.
    Recent cryptography refuses to verify SHA-1 (and older) certificate signatures, yet
    old self-signed roots are what this is mostly asked about: the key checks those."""
    if cert.subject != cert.issuer:
        return False
    try:
        cert.verify_directly_issued_by(cert)
        return True
    except InvalidSignature:
        return False
    except Exception:  # unsupported signature algorithm: try the key itself
        pass
    try:  # a missing hash (None) or an unknown key type fails here too, which is right
        key, algorithm = cert.public_key(), cert.signature_hash_algorithm
        signature, tbs = cert.signature, cert.tbs_certificate_bytes
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, tbs, padding.PKCS1v15(), algorithm)
        elif isinstance(key, dsa.DSAPublicKey):
            key.verify(signature, tbs, algorithm)
        else:
            key.verify(signature, tbs, ec.ECDSA(algorithm))
        return True
    except Exception:
        return False


def _dns_names(cert: x509.Certificate) -> tuple[str, ...]:
    """SAN dNSName entries.  cryptography parses all extensions at once, so one bad
    extension hides the SAN: an error, not an empty list a rule would misread."""
    try:
        extensions = cert.extensions
    except Exception as exc:
        raise CertificateError(f"unreadable certificate extensions: {_one_line(exc)}") from exc
    try:
        san = extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return ()
    return tuple(san.value.get_values_for_type(x509.DNSName))


def _one_line(exc: BaseException, limit: int = 160) -> str:
    """What cryptography said, on one line and short enough for a report."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _normalise_name(name: str) -> str:
    return (name[:-1] if name.endswith(".") else name).lower()


def _looks_like_ip(host: str) -> bool:
    """IP literals, short forms like ``10.1`` included (a numeric last label is never a TLD)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        last = host.rsplit(".", 1)[-1]
        return ":" in host or (last.isascii() and last.isdigit())


def _name_matches(host: str, pattern: str, ip_like: bool) -> bool:
    if "*" not in pattern:
        return bool(pattern) and host == pattern
    label, _, rest = pattern.partition(".")
    host_label, _, host_rest = host.partition(".")
    wildcard_ok = label == "*" and "*" not in rest and "." in rest and not ip_like
    return wildcard_ok and bool(host_label) and host_rest == rest
