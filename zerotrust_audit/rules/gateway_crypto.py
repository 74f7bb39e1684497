"""ZT-NET-003 to ZT-NET-008: tunnel protocols and cryptography of the VPN gateways.

A tunnel is as strong as the weakest option it still accepts: an attacker in
the path negotiates down to it. Algorithm names are free text in the
inventory (OpenSSL, IANA, strongSwan and vendor spellings), so they are read
as tokens, case-insensitively; an OpenSSL exclusion ("!MD5") is not an offer.
These rules are registered through ``networks.RULES``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from zerotrust_audit.analysis.facts import Facts
from zerotrust_audit.model.entities import VpnGateway
from zerotrust_audit.rules.base import Hit, refs, rule
from zerotrust_audit.rules.gateway_common import gateway_example, gateways
from zerotrust_audit.rules.thresholds import TLS_VERSIONS

TLS_PROTOCOLS = ("sslvpn", "openvpn")
TLS_NAMES = {"ssl3": "SSL 3.0", "1.0": "TLS 1.0", "1.1": "TLS 1.1", "1.2": "TLS 1.2", "1.3": "TLS 1.3"}

_TRIPLE_DES = {"3DES", "TDEA", "TDES", "DES3", "CBC3", "DESEDE", "DESEDE3"}
_SMALL_BLOCK = {"BF", "BLOWFISH", "IDEA", "CAST", "CAST5", "CAST128", "RC2"}  # 64-bit blocks: Sweet32
_MAC_ONLY = {"HMAC", "AUTH", "PRF", "SHA", "SHA1", "1", "96", "160"}
_AEAD = ("GCM", "CCM", "POLY1305", "CHACHA20")
_SHA1 = re.compile(r"(?:HMAC)?SHA1(?:96|160)?")


def _is_sha1(tokens: list[str]) -> bool:
    """SHA1, HMAC-SHA1-96, SHA-1, and a bare SHA (TLS suite MACs, strongSwan, Cisco "esp-sha-hmac")."""
    for i, token in enumerate(tokens):
        if _SHA1.fullmatch(token):
            return True
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token == "SHA" and (not following.isdigit() or following in ("1", "96", "160")):
            return True
    return False


def weakness(name: str, tls: bool) -> tuple[str, bool] | None:
    """Why an offered algorithm (or TLS suite) is weak, and whether that is only HMAC-SHA-1.

    ``tls``: the name comes from a TLS gateway's cipher list, where a suite
    ending in a SHA-1 MAC is a non-AEAD CBC suite (SP 800-52r2 3.3.1).
    """
    if name.strip().startswith(("!", "-")):
        return None
    tokens = re.findall(r"[A-Z0-9]+", name.upper())
    if any(t.startswith("EXP") for t in tokens):
        return "export-grade", False
    if {"ANON", "ADH", "AECDH"} & set(tokens):
        return "anonymous key exchange", False
    if "NULL" in tokens or tokens == ["NONE"]:
        return "no encryption (NULL)", False
    if any(t.startswith(("RC4", "ARCFOUR", "ARC4")) for t in tokens):
        return "RC4", False
    if _TRIPLE_DES & set(tokens) or ("DES" in tokens and any(t.startswith("EDE") for t in tokens)):
        return "3DES", False
    if "DES" in tokens:
        return "DES", False
    if _SMALL_BLOCK & set(tokens):
        return "64-bit block cipher", False
    if any("MD5" in t for t in tokens):
        return "MD5", False
    if not _is_sha1(tokens):
        return None
    if tls and not set(tokens) <= _MAC_ONLY and not any(t.startswith(_AEAD) for t in tokens):
        return "CBC suite with a SHA-1 MAC", False
    return "HMAC-SHA-1", True


def _weak_offers(gateway: VpnGateway) -> list[tuple[tuple[str | int, ...], str, str, bool]]:
    """(field path, name, why, only HMAC-SHA-1) of every weak algorithm the gateway offers."""
    lists: list[tuple[tuple[str, ...], tuple[str, ...], bool]] = [(("ciphers",), gateway.ciphers, gateway.protocol in TLS_PROTOCOLS)]
    if gateway.ike is not None:
        lists += [(("ike", "encryption"), gateway.ike.encryption, False), (("ike", "integrity"), gateway.ike.integrity, False)]
    found = []
    for path, names, tls in lists:
        for index, name in enumerate(names):
            weak = weakness(name, tls)
            if weak:
                found.append(((*path, index), name, *weak))
    return found


# IANA IKE key exchange groups (RFC 8247 2.4, RFC 5114, RFC 8031): number -> (kind, bits).
DH_GROUPS: dict[int, tuple[str, int]] = {
    1: ("MODP", 768), 2: ("MODP", 1024), 5: ("MODP", 1536), 14: ("MODP", 2048), 15: ("MODP", 3072),
    16: ("MODP", 4096), 17: ("MODP", 6144), 18: ("MODP", 8192),
    3: ("EC2N", 155), 4: ("EC2N", 185),  # IKEv1 only
    19: ("ECP", 256), 20: ("ECP", 384), 21: ("ECP", 521), 25: ("ECP", 192), 26: ("ECP", 224),
    27: ("brainpool", 224), 28: ("brainpool", 256), 29: ("brainpool", 384), 30: ("brainpool", 512),
    31: ("Curve25519", 256), 32: ("Curve448", 448),
}
SMALL_SUBGROUP_GROUPS = {22: "MODP 1024-bit", 23: "MODP 2048-bit", 24: "MODP 2048-bit"}  # RFC 5114: SHOULD NOT (RFC 8247)


def dh_weakness(group: int, min_modp: int, min_ecp: int) -> str | None:
    """Why a DH group is weak, or None (also for numbers this table does not know)."""
    if group in SMALL_SUBGROUP_GROUPS:
        return f"{SMALL_SUBGROUP_GROUPS[group]} with a small prime-order subgroup"
    if group not in DH_GROUPS:
        return None
    kind, bits = DH_GROUPS[group]
    limit = min_modp if kind == "MODP" else min_ecp
    return f"{kind} {bits}-bit, below {limit}" if bits < limit else None


@rule(
    id="ZT-NET-003",
    title="PPTP in use",
    severity="critical",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(
        tenets=("T2",), ztmm=("Networks/Traffic Encryption",), sp800_53=("SC-8(1)", "SC-13", "AC-17(2)"), cis=("3.10", "12.6"),
        other=("NIST SP 800-77r1",),
    ),
    rationale="PPTP's MS-CHAPv2 handshake can be cracked offline, so the tunnel gives neither confidentiality nor reliable authentication.",
    remediation="Replace PPTP with IKEv2/IPsec, WireGuard or a TLS 1.2+ VPN.",
    failing_example=gateway_example(protocol="pptp", ike=None),
    passing_example=gateway_example(protocol="ipsec-ikev2"),
)
def pptp(facts: Facts) -> Iterator[Hit]:
    """PPTP is broken by design; no setting repairs it."""
    for gateway in gateways(facts):
        if gateway.protocol == "pptp":
            yield Hit("vpn_gateway", gateway.name, f"{gateway.name} uses PPTP, whose MS-CHAPv2 authentication can be cracked offline", field=("protocol",))


@rule(
    id="ZT-NET-004",
    title="IKEv1 in use",
    severity="medium",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(tenets=("T2",), ztmm=("Networks/Traffic Encryption",), sp800_53=("SC-8(1)", "SC-13"), other=("NIST SP 800-77r1", "RFC 9395")),
    rationale="IKEv1 is deprecated by the IETF, and its aggressive mode with pre-shared keys hands out a hash that can be cracked offline.",
    remediation="Move the gateway and its clients to IKEv2.",
    failing_example=gateway_example(protocol="ipsec-ikev1"),
    passing_example=gateway_example(protocol="ipsec-ikev2"),
)
def ikev1(facts: Facts) -> Iterator[Hit]:
    """IKEv1 (RFC 9395). The format states no IKE version for L2TP/IPsec, which counts as unknown."""
    for gateway in gateways(facts):
        aggressive = ", with aggressive mode enabled" if gateway.ike is not None and gateway.ike.aggressive_mode else ""
        if gateway.protocol == "ipsec-ikev1":
            yield Hit("vpn_gateway", gateway.name, f"{gateway.name} negotiates IPsec with the deprecated IKEv1{aggressive}", field=("protocol",))
        elif gateway.protocol == "l2tp-ipsec":
            yield Hit(
                "vpn_gateway", gateway.name,
                f"{gateway.name} runs L2TP over IPsec without a known IKE version; L2TP/IPsec clients commonly use the deprecated IKEv1{aggressive}",
                field=("protocol",),
            )


@rule(
    id="ZT-NET-005",
    title="TLS minimum version below 1.2",
    severity="high",
    severity_note="low when an sslvpn or openvpn gateway does not state its minimum TLS version",
    pillar="networks",
    entity_kind="vpn_gateway",
    thresholds=("tls_min_version",),
    references=refs(tenets=("T2",), ztmm=("Networks/Traffic Encryption",), sp800_53=("SC-8(1)", "SC-13"), cis=("3.10",), other=("NIST SP 800-52r2 3.1", "RFC 8996")),
    rationale="SSL and TLS 1.0/1.1 rely on broken constructions (MAC-then-encrypt CBC, MD5/SHA-1 based PRFs) and lack modern cipher suites.",
    remediation="Set the floor to TLS 1.2 and enable TLS 1.3 (SP 800-52r2 asked agencies to support 1.3 from 2024-01-01).",
    failing_example=gateway_example(protocol="sslvpn", ike=None, tls_min_version='"1.0"'),
    passing_example=gateway_example(protocol="sslvpn", ike=None, tls_min_version='"1.2"'),
)
def tls_version(facts: Facts) -> Iterator[Hit]:
    """Old TLS versions are deprecated (RFC 8996); an unstated floor is reported as unknown."""
    floor = str(facts.thresholds["tls_min_version"])
    for gateway in gateways(facts):
        if gateway.protocol not in TLS_PROTOCOLS:
            continue
        version = gateway.tls_min_version
        if version is None:
            message = f"{gateway.name} ({gateway.protocol}) does not state its minimum TLS version (required: {TLS_NAMES[floor]})"
            yield Hit("vpn_gateway", gateway.name, message, severity="low")
        elif TLS_VERSIONS.index(version) < TLS_VERSIONS.index(floor):
            yield Hit(
                "vpn_gateway", gateway.name, f"{gateway.name} ({gateway.protocol}) accepts {TLS_NAMES[version]} (required: {TLS_NAMES[floor]} or later)",
                field=("tls_min_version",),
            )


@rule(
    id="ZT-NET-006",
    title="Weak cipher, hash or MAC offered",
    severity="high",
    severity_note="low when the only weakness is HMAC-SHA-1 integrity",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(
        tenets=("T2",), ztmm=("Networks/Traffic Encryption",), sp800_53=("SC-13", "SC-8(1)"), cis=("3.10",),
        other=("NIST SP 800-131A r2", "NIST SP 800-52r2 3.3.1", "RFC 8247"),
    ),
    rationale="A single weak option lets a downgrade or a Sweet32-style attack decide the strength of every session.",
    remediation="Offer only AES-GCM (or ChaCha20-Poly1305 where FIPS is not required) with SHA-2 integrity and PRF.",
    failing_example=gateway_example(ike="{dh_groups: [19, 20], encryption: [AES-256-GCM, 3DES], integrity: [SHA2-256], auth: certificate}"),
    passing_example=gateway_example(),
)
def weak_algorithms(facts: Facts) -> Iterator[Hit]:
    """DES, 3DES, RC4, NULL, export and anonymous suites, MD5, 64-bit block ciphers, CBC suites
    with SHA-1 in TLS (SP 800-131A r2, SP 800-52r2 3.3.1, RFC 8247); HMAC-SHA-1 alone is low."""
    for gateway in gateways(facts):
        offers = _weak_offers(gateway)
        if not offers:
            continue
        worst = next((o for o in offers if not o[3]), offers[0])
        listed = ", ".join(f"{'.'.join(str(p) for p in path[:-1])} '{name}' ({why})" for path, name, why, _ in offers)
        yield Hit(
            "vpn_gateway", gateway.name, f"{gateway.name} offers weak algorithms: {listed}",
            severity="low" if all(o[3] for o in offers) else None, field=worst[0],
        )


@rule(
    id="ZT-NET-007",
    title="Weak Diffie-Hellman group in IKE",
    severity="high",
    pillar="networks",
    entity_kind="vpn_gateway",
    thresholds=("dh_min_modp_bits", "dh_min_ecp_bits"),
    references=refs(tenets=("T2",), ztmm=("Networks/Traffic Encryption",), sp800_53=("SC-12", "SC-13"), other=("NIST SP 800-77r1", "NIST SP 800-131A r2", "RFC 8247")),
    rationale="A weak group caps the secrecy of the whole tunnel below what precomputation attacks can break.",
    remediation="Offer only groups 19, 20, 21 (ECP), 31 (Curve25519) or MODP 14 and above, for PFS as well.",
    failing_example=gateway_example(ike="{dh_groups: [2, 19, 20], encryption: [AES-256-GCM], integrity: [SHA2-256], auth: certificate}"),
    passing_example=gateway_example(),
)
def weak_dh_groups(facts: Facts) -> Iterator[Hit]:
    """Groups below the 112-bit floor of SP 800-131A r2, and RFC 5114 groups 22-24 (RFC 8247 2.4)."""
    min_modp, min_ecp = int(facts.thresholds["dh_min_modp_bits"]), int(facts.thresholds["dh_min_ecp_bits"])
    for gateway in gateways(facts):
        groups = gateway.ike.dh_groups if gateway.ike is not None else ()
        weak = [(i, g, why) for i, g in enumerate(groups) if (why := dh_weakness(g, min_modp, min_ecp))]
        if weak:
            listed = ", ".join(f"group {g} ({why})" for _, g, why in weak)
            yield Hit("vpn_gateway", gateway.name, f"{gateway.name} offers weak IKE Diffie-Hellman groups: {listed}", field=("ike", "dh_groups", weak[0][0]))


@rule(
    id="ZT-NET-008",
    title="IKE pre-shared key authentication",
    severity="medium",
    pillar="networks",
    entity_kind="vpn_gateway",
    references=refs(
        tenets=("T6",), ztmm=("Networks/Traffic Encryption", "Identity/Authentication"), sp800_53=("IA-5(2)", "IA-3", "SC-12"),
        other=("NIST SP 800-77r1",),
    ),
    rationale="A group pre-shared key is copied to every client; one leaked profile lets an attacker impersonate the gateway or crack the key offline.",
    remediation="Authenticate IKE with certificates or EAP, per user or device.",
    failing_example=gateway_example(ike="{dh_groups: [19, 20], encryption: [AES-256-GCM], integrity: [SHA2-256], auth: psk}"),
    passing_example=gateway_example(),
)
def ike_pre_shared_key(facts: Facts) -> Iterator[Hit]:
    """A shared secret cannot tell one remote client from another."""
    for gateway in gateways(facts):
        if gateway.ike is not None and gateway.ike.auth == "psk":
            yield Hit("vpn_gateway", gateway.name, f"{gateway.name} authenticates IKE peers with a pre-shared key that every client holds", field=("ike", "auth"))


RULES = (pptp, ikev1, tls_version, weak_algorithms, weak_dh_groups, ike_pre_shared_key)
