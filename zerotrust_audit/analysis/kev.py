"""Match VPN gateway and client versions against CISA's Known Exploited Vulnerabilities.

Remote-access appliances are among the most exploited internet-facing devices,
and a CVE in the KEV catalogue is one attackers are using now (ZT-NET-001 for
gateways, ZT-DEV-013 for clients on endpoints). The facts live in
``zerotrust_audit/data/kev.json``, a dated snapshot that can be refreshed
offline from the KEV feed without touching this code; this module only knows
how to read each vendor's version strings and compare them.

Why per-vendor parsing: plain string or semver comparison gets these wrong.
PAN-OS ``10.2.9 < 10.2.9-h1 < 10.2.10``, Ivanti ``22.7R2.5`` is release 2,
patch 5 of 22.7, NetScaler ``13.1-49.15`` is build 49.15 of branch 13.1 (with
separate FIPS/NDcPP branches), SonicOS ``7.0.1-5035`` is version plus build.

Matching rules, per entry range: a version is affected when it is on the
range's branch (the branch's numbers are a prefix of its own), at or above
``introduced`` when given, and below ``fixed`` (``fixed: null`` means no fixed
release on that branch) or at/below ``last_affected``. A version on a branch
the entry does not list is not affected, unless the range says
``earlier_branches`` (the record reads "X and below") and the version's branch
is older (``fixed_in`` is then that range's fix, the upgrade target). Unknown
products and unparseable versions match nothing; nothing here raises on user
input. CVEs whose affected versions are not known (fixed "per advisory") are
kept out of matching and listed under ``not_matchable`` in the data file, so
the gap is visible rather than papered over with a guessed range.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

Key = tuple[Any, ...]
Parser = Callable[[str], Key | None]


@dataclass(frozen=True)
class KevMatch:
    cve: str
    vendor: str
    product: str
    title: str
    date_added: str
    known_ransomware: bool
    fixed_in: str | None   # first fixed release of the matched branch, None if none


# --- version schemes: each parser turns a version string into a comparable tuple

_FORTIOS = re.compile(r"v?(\d+)\.(\d+)\.(\d+)(?:[,\s]+build\s*\d+.*)?", re.I | re.A)
_IVANTI = re.compile(r"(\d+)\.(\d+)\s*r(\d+)(?:\.(\d+))?(?:\s*\(?build\s*\d+\)?)?", re.I | re.A)
_PANOS = re.compile(r"(\d+)\.(\d+)\.(\d+)(?:-?h(\d+))?", re.I | re.A)
_NETSCALER = re.compile(r"(?:ns)?(\d+)\.(\d+)(?:\s*:?\s*build\s*|\s*-\s*)(\d+)\.(\d+)(?:\.nc)?", re.I | re.A)
_NS_EDITION = re.compile(r"[-\s]*\b(fips|ndcpp)\b", re.I | re.A)
_NS_BRANCH = re.compile(r"(\d+)\.(\d+)(?:-(fips|ndcpp))?", re.I | re.A)
_SONICOS = re.compile(r"(\d+(?:\.\d+){0,3})-(\d+)[a-z]*", re.I | re.A)
_CISCO = re.compile(r"\d+(?:(?:\.|\(|\)\.?)\d+)*\)?", re.A)
_DOTTED = re.compile(r"\d+(?:\.\d+)*", re.A)
_MAX_VERSION_LENGTH = 80  # longer strings are not version numbers (and keep int() cheap)


def _fortios(text: str) -> Key | None:
    m = _FORTIOS.fullmatch(text)
    return tuple(int(g) for g in m.groups()) if m else None


def _ivanti(text: str) -> Key | None:
    """major.minor R release . patch; "9.1R18" is patch 0 of release 18."""
    m = _IVANTI.fullmatch(text)
    return tuple(int(g or 0) for g in m.groups()) if m else None


def _panos(text: str) -> Key | None:
    """No hotfix counts as hotfix 0: 10.2.9 < 10.2.9-h1 < 10.2.10."""
    m = _PANOS.fullmatch(text)
    return tuple(int(g or 0) for g in m.groups()) if m else None


def _netscaler(text: str) -> Key | None:
    """("" | "fips" | "ndcpp", major, minor, build, build-patch): editions are separate branches."""
    editions = {m.group(1).lower() for m in _NS_EDITION.finditer(text)}
    m = _NETSCALER.fullmatch(_NS_EDITION.sub("", text).strip())
    if len(editions) > 1 or not m:
        return None
    return (editions.pop() if editions else "", *(int(g) for g in m.groups()))


def _sonicos(text: str) -> Key | None:
    """Version padded to four parts, then build; Gen5/Gen6 letter suffixes ("-109n") are ignored."""
    m = _SONICOS.fullmatch(text)
    if not m:
        return None
    numbers = [int(p) for p in m.group(1).split(".")]
    return (*numbers, *[0] * (4 - len(numbers)), int(m.group(2)))


def _cisco(text: str) -> Key | None:
    return tuple(int(p) for p in re.findall(r"[0-9]+", text)) if _CISCO.fullmatch(text) else None


def _numeric_branch(text: str) -> Key | None:
    return tuple(int(p) for p in text.split(".")) if _DOTTED.fullmatch(text) else None


def _netscaler_branch(text: str) -> Key | None:
    m = _NS_BRANCH.fullmatch(text)
    return ((m.group(3) or "").lower(), int(m.group(1)), int(m.group(2))) if m else None


# scheme name -> (version parser, branch parser)
_SCHEMES: dict[str, tuple[Parser, Parser]] = {
    "fortios": (_fortios, _numeric_branch),
    "ivanti": (_ivanti, _numeric_branch),
    "panos": (_panos, _numeric_branch),
    "netscaler": (_netscaler, _netscaler_branch),
    "sonicos": (_sonicos, _numeric_branch),
    "cisco": (_cisco, _numeric_branch),
}


# --- bundled data

@cache
def _data() -> dict[str, Any]:
    text = resources.files("zerotrust_audit.data").joinpath("kev.json").read_text(encoding="utf-8")
    return json.loads(text)


def _norm(name: str) -> str:
    """Case-insensitive, with spaces, underscores and hyphens ignored."""
    return re.sub(r"[\s_\-]+", "", name).lower()


@cache
def _alias_index() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    aliases = _data()["aliases"]
    vendors: dict[str, str] = {}
    for vendor, names in aliases["vendors"].items():
        for name in (vendor, *names):
            vendors[_norm(name)] = vendor
    products: dict[tuple[str, str], str] = {}
    for vendor, table in aliases["products"].items():
        for product, names in table.items():
            for name in (product, *names):
                products[(vendor, _norm(name))] = product
    return vendors, products


def canonical_product(vendor: str, product: str) -> tuple[str, str] | None:
    """The canonical ``(vendor, product)`` ids for what a user wrote, or None if unknown."""
    if not isinstance(vendor, str) or not isinstance(product, str):
        return None
    vendors, products = _alias_index()
    canon_vendor = vendors.get(_norm(vendor))
    if canon_vendor is None:
        return None
    canon_product = products.get((canon_vendor, _norm(product)))
    return (canon_vendor, canon_product) if canon_product else None


def _in_range(rng: dict[str, Any], key: Key, parse: Parser, parse_branch: Parser) -> bool:
    branch = parse_branch(rng["branch"])
    if branch is None:
        return False
    head = key[: len(branch)]
    if head != branch:
        return bool(rng.get("earlier_branches")) and len(head) == len(branch) and head < branch
    if rng.get("introduced") is not None:
        start = parse(rng["introduced"])
        if start is None or key < start:
            return False
    if "last_affected" in rng:
        last = parse(rng["last_affected"])
        return last is not None and key <= last
    if rng.get("fixed") is None:
        return True
    fixed = parse(rng["fixed"])
    return fixed is not None and key < fixed


def _cve_order(cve: str) -> tuple[int, int, str]:
    m = re.fullmatch(r"CVE-(\d+)-(\d+)", cve)
    return (int(m.group(1)), int(m.group(2)), cve) if m else (0, 0, cve)


def find_exploited(vendor: str, product: str, version: str) -> list[KevMatch]:
    """KEV entries whose affected ranges contain ``version``, in CVE order (year, number)."""
    canon = canonical_product(vendor, product)
    if canon is None or not isinstance(version, str) or len(version) > _MAX_VERSION_LENGTH:
        return []
    data = _data()
    scheme = _SCHEMES.get(data["version_schemes"].get(canon[0], ""))
    if scheme is None:
        return []
    parse, parse_branch = scheme
    key = parse(version.strip())
    if key is None:
        return []
    matches = []
    for entry in data["entries"]:
        if (entry["vendor"], entry["product"]) != canon:
            continue
        for rng in entry["affected"]:
            if _in_range(rng, key, parse, parse_branch):
                matches.append(KevMatch(
                    cve=entry["cve"], vendor=entry["vendor"], product=entry["product"],
                    title=entry["title"], date_added=entry["date_added"],
                    known_ransomware=entry["known_ransomware"], fixed_in=rng.get("fixed"),
                ))
                break
    return sorted(matches, key=lambda m: _cve_order(m.cve))


def catalog_info() -> dict[str, str]:
    """Where the bundled data comes from and how fresh it is, for reports."""
    data = _data()
    return {k: data[k] for k in ("source", "catalog_version", "snapshot_date")}
