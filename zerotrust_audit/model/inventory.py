"""The merged inventory: every document of every file as one typed model.

Merging follows the format: lists are concatenated, names are unique per
section across all files (a duplicate names both places), ``organization``
is defined at most once. Where each entity came from is kept in a
:class:`SourceMap`, so findings and reference errors point at the line to fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from zerotrust_audit.errors import Location, Problem
from zerotrust_audit.load.positions import JsonPath, PositionMap, format_path
from zerotrust_audit.load.document import Document
from zerotrust_audit.model.entities import (
    AccessRule,
    Endpoint,
    Group,
    MfaPolicy,
    Network,
    Organization,
    Resource,
    User,
    VpnGateway,
    Waiver,
)

# section name -> (entity kind, model class), in the order the format lists them
SECTION_MODELS: dict[str, tuple[str, type[BaseModel]]] = {
    "users": ("user", User),
    "groups": ("group", Group),
    "mfa_policies": ("mfa_policy", MfaPolicy),
    "endpoints": ("endpoint", Endpoint),
    "networks": ("network", Network),
    "vpn_gateways": ("vpn_gateway", VpnGateway),
    "resources": ("resource", Resource),
    "access_rules": ("access_rule", AccessRule),
}


@dataclass(frozen=True)
class Source:
    """Where one entity is defined: its document's positions and its path in it."""

    positions: PositionMap
    path: JsonPath

    @property
    def location(self) -> Location:
        return self.positions.value(self.path)

    def field(self, *subpath: str | int) -> Location:
        """Where a field of the entity is (its value), falling back to the entity."""
        return self.positions.value((*self.path, *subpath))

    def field_name(self, *subpath: str | int) -> str:
        return format_path((*self.path, *subpath))


@dataclass
class SourceMap:
    """(entity kind, name) -> where it is defined."""

    entities: dict[tuple[str, str], Source] = field(default_factory=dict)
    waivers: list[Source] = field(default_factory=list)
    first_file: str = ""
    _located: dict[tuple[str, str, JsonPath], Location] = field(default_factory=dict, repr=False, compare=False)

    def of(self, kind: str, name: str) -> Source | None:
        return self.entities.get((kind, name))

    def locate(self, kind: str, name: str, subpath: JsonPath = ()) -> Location | None:
        """Where a finding about the entity points: the field at ``subpath``
        (else the nearest part of it that exists), or the definition itself.
        Remembered: findings point at the same places many times over (an
        access rule is named by thousands of them in a large organisation)."""
        key = (kind, name, subpath)
        found = self._located.get(key)
        if found is None:
            source = self.entities.get((kind, name))
            if source is None:
                return None
            found = self._located[key] = source.field(*subpath) if subpath else source.location
        return found

    def location(self, kind: str, name: str) -> Location:
        source = self.of(kind, name)
        return source.location if source else Location(self.first_file, 1, 1)


@dataclass
class Inventory:
    """The merged, typed inventory of one policy repository."""

    root: Path
    organization: Organization | None = None
    users: dict[str, User] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    mfa_policies: dict[str, MfaPolicy] = field(default_factory=dict)
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    networks: dict[str, Network] = field(default_factory=dict)
    vpn_gateways: dict[str, VpnGateway] = field(default_factory=dict)
    resources: dict[str, Resource] = field(default_factory=dict)
    access_rules: dict[str, AccessRule] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)
    sources: SourceMap = field(default_factory=SourceMap)
    # (kind, name) of entities defined but left out because they are invalid
    unresolved: set[tuple[str, str]] = field(default_factory=set)

    def section(self, name: str) -> dict[str, Any]:
        return getattr(self, name)  # type: ignore[no-any-return]

    def entity(self, kind: str, name: str) -> Any | None:
        """Look an entity up by its kind as findings and waivers name it."""
        if kind == "organization":
            org = self.organization
            return org if org and org.name == name else None
        for section, (section_kind, _) in SECTION_MODELS.items():
            if section_kind == kind:
                return self.section(section).get(name)
        return None

    def entities(self) -> Iterator[tuple[str, str]]:
        """Every (kind, name) defined, in format order then name order."""
        if self.organization:
            yield ("organization", self.organization.name)
        for section, (kind, _) in SECTION_MODELS.items():
            for name in sorted(self.section(section)):
                yield (kind, name)


def merge_documents(
    documents: list[Document], root: Path, invalid: list[set[JsonPath]] | None = None
) -> tuple[Inventory, list[Problem]]:
    """Build the typed inventory, leaving out the parts the schema found invalid.

    ``invalid[i]`` lists the paths of document ``i`` that failed the schema
    (the document, a section, or one entity). Their names are remembered as
    *unresolved*, so references to them are not reported as dangling.
    """
    inventory = Inventory(root=root)
    problems: list[Problem] = []
    org_source: Source | None = None
    if documents:
        inventory.sources.first_file = documents[0].path
    for number, document in enumerate(documents):
        data = document.data
        bad = invalid[number] if invalid else set()
        if not isinstance(data, dict):
            continue
        if () in bad:
            _remember_names(inventory, data)
            continue
        if "organization" in data and ("organization",) not in bad:
            source = Source(document.positions, ("organization",))
            if org_source is not None:
                problems.append(Problem(source.location, f"organization is defined twice (first at {org_source.location})"))
            else:
                model = _build(Organization, data["organization"], source, problems)
                if model is not None:
                    inventory.organization = model
                    org_source = source
                    inventory.sources.entities[("organization", model.name)] = source
        for section, (kind, model_class) in SECTION_MODELS.items():
            target = inventory.section(section)
            if (section,) in bad:
                _remember_names(inventory, {section: data.get(section)})
                continue
            for index, item in enumerate(data.get(section) or ()):
                source = Source(document.positions, (section, index))
                name = item.get("name") if isinstance(item, dict) else None
                if (section, index) in bad:
                    _remember_names(inventory, {section: [item]})
                    continue
                if name in target:
                    first = inventory.sources.entities[(kind, name)].location
                    problems.append(Problem(
                        source.field("name"),
                        f"{source.field_name('name')}: duplicate {kind.replace('_', ' ')} name '{name}' (first defined at {first})",
                    ))
                    continue
                model = _build(model_class, item, source, problems)
                if model is not None:
                    target[name] = model
                    inventory.sources.entities[(kind, name)] = source
        for index, item in enumerate(data.get("waivers") or () if ("waivers",) not in bad else ()):
            source = Source(document.positions, ("waivers", index))
            if ("waivers", index) in bad:
                continue
            model = _build(Waiver, item, source, problems)
            if model is not None:
                inventory.waivers.append(model)
                inventory.sources.waivers.append(source)
                inventory.sources.entities.setdefault(("waiver", model.name), source)
    return inventory, problems


def _remember_names(inventory: Inventory, data: dict[str, Any]) -> None:
    """Names of entities left out as invalid: they exist, so they are not dangling."""
    for section, (kind, _) in SECTION_MODELS.items():
        items = data.get(section)
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                inventory.unresolved.add((kind, item["name"]))


def _build(model_class: type[BaseModel], data: Any, source: Source, problems: list[Problem]) -> Any:
    """Construct one model; pydantic errors (rare after the schema) keep their position."""
    try:
        return model_class.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
            problems.append(Problem(source.field(*loc), f"{source.field_name(*loc)}: {error['msg']}"))
        return None
