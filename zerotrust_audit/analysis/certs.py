"""Facts about an X.509 certificate, for the rules that judge VPN gateway certificates.

Rules ask plain questions: is the key too small, is the signature SHA-1, is it
self-signed, does it cover the gateway's name, is it valid for too long.  This
module answers them once, from the certificate bytes, so that no rule needs
the ``cryptography`` API or its quirks: old signature algorithms it no longer
names or verifies, and deprecation warnings that ``-W error`` turns into crashes.
"""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

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

    The reader, and ``cryptography`` with it (a tenth of the start-up time),
    is imported only when an inventory names a certificate.
    """
    from zerotrust_audit.analysis.x509_reader import read_certificate

    return read_certificate(data)


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
