"""Scalars of a YAML document, and the limits on what the document expands to.

The reader's builder (:mod:`.yaml_reader`) walks libyaml's events; resolving
each scalar with the YAML 1.2 core schema and counting every value against
the limits (depth, values, aliases, scalar length) is here. Counting follows
what later stages walk: every collection and scalar is one value, and an
alias counts the whole size of its anchor each time it is followed (that is
where an alias bomb would explode).
"""

from __future__ import annotations

from typing import Any

from yaml.events import Event

from zerotrust_audit.errors import Location, Problem
from zerotrust_audit.load.core_schema import (
    BOOL,
    BY_FIRST_CHAR,
    FLOAT,
    INT,
    NULL,
    STR,
    TAG_PREFIX,
    plain_tag,
    scalar_tag,
    typed_value,
)
from zerotrust_audit.load.limits import Limits


class Budget(Exception):
    """Raised inside the reader to abandon a document that hit a limit."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def location(path: str, event: Event) -> Location:
    return Location(path, event.start_mark.line + 1, event.start_mark.column + 1)


class ValueCounter:
    """Scalar values and the count of a document's values, against its limits."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.problems: list[Problem] = []
        self._expanded = 0
        self._aliases = 0
        self._replayed_tags: dict[Event, str] = {}
        self._strings: dict[str, str] = {}
        # Untagged scalar values already met, by text: string values as the one
        # copy kept of each, other plain values as (value, tag); they repeat in
        # every entity.
        self._plain_values: dict[str, str | tuple[Any, str]] = {}

    def _untagged_value(self, event: Any, text: str, depth: int) -> tuple[Any, bool]:
        """A mapping's untagged scalar value met for the first time, and whether it counted
        on its own (string values count when their mapping closes); it is remembered
        when the next one with the same text can be taken from ``_plain_values``."""
        max_chars = self.limits.max_scalar_chars
        candidates = BY_FIRST_CHAR.get(text[:1])
        resolved = plain_tag(text, candidates) if candidates else STR
        if not event.implicit[0] or resolved == STR:
            if len(text) > max_chars:
                return self._scalar(event, text, STR, depth), True
            if len(text) > 24:
                return text, False
            # enum-like values (types, dates, booleans spelled as words) repeat
            # across thousands of entities: keep one copy of each short one
            text = self._strings.setdefault(text, text)
            if resolved == STR:
                self._plain_values[text] = text
            return text, False
        reported = len(self.problems)
        value = self._scalar(event, text, resolved, depth)
        if len(self.problems) == reported:
            self._plain_values[text] = (value, resolved)
        return value, True

    def _replayed_tag(self, event: Any) -> str:
        """The tag of a scalar in a collection built again: an alias inside its own anchor
        rebuilds it level after level until a limit stops it, so each scalar is resolved
        once, not once per level."""
        tag = self._replayed_tags[event] = scalar_tag(event)
        return tag

    def _scalar(self, event: Event, text: str, tag: str, depth: int) -> Any:
        """A scalar counted on its own: any but a mapping's string values."""
        limits = self.limits
        if depth > limits.max_depth:
            raise self._too_deep(event)
        self._expanded += 1
        if self._expanded > limits.max_nodes:
            raise self._too_many(event)
        if len(text) > limits.max_scalar_chars:
            raise Budget(Problem(location(self.path, event), f"value longer than {limits.max_scalar_chars} characters"))
        if tag == STR:
            return text
        if tag == NULL:
            return None
        if tag in (BOOL, INT, FLOAT):
            value, error = typed_value(text, tag)
            if error is not None:
                self.invalid(event, error)
            return value
        self._unsupported_tag(event, tag)
        return text

    def _shared(self, start: Event, cached: tuple[Any, int], depth: int) -> Any:
        """A collection already built, met again: the same value, its size counted again."""
        if depth > self.limits.max_depth:
            raise self._too_deep(start)
        self._aliases += 1
        if self._aliases > self.limits.max_aliases:
            raise Budget(Problem(location(self.path, start), f"more than {self.limits.max_aliases} aliases in one document"))
        self._count(start, cached[1])
        return cached[0]

    def _count(self, event: Event, size: int) -> None:
        self._expanded += size
        if self._expanded > self.limits.max_nodes:
            raise self._too_many(event)

    def _too_many(self, event: Event) -> Budget:
        return Budget(Problem(location(self.path, event), f"document expands to more than {self.limits.max_nodes} values through aliases"))

    def _too_deep(self, event: Event) -> Budget:
        return Budget(Problem(location(self.path, event), f"nesting deeper than {self.limits.max_depth} levels"))

    def _unsupported_tag(self, event: Event, tag: str) -> None:
        self.problems.append(Problem(
            location(self.path, event),
            f"tag '{tag.replace(TAG_PREFIX, '!!')}' is not allowed: only the standard tags !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are accepted",
        ))

    def invalid(self, event: Event, message: str) -> None:
        self.problems.append(Problem(location(self.path, event), message))
