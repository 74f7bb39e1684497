"""Reading X.509 certificate bytes into :class:`CertificateFacts` with ``cryptography``.

Kept apart from :mod:`zerotrust_audit.analysis.certs` so that a scan whose
gateways name no certificate never imports ``cryptography``.
"""

from __future__ import annotations

import base64
import binascii
import re
import warnings

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa
from cryptography.utils import CryptographyDeprecationWarning

from zerotrust_audit.analysis.certs import CertificateError, CertificateFacts

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


def read_certificate(data: bytes) -> CertificateFacts:
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
