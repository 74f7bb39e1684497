"""Typed, immutable models of the inventory's entities (format version 1).

The JSON Schema has already checked shapes and enums by the time data gets
here; these models give the analysis and the rules typed attributes, the
defaults the format defines for omitted fields, and nothing more. Positions
are not stored on entities: they live in :class:`~zerotrust_audit.model.inventory.SourceMap`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MfaMethod = Literal["none", "email", "sms", "voice", "totp", "push", "push_number_match", "fido2", "webauthn", "piv"]
EntityKind = Literal[
    "organization", "user", "group", "mfa_policy", "endpoint", "network", "vpn_gateway", "resource", "access_rule", "waiver"
]
ENTITY_KINDS: tuple[str, ...] = (
    "organization", "user", "group", "mfa_policy", "endpoint", "network", "vpn_gateway", "resource", "access_rule", "waiver",
)
WILDCARD = "*"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entity(_Model):
    """Fields every named entity may carry."""

    name: str
    description: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)


class Principals(_Model):
    """A set of users and groups; ``"*"`` in either list means every user."""

    users: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    @property
    def everyone(self) -> bool:
        return WILDCARD in self.users or WILDCARD in self.groups

    def includes(self, user: User) -> bool:
        return self.everyone or user.name in self.users or any(g in self.groups for g in user.groups)


class Logging(_Model):
    central: bool | None = None
    retention_days: int | None = None


class Organization(_Model):
    name: str
    default_action: Literal["allow", "deny"]
    audit_date: dt.date | None = None
    thresholds: dict[str, Any] = Field(default_factory=dict)
    logging: Logging | None = None


class User(Entity):
    type: Literal["employee", "contractor", "service", "shared", "break_glass"]
    status: Literal["active", "disabled"]
    groups: tuple[str, ...] = ()
    privileged: bool | None = None
    mfa_methods: tuple[MfaMethod, ...] = ()
    last_login: dt.date | None = None
    expires: dt.date | None = None


class Group(Entity):
    privileged: bool = False


class MfaPolicy(Entity):
    applies_to: Principals
    required: bool
    allowed_methods: tuple[MfaMethod, ...]
    exempt: Principals = Principals()
    remember_device_days: int = 0
    legacy_auth_allowed: bool = False
    session_lifetime_hours: float | None = None


class OperatingSystem(_Model):
    family: Literal["windows", "macos", "linux", "ios", "android", "chromeos"]
    version: str | None = None
    end_of_support: dt.date | None = None


class Edr(_Model):
    installed: bool
    running: bool
    vendor: str | None = None


class Software(_Model):
    vendor: str
    name: str
    version: str


class Endpoint(Entity):
    owner: str
    type: Literal["laptop", "desktop", "mobile", "tablet", "vm", "server"]
    ownership: Literal["corporate", "byod"]
    managed: bool
    os: OperatingSystem
    disk_encryption: bool
    firewall: bool
    edr: Edr
    screen_lock_seconds: int | None = None
    last_patched: dt.date
    last_seen: dt.date
    local_admin: bool = False
    jailbroken: bool = False
    compliant: bool | None = None
    software: tuple[Software, ...] = ()


class Network(Entity):
    type: Literal["office", "vpn", "home", "public", "cloud"]
    cidrs: tuple[str, ...] = ()
    trusted: bool = False
    gateway: str | None = None


class Product(_Model):
    vendor: str
    name: str
    version: str | None = None


class Ike(_Model):
    dh_groups: tuple[int, ...] = ()
    encryption: tuple[str, ...] = ()
    integrity: tuple[str, ...] = ()
    auth: Literal["psk", "certificate", "eap"] | None = None
    aggressive_mode: bool | None = None


class GatewayAuthentication(_Model):
    mfa_required: bool
    methods: tuple[Literal["certificate", "saml", "oidc", "radius", "ldap", "password", "psk"], ...] = ()


class VpnGateway(Entity):
    product: Product | None = None
    protocol: Literal["wireguard", "openvpn", "ipsec-ikev2", "ipsec-ikev1", "l2tp-ipsec", "pptp", "sslvpn"]
    tls_min_version: str | None = None
    ciphers: tuple[str, ...] = ()
    ike: Ike | None = None
    authentication: GatewayAuthentication
    posture_check: bool
    split_tunnel: bool
    full_network_access: bool
    idle_timeout_minutes: int | None = None
    client_to_client: bool = False
    shared_credentials: bool = False
    compression: bool = False
    hostname: str | None = None
    certificate: str | None = None
    logging: bool
    log_retention_days: int | None = None
    internet_exposed_management: bool = False


class Resource(Entity):
    type: Literal["app", "saas", "database", "ssh", "rdp", "file_share", "network_segment"]
    sensitivity: Literal["public", "internal", "confidential", "restricted"]
    exposure: Literal["internet", "vpn_only", "internal"]
    logging: bool
    log_retention_days: int | None = None
    owner: str | None = None


class DeviceCondition(_Model):
    managed: bool | None = None
    compliant: bool | None = None
    ownership: tuple[Literal["corporate", "byod"], ...] | None = None


class Conditions(_Model):
    mfa: Literal["any", "phishing_resistant", "none"] = "none"
    device: DeviceCondition | None = None
    networks: tuple[str, ...] | None = None
    countries: tuple[str, ...] | None = None


class AccessRule(Entity):
    effect: Literal["allow", "deny"]
    subjects: Principals
    exclude: Principals = Principals()
    state: Literal["enforced", "report_only", "disabled"] = "enforced"
    resources: tuple[str, ...]
    conditions: Conditions = Conditions()
    expires: dt.date | None = None
    justification: str | None = None

    @field_validator("resources", mode="before")
    @classmethod
    def _wildcard_string(cls, value: Any) -> Any:
        """``resources: "*"`` and ``resources: ["*"]`` mean the same."""
        return (value,) if isinstance(value, str) else value

    @field_validator("conditions", mode="before")
    @classmethod
    def _null_conditions(cls, value: Any) -> Any:
        return {} if value is None else value

    @property
    def all_resources(self) -> bool:
        return WILDCARD in self.resources


class WaiverTarget(_Model):
    kind: EntityKind
    name: str


class Waiver(_Model):
    rule: str
    target: WaiverTarget
    reason: str
    approved_by: str
    approved_on: dt.date | None = None
    expires: dt.date

    @property
    def name(self) -> str:
        """Waivers have no name of their own; this one is stable and readable."""
        return f"{self.rule}/{self.target.kind}/{self.target.name}"
