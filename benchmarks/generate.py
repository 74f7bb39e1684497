#!/usr/bin/env python3
"""Generate large synthetic inventories for performance measurements.

The output is a policy repository laid out like a real one (identity,
devices, network, resources and access folders, big sections split into
numbered files), valid against the inventory schemas, with every reference
resolving. Distributions are meant to look like a mid-sized or large
organisation: mostly healthy, with a few percent of the gaps the rule pack
looks for.

Usage::

    python benchmarks/generate.py OUTDIR --endpoints 100000
    python benchmarks/generate.py OUTDIR --endpoints 20000 --format json --seed 7

or, from Python::

    generate(Path("/tmp/bench"), endpoints=100_000)

Output is deterministic: the same arguments give byte-identical files (all
randomness comes from ``random.Random`` seeded from ``--seed``, one stream
per section, and the audit date is fixed at 2026-11-01). Entities are
written to disk one at a time, so memory stays small whatever the size.

Files this generator writes (in either format) are replaced when OUTDIR
already holds them; other files in OUTDIR are left alone, and would be read
by ``ztaudit`` together with the generated ones.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import ipaddress
import json
import random
import re
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

AUDIT_DATE = dt.date(2026, 11, 1)
DOMAIN = "corp.example"
USERS_PER_FILE = 5_000
ENDPOINTS_PER_FILE = 10_000
RULES_PER_FILE = 250
MAX_GATEWAYS = 2048          # one /20 client pool each inside 10.128.0.0/9
FORMATS = ("yaml", "json")


# --------------------------------------------------------------------------
# Emission: a small YAML writer in the style of the bundled example
# (block mappings per entity, short flow mappings and lists inline) and a
# streaming JSON writer whose output equals json.dumps(document, indent=1).
# --------------------------------------------------------------------------

class Quoted(str):
    """A string always written quoted in YAML (versions, country codes)."""

    __slots__ = ()


# Plain (unquoted) strings: safe in flow context (inside [] and {}) ...
_PLAIN_FLOW = re.compile(r"[A-Za-z][A-Za-z0-9._@/-]*\Z")
# ... and, in block context, also with spaces, commas, semicolons and parentheses.
_PLAIN_BLOCK = re.compile(r"[A-Za-z][A-Za-z0-9 ._@/(),;-]*[A-Za-z0-9.)]\Z")
# Words YAML 1.1 (PyYAML's default loader, many editors and CI tools) would
# read as booleans or null.
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_FLOW_WIDTH = 100


def _scalar(value: Any, flow: bool) -> str:
    kind = type(value)
    if kind is str:
        plain = _PLAIN_FLOW if flow else _PLAIN_BLOCK
        if plain.match(value) and value.lower() not in _YAML11_WORDS:
            return value
        return json.dumps(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is dt.date:
        return value.isoformat()
    if kind is Quoted:
        return json.dumps(str(value))
    raise TypeError(f"cannot write {value!r} as YAML")


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value, True)


def _yaml_field(out: list[str], prefix: str, key: str, value: Any, indent: int) -> None:
    """One ``key: value`` of a block mapping whose keys sit at column ``indent``."""
    if isinstance(value, dict):
        flow = _flow(value)
        nested = any(isinstance(v, dict) for v in value.values())
        if not nested and indent + len(key) + 2 + len(flow) <= _FLOW_WIDTH:
            out.append(f"{prefix}{key}: {flow}\n")
        else:
            out.append(f"{prefix}{key}:\n")
            inner = " " * (indent + 2)
            for k, v in value.items():
                _yaml_field(out, inner, k, v, indent + 2)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        out.append(f"{prefix}{key}:\n")
        inner = " " * (indent + 2)
        for item in value:
            out.append(f"{inner}- {_flow(item)}\n")
    elif isinstance(value, list):
        out.append(f"{prefix}{key}: {_flow(value)}\n")
    else:
        out.append(f"{prefix}{key}: {_scalar(value, False)}\n")


def _yaml_item(entity: dict[str, Any]) -> str:
    """One list item of a section, as a block mapping."""
    out: list[str] = []
    prefix = "  - "
    for key, value in entity.items():
        _yaml_field(out, prefix, key, value, 4)
        prefix = "    "
    return "".join(out)


def _json_default(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {value!r} as JSON")


def _json_item(entity: dict[str, Any]) -> str:
    """One list item at depth 2 of ``json.dumps(document, indent=1)``."""
    text = json.dumps(entity, indent=1, default=_json_default)
    return "  " + text.replace("\n", "\n  ")


class SectionFile:
    """One output file holding ``version: 1`` and one section, written item by item."""

    def __init__(self, path: Path, fmt: str, section: str, comment: str) -> None:
        self.path = path
        self.fmt = fmt
        self.count = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._out: TextIO = path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20)
        if fmt == "yaml":
            self._out.write(f"version: 1\n\n# {comment}\n\n{section}:\n")
        else:
            self._out.write(f'{{\n "version": 1,\n {json.dumps(section)}: [')

    def add(self, entity: dict[str, Any]) -> None:
        if self.fmt == "yaml":
            self._out.write(("\n" if self.count else "") + _yaml_item(entity))
        else:
            self._out.write(("," if self.count else "") + "\n" + _json_item(entity))
        self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self._out.write("\n ]\n}\n" if self.count else "]\n}\n")
        self._out.close()


def _write_document(path: Path, fmt: str, document: dict[str, Any], comment: str) -> None:
    """A small file written in one go (organization)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        text = json.dumps(document, indent=1, default=_json_default) + "\n"
    else:
        out = [f"version: {document['version']}\n\n# {comment}\n\n"]
        for key, value in document.items():
            if key != "version":
                _yaml_field(out, "", key, value, 0)
        text = "".join(out)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


# --------------------------------------------------------------------------
# Random helpers
# --------------------------------------------------------------------------

class Weighted:
    """A fixed weighted choice, fast enough to call millions of times."""

    def __init__(self, table: Sequence[tuple[Any, float]]) -> None:
        self.values = [v for v, _ in table]
        self.cumulative: list[float] = []
        total = 0.0
        for _, weight in table:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def _days_ago(days: int) -> dt.date:
    return AUDIT_DATE - dt.timedelta(days=days)


def _days_ahead(days: int) -> dt.date:
    return AUDIT_DATE + dt.timedelta(days=days)


def _rng(seed: int, section: str) -> random.Random:
    # One stream per section: changing --rules does not change the users.
    return random.Random(f"{seed}/{section}")


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

FIRST_NAMES = (
    "anna", "ben", "chloe", "daniel", "emma", "farid", "grace", "hugo", "ines", "jonas",
    "kara", "liam", "maria", "noah", "olga", "pieter", "quinn", "rosa", "sam", "tariq",
    "ulla", "victor", "wen", "xavier", "yara", "zoe", "aisha", "bruno", "carmen", "dev",
    "elena", "felix", "giulia", "hassan", "ivy", "jakob", "kenji", "lena", "mateo", "nora",
    "oscar", "priya", "rafael", "sofia", "tomas", "uma", "vera", "william", "ximena", "yusuf",
)
LAST_NAMES = (
    "nguyen", "okafor", "martin", "kim", "berg", "lopez", "patel", "smith", "jansen", "muller",
    "rossi", "garcia", "dubois", "novak", "haddad", "silva", "kowalski", "andersen", "tanaka", "obrien",
    "fischer", "moreau", "costa", "ivanova", "larsen", "walsh", "khan", "santos", "meyer", "lindqvist",
    "chen", "hughes", "bakker", "romero", "yilmaz", "schmidt", "nilsen", "park", "ferreira", "murphy",
)
DEPARTMENTS = (
    ("engineering", "Product engineering"),
    ("finance", "Finance and accounting"),
    ("sales", "Sales and account management"),
    ("marketing", "Marketing and communications"),
    ("support", "Customer support"),
    ("hr", "People and HR"),
    ("legal", "Legal and compliance"),
    ("it-operations", "IT operations"),
    ("security", "Security operations"),
    ("research", "Research and development"),
    ("logistics", "Logistics and supply chain"),
    ("data", "Data and analytics"),
)
TEAMS = ("platform", "payments", "web", "mobile", "emea", "americas", "apac", "core",
         "tooling", "reporting", "field", "backoffice", "growth", "infrastructure")
PERSON_COUNTRIES = Weighted([("NL", 20), ("DE", 15), ("GB", 14), ("US", 20), ("FR", 8),
                             ("NO", 5), ("SE", 5), ("ES", 5), ("IN", 5), ("CA", 3)])
RULE_COUNTRIES = ("NL", "DE", "GB", "US", "FR", "NO", "SE", "ES", "IN", "CA", "IE", "DK", "FI", "PL")
SERVICE_PURPOSES = ("backup", "ci", "monitoring", "scanner", "smtp-relay", "directory-sync",
                    "etl", "reporting", "deploy", "ticketing")
SHARED_PURPOSES = ("frontdesk", "warehouse", "kiosk", "lab", "training", "shopfloor")
SYSTEMS = ("billing", "payroll", "crm", "hr-portal", "wiki", "ci", "monitoring", "analytics",
           "inventory", "logistics", "ledger", "ticketing", "intranet", "erp", "warehouse",
           "customer-portal", "data-lake", "identity", "build-cache", "reporting")

USER_TYPES = Weighted([("employee", 86), ("contractor", 10), ("service", 3), ("shared", 1)])
EMPLOYEE_MFA = Weighted([
    (("fido2",), 22), (("fido2", "push_number_match"), 20), (("push_number_match",), 25),
    (("push_number_match", "totp"), 8), (("totp",), 9), (("webauthn",), 4),
    (("totp", "sms"), 5), (("sms",), 4), ((), 3),
])
CONTRACTOR_MFA = Weighted([
    (("fido2",), 10), (("push_number_match",), 35), (("totp",), 35),
    (("totp", "sms"), 10), (("sms",), 5), ((), 5),
])
PRIVILEGED_MFA = Weighted([
    (("fido2",), 45), (("fido2", "piv"), 25), (("piv",), 15),
    (("fido2", "push_number_match"), 10), (("totp",), 5),
])
SHARED_MFA = Weighted([((), 40), (("sms",), 30), (("totp",), 30)])
GROUP_COUNT = Weighted([(1, 50), (2, 35), (3, 15)])

ENDPOINT_TYPES = Weighted([("laptop", 45), ("desktop", 10), ("mobile", 25), ("tablet", 5),
                           ("vm", 10), ("server", 5)])
NAME_PREFIX = {"laptop": "lt", "desktop": "dt", "mobile": "mb", "tablet": "tb", "vm": "vm", "server": "srv"}
BYOD_SHARE = {"laptop": 0.12, "desktop": 0.02, "mobile": 0.45, "tablet": 0.40, "vm": 0.0, "server": 0.0}
OS_FAMILIES = {
    "laptop": Weighted([("windows", 60), ("macos", 30), ("linux", 7), ("chromeos", 3)]),
    "desktop": Weighted([("windows", 80), ("linux", 15), ("macos", 5)]),
    "mobile": Weighted([("ios", 55), ("android", 45)]),
    "tablet": Weighted([("ios", 70), ("android", 30)]),
    "vm": Weighted([("windows", 50), ("linux", 50)]),
    "server": Weighted([("linux", 80), ("windows", 20)]),
}
# (version, end_of_support or None, distro label or None), weight
OS_VERSIONS = {
    "windows": Weighted([
        (("11 24H2", dt.date(2027, 10, 12), None), 74), (("11 23H2", dt.date(2026, 11, 10), None), 22),
        (("11 22H2", dt.date(2025, 10, 14), None), 2), (("10 22H2", dt.date(2025, 10, 14), None), 2),
    ]),
    "windows-server": Weighted([
        (("Server 2022", dt.date(2031, 10, 14), None), 60), (("Server 2019", dt.date(2029, 1, 9), None), 30),
        (("Server 2016", dt.date(2027, 1, 12), None), 10),
    ]),
    "macos": Weighted([(("26.1", None, None), 55), (("15.7", None, None), 35), (("14.8", None, None), 10)]),
    "linux": Weighted([
        (("24.04", dt.date(2029, 5, 31), "ubuntu"), 65), (("22.04", dt.date(2027, 5, 31), "ubuntu"), 25),
        (("9.6", dt.date(2032, 5, 31), "rhel"), 7), (("20.04", dt.date(2025, 5, 31), "ubuntu"), 3),
    ]),
    "ios": Weighted([(("26.1", None, None), 50), (("18.7", None, None), 35), (("17.7", None, None), 12),
                     (("16.7", None, None), 3)]),
    "android": Weighted([(("16", None, None), 35), (("15", None, None), 35), (("14", None, None), 22),
                         (("12", None, None), 8)]),
    "chromeos": Weighted([(("142", dt.date(2031, 6, 30), None), 80), (("138", dt.date(2029, 6, 30), None), 20)]),
}
EDR_VENDORS = Weighted([("crowdstrike", 50), ("sentinelone", 25), ("microsoft-defender", 25)])
MOBILE_EDR_VENDORS = Weighted([("lookout", 50), ("microsoft-defender", 50)])
SCREEN_LOCK = {
    "desk": Weighted([(300, 50), (600, 25), (900, 20), (1800, 3), (None, 2)]),
    "mobile": Weighted([(30, 20), (60, 40), (120, 30), (300, 7), (None, 3)]),
    "host": Weighted([(900, 40), (None, 60)]),
}
VPN_CLIENTS = Weighted([
    (("paloaltonetworks", "globalprotect", "6.1.1"), 35), (("paloaltonetworks", "globalprotect", "6.2.4"), 15),
    (("cisco", "anyconnect", "4.10.08029"), 25), (("cisco", "anyconnect", "4.8.01090"), 3),
    (("fortinet", "forticlient", "7.4.3"), 22),
])

RESOURCE_TYPES = Weighted([("app", 30), ("saas", 20), ("database", 15), ("ssh", 10), ("rdp", 8),
                           ("file_share", 10), ("network_segment", 7)])
RESOURCE_WORDING = {
    "app": ("Self-hosted application", "apps"),
    "saas": ("SaaS tenant", "saas"),
    "database": ("Database cluster", "databases"),
    "ssh": ("SSH access to hosts", "ssh"),
    "rdp": ("Remote Desktop hosts", "rdp"),
    "file_share": ("File share", "shares"),
    "network_segment": ("Network segment", "segments"),
}
SENSITIVITIES = Weighted([("public", 10), ("internal", 40), ("confidential", 30), ("restricted", 20)])
EXPOSURES = Weighted([("vpn_only", 50), ("internal", 35), ("internet", 15)])
ENVIRONMENTS = Weighted([("prod", 60), ("staging", 25), ("dev", 15)])
RETENTION = Weighted([(None, 70), (365, 15), (180, 7), (90, 5), (30, 3)])

DEVICE_CONDITIONS = Weighted([
    ({"managed": True}, 25),
    ({"managed": True, "compliant": True}, 40),
    ({"managed": True, "compliant": True, "ownership": ["corporate"]}, 30),
    ({"ownership": ["corporate", "byod"]}, 5),
])


# --------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------

class Plan:
    """Names and roles shared between sections (who exists, who is what)."""

    def __init__(self) -> None:
        self.groups: list[str] = []
        self.privileged_groups: list[str] = []
        self.department_groups: list[str] = []
        self.group_department: dict[str, str] = {}
        self.contractor_group = ""
        self.services_group = ""
        self.user_names: list[str] = []
        self.active_people: list[str] = []
        self.active_services: list[str] = []
        self.break_glass: list[str] = []
        self.networks: list[str] = []
        self.gateways: list[str] = []
        self.resource_names: list[str] = []
        self.resources_by_sensitivity: dict[str, list[int]] = {}
        self.resource_types: list[str] = []


def _plan_groups(plan: Plan, groups: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    width = max(3, len(str(groups - 1)))
    names = [f"g-{i:0{width}d}" for i in range(groups)]
    privileged = set(rng.sample(range(groups), max(1, round(groups * 5 / 200))))
    others = [i for i in range(groups) if i not in privileged]
    contractors, services = rng.sample(others, 2)
    plan.groups = names
    for i, name in enumerate(names):
        dept, title = DEPARTMENTS[i % len(DEPARTMENTS)]
        group: dict[str, Any] = {"name": name}
        if i in privileged:
            plan.privileged_groups.append(name)
            group["privileged"] = True
            group["description"] = f"Administrators of {title.lower()} systems"
            group["labels"] = {"owner": "it-operations", "tier": "admin"}
        elif i == contractors:
            plan.contractor_group = name
            group["description"] = "External contractors (all vendors)"
            group["labels"] = {"owner": "procurement"}
        elif i == services:
            plan.services_group = name
            group["description"] = "Non-person service and integration accounts"
            group["labels"] = {"owner": "it-operations"}
        else:
            plan.department_groups.append(name)
            plan.group_department[name] = dept
            group["description"] = f"{title}, {TEAMS[(i // len(DEPARTMENTS)) % len(TEAMS)]} team"
            group["labels"] = {"owner": dept}
        yield group


def _users(plan: Plan, users: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    break_glass = 2 if users >= 20 else 0
    seen: dict[str, int] = {}
    width = max(5, len(str(users)))
    for index in range(users):
        if index >= users - break_glass:
            kind = "break_glass"
        elif index == 0:
            kind = "employee"           # at least one active person owns devices
        else:
            kind = USER_TYPES.pick(rng)
        disabled = kind != "break_glass" and index > 0 and rng.random() < 0.02
        user: dict[str, Any] = {}
        labels: dict[str, Any] | None = None
        expires: dt.date | None = None
        privileged: bool | None = None
        if kind in ("employee", "contractor"):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            base = f"{first}.{last}"
            n = seen.get(base, 0) + 1
            seen[base] = n
            name = f"{base}{n if n > 1 else ''}@{DOMAIN}"
            departments = plan.department_groups
            if kind == "employee":
                groups = rng.sample(departments, min(GROUP_COUNT.pick(rng), len(departments)))
                if rng.random() < 0.003:
                    groups = [*groups[:2], rng.choice(plan.privileged_groups)]
                    methods = PRIVILEGED_MFA.pick(rng)
                else:
                    methods = EMPLOYEE_MFA.pick(rng)
            else:
                groups = [plan.contractor_group]
                if rng.random() < 0.6:
                    groups.append(rng.choice(departments))
                methods = CONTRACTOR_MFA.pick(rng)
                if rng.random() < 0.9:
                    expires = _days_ago(rng.randint(1, 120)) if rng.random() < 0.15 else _days_ahead(rng.randint(1, 365))
            dept = plan.group_department.get(groups[-1]) or plan.group_department.get(groups[0], "external")
            labels = {"department": dept, "location": Quoted(PERSON_COUNTRIES.pick(rng))}
            if not disabled:
                plan.active_people.append(name)
        elif kind == "service":
            purpose = rng.choice(SERVICE_PURPOSES)
            name = f"svc-{purpose}-{index:0{width}d}"
            user["description"] = f"Service account for {purpose.replace('-', ' ')}"
            groups = [plan.services_group]
            methods = ("totp",) if rng.random() < 0.2 else ()
            if not disabled:
                plan.active_services.append(name)
        elif kind == "shared":
            purpose = rng.choice(SHARED_PURPOSES)
            name = f"shared-{purpose}-{index:0{width}d}@{DOMAIN}"
            user["description"] = f"Shared {purpose} login"
            groups = [rng.choice(plan.department_groups)]
            methods = SHARED_MFA.pick(rng)
        else:
            name = f"breakglass-{len(plan.break_glass) + 1}@{DOMAIN}"
            user["description"] = "Emergency access account; credentials in the safe"
            groups = [plan.privileged_groups[0]]
            methods = ("fido2",)
            privileged = True
            plan.break_glass.append(name)
        plan.user_names.append(name)
        user = {"name": name, **user, "type": kind, "status": "disabled" if disabled else "active", "groups": groups}
        if privileged is not None:
            user["privileged"] = privileged
        user["mfa_methods"] = list(methods)
        if kind == "break_glass":
            user["last_login"] = _days_ago(rng.randint(30, 120))
        elif disabled:
            user["last_login"] = _days_ago(rng.randint(30, 120))
        elif rng.random() >= 0.01:
            user["last_login"] = _days_ago(rng.randint(0, 14) if rng.random() < 0.9 else rng.randint(15, 120))
        if expires is not None:
            user["expires"] = expires
        if labels is not None:
            user["labels"] = labels
        yield user


def _mfa_policies(plan: Plan, rng: random.Random) -> Iterator[dict[str, Any]]:
    services = sorted(rng.sample(plan.active_services, min(3, len(plan.active_services))))
    yield {
        "name": "workforce",
        "description": "Baseline for every account in the directory",
        "applies_to": {"groups": ["*"]},
        "required": True,
        "allowed_methods": ["fido2", "webauthn", "push_number_match", "totp", "sms"],
        "exempt": {"users": services, "groups": []},
        "remember_device_days": 7,
        "legacy_auth_allowed": False,
        "session_lifetime_hours": 12,
    }
    yield {
        "name": "admins-phishing-resistant",
        "description": "Administrators sign in with security keys or smart cards",
        "applies_to": {"groups": list(plan.privileged_groups)},
        "required": True,
        "allowed_methods": ["fido2", "piv"],
        "remember_device_days": 0,
        "legacy_auth_allowed": False,
        "session_lifetime_hours": 8,
    }
    yield {
        "name": "contractors",
        "description": "External staff; shorter sessions, no SMS enrolment offered",
        "applies_to": {"groups": [plan.contractor_group]},
        "required": True,
        "allowed_methods": ["fido2", "push_number_match", "totp"],
        "remember_device_days": 0,
        "legacy_auth_allowed": False,
        "session_lifetime_hours": 10,
    }
    yield {
        "name": "service-accounts-legacy",
        "description": "Scanners and relays still on basic authentication (migration tracked in PRJ-3120)",
        "applies_to": {"groups": [plan.services_group]},
        "required": True,
        "allowed_methods": ["totp"],
        "legacy_auth_allowed": True,
        "session_lifetime_hours": 24,
    }


def _endpoints(plan: Plan, endpoints: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    people = plan.active_people or plan.user_names
    services = plan.active_services
    width = max(6, len(str(endpoints)))
    for index in range(endpoints):
        kind = ENDPOINT_TYPES.pick(rng)
        handheld = kind in ("mobile", "tablet")
        host = kind in ("vm", "server")
        if kind == "server" and services and rng.random() < 0.7:
            owner = rng.choice(services)
        else:
            owner = rng.choice(people)
        ownership = "byod" if rng.random() < BYOD_SHARE[kind] else "corporate"
        managed = rng.random() < (0.98 if ownership == "corporate" else 0.45)
        family = OS_FAMILIES[kind].pick(rng)
        table = "windows-server" if family == "windows" and kind == "server" else family
        version, end_of_support, distro = OS_VERSIONS[table].pick(rng)
        os_: dict[str, Any] = {"family": family, "version": Quoted(version)}
        if end_of_support is not None:
            os_["end_of_support"] = end_of_support
        encrypted = rng.random() < (0.995 if handheld else 0.97)
        firewall = handheld or rng.random() < 0.97
        edr_installed = rng.random() < (0.92 if handheld else 0.975)
        edr: dict[str, Any] = {"installed": edr_installed, "running": edr_installed and rng.random() < 0.98}
        if edr_installed:
            edr["vendor"] = (MOBILE_EDR_VENDORS if handheld else EDR_VENDORS).pick(rng)
        lock = SCREEN_LOCK["mobile" if handheld else "host" if host else "desk"].pick(rng)
        r = rng.random()
        seen_days = rng.randint(0, 6) if r < 0.95 else rng.randint(7, 29) if r < 0.99 else rng.randint(30, 120)
        r = rng.random()
        patch_age = rng.randint(0, 20) if r < 0.94 else rng.randint(21, 45) if r < 0.97 else rng.randint(46, 400)
        last_seen = _days_ago(seen_days)
        last_patched = _days_ago(seen_days + patch_age)
        jailbroken = handheld and rng.random() < 0.01
        local_admin = not handheld and rng.random() < 0.08

        endpoint: dict[str, Any] = {
            "name": f"{NAME_PREFIX[kind]}-{index:0{width}d}",
            "owner": owner,
            "type": kind,
            "ownership": ownership,
            "managed": managed,
            "os": os_,
            "disk_encryption": encrypted,
            "firewall": firewall,
            "edr": edr,
        }
        if lock is not None:
            endpoint["screen_lock_seconds"] = lock
        endpoint["last_patched"] = last_patched
        endpoint["last_seen"] = last_seen
        if local_admin:
            endpoint["local_admin"] = True
        if handheld:
            endpoint["jailbroken"] = jailbroken
        if managed:
            in_support = end_of_support is None or AUDIT_DATE <= end_of_support
            healthy = (encrypted and firewall and edr["running"] and not jailbroken and in_support
                       and seen_days + patch_age <= 30)
            endpoint["compliant"] = healthy or rng.random() < 0.01   # a few stale verdicts
        if distro is not None:
            endpoint["labels"] = {"distro": distro}
        if kind == "laptop" and rng.random() < 0.3:
            vendor, product, client_version = VPN_CLIENTS.pick(rng)
            endpoint["software"] = [{"vendor": vendor, "name": product, "version": Quoted(client_version)}]
        yield endpoint


def _networks(plan: Plan) -> Iterator[dict[str, Any]]:
    offices = [
        {"name": "hq-lan", "description": "Head office, wired and staff Wi-Fi", "type": "office",
         "cidrs": ["10.10.0.0/16", "2001:db8:a10::/48"], "trusted": True},
        {"name": "branch-lan", "description": "Branch offices, joined over SD-WAN", "type": "office",
         "cidrs": ["10.20.0.0/16"], "trusted": False},
    ]
    pools = ipaddress.ip_network("10.128.0.0/9").subnets(new_prefix=20)
    vpns = [
        {"name": f"{gateway}-net", "description": f"Client address pool of {gateway}", "type": "vpn",
         "cidrs": [str(next(pools))], "gateway": gateway}
        for gateway in plan.gateways
    ]
    cloud = {"name": "cloud-vpc", "description": "Production cloud VPCs", "type": "cloud",
             "cidrs": ["172.20.0.0/16", "2001:db8:c00::/40"]}
    for network in (*offices, *vpns, cloud):
        plan.networks.append(network["name"])
        yield network


REGIONS = ("eu", "us", "ap", "uk", "ca", "in", "br", "za")


def _gateways(plan: Plan, gateways: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    kinds = ("fortinet-ikev2", "paloalto-sslvpn", "wireguard", "openvpn", "ivanti-sslvpn", "fortinet-sslvpn")
    for index in range(gateways):
        name = f"vpn-{REGIONS[index % len(REGIONS)]}-{index + 1:02d}"
        plan.gateways.append(name)
        kind = kinds[index % len(kinds)]
        gap = rng.random
        gw: dict[str, Any] = {"name": name}
        mfa = gap() >= 0.15
        if kind == "fortinet-ikev2":
            version = rng.choice(("7.4.8", "7.4.8", "7.4.4", "7.2.4"))
            weak = gap() < 0.25
            gw["description"] = "FortiGate cluster, IKEv2 remote access"
            gw["product"] = {"vendor": "fortinet", "name": "fortios", "version": Quoted(version)}
            gw["protocol"] = "ipsec-ikev2"
            gw["ciphers"] = ["AES-256-GCM"]
            gw["ike"] = {
                "dh_groups": [2, 14] if weak else [19, 20],
                "encryption": ["AES-256-GCM"],
                "integrity": ["SHA2-256", "SHA2-384"],
                "auth": "psk" if weak else "certificate",
                "aggressive_mode": False,
            }
            methods = ["certificate", "saml"]
        elif kind == "fortinet-sslvpn":
            version = rng.choice(("7.4.8", "7.2.4"))
            gw["description"] = "FortiGate SSL-VPN, kept for legacy clients"
            gw["product"] = {"vendor": "fortinet", "name": "fortios", "version": Quoted(version)}
            gw["protocol"] = "sslvpn"
            gw["tls_min_version"] = Quoted("1.1" if gap() < 0.3 else "1.2")
            gw["ciphers"] = ["AES-256-GCM", "AES-128-GCM"] + (["DES-CBC3-SHA"] if gap() < 0.3 else [])
            methods = ["saml"] if mfa else ["ldap", "password"]
        elif kind == "paloalto-sslvpn":
            version = rng.choice(("11.1.6-h3", "10.2.13-h3", "10.2.7"))
            gw["description"] = "Palo Alto Networks GlobalProtect portal and gateway"
            gw["product"] = {"vendor": "paloaltonetworks", "name": "pan-os", "version": Quoted(version)}
            gw["protocol"] = "sslvpn"
            gw["tls_min_version"] = Quoted(rng.choice(("1.2", "1.3")))
            gw["ciphers"] = ["AES-256-GCM", "AES-128-GCM"]
            methods = ["saml", "certificate"]
        elif kind == "ivanti-sslvpn":
            version = rng.choice(("22.7R2.8", "22.7R2.8", "22.7R2.4"))
            gw["description"] = "Ivanti Connect Secure appliance pair"
            gw["product"] = {"vendor": "ivanti", "name": "connect_secure", "version": Quoted(version)}
            gw["protocol"] = "sslvpn"
            gw["tls_min_version"] = Quoted("1.2")
            gw["ciphers"] = ["AES-256-GCM", "AES-128-GCM"]
            methods = ["saml", "radius"]
        elif kind == "wireguard":
            gw["description"] = "WireGuard concentrator for engineering"
            gw["product"] = {"vendor": "wireguard", "name": "wireguard-tools", "version": Quoted("1.0.20210914")}
            gw["protocol"] = "wireguard"
            gw["ciphers"] = ["ChaCha20-Poly1305"]
            methods = ["oidc"]
        else:
            gw["description"] = "OpenVPN Access Server for partners"
            gw["product"] = {"vendor": "openvpn", "name": "access_server", "version": Quoted("2.14.3")}
            gw["protocol"] = "openvpn"
            gw["tls_min_version"] = Quoted("1.2")
            gw["ciphers"] = ["AES-256-GCM", "CHACHA20-POLY1305"]
            methods = ["certificate", "saml"]
        gw["authentication"] = {"mfa_required": mfa, "methods": methods}
        gw["posture_check"] = gap() >= 0.25
        gw["split_tunnel"] = gap() < 0.3
        gw["full_network_access"] = gap() < 0.25
        idle = rng.choice((15, 30, 30, 60, 240, None))
        if idle is not None:
            gw["idle_timeout_minutes"] = idle
        gw["client_to_client"] = gap() < 0.1
        if kind == "openvpn":
            gw["shared_credentials"] = gap() < 0.3
            gw["compression"] = gap() < 0.3
        gw["hostname"] = f"{name}.{DOMAIN}"
        gw["logging"] = gap() >= 0.05
        retention = rng.choice((365, 365, 180, 90, 30, None))
        if retention is not None:
            gw["log_retention_days"] = retention
        gw["internet_exposed_management"] = gap() < 0.1
        gw["labels"] = {"region": REGIONS[index % len(REGIONS)]}
        yield gw


def _resources(plan: Plan, resources: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    width = max(4, len(str(resources - 1)))
    teams = [d for d, _ in DEPARTMENTS]
    for index in range(resources):
        kind = RESOURCE_TYPES.pick(rng)
        sensitivity = SENSITIVITIES.pick(rng)
        if kind == "saas":
            exposure = "internet"
        elif sensitivity == "public":
            exposure = "internet" if rng.random() < 0.8 else "internal"
        else:
            exposure = EXPOSURES.pick(rng)
        name = f"r-{index:0{width}d}"
        plan.resource_names.append(name)
        plan.resource_types.append(kind)
        plan.resources_by_sensitivity.setdefault(sensitivity, []).append(index)
        wording, _ = RESOURCE_WORDING[kind]
        system = rng.choice(SYSTEMS)
        env = ENVIRONMENTS.pick(rng)
        resource: dict[str, Any] = {
            "name": name,
            "description": f"{wording} for {system} ({env})",
            "type": kind,
            "sensitivity": sensitivity,
            "exposure": exposure,
            "logging": rng.random() < 0.92,
        }
        retention = RETENTION.pick(rng)
        if retention is not None:
            resource["log_retention_days"] = retention
        r = rng.random()
        if r < 0.6:
            resource["owner"] = rng.choice(teams)
        elif r < 0.9 and plan.active_people:
            resource["owner"] = rng.choice(plan.active_people)
        resource["labels"] = {"env": env, "system": system}
        yield resource


def _access_rules(plan: Plan, rules: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    width = max(4, len(str(rules)))
    n_resources = len(plan.resource_names)
    everyone_pool = plan.resources_by_sensitivity.get("internal") or list(range(n_resources))
    guarded = (plan.resources_by_sensitivity.get("restricted", []) + plan.resources_by_sensitivity.get("confidential", [])) \
        or list(range(n_resources))
    restricted = set(plan.resources_by_sensitivity.get("restricted", ()))
    admin_pool = [i for i in plan.resources_by_sensitivity.get("restricted", ())
                  if plan.resource_types[i] in ("ssh", "rdp", "database", "network_segment")] or list(range(n_resources))
    subject_groups = plan.department_groups + [plan.contractor_group]
    everyone_at = {0, rules // 3, (2 * rules) // 3} if rules >= 12 else {0}

    def sample(pool: list[int], low: int, high: int) -> list[int]:
        return sorted(rng.sample(pool, min(len(pool), rng.randint(low, high))))

    for index in range(rules):
        number = f"{index + 1:0{width}d}"
        rule: dict[str, Any] = {}
        conditions: dict[str, Any] = {}
        if index in everyone_at:
            picked = sample(everyone_pool, 2, 5)
            rule["name"] = f"everyone-intranet-{number}"
            rule["description"] = "Everyday internal tools for every signed-in user"
            rule["effect"] = "allow"
            rule["subjects"] = {"groups": ["*"]}
            conditions["mfa"] = "any"
            if rng.random() < 0.7:
                conditions["device"] = {"managed": True}
        elif rng.random() < 0.10:
            group = rng.choice(subject_groups)
            picked = sample(guarded, 1, 5)
            variant = rng.random()
            rule["effect"] = "deny"
            rule["subjects"] = {"groups": [group]}
            if variant < 0.4:
                rule["name"] = f"deny-{group}-byod-{number}"
                rule["description"] = "No sensitive data on personal devices"
                conditions["device"] = {"ownership": ["byod"]}
            elif variant < 0.7:
                rule["name"] = f"deny-{group}-geo-{number}"
                rule["description"] = "Block sign-ins from countries without a business presence"
                conditions["countries"] = [Quoted(c) for c in rng.sample(("CN", "RU", "KP", "IR", "BY"), rng.randint(1, 3))]
            else:
                rule["name"] = f"deny-{group}-sod-{number}"
                rule["description"] = "Separation of duties"
            if plan.break_glass and rng.random() < 0.3:
                rule["exclude"] = {"users": list(plan.break_glass)}
        else:
            admin = rng.random() < 0.08
            if admin:
                groups = [rng.choice(plan.privileged_groups)]
                picked = sample(admin_pool, 2, 6)
            else:
                groups = rng.sample(subject_groups, min(len(subject_groups), 1 if rng.random() < 0.7 else 2))
                picked = sample(list(range(n_resources)), 2, 10)
            purpose = RESOURCE_WORDING[plan.resource_types[picked[0]]][1]
            rule["name"] = f"{groups[0]}-{purpose}-{number}"
            rule["description"] = f"{'Administration of' if admin else 'Access to'} {purpose} ({', '.join(groups)})"
            rule["effect"] = "allow"
            if rng.random() < 0.05:
                users = rng.sample(plan.active_people, min(len(plan.active_people), rng.randint(1, 3)))
                rule["subjects"] = {"groups": groups, "users": users}
            else:
                rule["subjects"] = {"groups": groups}
            sensitive = admin or any(i in restricted for i in picked)
            r = rng.random()
            if admin or (sensitive and r < 0.6) or (not sensitive and r < 0.2):
                conditions["mfa"] = "phishing_resistant"
            elif r < 0.9:
                conditions["mfa"] = "any"
            if admin:
                conditions["device"] = {"managed": True, "compliant": True, "ownership": ["corporate"]}
            elif rng.random() < 0.65:
                conditions["device"] = dict(DEVICE_CONDITIONS.pick(rng))
            if rng.random() < 0.2:
                conditions["networks"] = sorted(rng.sample(plan.networks, min(len(plan.networks), rng.randint(1, 2))))
            if rng.random() < 0.08:
                conditions["countries"] = [Quoted(c) for c in sorted(rng.sample(RULE_COUNTRIES, rng.randint(1, 4)))]
        r = rng.random()
        if r < 0.04:
            rule["state"] = "report_only"
        elif r < 0.05:
            rule["state"] = "disabled"
        rule["resources"] = [plan.resource_names[i] for i in picked]
        if conditions:
            rule["conditions"] = conditions
        if rng.random() < 0.04:
            rule["expires"] = _days_ahead(rng.randint(-60, 180))
        if rng.random() < 0.4:
            rule["justification"] = f"CHG-{rng.randint(2024, 2026)}-{rng.randint(1, 9999):04d}"
        # a stable key order: name first, then as the format lists the fields
        order = ("name", "description", "effect", "subjects", "exclude", "state", "resources",
                 "conditions", "expires", "justification")
        yield {key: rule[key] for key in order if key in rule}


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

_OWN_FILES = (
    "organization.{ext}",
    "identity/groups.{ext}",
    "identity/users-[0-9][0-9][0-9]*.{ext}",
    "identity/mfa-policies.{ext}",
    "devices/endpoints-[0-9][0-9][0-9]*.{ext}",
    "network/networks.{ext}",
    "network/vpn-gateways.{ext}",
    "resources/resources.{ext}",
    "access/rules-[0-9][0-9][0-9]*.{ext}",
)


def _remove_previous(outdir: Path) -> None:
    """Delete files a previous run left (either format), so no stale chunk is read."""
    for pattern in _OWN_FILES:
        for ext in FORMATS:
            for path in outdir.glob(pattern.format(ext=ext)):
                if path.is_file():
                    path.unlink()


class _Output:
    def __init__(self, outdir: Path, fmt: str) -> None:
        self.outdir = outdir
        self.fmt = fmt
        self.files: list[Path] = []

    def single(self, relative: str, section: str, items: Iterable[dict[str, Any]], comment: str) -> int:
        writer = SectionFile(self.outdir / f"{relative}.{self.fmt}", self.fmt, section, comment)
        try:
            for item in items:
                writer.add(item)
        finally:
            writer.close()
        self.files.append(writer.path)
        return writer.count

    def chunked(self, stem: str, section: str, items: Iterable[dict[str, Any]], total: int, per_file: int, what: str) -> int:
        count = 0
        writer: SectionFile | None = None
        try:
            for item in items:
                if count % per_file == 0:
                    if writer is not None:
                        writer.close()
                    part = count // per_file + 1
                    last = min(count + per_file, total)
                    comment = f"{what} {count + 1:,}-{last:,} of {total:,} (part {part})."
                    writer = SectionFile(self.outdir / f"{stem}-{part:03d}.{self.fmt}", self.fmt, section, comment)
                    self.files.append(writer.path)
                writer.add(item)
                count += 1
        finally:
            if writer is not None:
                writer.close()
        return count


def generate(
    outdir: Path,
    endpoints: int,
    users: int | None = None,
    groups: int = 200,
    resources: int = 2000,
    rules: int = 1000,
    gateways: int = 4,
    fmt: str = "yaml",
    seed: int = 1,
) -> dict[str, Any]:
    """Write a synthetic inventory under ``outdir``.

    Returns the number of entities per section (``users``, ``groups``,
    ``mfa_policies``, ``endpoints``, ``networks``, ``vpn_gateways``,
    ``resources``, ``access_rules``), ``files`` (the paths written, in
    order) and ``bytes`` (their total size).
    """
    users = max(1, endpoints // 2) if users is None else users
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    for label, value, low in (("endpoints", endpoints, 0), ("users", users, 1), ("groups", groups, 4),
                              ("resources", resources, 1), ("rules", rules, 0), ("gateways", gateways, 1)):
        if value < low:
            raise ValueError(f"{label} must be at least {low}, got {value}")
    if gateways > MAX_GATEWAYS:
        raise ValueError(f"gateways must be at most {MAX_GATEWAYS}, got {gateways}")

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    _remove_previous(outdir)
    out = _Output(outdir, fmt)
    plan = Plan()
    counts: dict[str, Any] = {}

    organization = {
        "version": 1,
        "organization": {
            "name": "Example Industries",
            "default_action": "deny",
            "audit_date": AUDIT_DATE,
            "thresholds": {"patch_age_days": 30},
            "logging": {"central": True, "retention_days": 365},
        },
    }
    org_path = outdir / f"organization.{fmt}"
    _write_document(org_path, fmt, organization, "Organisation-wide settings; the audit date is pinned.")
    out.files.append(org_path)

    counts["groups"] = out.single("identity/groups", "groups", _plan_groups(plan, groups, _rng(seed, "groups")),
                                  f"Directory groups ({groups:,}).")
    counts["users"] = out.chunked("identity/users", "users", _users(plan, users, _rng(seed, "users")),
                                  users, USERS_PER_FILE, "Users")
    counts["mfa_policies"] = out.single("identity/mfa-policies", "mfa_policies", _mfa_policies(plan, _rng(seed, "mfa")),
                                        "Authentication-method policies of the identity provider.")
    counts["vpn_gateways"] = out.single("network/vpn-gateways", "vpn_gateways",
                                        _gateways(plan, gateways, _rng(seed, "gateways")),
                                        f"Remote-access gateways ({gateways:,}).")
    counts["networks"] = out.single("network/networks", "networks", _networks(plan),
                                    "Network locations that access rules may name.")
    counts["resources"] = out.single("resources/resources", "resources",
                                     _resources(plan, resources, _rng(seed, "resources")),
                                     f"Resources that access rules protect ({resources:,}).")
    counts["endpoints"] = out.chunked("devices/endpoints", "endpoints",
                                      _endpoints(plan, endpoints, _rng(seed, "endpoints")),
                                      endpoints, ENDPOINTS_PER_FILE, "Endpoints")
    counts["access_rules"] = out.chunked("access/rules", "access_rules",
                                         _access_rules(plan, rules, _rng(seed, "rules")),
                                         rules, RULES_PER_FILE, "Access rules")
    counts["files"] = list(out.files)
    counts["bytes"] = sum(path.stat().st_size for path in out.files)
    return counts


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be zero or more, got {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate a large, deterministic synthetic inventory for performance measurements.",
    )
    parser.add_argument("outdir", type=Path, help="folder to write the policy repository to (created if missing)")
    parser.add_argument("--endpoints", type=_non_negative, required=True, help="number of endpoints")
    parser.add_argument("--users", type=_non_negative, default=None, help="number of users (default: endpoints / 2)")
    parser.add_argument("--groups", type=_non_negative, default=200, help="number of groups, at least 4 (default: 200)")
    parser.add_argument("--resources", type=_non_negative, default=2000, help="number of resources (default: 2000)")
    parser.add_argument("--rules", type=_non_negative, default=1000, help="number of access rules (default: 1000)")
    parser.add_argument("--gateways", type=_non_negative, default=4,
                        help=f"number of VPN gateways, 1 to {MAX_GATEWAYS} (default: 4)")
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default="yaml", help="file format (default: yaml)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    try:
        result = generate(args.outdir, args.endpoints, args.users, args.groups, args.resources,
                          args.rules, args.gateways, args.fmt, args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    elapsed = time.perf_counter() - started
    sections = ("users", "groups", "mfa_policies", "endpoints", "networks", "vpn_gateways", "resources", "access_rules")
    print(", ".join(f"{result[s]:,} {s}" for s in sections))
    print(f"{len(result['files'])} files, {result['bytes'] / 1e6:.1f} MB in {args.outdir} ({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
