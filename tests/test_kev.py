"""The bundled KEV data and the vendor-aware version matching in analysis.kev."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from importlib import resources
from typing import Any

import pytest

from zerotrust_audit.analysis import kev
from zerotrust_audit.analysis.kev import KevMatch, canonical_product, catalog_info, find_exploited


def _raw_text() -> str:
    return resources.files("zerotrust_audit.data").joinpath("kev.json").read_text(encoding="utf-8")


DATA: dict[str, Any] = json.loads(_raw_text())


def _cves(vendor: str, product: str, version: str) -> list[str]:
    return [m.cve for m in find_exploited(vendor, product, version)]


# --- matching, table-driven: (vendor, product, version, expected CVEs in order)

MATCHES = [
    # FortiOS
    ("fortinet", "fortios", "7.2.4", ["CVE-2023-27997", "CVE-2024-21762"]),  # 7.2.4 >= 7.2.3: not CVE-2022-42475
    ("fortinet", "fortios", "7.2.2", ["CVE-2022-42475", "CVE-2023-27997", "CVE-2024-21762"]),
    ("fortinet", "fortios", "7.2.3", ["CVE-2023-27997", "CVE-2024-21762"]),
    ("fortinet", "fortios", "7.2.7", []),
    ("fortinet", "fortios", "7.4.0", ["CVE-2024-21762"]),
    ("fortinet", "fortios", "7.4.2", ["CVE-2024-21762"]),
    ("fortinet", "fortios", "7.4.3", []),
    ("fortinet", "fortios", "7.4.4", []),
    ("fortinet", "fortios", "7.6.0", []),
    ("fortinet", "fortios", "6.0.4",
     ["CVE-2018-13379", "CVE-2020-12812", "CVE-2022-42475", "CVE-2023-27997", "CVE-2024-21762"]),
    ("fortinet", "fortios", "6.0.17", ["CVE-2024-21762"]),  # 6.0 has no fix for it
    ("fortinet", "fortios", "6.4.0", ["CVE-2020-12812", "CVE-2022-42475", "CVE-2023-27997", "CVE-2024-21762"]),
    ("fortinet", "fortios", "6.4.1", ["CVE-2022-42475", "CVE-2023-27997", "CVE-2024-21762"]),
    # CVE-2018-13379 starts at 5.4.6 / 5.6.3; CVE-2020-12812 covers every branch before 6.0
    ("fortinet", "fortios", "5.4.5", ["CVE-2020-12812", "CVE-2022-42475"]),
    ("fortinet", "fortios", "5.4.6", ["CVE-2018-13379", "CVE-2020-12812", "CVE-2022-42475"]),
    ("fortinet", "fortios", "5.4.13", ["CVE-2020-12812", "CVE-2022-42475"]),
    ("fortinet", "fortios", "5.6.2", ["CVE-2020-12812", "CVE-2022-42475"]),
    ("fortinet", "fortios", "5.6.7", ["CVE-2018-13379", "CVE-2020-12812", "CVE-2022-42475"]),
    ("fortinet", "fortios", "4.3.18", ["CVE-2020-12812"]),
    # PAN-OS: hotfix ordering 10.2.9 < 10.2.9-h1 < 10.2.10
    ("paloaltonetworks", "pan-os", "10.2.9", ["CVE-2024-3400"]),
    ("paloaltonetworks", "pan-os", "10.2.9-h1", []),
    ("paloaltonetworks", "pan-os", "10.2.10", []),
    ("paloaltonetworks", "pan-os", "11.1.2-h2", ["CVE-2024-3400"]),
    ("paloaltonetworks", "pan-os", "11.1.2-h3", []),
    ("paloaltonetworks", "pan-os", "11.0.4", ["CVE-2024-3400"]),
    ("paloaltonetworks", "pan-os", "10.1.12", []),
    ("paloaltonetworks", "pan-os", "8.0.11-h1", ["CVE-2019-1579"]),
    ("paloaltonetworks", "pan-os", "8.0.12", []),
    ("paloaltonetworks", "pan-os", "8.1.2", ["CVE-2019-1579"]),
    ("paloaltonetworks", "pan-os", "7.0.19", ["CVE-2019-1579"]),  # "7.1.18 and earlier"
    ("paloaltonetworks", "pan-os", "9.1.0", []),
    # NetScaler: branch-build, FIPS/NDcPP are separate branches
    ("citrix", "netscaler_gateway", "13.1-49.12", ["CVE-2023-3519", "CVE-2023-4966", "CVE-2025-5777"]),
    ("citrix", "netscaler_gateway", "13.1-49.13", ["CVE-2023-4966", "CVE-2025-5777"]),
    ("citrix", "netscaler_gateway", "13.1-49.15", ["CVE-2025-5777"]),
    ("citrix", "netscaler_gateway", "13.1-58.32", []),
    ("citrix", "netscaler_gateway", "14.1-8.49", ["CVE-2023-4966", "CVE-2025-5777"]),
    ("citrix", "netscaler_gateway", "14.1-8.50", ["CVE-2025-5777"]),
    ("citrix", "netscaler_gateway", "14.1-43.56", []),
    ("citrix", "netscaler_gateway", "13.0-91.12", ["CVE-2023-3519", "CVE-2023-4966"]),
    ("citrix", "netscaler_gateway", "13.0-92.19", []),
    ("citrix", "netscaler_gateway", "12.1-65.25", []),  # 12.1 (non-FIPS) not in the bundled data
    ("citrix", "netscaler_gateway", "13.1-37.150-FIPS", ["CVE-2023-3519", "CVE-2023-4966"]),
    ("citrix", "netscaler_gateway", "13.1-FIPS-37.160", ["CVE-2023-4966"]),
    ("citrix", "netscaler_gateway", "13.1-37.164 FIPS", []),
    ("citrix", "netscaler_gateway", "12.1-55.299-NDcPP", ["CVE-2023-4966"]),
    ("citrix", "netscaler_gateway", "NS13.1: Build 49.12.nc", ["CVE-2023-3519", "CVE-2023-4966", "CVE-2025-5777"]),
    ("citrix", "netscaler_gateway", "13.1 build 49.15", ["CVE-2025-5777"]),
    # Ivanti: major.minor R release . patch
    ("ivanti", "connect_secure", "22.7R2.4", ["CVE-2025-0282", "CVE-2025-22457"]),
    ("ivanti", "connect_secure", "22.7R2", ["CVE-2025-0282", "CVE-2025-22457"]),
    ("ivanti", "connect_secure", "22.7R2.5", ["CVE-2025-22457"]),
    ("ivanti", "connect_secure", "22.7R2.6", []),
    ("ivanti", "connect_secure", "22.7R1.3", ["CVE-2025-22457"]),  # CVE-2025-0282 starts at 22.7R2
    ("ivanti", "connect_secure", "9.1R18.2", ["CVE-2025-22457"]),  # earlier branches, no 9.x fix
    ("ivanti", "connect_secure", "9.0R3.3", ["CVE-2019-11510", "CVE-2025-22457"]),
    ("ivanti", "connect_secure", "9.0R3.4", ["CVE-2025-22457"]),
    ("ivanti", "connect_secure", "8.2R12", ["CVE-2019-11510", "CVE-2025-22457"]),
    ("ivanti", "connect_secure", "8.2R12.1", ["CVE-2025-22457"]),
    ("ivanti", "policy_secure", "22.7R1.2", ["CVE-2025-0282", "CVE-2025-22457"]),
    ("ivanti", "policy_secure", "22.7R1.3", ["CVE-2025-22457"]),
    ("ivanti", "policy_secure", "22.7R1.4", []),
    ("ivanti", "zta_gateway", "22.7R2.3", ["CVE-2025-0282", "CVE-2025-22457"]),
    ("ivanti", "zta_gateway", "22.8R2.1", ["CVE-2025-22457"]),
    ("ivanti", "zta_gateway", "22.8R2.2", []),
    # SonicOS: version-build, Gen5/Gen6 four-part versions
    ("sonicwall", "sonicos", "7.0.1-5035", ["CVE-2024-40766", "CVE-2024-53704"]),
    ("sonicwall", "sonicos", "7.1.1-7058", ["CVE-2024-53704"]),
    ("sonicwall", "sonicos", "7.1.1-7040", ["CVE-2024-53704"]),
    ("sonicwall", "sonicos", "7.1.2-7019", ["CVE-2024-53704"]),
    ("sonicwall", "sonicos", "7.1.3-7015", []),
    ("sonicwall", "sonicos", "8.0.0-8035", ["CVE-2024-53704"]),
    ("sonicwall", "sonicos", "8.0.0-8037", []),
    ("sonicwall", "sonicos", "6.5.4.14-109n", ["CVE-2024-40766"]),
    ("sonicwall", "sonicos", "6.5.4.15-116n", []),
    ("sonicwall", "sonicos", "5.9.2.14-12o", ["CVE-2024-40766"]),
    # AnyConnect for Windows: every release before the advisory's fix is affected
    ("cisco", "anyconnect", "4.8.03036", ["CVE-2020-3433"]),
    ("cisco", "anyconnect", "4.7.04056", ["CVE-2020-3153", "CVE-2020-3433"]),
    ("cisco", "anyconnect", "4.9.00086", []),
    # products with only not_matchable entries
    ("cisco", "asa", "9.16(4)", []),
    ("sonicwall", "sma100", "10.2.0.5-29sv", []),
]


@pytest.mark.parametrize(("vendor", "product", "version", "expected"), MATCHES)
def test_matches(vendor: str, product: str, version: str, expected: list[str]) -> None:
    assert _cves(vendor, product, version) == expected


FIXED_IN = [
    ("fortinet", "fortios", "7.2.4", "CVE-2023-27997", "7.2.5"),
    ("fortinet", "fortios", "7.2.4", "CVE-2024-21762", "7.2.7"),
    ("fortinet", "fortios", "6.0.17", "CVE-2024-21762", None),       # no fixed 6.0 release
    ("fortinet", "fortios", "5.6.9", "CVE-2020-12812", "6.0.10"),    # earlier branch: upgrade target
    ("fortinet", "fortios", "5.6.9", "CVE-2022-42475", None),        # last_affected only
    ("paloaltonetworks", "pan-os", "10.2.9", "CVE-2024-3400", "10.2.9-h1"),
    ("citrix", "netscaler_gateway", "13.1-49.12", "CVE-2023-3519", "13.1-49.13"),
    ("citrix", "netscaler_gateway", "13.1-37.150-FIPS", "CVE-2023-3519", "13.1-37.159-FIPS"),
    ("ivanti", "connect_secure", "22.7R2.4", "CVE-2025-0282", "22.7R2.5"),
    ("ivanti", "connect_secure", "9.1R18.2", "CVE-2025-22457", "22.7R2.6"),
    ("sonicwall", "sonicos", "7.0.1-5035", "CVE-2024-40766", None),
]


@pytest.mark.parametrize(("vendor", "product", "version", "cve", "fixed_in"), FIXED_IN)
def test_fixed_in(vendor: str, product: str, version: str, cve: str, fixed_in: str | None) -> None:
    by_cve = {m.cve: m for m in find_exploited(vendor, product, version)}
    assert by_cve[cve].fixed_in == fixed_in


def test_match_carries_entry_facts() -> None:
    (match,) = find_exploited("paloaltonetworks", "pan-os", "10.2.9")
    assert match == KevMatch(
        cve="CVE-2024-3400", vendor="paloaltonetworks", product="pan-os",
        title="GlobalProtect command injection, root RCE", date_added="2024-04-12",
        known_ransomware=True, fixed_in="10.2.9-h1",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.cve = "CVE-0000-0000"  # type: ignore[misc]
    (sonic,) = find_exploited("sonicwall", "sonicos", "8.0.0-8035")
    assert sonic.known_ransomware is False


# --- aliases

ALIASES = [
    ("fortinet", "fortios", ("fortinet", "fortios")),
    ("Fortinet", "FortiGate", ("fortinet", "fortios")),
    ("FORTINET", "FortiOS SSLVPN", ("fortinet", "fortios")),
    ("fortinet", "fortios_sslvpn", ("fortinet", "fortios")),
    ("Pulse Secure", "Pulse Connect Secure", ("ivanti", "connect_secure")),
    ("pulsesecure", "ICS", ("ivanti", "connect_secure")),
    ("pulse-secure", "pulse_connect_secure", ("ivanti", "connect_secure")),
    ("Ivanti", "Connect Secure", ("ivanti", "connect_secure")),
    ("ivanti", "Policy-Secure", ("ivanti", "policy_secure")),
    ("ivanti", "ZTA gateway", ("ivanti", "zta_gateway")),
    ("Citrix", "NetScaler Gateway", ("citrix", "netscaler_gateway")),
    ("citrix", "NetScaler ADC", ("citrix", "netscaler_gateway")),
    ("NetScaler", "adc", ("citrix", "netscaler_gateway")),
    ("citrix", "Citrix Gateway", ("citrix", "netscaler_gateway")),
    ("netscaler", "netscaler", ("citrix", "netscaler_gateway")),
    ("Palo Alto Networks", "PAN-OS", ("paloaltonetworks", "pan-os")),
    ("paloalto", "PANOS", ("paloaltonetworks", "pan-os")),
    ("palo_alto_networks", "GlobalProtect Gateway", ("paloaltonetworks", "pan-os")),
    ("PaloAltoNetworks", "pan_os", ("paloaltonetworks", "pan-os")),
    ("Cisco", "ASA", ("cisco", "asa")),
    ("cisco", "FTD", ("cisco", "ftd")),
    ("cisco", "Secure Client", ("cisco", "anyconnect")),
    ("Cisco", "AnyConnect Secure Mobility Client", ("cisco", "anyconnect")),
    ("SonicWall", "SonicOS", ("sonicwall", "sonicos")),
    ("sonicwall", "SMA100", ("sonicwall", "sma100")),
    ("  fortinet ", " fortigate  ", ("fortinet", "fortios")),
]


@pytest.mark.parametrize(("vendor", "product", "expected"), ALIASES)
def test_canonical_product(vendor: str, product: str, expected: tuple[str, str]) -> None:
    assert canonical_product(vendor, product) == expected


UNKNOWN = [
    ("acme", "vpn"),
    ("fortinet", "fortiproxy"),
    ("fortinet", "connect_secure"),   # product of another vendor
    ("ivanti", "fortios"),
    ("openvpn", "access_server"),
    ("", ""),
    ("fortinet", ""),
    ("", "fortios"),
    (None, "fortios"),
    ("fortinet", None),
    (42, 7),
]


@pytest.mark.parametrize(("vendor", "product"), UNKNOWN)
def test_unknown_products(vendor: Any, product: Any) -> None:
    assert canonical_product(vendor, product) is None
    assert find_exploited(vendor, product, "7.2.4") == []


def test_aliases_and_case_match_like_canonical_ids() -> None:
    assert _cves("Palo Alto Networks", "GlobalProtect-Gateway", "10.2.9") == ["CVE-2024-3400"]
    assert _cves("PULSE_SECURE", "Pulse-Connect-Secure", "22.7r2.4") == ["CVE-2025-0282", "CVE-2025-22457"]
    assert _cves("NetScaler", "NetScaler ADC", "13.1-49.12") == _cves("citrix", "netscaler_gateway", "13.1-49.12")
    assert _cves("Fortinet", "FortiGate", "v7.2.4") == ["CVE-2023-27997", "CVE-2024-21762"]
    assert _cves("Fortinet", "FortiGate", "v7.2.4,build1396,230131 (GA.F)") == ["CVE-2023-27997", "CVE-2024-21762"]
    assert _cves("fortinet", "fortios", " 7.2.4 ") == ["CVE-2023-27997", "CVE-2024-21762"]


# --- garbage never matches and never raises

GARBAGE = [
    "", " ", "latest", "unknown", "n/a", "7", "7.2", "7.2.x", "7.2.4.5.6", "-1", "7.2.4-beta",
    "7.2.4; rm -rf /", "７.２.４", "22.7R", "R2.4", "22.7R2.4.1", "13.1", "13.1-", "13.1-49",
    "13.1-49.12-FIPS-NDcPP", "10.2.9-h", "10.2.9-hotfix1", "7.0.1-", "7.0.1-abc", "\x00",
    pytest.param("1" * 5000, id="5000-digits"), pytest.param("7.2.4" + " " * 200, id="long-padding"),
]
PRODUCTS = [
    ("fortinet", "fortios"), ("ivanti", "connect_secure"), ("ivanti", "policy_secure"),
    ("ivanti", "zta_gateway"), ("citrix", "netscaler_gateway"), ("paloaltonetworks", "pan-os"),
    ("sonicwall", "sonicos"), ("sonicwall", "sma100"), ("cisco", "asa"), ("cisco", "anyconnect"),
]


@pytest.mark.parametrize("version", GARBAGE)
@pytest.mark.parametrize(("vendor", "product"), PRODUCTS)
def test_garbage_versions_match_nothing(vendor: str, product: str, version: str) -> None:
    assert find_exploited(vendor, product, version) == []


@pytest.mark.parametrize("version", [None, 7.24, 7, b"7.2.4", ["7.2.4"]])
def test_non_string_versions_match_nothing(version: Any) -> None:
    assert find_exploited("fortinet", "fortios", version) == []


@pytest.mark.parametrize(
    ("vendor", "product", "version"),
    [
        ("ivanti", "connect_secure", "7.2.4"),          # another vendor's scheme
        ("fortinet", "fortios", "22.7R2.4"),
        ("paloaltonetworks", "pan-os", "13.1-49.12"),
        ("citrix", "netscaler_gateway", "10.2.9-h1"),
        ("sonicwall", "sonicos", "7.2.4"),
    ],
)
def test_other_schemes_do_not_parse(vendor: str, product: str, version: str) -> None:
    assert find_exploited(vendor, product, version) == []


def test_random_strings_never_raise() -> None:
    rng = random.Random(20250825)
    alphabet = "0123456789.-_ RrHhbuildFIPSNDcPPnsv:(),"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        for vendor, product in PRODUCTS:
            for match in find_exploited(vendor, product, text):
                assert isinstance(match, KevMatch)


# --- the data file

SCHEMES = {"fortinet": kev._fortios, "ivanti": kev._ivanti, "citrix": kev._netscaler,
           "paloaltonetworks": kev._panos, "sonicwall": kev._sonicos, "cisco": kev._cisco}
BRANCHES = {"citrix": kev._netscaler_branch}
ENTRY_KEYS = {"cve", "vendor", "product", "title", "date_added", "known_ransomware", "affected", "advisory"}
NOT_MATCHABLE_KEYS = {"cve", "vendor", "products", "title", "date_added", "known_ransomware", "reason", "advisory"}
CVE_RE = re.compile(r"CVE-\d{4}-\d{4,}")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _canonical_pairs() -> set[tuple[str, str]]:
    return {(v, p) for v, table in DATA["aliases"]["products"].items() for p in table}


def test_json_is_deterministic() -> None:
    assert _raw_text() == json.dumps(DATA, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_json_top_level() -> None:
    assert set(DATA) == {"source", "catalog_version", "snapshot_date", "version_schemes",
                         "aliases", "entries", "not_matchable"}
    assert DATA["source"].startswith("CISA Known Exploited Vulnerabilities Catalog")
    assert DATA["catalog_version"] == "2025.08.25"
    assert DATA["snapshot_date"] == "2025-08-25"
    assert set(DATA["version_schemes"]) == set(DATA["aliases"]["vendors"]) == set(DATA["aliases"]["products"])
    assert set(DATA["version_schemes"].values()) <= set(kev._SCHEMES)


def test_aliases_are_unambiguous() -> None:
    seen: dict[str, str] = {}
    for vendor, names in DATA["aliases"]["vendors"].items():
        for name in (vendor, *names):
            assert seen.setdefault(kev._norm(name), vendor) == vendor
    for vendor, table in DATA["aliases"]["products"].items():
        seen_products: dict[str, str] = {}
        for product, names in table.items():
            assert canonical_product(vendor, product) == (vendor, product)
            for name in (product, *names):
                assert seen_products.setdefault(kev._norm(name), product) == product


def test_entries_well_formed() -> None:
    entries = DATA["entries"]
    assert entries, "no matchable entries"
    order = [(kev._cve_order(e["cve"]), e["vendor"], e["product"]) for e in entries]
    assert order == sorted(order) and len(set(order)) == len(order)
    for entry in entries:
        assert ENTRY_KEYS <= set(entry) <= ENTRY_KEYS | {"note"}, entry["cve"]
        assert CVE_RE.fullmatch(entry["cve"])
        assert canonical_product(entry["vendor"], entry["product"]) == (entry["vendor"], entry["product"])
        assert (entry["vendor"], entry["product"]) in _canonical_pairs()
        assert DATE_RE.fullmatch(entry["date_added"]) and entry["date_added"] <= DATA["snapshot_date"]
        assert isinstance(entry["known_ransomware"], bool)
        assert entry["title"] and entry["advisory"].startswith("https://")
        assert entry["affected"]


def test_ranges_parse_and_lie_on_their_branch() -> None:
    for entry in DATA["entries"]:
        parse = SCHEMES[entry["vendor"]]
        parse_branch = BRANCHES.get(entry["vendor"], kev._numeric_branch)
        for rng in entry["affected"]:
            where = f"{entry['cve']} {entry['product']} {rng}"
            assert set(rng) <= {"branch", "introduced", "fixed", "last_affected", "note", "earlier_branches"}, where
            assert ("fixed" in rng) != ("last_affected" in rng), where
            if "fixed" in rng and rng["fixed"] is None:
                assert rng.get("note"), where          # say why there is no fix
            branch = parse_branch(rng["branch"])
            assert branch is not None, where
            keys = {}
            for bound in ("introduced", "fixed", "last_affected"):
                if rng.get(bound) is not None:
                    key = parse(rng[bound])
                    assert key is not None, where
                    assert key[: len(branch)] == branch, where
                    keys[bound] = key
            if "introduced" in keys and "fixed" in keys:
                assert keys["introduced"] < keys["fixed"], where
            if "introduced" in keys and "last_affected" in keys:
                assert keys["introduced"] <= keys["last_affected"], where
            if rng.get("earlier_branches"):
                assert rng["earlier_branches"] is True, where


VERIFY_ONLY = {"CVE-2021-22893", "CVE-2023-46805", "CVE-2024-21887", "CVE-2019-19781", "CVE-2020-3452",
               "CVE-2023-20269", "CVE-2024-20353", "CVE-2024-20359",
               "CVE-2021-20016"}


def test_not_matchable_lists_the_gaps() -> None:
    items = DATA["not_matchable"]
    matchable = {(e["cve"], e["product"]) for e in DATA["entries"]}
    assert VERIFY_ONLY <= {i["cve"] for i in items}
    for item in items:
        assert NOT_MATCHABLE_KEYS <= set(item) <= NOT_MATCHABLE_KEYS | {"scope"}, item["cve"]
        assert CVE_RE.fullmatch(item["cve"]) and DATE_RE.fullmatch(item["date_added"])
        assert item["reason"] and item["products"]
        for product in item["products"]:
            assert (item["vendor"], product) in _canonical_pairs()
            if "scope" not in item:  # a whole CVE/product left out must not be matchable
                assert (item["cve"], product) not in matchable
    assert not VERIFY_ONLY & {e["cve"] for e in DATA["entries"]}
    order = [kev._cve_order(i["cve"]) for i in items]
    assert order == sorted(order)


def test_catalog_info() -> None:
    info = catalog_info()
    assert info == {
        "source": DATA["source"],
        "catalog_version": "2025.08.25",
        "snapshot_date": "2025-08-25",
    }
    info["snapshot_date"] = "changed"
    assert catalog_info()["snapshot_date"] == "2025-08-25"


def test_results_sorted_by_cve() -> None:
    found = _cves("fortinet", "fortios", "6.0.4")
    assert found == sorted(found, key=kev._cve_order)
    assert len(found) == len(set(found))
