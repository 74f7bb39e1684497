"""The JSON Schemas in schemas/ are valid, consistent and match the inventory format v1.

Self-contained: reads the schema files directly and needs only pytest and
jsonschema (with its ``referencing`` dependency).
"""

from __future__ import annotations

import copy
import ipaddress
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from referencing import Registry, Resource

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
BASE_URI = "https://zerotrust-audit.github.io/schemas/v1/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
SECTIONS = (
    "organization",
    "users",
    "groups",
    "mfa_policies",
    "endpoints",
    "networks",
    "vpn_gateways",
    "resources",
    "access_rules",
    "waivers",
)
SCHEMA_FILES = ("common", "inventory", *SECTIONS)
# The only objects whose keys are free-form.
OPEN_OBJECTS = {("common", "$defs/labels"), ("organization", "properties/thresholds")}


def _load(stem: str) -> dict[str, Any]:
    with (SCHEMA_DIR / f"{stem}.schema.json").open(encoding="utf-8") as f:
        schema: dict[str, Any] = json.load(f)
    return schema


SCHEMAS = {stem: _load(stem) for stem in SCHEMA_FILES}
REGISTRY: Registry = Registry().with_resources(
    (schema["$id"], Resource.from_contents(schema)) for schema in SCHEMAS.values()
)

FORMAT_CHECKER = FormatChecker()


@FORMAT_CHECKER.checks("cidr", raises=ValueError)
def _is_cidr(instance: object) -> bool:
    if isinstance(instance, str):
        ipaddress.ip_network(instance, strict=True)
    return True


VALIDATOR = Draft202012Validator(
    SCHEMAS["inventory"], registry=REGISTRY, format_checker=FORMAT_CHECKER
)


def _errors(document: object) -> list[ValidationError]:
    """Every error, including those nested under anyOf/oneOf."""

    def walk(errors: Any) -> Iterator[ValidationError]:
        for error in errors:
            yield error
            yield from walk(error.context)

    return list(walk(VALIDATOR.iter_errors(document)))


# A document that uses every section and every optional field.
COMPLETE: dict[str, Any] = {
    "version": 1,
    "organization": {
        "name": "Acme Corp",
        "default_action": "deny",
        "audit_date": "2026-11-01",
        "thresholds": {
            "patch_age_days": 30,
            "min_mfa_strength": "phishing_resistant",
            "session_max_hours": 8.5,
            "some_flag": True,
        },
        "logging": {"central": True, "retention_days": 365},
    },
    "users": [
        {
            "name": "alice@acme.example",
            "type": "employee",
            "status": "active",
            "groups": ["engineering", "admins"],
            "privileged": False,
            "mfa_methods": ["fido2", "sms"],
            "last_login": "2026-10-30",
            "expires": "2027-03-31",
            "description": "Payments engineer",
            "labels": {"team": "payments"},
        },
        {
            "name": "svc-backup",
            "type": "service",
            "status": "disabled",
            "groups": [],
            "mfa_methods": [],
        },
    ],
    "groups": [
        {
            "name": "admins",
            "privileged": True,
            "description": "Domain and cloud administrators",
            "labels": {"owner": "it"},
        },
        {"name": "engineering"},
    ],
    "mfa_policies": [
        {
            "name": "workforce",
            "applies_to": {"groups": ["*"]},
            "required": True,
            "allowed_methods": ["fido2", "push_number_match", "totp", "sms"],
            "exempt": {"users": ["svc-backup"], "groups": []},
            "remember_device_days": 14,
            "legacy_auth_allowed": False,
            "session_lifetime_hours": 12,
            "description": "Baseline for everyone",
            "labels": {"source": "entra"},
        }
    ],
    "endpoints": [
        {
            "name": "lt-0042",
            "owner": "alice@acme.example",
            "type": "laptop",
            "ownership": "corporate",
            "managed": True,
            "os": {"family": "windows", "version": "11 23H2", "end_of_support": "2026-11-10"},
            "disk_encryption": True,
            "firewall": True,
            "edr": {"installed": True, "running": True, "vendor": "example-edr"},
            "screen_lock_seconds": 300,
            "last_patched": "2026-10-20",
            "last_seen": "2026-11-19",
            "local_admin": False,
            "jailbroken": False,
            "compliant": True,
            "software": [
                {"vendor": "paloaltonetworks", "name": "globalprotect", "version": "6.1.1"}
            ],
            "description": "Alice's laptop",
            "labels": {"site": "oslo"},
        }
    ],
    "networks": [
        {
            "name": "hq-lan",
            "type": "office",
            "cidrs": ["10.10.0.0/16", "2001:db8::/32", "::ffff:10.0.0.0/104"],
            "trusted": True,
            "description": "Head office",
            "labels": {"site": "hq"},
        },
        {"name": "vpn-eu-net", "type": "vpn", "gateway": "vpn-eu"},
    ],
    "vpn_gateways": [
        {
            "name": "vpn-eu",
            "product": {"vendor": "fortinet", "name": "fortios", "version": "7.2.4"},
            "protocol": "ipsec-ikev2",
            "ciphers": ["AES-256-GCM"],
            "ike": {
                "dh_groups": [19, 20],
                "encryption": ["AES-256-GCM"],
                "integrity": ["SHA2-256"],
                "auth": "certificate",
                "aggressive_mode": False,
            },
            "authentication": {"mfa_required": True, "methods": ["certificate", "saml"]},
            "posture_check": True,
            "split_tunnel": False,
            "full_network_access": False,
            "idle_timeout_minutes": 30,
            "client_to_client": False,
            "shared_credentials": False,
            "compression": False,
            "hostname": "vpn-eu.acme.example",
            "certificate": "certs/vpn-eu.pem",
            "logging": True,
            "log_retention_days": 365,
            "internet_exposed_management": False,
            "description": "EU concentrator",
            "labels": {"region": "eu"},
        },
        {
            "name": "vpn-us",
            "product": {"vendor": "openvpn", "name": "openvpn"},
            "protocol": "openvpn",
            "tls_min_version": "1.2",
            "authentication": {"mfa_required": False, "methods": ["password"]},
            "posture_check": False,
            "split_tunnel": True,
            "full_network_access": True,
            "logging": False,
        },
    ],
    "resources": [
        {
            "name": "payments-db",
            "type": "database",
            "sensitivity": "restricted",
            "exposure": "vpn_only",
            "logging": True,
            "log_retention_days": 365,
            "owner": "payments",
            "description": "Card payments ledger",
            "labels": {"env": "prod"},
        }
    ],
    "access_rules": [
        {
            "name": "eng-prod-db",
            "effect": "allow",
            "subjects": {"groups": ["engineering"], "users": []},
            "exclude": {"users": ["svc-backup"], "groups": []},
            "state": "enforced",
            "resources": ["payments-db"],
            "conditions": {
                "mfa": "phishing_resistant",
                "device": {"managed": True, "compliant": True, "ownership": ["corporate"]},
                "networks": ["vpn-eu-net"],
                "countries": ["US", "NO"],
            },
            "expires": "2027-01-31",
            "justification": "CHG-1234",
            "description": "Engineers reach the production database",
            "labels": {"review": "quarterly"},
        },
        {
            "name": "deny-everyone-report-only",
            "effect": "deny",
            "subjects": {"users": ["*"]},
            "state": "report_only",
            "resources": "*",
        },
    ],
    "waivers": [
        {
            "rule": "ZT-IDN-004",
            "target": {"kind": "user", "name": "svc-backup"},
            "reason": "Vendor appliance cannot do MFA; compensating IP allow-list",
            "approved_by": "ciso@acme.example",
            "approved_on": "2026-02-01",
            "expires": "2027-01-31",
        }
    ],
}


DELETE = object()


def _with(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    """A copy of COMPLETE with the value at path set (or deleted when value is DELETE)."""
    document = copy.deepcopy(COMPLETE)
    parent: Any = document
    for key in path[:-1]:
        parent = parent[key]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return document


# --- the schema files themselves ---------------------------------------------


@pytest.mark.parametrize("stem", SCHEMA_FILES)
def test_schema_file_is_a_valid_2020_12_schema(stem: str) -> None:
    schema = SCHEMAS[stem]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT
    assert schema["$id"] == f"{BASE_URI}{stem}.schema.json"
    assert schema["title"]
    assert schema["description"]


def test_schema_dir_holds_exactly_the_expected_files() -> None:
    found = {path.name for path in SCHEMA_DIR.glob("*.json")}
    assert found == {f"{stem}.schema.json" for stem in SCHEMA_FILES}


def test_inventory_references_every_section() -> None:
    properties = SCHEMAS["inventory"]["properties"]
    assert set(properties) == {"version", *SECTIONS}
    for section in SECTIONS:
        assert properties[section]["$ref"] == f"{section}.schema.json"


def _subschemas(schema: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema of schema with its JSON pointer (without the leading "/")."""
    if not isinstance(schema, dict):
        return
    yield pointer, schema
    prefix = f"{pointer}/" if pointer else ""
    for keyword in ("$defs", "properties"):
        for name, subschema in schema.get(keyword, {}).items():
            yield from _subschemas(subschema, f"{prefix}{keyword}/{name}")
    for keyword in ("items", "additionalProperties", "propertyNames", "not", "if", "then", "else"):
        if keyword in schema:
            yield from _subschemas(schema[keyword], f"{prefix}{keyword}")
    for keyword in ("allOf", "anyOf", "oneOf"):
        for index, subschema in enumerate(schema.get(keyword, [])):
            yield from _subschemas(subschema, f"{prefix}{keyword}/{index}")


@pytest.mark.parametrize("stem", SCHEMA_FILES)
def test_every_object_is_closed_except_labels_and_thresholds(stem: str) -> None:
    for pointer, node in _subschemas(SCHEMAS[stem]):
        if node.get("type") != "object":
            continue
        if (stem, pointer) in OPEN_OBJECTS:
            assert isinstance(node["additionalProperties"], dict), pointer
        else:
            assert node.get("additionalProperties") is False, f"{stem}: {pointer}"


@pytest.mark.parametrize("stem", SCHEMA_FILES)
def test_every_property_has_a_description(stem: str) -> None:
    resolver = REGISTRY.resolver(base_uri=SCHEMAS[stem]["$id"])
    for pointer, node in _subschemas(SCHEMAS[stem]):
        if pointer.rsplit("/", 1)[-1] == "if":  # a condition, not documentation
            continue
        for name, prop in node.get("properties", {}).items():
            if "$ref" in prop and "description" not in prop:
                prop = resolver.lookup(prop["$ref"]).contents
            assert prop.get("description"), f"{stem}: {pointer}/properties/{name}"


# --- documents ----------------------------------------------------------------


def test_complete_document_is_valid() -> None:
    assert _errors(COMPLETE) == []


@pytest.mark.parametrize(
    "document",
    [
        pytest.param({"version": 1}, id="version-only"),
        pytest.param(
            {"version": 1, "organization": {"name": "Acme", "default_action": "allow"}},
            id="minimal-organization",
        ),
        pytest.param(_with(("access_rules", 0, "resources"), ["*"]), id="resources-star-list"),
        pytest.param(_with(("access_rules", 0, "conditions"), {}), id="empty-conditions"),
        pytest.param(_with(("vpn_gateways", 0, "tls_min_version"), "1.3"), id="tls-on-ipsec"),
        pytest.param(_with(("vpn_gateways", 1, "tls_min_version"), "ssl3"), id="tls-ssl3"),
        pytest.param(_with(("networks", 0, "cidrs"), ["192.0.2.7/32", "::/0"]), id="host-cidrs"),
        pytest.param(_with(("users", 0, "mfa_methods"), ["none"]), id="mfa-none"),
        pytest.param(_with(("endpoints", 0, "software"), []), id="no-software"),
        pytest.param(_with(("waivers", 0, "approved_by"), ""), id="empty-approver"),
        pytest.param(
            _with(("waivers", 0, "target"), {"kind": "organization", "name": "Acme Corp"}),
            id="waiver-on-organization",
        ),
    ],
)
def test_valid_variants(document: dict[str, Any]) -> None:
    assert _errors(document) == []


# Each case: the document, then the error expected: its path and keyword.
INVALID = [
    pytest.param(
        {"version": 1, "users": [{**COMPLETE["users"][1], "emial": "x"}]},
        ("users", 0),
        "additionalProperties",
        id="unknown-key",
    ),
    pytest.param(
        {**COMPLETE, "user": []},
        (),
        "additionalProperties",
        id="unknown-section",
    ),
    pytest.param(
        _with(("organization", "defualt_action"), "deny"),
        ("organization",),
        "additionalProperties",
        id="unknown-organization-key",
    ),
    pytest.param(_with(("users", 0, "type"), "intern"), ("users", 0, "type"), "enum", id="bad-enum"),
    pytest.param(
        _with(("groups", 0, "name"), "-admins"), ("groups", 0, "name"), "pattern", id="bad-name"
    ),
    pytest.param(
        _with(("groups", 0, "name"), "domain admins"),
        ("groups", 0, "name"),
        "pattern",
        id="name-with-space",
    ),
    pytest.param(
        _with(("networks", 1, "gateway"), DELETE),
        ("networks", 1),
        "required",
        id="vpn-network-without-gateway",
    ),
    pytest.param(_with(("version",), DELETE), (), "required", id="version-missing"),
    pytest.param(_with(("version",), 2), ("version",), "const", id="version-2"),
    pytest.param(_with(("version",), True), ("version",), "type", id="version-true"),
    pytest.param(
        _with(("users", 0, "mfa_methods"), ["fido"]),
        ("users", 0, "mfa_methods", 0),
        "enum",
        id="mfa-method-typo",
    ),
    pytest.param(
        _with(("mfa_policies", 0, "allowed_methods"), ["yubikey"]),
        ("mfa_policies", 0, "allowed_methods", 0),
        "enum",
        id="allowed-method-typo",
    ),
    pytest.param(
        _with(("endpoints", 0, "disk_encryption"), "maybe"),
        ("endpoints", 0, "disk_encryption"),
        "type",
        id="disk-encryption-maybe",
    ),
    pytest.param(
        _with(("endpoints", 0, "os", "version"), 11),
        ("endpoints", 0, "os", "version"),
        "type",
        id="os-version-number",
    ),
    pytest.param(
        _with(("endpoints", 0, "edr"), {"installed": True}),
        ("endpoints", 0, "edr"),
        "required",
        id="edr-without-running",
    ),
    pytest.param(
        _with(("endpoints", 0, "software", 0, "version"), DELETE),
        ("endpoints", 0, "software", 0),
        "required",
        id="software-without-version",
    ),
    pytest.param(
        _with(("endpoints", 0, "last_seen"), DELETE),
        ("endpoints", 0),
        "required",
        id="endpoint-without-last-seen",
    ),
    pytest.param(
        _with(("users", 0, "last_login"), "2026-13-01"),
        ("users", 0, "last_login"),
        "format",
        id="impossible-date",
    ),
    pytest.param(
        _with(("users", 0, "last_login"), "30.10.2026"),
        ("users", 0, "last_login"),
        "pattern",
        id="non-iso-date",
    ),
    pytest.param(
        _with(("networks", 0, "cidrs"), ["10.10.0.1/16"]),
        ("networks", 0, "cidrs", 0),
        "format",
        id="cidr-with-host-bits",
    ),
    pytest.param(
        _with(("networks", 0, "cidrs"), ["10.10.0.0/33"]),
        ("networks", 0, "cidrs", 0),
        "format",
        id="cidr-prefix-too-long",
    ),
    pytest.param(
        _with(("networks", 0, "cidrs"), ["hq"]),
        ("networks", 0, "cidrs", 0),
        "pattern",
        id="cidr-not-an-address",
    ),
    pytest.param(
        _with(("access_rules", 0, "conditions", "countries"), ["no"]),
        ("access_rules", 0, "conditions", "countries", 0),
        "pattern",
        id="lower-case-country",
    ),
    pytest.param(
        _with(("access_rules", 0, "conditions", "countries"), [False]),
        ("access_rules", 0, "conditions", "countries", 0),
        "type",
        id="country-read-as-boolean",
    ),
    pytest.param(
        _with(("access_rules", 0, "subjects"), {}),
        ("access_rules", 0, "subjects"),
        "minProperties",
        id="empty-subjects",
    ),
    pytest.param(
        _with(("access_rules", 0, "resources"), "all"),
        ("access_rules", 0, "resources"),
        "anyOf",
        id="resources-bad-string",
    ),
    pytest.param(
        _with(("access_rules", 0, "conditions", "mfa"), "phishing-resistant"),
        ("access_rules", 0, "conditions", "mfa"),
        "enum",
        id="condition-mfa-typo",
    ),
    pytest.param(
        _with(("access_rules", 0, "conditions", "device", "ownership"), ["personal"]),
        ("access_rules", 0, "conditions", "device", "ownership", 0),
        "enum",
        id="device-ownership-typo",
    ),
    pytest.param(
        _with(("users", 0, "groups"), ["*"]),
        ("users", 0, "groups", 0),
        "pattern",
        id="wildcard-as-user-group",
    ),
    pytest.param(
        _with(("vpn_gateways", 1, "tls_min_version"), 1.2),
        ("vpn_gateways", 1, "tls_min_version"),
        "type",
        id="tls-version-unquoted",
    ),
    pytest.param(
        _with(("vpn_gateways", 0, "ike", "dh_groups"), [0]),
        ("vpn_gateways", 0, "ike", "dh_groups", 0),
        "minimum",
        id="dh-group-zero",
    ),
    pytest.param(
        _with(("vpn_gateways", 0, "authentication", "methods"), ["kerberos"]),
        ("vpn_gateways", 0, "authentication", "methods", 0),
        "enum",
        id="auth-method-typo",
    ),
    pytest.param(
        _with(("vpn_gateways", 0, "authentication"), {"methods": ["saml"]}),
        ("vpn_gateways", 0, "authentication"),
        "required",
        id="authentication-without-mfa-required",
    ),
    pytest.param(
        _with(("vpn_gateways", 0, "idle_timeout_minutes"), -1),
        ("vpn_gateways", 0, "idle_timeout_minutes"),
        "minimum",
        id="negative-timeout",
    ),
    pytest.param(
        _with(("mfa_policies", 0, "session_lifetime_hours"), 0),
        ("mfa_policies", 0, "session_lifetime_hours"),
        "exclusiveMinimum",
        id="zero-session-lifetime",
    ),
    pytest.param(
        _with(("mfa_policies", 0, "remember_device_days"), 1.5),
        ("mfa_policies", 0, "remember_device_days"),
        "type",
        id="fractional-days",
    ),
    pytest.param(
        _with(("organization", "thresholds"), {"Patch-Age": 30}),
        ("organization", "thresholds"),
        "pattern",  # reported by the propertyNames subschema
        id="bad-threshold-key",
    ),
    pytest.param(
        _with(("organization", "thresholds"), {"patch_age_days": [30]}),
        ("organization", "thresholds", "patch_age_days"),
        "type",
        id="threshold-list-value",
    ),
    pytest.param(
        _with(("resources", 0, "labels"), {"tier": 1}),
        ("resources", 0, "labels", "tier"),
        "type",
        id="label-not-a-string",
    ),
    pytest.param(
        _with(("waivers", 0, "rule"), "ZT-IDN-4"),
        ("waivers", 0, "rule"),
        "pattern",
        id="bad-rule-id",
    ),
    pytest.param(
        _with(("waivers", 0, "target", "kind"), "users"),
        ("waivers", 0, "target", "kind"),
        "enum",
        id="bad-target-kind",
    ),
    pytest.param(
        _with(("waivers", 0, "reason"), ""),
        ("waivers", 0, "reason"),
        "minLength",
        id="empty-reason",
    ),
    pytest.param(
        _with(("waivers", 0, "description"), "not an entity"),
        ("waivers", 0),
        "additionalProperties",
        id="description-on-waiver",
    ),
    pytest.param(
        _with(("users",), None),
        ("users",),
        "type",
        id="empty-section",
    ),
]


@pytest.mark.parametrize(("document", "path", "keyword"), INVALID)
def test_invalid_document_is_rejected(
    document: dict[str, Any], path: tuple[str | int, ...], keyword: str
) -> None:
    found = {(tuple(error.absolute_path), error.validator) for error in _errors(document)}
    assert (path, keyword) in found, found


# --- the compiled fast path agrees with jsonschema -------------------------------

VALID_DOCUMENTS = [COMPLETE, {"version": 1}, _with(("access_rules", 0, "resources"), ["*"]), _with(("networks", 0, "cidrs"), ["::/0"])]


@pytest.mark.parametrize("document", [*VALID_DOCUMENTS, *(case.values[0] for case in INVALID)])
def test_compiled_validator_agrees_with_jsonschema(document: dict[str, Any]) -> None:
    """The tool trusts jsonschema-rs to accept a document; it must never accept one jsonschema rejects."""
    from zerotrust_audit.schema import _compiled_validator

    compiled = _compiled_validator()
    assert compiled is not None
    assert compiled.is_valid(document) == (_errors(document) == [])
