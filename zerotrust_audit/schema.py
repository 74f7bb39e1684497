"""JSON Schema validation of policy documents, with errors people can act on.

The schemas in ``schemas/`` are the machine-readable half of the input
contract (editors use them too). jsonschema's own messages are written for
schema authors; here each error is turned into ``path:line:col: field: what
is wrong, what was expected`` using the document's position map.
"""

from __future__ import annotations

import difflib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from zerotrust_audit.errors import Problem
from zerotrust_audit.load.positions import JsonPath, PositionMap, format_path
from zerotrust_audit.load.document import Document
from zerotrust_audit.resources import bundled_dir

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

DOCUMENT_SCHEMA = "inventory"
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



@cache
def load_schema(name: str) -> dict[str, Any]:
    """One schema file by its short name (``inventory``, ``users``, ``common``...)."""
    path = bundled_dir("schemas") / f"{name}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    from referencing import Registry, Resource

    resources = []
    for path in sorted(bundled_dir("schemas").glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def _validator() -> Draft202012Validator:
    """The jsonschema validator, imported only when a document needs explaining:
    valid documents are accepted by the compiled validator alone, which keeps a
    pre-commit run fast."""
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker()
    checker.checks("cidr", raises=ValueError)(_is_cidr)
    return Draft202012Validator(load_schema(DOCUMENT_SCHEMA), registry=_registry(), format_checker=checker)


def _is_cidr(value: object) -> bool:
    if isinstance(value, str):
        ipaddress.ip_network(value, strict=True)
    return True


@dataclass
class SchemaResult:
    """The problems of one document, and which parts of it are invalid.

    ``invalid`` holds JSON paths of length 0 (the whole document), 1 (a
    section) or 2 (one entity): the model is built from everything else, so
    one bad entity neither hides the rest nor causes false reference errors.
    """

    problems: list[Problem] = field(default_factory=list)
    invalid: set[JsonPath] = field(default_factory=set)


@cache
def _compiled_validator() -> Any:
    """The same schema compiled by jsonschema-rs: validating a valid document
    (the common case) then costs a fraction of a second even for 100,000
    endpoints. Documents it rejects are validated again by ``jsonschema``,
    whose errors carry what the messages need."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a platform without a wheel
        return None
    return jsonschema_rs.Draft202012Validator(bundled_schema(), formats={"cidr": _valid_cidr}, validate_formats=True)


def _valid_cidr(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=True)
    except ValueError:
        return False
    return True


def validate_document(document: Document) -> SchemaResult:
    """Every schema problem of one document, each pinned to a line and column."""
    result = SchemaResult()
    fast = _compiled_validator()
    if fast is not None and isinstance(document.data, dict) and fast.is_valid(document.data):
        return result
    if not isinstance(document.data, dict):
        got = _describe(document.data)
        result.problems.append(Problem(document.positions.value(()), f"a document must be a mapping with 'version: 1', got {got}"))
        result.invalid.add(())
        return result
    for error in _validator().iter_errors(document.data):
        result.problems.extend(_explain(error, document.positions))
        path = tuple(error.absolute_path)
        result.invalid.add(path[:2] if len(path) >= 2 and isinstance(path[1], int) else path[:1])
    return result


def bundled_schema(section: str | None = None) -> dict[str, Any]:
    """A self-contained schema for editors: referenced files are embedded under ``$defs``.

    ``common.schema.json#/$defs/name`` becomes ``#/$defs/common/$defs/name``,
    so one printed file is enough for yaml-language-server.
    """
    root_name = section or DOCUMENT_SCHEMA
    embedded: dict[str, Any] = {}

    def rewrite(node: Any, current: str) -> Any:
        if isinstance(node, list):
            return [rewrite(item, current) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: rewrite(value, current) for key, value in node.items()}
        ref = node.get("$ref")
        if isinstance(ref, str):
            file_part, _, fragment = ref.partition("#")
            target = file_part.removesuffix(".schema.json") if file_part else current
            if target != root_name and target not in embedded:
                embedded[target] = None  # placeholder: stops reference cycles
                contents = {k: v for k, v in load_schema(target).items() if k not in ("$id", "$schema")}
                embedded[target] = rewrite(contents, target)
            prefix = "#" if target == root_name else f"#/$defs/{target}"
            out["$ref"] = prefix + fragment
        return out

    result = rewrite(load_schema(root_name), root_name)
    if embedded:
        result["$defs"] = {**result.get("$defs", {}), **dict(sorted(embedded.items()))}
    return result


def _explain(error: ValidationError, positions: PositionMap) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    where = format_path(path) or "document"
    kind = error.validator
    value = error.instance
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        for key in sorted(set(value) - set(error.schema.get("properties", {}))):
            hint = _did_you_mean(key, allowed)
            yield Problem(
                positions.key((*path, key)),
                f"{format_path((*path, key))}: unknown field '{key}'{hint} (expected one of: {', '.join(allowed)})",
            )
        return
    if kind in ("anyOf", "oneOf") and error.context:
        # A branch that got past the type check failed deeper down: that is the
        # branch the author meant, so explain its error; otherwise list the options.
        deepest = max(error.context, key=lambda e: (len(e.absolute_path), e.validator not in ("type", "const", "enum")))
        if len(deepest.absolute_path) > len(path):
            yield from _explain(deepest, positions)
            return
        message = f"expected {_alternatives(error.context)}, got {_describe(value)}"
    else:
        message = _message(error)
    yield Problem(positions.value(path), f"{where}: {message}")


def _message(error: ValidationError) -> str:
    kind, value, spec = error.validator, error.instance, error.validator_value
    if kind == "type":
        return f"expected {_type_name(spec)}, got {_describe(value)}"
    if kind == "enum":
        hint = _did_you_mean(str(value), [str(v) for v in spec]) if isinstance(value, str) else ""
        return f"expected one of {', '.join(_show(v) for v in spec)}, got {_describe(value)}{hint}"
    if kind == "const":
        return f"expected {_show(spec)}, got {_describe(value)}"
    if kind == "required":
        missing = [name for name in spec if name not in value]
        return f"missing required field{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)}"
    if kind == "format":
        return _format_message(spec, value)
    if kind == "pattern":
        expected = error.schema.get("description") or f"text matching {spec}"
        return f"{_describe(value)} is not valid: expected {expected[0].lower()}{expected[1:]}"
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}[kind]
        return f"expected a number {sign} {spec}, got {_describe(value)}"
    if kind in ("minItems", "minProperties", "minLength"):
        return "must not be empty"
    if kind == "uniqueItems":
        return "contains the same value twice"
    if kind == "propertyNames":
        return f"invalid key: {error.message}"
    if kind == "not":
        return f"{_describe(value)} is not allowed here"
    return error.message


def _format_message(fmt: str, value: object) -> str:
    if fmt == "date":
        return f"expected a date YYYY-MM-DD, got {_describe(value)}"
    if fmt == "cidr":
        reason = ""
        try:
            ipaddress.ip_network(str(value), strict=True)
        except ValueError as exc:
            reason = f" ({exc})"
        return f"expected an IPv4 or IPv6 network such as 10.0.0.0/8, got {_describe(value)}{reason}"
    return f"expected a valid {fmt}, got {_describe(value)}"


def _alternatives(errors: list[ValidationError]) -> str:
    names = []
    for e in errors:
        if e.validator == "type":
            names.append(_type_name(e.validator_value))
        elif e.validator in ("const", "enum"):
            values = [e.validator_value] if e.validator == "const" else e.validator_value
            names.extend(_show(v) for v in values)
        elif e.validator == "pattern":
            described = e.schema.get("description") or f"text matching {e.validator_value}"
            names.append(described[0].lower() + described[1:].rstrip("."))
    unique = list(dict.fromkeys(names))
    return " or ".join(unique) if unique else "a different value"


def _type_name(spec: object) -> str:
    names = {
        "boolean": "true or false",
        "string": "a string",
        "integer": "a whole number",
        "number": "a number",
        "array": "a list",
        "object": "a mapping",
        "null": "nothing",
    }
    if isinstance(spec, list):
        return " or ".join(names.get(str(s), str(s)) for s in spec)
    return names.get(str(spec), str(spec))


def _describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    text = str(value)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def _show(value: object) -> str:
    return json.dumps(value) if not isinstance(value, str) else value


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
