"""The YAML 1.2 core schema, as policy files are read with it.

Not PyYAML's YAML 1.1 defaults: ``NO`` stays the string Norway, ``on`` and
``yes`` stay strings, dates stay ``YYYY-MM-DD`` strings that the JSON Schema
checks, and ``010`` is ten. Only the standard tags are known; the readers
refuse any other.
"""

from __future__ import annotations

import math
import re
from typing import Any

from yaml.events import ScalarEvent

TAG_PREFIX = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (TAG_PREFIX + t for t in ("str", "int", "float", "bool", "null"))
SEQ, MAP = TAG_PREFIX + "seq", TAG_PREFIX + "map"
KEY_TAGS = (STR, INT, FLOAT, BOOL, NULL)

# Implicit tags of the YAML 1.2 core schema (no yes/no, no timestamps, no ``<<``),
# tried in this order among those whose first characters match.
_IMPLICIT: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", tuple("tTfF")),
    (INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", tuple("-+0123456789")),
    (
        FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        tuple("-+0123456789."),
    ),
    (NULL, r"^(?:~|null|Null|NULL|)$", ("~", "n", "N", "")),
)
BY_FIRST_CHAR: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _regexp, _first in _IMPLICIT:
    for _char in _first:
        BY_FIRST_CHAR.setdefault(_char, []).append((_tag, re.compile(_regexp)))
_RESOLVED: dict[str, str] = {}


def plain_tag(value: str, candidates: list[tuple[str, re.Pattern[str]]]) -> str:
    """The core-schema tag of a plain scalar that starts like a number, boolean or null."""
    tag = _RESOLVED.get(value)
    if tag is None:
        tag = next((t for t, regexp in candidates if regexp.match(value)), STR)
        if len(_RESOLVED) < 65536:  # dates and numbers repeat across entities
            _RESOLVED[value] = tag
    return tag


def scalar_tag(event: ScalarEvent) -> str:
    """The tag a scalar has: its own, or for an untagged (or ``!``) one the core-schema
    tag; libyaml marks a ``!``-tagged scalar as plain, so ``! 12`` is the integer 12."""
    tag = event.tag
    if tag is None or tag == "!":
        if event.implicit[0]:
            candidates = BY_FIRST_CHAR.get(event.value[:1])
            return plain_tag(event.value, candidates) if candidates else STR
        return STR
    return tag


def typed_value(text: str, tag: str) -> tuple[Any, str | None]:
    """The value of a ``!!bool``, ``!!int`` or ``!!float`` scalar, or the text
    itself and what is wrong with it."""
    if tag == BOOL:
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true", None
        return text, f"!!bool value must be true or false, got {text!r}"
    if tag == INT:
        try:
            if text.startswith("0o"):
                return int(text[2:], 8), None
            if text.startswith("0x"):
                return int(text[2:], 16), None
            return int(text, 10), None
        except ValueError:
            return text, f"!!int value is not an integer: {text!r}"
    lowered = text.lower().lstrip("+")
    if lowered in (".inf", "-.inf", ".nan"):
        return {".inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}[lowered], None
    try:
        return float(text), None
    except ValueError:
        return text, f"!!float value is not a number: {text!r}"
