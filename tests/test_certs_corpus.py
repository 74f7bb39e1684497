"""load_certificate() against real certificates, when the shared sample corpus is present.

The corpus (certificates from the ``cryptography-vectors`` package, with an
INDEX.md of their fields) lives outside the repository.  Without it this
module defines no test at all, rather than skipping.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from zerotrust_audit.analysis.certs import CertificateError, CertificateFacts, load_certificate

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "samples"
CORPUS = SAMPLES / "certificates"

# INDEX.md names signature algorithms that cryptography cannot name by OID.
LEGACY_HASHES = {"1.2.840.113549.2.5": "md5", "1.2.840.113549.1.1.2": "md2"}

# Subject equals issuer, but the signature does not verify with the own key:
NOT_VERIFIABLY_SELF_SIGNED = {
    "verisign_md2_root.pem",  # MD2: no library at hand computes it
    "custom/alternate-rsa-sha1-oid.der",  # the signature does not match the signed data
}

# cryptography parses the fields INDEX.md lists, but refuses the extensions
# (RFC 5280 forbids an empty extendedKeyUsage), so the SAN cannot be read.
EXTENSIONS_MAY_BE_REFUSED = {"custom/empty-eku.pem"}


def _index_rows() -> dict[str, dict[str, str]]:
    """INDEX.md's table, one dict per file, keyed by the path under x509/."""
    lines = (CORPUS / "INDEX.md").read_text(encoding="utf-8").splitlines()
    table = [line for line in lines if line.startswith("|")]
    header = [cell.strip() for cell in table[0].strip("|").split("|")]
    rows = {}
    for line in table[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        row = dict(zip(header, cells, strict=True))
        rows[row["file"]] = row
    return rows


def _expected_key(text: str) -> tuple[str, int, str | None]:
    if match := re.fullmatch(r"(RSA|DSA) (\d+)-bit", text):
        return match[1].lower(), int(match[2]), None
    if match := re.fullmatch(r"EC (\w+) \((\d+)-bit\)", text):
        return "ec", int(match[2]), match[1]
    assert text in {"Ed25519", "Ed448"}, text
    return text.lower(), {"Ed25519": 256, "Ed448": 456}[text], None


def _expected_hash(text: str) -> str | None:
    if text.startswith("none"):
        return None
    if match := re.fullmatch(r"unsupported \(([\d.]+)\)", text):
        return LEGACY_HASHES[match[1]]
    return text


def _first(text: str) -> str:
    """The leaf's value in a chain row (``[0] ...; [1] ...``), else the value."""
    return text.split("; [1] ")[0].removeprefix("[0] ")


def _check_facts(facts: CertificateFacts, file: str, row: dict[str, str]) -> None:
    assert (facts.key_algorithm, facts.key_bits, facts.curve) == _expected_key(row["key"])
    assert facts.signature_hash == _expected_hash(row["signature hash"])
    assert facts.not_before == datetime.datetime.fromisoformat(row["not before"])
    assert facts.not_after == datetime.datetime.fromisoformat(row["not after"])
    assert facts.subject == _first(row["subject"])
    assert facts.issuer == _first(row["issuer"])
    self_signed = facts.subject == facts.issuer and file not in NOT_VERIFIABLY_SELF_SIGNED
    assert facts.self_signed is self_signed


if (CORPUS / "x509").is_dir():
    INDEX = _index_rows()
    X509 = CORPUS / "x509"
    FILES = sorted(p.relative_to(X509).as_posix() for p in X509.rglob("*") if p.is_file())

    def test_every_corpus_file_is_indexed():
        assert set(FILES) == set(INDEX)

    @pytest.mark.parametrize("file", FILES)
    def test_corpus_certificate(file):
        row = INDEX[file]
        data = (X509 / file).read_bytes()
        if row["subject"].startswith("LOAD ERROR"):
            assert row["what it is"].startswith("MALFORMED")
            with pytest.raises(CertificateError, match="^unreadable certificate: "):
                load_certificate(data)
            return
        try:
            facts = load_certificate(data)
        except CertificateError as error:
            assert file in EXTENSIONS_MAY_BE_REFUSED, str(error)
            assert str(error).startswith("unreadable certificate extensions: ")
            return
        _check_facts(facts, file, row)

    def test_corpus_chain_and_garbage_files_give_the_same_leaf():
        names = ("cryptography.io.pem", "cryptography.io.chain.pem")
        names += ("cryptography.io.with_garbage.pem",)
        facts = {name: load_certificate((X509 / name).read_bytes()) for name in names}
        assert len({f.fingerprint_sha256 for f in facts.values()}) == 1
        assert facts["cryptography.io.pem"].dns_names == ("www.cryptography.io", "cryptography.io")
