"""ZT-NET-003 to ZT-NET-008 (gateway_crypto.py): tunnel protocols and cryptography.

Gateways are written one field a line: protocol on line 4, ike on line 5,
extra fields from line 12 on (see tests/rules/test_networks.py).
"""

from __future__ import annotations

import pytest
from rulecheck import findings, hits

from zerotrust_audit.rules import gateway_crypto
from zerotrust_audit.rules.gateway_crypto import dh_weakness, weakness

HEALTHY = {
    "protocol": "ipsec-ikev2",
    "ike": "{dh_groups: [19, 20], encryption: [AES-256-GCM], integrity: [SHA2-256], auth: certificate}",
    "authentication": "{mfa_required: true, methods: [certificate, saml]}",
    "posture_check": "true",
    "split_tunnel": "false",
    "full_network_access": "false",
    "idle_timeout_minutes": "30",
    "logging": "true",
}
GW = [("vpn_gateway", "vpn-eu", line) for line in range(13)]  # GW[n]: a finding on line n


def gateway(name: str = "vpn-eu", **fields: str | None) -> str:
    values = {**HEALTHY, **fields}
    return f"  - name: {name}\n" + "".join(f"    {key}: {value}\n" for key, value in values.items() if value is not None)


def doc(*gateways: str, tail: str = "") -> str:
    return "version: 1\nvpn_gateways:\n" + "".join(gateways or (gateway(),)) + tail


def org(thresholds: str) -> str:
    return f"organization:\n  name: Acme\n  default_action: deny\n  audit_date: 2026-11-01\n  thresholds: {{{thresholds}}}\n"


def ike(dh: str = "19, 20", encryption: str = "AES-256-GCM", integrity: str = "SHA2-256", auth: str = "certificate", more: str = "") -> str:
    return f"{{dh_groups: [{dh}], encryption: [{encryption}], integrity: [{integrity}], auth: {auth}{more}}}"


def tls(protocol: str = "sslvpn", version: str | None = '"1.2"', ciphers: str | None = None) -> dict[str, str | None]:
    """Fields of a TLS gateway: no ike; tls_min_version on line 11, ciphers on line 12."""
    return {"protocol": protocol, "ike": None, "tls_min_version": version, "ciphers": ciphers}


def test_module_holds_its_rules_in_id_order():
    assert [r.id for r in gateway_crypto.RULES] == [f"ZT-NET-00{n}" for n in range(3, 9)]


@pytest.mark.parametrize("rule", gateway_crypto.RULES, ids=lambda r: r.id)
def test_examples(rule):
    assert [h[0] for h in hits(rule.id, rule.failing_example)] == [rule.entity_kind]
    assert hits(rule.id, rule.passing_example) == []


# --- ZT-NET-003 PPTP, ZT-NET-004 IKEv1


@pytest.mark.parametrize(
    ("rule_id", "fields", "expected"),
    [
        ("ZT-NET-003", {"protocol": "pptp", "ike": None}, [GW[4]]),
        ("ZT-NET-003", {"protocol": "l2tp-ipsec"}, []),
        ("ZT-NET-003", {}, []),
        ("ZT-NET-004", {"protocol": "ipsec-ikev1"}, [GW[4]]),
        ("ZT-NET-004", {"protocol": "l2tp-ipsec"}, [GW[4]]),  # the format states no IKE version for L2TP: unknown
        ("ZT-NET-004", {"protocol": "ipsec-ikev2"}, []),
        ("ZT-NET-004", {"protocol": "wireguard", "ike": None}, []),
        ("ZT-NET-004", {"protocol": "pptp", "ike": None}, []),
    ],
)
def test_protocols(rule_id, fields, expected):
    assert hits(rule_id, doc(gateway(**fields))) == expected


def test_ikev1_messages():
    [aggressive] = findings("ZT-NET-004", doc(gateway(protocol="ipsec-ikev1", ike=ike(auth="psk", more=", aggressive_mode: true"))))
    assert aggressive.message == "vpn-eu negotiates IPsec with the deprecated IKEv1, with aggressive mode enabled"
    [l2tp] = findings("ZT-NET-004", doc(gateway(protocol="l2tp-ipsec")))
    assert "without a known IKE version" in l2tp.message
    assert l2tp.severity == "medium"


# --- ZT-NET-005: TLS minimum version


@pytest.mark.parametrize(
    ("fields", "expected", "severity"),
    [
        (tls(version='"1.1"'), [GW[11]], "high"),
        (tls(version='"1.0"'), [GW[11]], "high"),
        (tls(version="ssl3"), [GW[11]], "high"),
        (tls(version='"1.2"'), [], None),
        (tls(version='"1.3"'), [], None),
        (tls(version=None), [GW[3]], "low"),
        (tls("openvpn", version='"1.1"'), [GW[11]], "high"),
        (tls("openvpn", version=None), [GW[3]], "low"),
        ({"tls_min_version": '"1.0"'}, [], None),  # not a TLS VPN
        ({"protocol": "wireguard", "ike": None}, [], None),
    ],
)
def test_tls_version(fields, expected, severity):
    found = findings("ZT-NET-005", doc(gateway(**fields)))
    assert [(f.entity_kind, f.entity_name, f.location.line) for f in found] == expected
    assert [f.severity for f in found] == ([severity] if expected else [])


def test_tls_version_messages():
    [old] = findings("ZT-NET-005", doc(gateway(**tls(version="ssl3"))))
    assert old.message == "vpn-eu (sslvpn) accepts SSL 3.0 (required: TLS 1.2 or later)"
    [unknown] = findings("ZT-NET-005", doc(gateway(**tls("openvpn", version=None))))
    assert unknown.message == "vpn-eu (openvpn) does not state its minimum TLS version (required: TLS 1.2)"


@pytest.mark.parametrize(
    ("floor", "version", "expected"),
    [("1.3", '"1.2"', [GW[11]]), ("1.3", '"1.3"', []), ("1.1", '"1.1"', []), ("1.1", '"1.0"', [GW[11]])],
)
def test_tls_version_threshold(floor, version, expected):
    assert hits("ZT-NET-005", doc(gateway(**tls(version=version)), tail=org(f'tls_min_version: "{floor}"'))) == expected


# --- ZT-NET-006: weak ciphers, hashes and MACs


@pytest.mark.parametrize(
    ("name", "is_tls", "expected"),
    [
        ("DES-CBC3-SHA", True, ("3DES", False)),
        ("TLS_RSA_WITH_3DES_EDE_CBC_SHA", True, ("3DES", False)),
        ("DES-EDE3-CBC", False, ("3DES", False)),
        ("3des", False, ("3DES", False)),
        ("TDEA", False, ("3DES", False)),
        ("esp-des", False, ("DES", False)),
        ("DES-CBC-SHA", True, ("DES", False)),
        ("RC4-SHA", True, ("RC4", False)),
        ("arcfour", False, ("RC4", False)),
        ("NULL-SHA256", True, ("no encryption (NULL)", False)),
        ("ENCR_NULL", False, ("no encryption (NULL)", False)),
        ("none", False, ("no encryption (NULL)", False)),
        ("EXP-RC4-MD5", True, ("export-grade", False)),
        ("TLS_RSA_EXPORT_WITH_RC4_40_MD5", True, ("export-grade", False)),
        ("ADH-AES256-GCM-SHA384", True, ("anonymous key exchange", False)),
        ("TLS_DH_anon_WITH_AES_128_CBC_SHA", True, ("anonymous key exchange", False)),
        ("AECDH-AES128-SHA", True, ("anonymous key exchange", False)),
        ("HMAC-MD5-96", False, ("MD5", False)),
        ("md5", False, ("MD5", False)),
        ("BF-CBC", False, ("64-bit block cipher", False)),
        ("AES128-SHA", True, ("CBC suite with a SHA-1 MAC", False)),
        ("ECDHE-RSA-AES256-SHA", True, ("CBC suite with a SHA-1 MAC", False)),
        ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", True, ("CBC suite with a SHA-1 MAC", False)),
        ("SHA1", True, ("HMAC-SHA-1", True)),  # a bare MAC, even in a TLS gateway's list
        ("SHA1", False, ("HMAC-SHA-1", True)),
        ("HMAC-SHA1-96", False, ("HMAC-SHA-1", True)),
        ("SHA-1", False, ("HMAC-SHA-1", True)),
        ("esp-sha-hmac", False, ("HMAC-SHA-1", True)),
        ("aes128-sha1", False, ("HMAC-SHA-1", True)),  # IPsec: integrity, not a TLS suite
        ("AES-256-GCM", True, None),
        ("AES-256-CBC", False, None),
        ("CHACHA20-POLY1305", True, None),
        ("ECDHE-RSA-AES128-GCM-SHA256", True, None),
        ("TLS_AES_256_GCM_SHA384", True, None),
        ("AES256-SHA256", True, None),
        ("SHA2-256", False, None),
        ("SHA-256", False, None),
        ("HMAC-SHA2-512-256", False, None),
        ("!MD5", True, None),  # an OpenSSL exclusion, not an offer
        ("-3DES", True, None),
    ],
)
def test_weakness_classification(name, is_tls, expected):
    assert weakness(name, is_tls) == expected


@pytest.mark.parametrize(
    ("fields", "expected", "severity"),
    [
        ({"ike": ike(encryption="AES-256-GCM, 3DES")}, [GW[5]], "high"),
        ({"ike": ike(integrity="SHA2-256, SHA1")}, [GW[5]], "low"),
        ({"ike": ike(integrity="MD5")}, [GW[5]], "high"),
        ({"ike": ike(), "ciphers": "[aes128-sha1]"}, [GW[12]], "low"),  # ESP integrity on an IPsec gateway
        (tls(ciphers="[ECDHE-RSA-AES128-GCM-SHA256, AES128-SHA]"), [GW[12]], "high"),
        (tls(ciphers="[ECDHE-RSA-AES128-GCM-SHA256, TLS_AES_128_GCM_SHA256]"), [], None),
        (tls("openvpn", ciphers="[AES-256-GCM, BF-CBC]"), [GW[12]], "high"),
        (tls("openvpn", ciphers="[AES-256-GCM, AES-128-CBC]"), [], None),
        ({}, [], None),
    ],
)
def test_weak_algorithms(fields, expected, severity):
    found = findings("ZT-NET-006", doc(gateway(**fields)))
    assert [(f.entity_kind, f.entity_name, f.location.line) for f in found] == expected
    assert [f.severity for f in found] == ([severity] if expected else [])


def test_weak_algorithms_list_every_offer_and_point_at_the_worst():
    text = doc(gateway(ike=None, ciphers="[AES-256-GCM]")).replace(
        "    ciphers: [AES-256-GCM]\n",
        "    ciphers: [AES-256-GCM]\n    ike:\n      integrity:\n        - SHA2-256\n        - HMAC-SHA1-96\n      encryption:\n        - AES-256-GCM\n        - 3DES\n",
    )
    [finding] = findings("ZT-NET-006", text)
    assert finding.severity == "high"
    assert finding.location.line == 18  # the 3DES item, not the earlier HMAC-SHA-1 one
    assert finding.message == "vpn-eu offers weak algorithms: ike.encryption '3DES' (3DES), ike.integrity 'HMAC-SHA1-96' (HMAC-SHA-1)"


# --- ZT-NET-007: weak Diffie-Hellman groups


@pytest.mark.parametrize(
    ("group", "weak"),
    [
        (1, True), (2, True), (5, True), (14, False), (15, False), (16, False), (17, False), (18, False),
        (22, True), (23, True), (24, True),
        (19, False), (20, False), (21, False), (25, True), (26, True),
        (27, True), (28, False), (29, False), (30, False), (31, False), (32, False),
        (3, True), (4, True),
        (35, False), (1000, False),  # not in the table: not judged
    ],
)
def test_dh_group_table(group, weak):
    assert (dh_weakness(group, 2048, 256) is not None) == weak


@pytest.mark.parametrize(
    ("groups", "expected"),
    [("2", [GW[5]]), ("14, 19, 5", [GW[5]]), ("24", [GW[5]]), ("14, 19, 20, 21, 31", []), ("", [])],
)
def test_weak_dh_groups(groups, expected):
    assert hits("ZT-NET-007", doc(gateway(ike=ike(dh=groups)))) == expected


def test_weak_dh_groups_message_and_item_position():
    text = doc(gateway(ike=None)).replace("    authentication:", "    ike:\n      dh_groups:\n        - 19\n        - 2\n        - 22\n    authentication:")
    [finding] = findings("ZT-NET-007", text)
    assert finding.location.line == 8  # the first weak group
    assert finding.message == (
        "vpn-eu offers weak IKE Diffie-Hellman groups: group 2 (MODP 1024-bit, below 2048), "
        "group 22 (MODP 1024-bit with a small prime-order subgroup)"
    )


def test_no_ike_no_dh_finding():
    assert hits("ZT-NET-007", doc(gateway(protocol="wireguard", ike=None))) == []


@pytest.mark.parametrize(
    ("thresholds", "groups", "expected"),
    [
        ("dh_min_modp_bits: 3072", "14", [GW[5]]),
        ("dh_min_modp_bits: 3072", "15", []),
        ("dh_min_modp_bits: 1536", "5", []),
        ("dh_min_ecp_bits: 384", "19", [GW[5]]),
        ("dh_min_ecp_bits: 384", "20, 29", []),
        ("dh_min_ecp_bits: 384", "31", [GW[5]]),  # Curve25519 counts as 256 bits
        ("dh_min_modp_bits: 1024", "22", [GW[5]]),  # small-subgroup groups stay weak
    ],
)
def test_weak_dh_groups_thresholds(thresholds, groups, expected):
    assert hits("ZT-NET-007", doc(gateway(ike=ike(dh=groups)), tail=org(thresholds))) == expected


# --- ZT-NET-008: IKE pre-shared key


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"ike": ike(auth="psk")}, [GW[5]]),
        ({"protocol": "l2tp-ipsec", "ike": ike(auth="psk")}, [GW[5]]),
        ({"ike": ike(auth="certificate")}, []),
        ({"ike": ike(auth="eap")}, []),
        ({"protocol": "wireguard", "ike": None}, []),
    ],
)
def test_ike_psk(fields, expected):
    assert hits("ZT-NET-008", doc(gateway(**fields))) == expected
