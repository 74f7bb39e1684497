"""The anchors of one YAML document, as the event-driven reader meets them.

An alias must stand for its anchored node exactly as libyaml's composer
would build it, even where the reader did not build the node (under a
refused key) or has not finished it (an alias inside its own anchor). So an
anchored collection keeps its events for as long as it may have to be built
again, and every event read while one is open is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from yaml.composer import ComposerError
from yaml.events import AliasEvent, DocumentEndEvent, Event, ScalarEvent


class Anchored:
    """A collection carrying an anchor, with its events for as long as it may have
    to be built again: while it is open (an alias inside it builds it anew) or
    when it was never built (it sits under a refused or duplicate key, yet an
    alias may point into it)."""

    __slots__ = ("events", "start")

    def __init__(self, start: Event) -> None:
        self.start = start
        self.events: list[Event] | None = [start]


class Anchors:
    """Anchor names of one document and the recordings of the open anchored collections."""

    def __init__(self, parse: Callable[[], Event]) -> None:
        self.parse = parse
        # anchor name -> its scalar's event, or its collection
        self.by_name: dict[str, Any] = {}
        # the events of the anchored collections still open, innermost last
        self.recordings: list[list[Event]] = []
        recordings = self.recordings

        # a closure rather than a method: the reader keeps it, and a bound
        # method would tie the reader and its recordings into a cycle
        def record() -> Event:
            event = parse()
            for events in recordings:
                events.append(event)
            return event

        self._record = record
        # the live source of events: ``parse`` itself, or while anchored
        # collections are open ``record``, which also appends to their recordings
        self.source: Callable[[], Event] = parse

    def register(self, event: Any) -> Anchored | None:
        """Record a new anchor of the live document; an anchored collection's events are
        recorded from here to its end."""
        name: str = event.anchor
        if name in self.by_name:
            raise self.duplicate(event)
        if event.__class__ is ScalarEvent:
            self.by_name[name] = event
            return None
        anchored = self.by_name[name] = Anchored(event)
        self.recordings.append(anchored.events)  # type: ignore[arg-type]
        self.source = self._record
        return anchored

    def end_recording(self) -> None:
        self.recordings.pop()
        if not self.recordings:
            self.source = self.parse

    def target(self, alias: Any) -> Any:
        """What an alias points at: a scalar's event or an :class:`Anchored` collection."""
        target = self.by_name.get(alias.anchor)
        if target is None:
            raise ComposerError(None, None, "found undefined alias", alias.start_mark)
        return target

    def duplicate(self, event: Any) -> ComposerError:
        first = self.by_name[event.anchor]
        first_event = first.start if first.__class__ is Anchored else first
        return ComposerError("found duplicate anchor; first occurrence", first_event.start_mark, "second occurrence", event.start_mark)

    def drain(self, event: Any) -> None:
        """Read the rest of a document that is not built: a document counts only once
        read to its end, so a later undefined alias, repeated anchor or syntax
        error still decides what it yields."""
        by_name, parse = self.by_name, self.parse
        while event.__class__ is not DocumentEndEvent:
            if event.__class__ is AliasEvent:
                self.target(event)
            elif getattr(event, "anchor", None) is not None:
                name = event.anchor
                if name in by_name:
                    raise self.duplicate(event)
                by_name[name] = event
            event = parse()
