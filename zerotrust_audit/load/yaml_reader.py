"""Safe, position-keeping reading of YAML (and JSON) policy files.

libyaml parses the text into events (C speed, no object construction, so no
tag can run code); this module builds plain Python data straight from those
events and records the 1-based position of every value and key in a
separate map. No node graph is composed: that would create a Python object
and two marks per value and call a resolver per node, on a large inventory
about as much work again as the parse itself.

Building follows the rules of libyaml's composer: a document is read to its
end before any of its problems counts (a syntax error anywhere loses it
whole), anchors are per document and unique, an alias shares the value built
for its anchor, and an alias whose anchor was never built (it sits under a
refused key) or is still open (an alias inside its own anchor) builds that
anchor where the alias is (the anchors and their recorded events are kept by
:mod:`.yaml_anchors`).

Scalars are resolved with the YAML 1.2 core schema (:mod:`.core_schema`): a
value the schema expects as a boolean but that reads ``yes`` is reported by
the schema instead of being guessed. Resolving scalars and counting values
against the limits is :mod:`.yaml_values`; libyaml's parser and the wording
of its syntax errors, :mod:`.yaml_parser`.
"""

from __future__ import annotations

from collections.abc import Callable
from sys import intern
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from zerotrust_audit.errors import Location, Problem
from zerotrust_audit.gcpause import gc_paused
from zerotrust_audit.load.core_schema import (
    KEY_TAGS,
    MAP,
    SEQ,
    STR,
    scalar_tag,
)
from zerotrust_audit.load.document import Document
from zerotrust_audit.load.limits import Limits
from zerotrust_audit.load.positions import COLUMN_BITS, PositionMap, pack
from zerotrust_audit.load.yaml_anchors import Anchored, Anchors
from zerotrust_audit.load.yaml_parser import EventParser, syntax_problem
from zerotrust_audit.load.yaml_values import Budget, ValueCounter, location


def read_text(text: str, display_path: str, limits: Limits = Limits()) -> tuple[list[Document], list[Problem]]:
    """Parse every document of ``text``; return the documents and the problems found.

    A syntax error stops the file at that point (later documents cannot be
    trusted) but earlier documents are kept, and other files are unaffected.
    """
    documents: list[Document] = []
    problems: list[Problem] = []
    parser = EventParser(text)
    try:
        with gc_paused():
            parse = parser.get_event
            parse()  # the stream start
            while parse().__class__ is DocumentStartEvent:
                builder = _Builder(display_path, limits, parse)
                root = parse()
                if len(documents) >= limits.max_documents:
                    builder.drain(root)
                    problems.append(Problem(location(display_path, root), f"more than {limits.max_documents} documents in one file"))
                    break
                try:
                    data = builder.document(root)
                except Budget as exceeded:
                    builder.drain(parse())
                    problems.append(exceeded.problem)
                    continue
                parse()  # the document end
                problems.extend(builder.problems)
                documents.append(Document(display_path, len(documents), data, builder.positions))
    except yaml.MarkedYAMLError as exc:
        problems.append(syntax_problem(display_path, exc))
    except yaml.YAMLError as exc:
        problems.append(Problem(Location(display_path, 1, 1), f"YAML error: {exc}"))
    finally:
        parser.dispose()
    return documents, problems


_BITS = COLUMN_BITS


def _pack(event: Event) -> int:
    return pack(event.start_mark.line + 1, event.start_mark.column + 1)


class _Builder(ValueCounter):
    """Turns the events of one document into plain data and a position map,
    counting values as :mod:`.yaml_values` describes (a mapping's string values
    are added when the mapping closes)."""

    def __init__(self, path: str, limits: Limits, parse: Callable[[], Event]) -> None:
        super().__init__(path, limits)
        self.positions = PositionMap(path)
        self.anchors = Anchors(parse)
        # Collections that may be met again, by their start event: anchored ones
        # and every one built inside an open anchored collection or built anew
        # for an alias. Met again, a collection is shared and counted as an alias.
        self._built: dict[Event, tuple[Any, int]] = {}
        # Plain keys already met, by text: the one copy kept of each (keys
        # repeat in every entity).
        self._plain_keys: dict[str, str] = {}

    def document(self, root: Event) -> Any:
        """Build a whole document from its first event; its root position and data go into the map."""
        self.positions.root = _pack(root)
        cls = root.__class__
        if cls is MappingStartEvent or cls is SequenceStartEvent:
            data = self._build(self.anchors.source, root, 0, True)
        elif cls is AliasEvent:
            data = self._aliased(self.anchors.target(root), 0)
        else:
            if root.anchor is not None:
                self.anchors.register(root)
            data = self._scalar(root, root.value, scalar_tag(root), 0)
        self.positions.data = data
        return data

    def drain(self, event: Event) -> None:
        """Read the rest of a document that is not built (see :meth:`Anchors.drain`)."""
        self.anchors.drain(event)

    # --- the stack machine -------------------------------------------------------------

    def _build(self, get: Callable[[], Event], event: Event, depth: int, live: bool) -> Any:
        """Build the collection that starts with ``event`` at ``depth``, reading the rest
        of its events from ``get``: the parser (``live``) or a recording being built again."""
        max_depth, max_chars, max_nodes = self.limits.max_depth, self.limits.max_scalar_chars, self.limits.max_nodes
        tables = self.positions.tables
        plain_keys, plain_values, built, replayed_tags = self._plain_keys, self._plain_values, self._built, self._replayed_tags
        anchors = self.anchors
        recordings = anchors.recordings
        stack: list[tuple[Any, ...]] = []
        # the collection being filled (``keys`` is None for a sequence), where its
        # next value goes (``container[key]`` or the end of the list) and the
        # depth of its items
        container: Any = None
        keys: list[int] | None = None
        values: list[int] = []
        key = ""
        plain = 0  # string values of a mapping, counted when it closes
        before = 0
        start: Event | None = None
        item_depth = depth

        while True:
            # ``event`` starts a value of the container (at first, the collection
            # itself) or ends the sequence being filled
            cls = event.__class__
            if cls is ScalarEvent or cls is AliasEvent:
                if cls is AliasEvent:
                    target = anchors.target(event)
                    if target.__class__ is Anchored:
                        values.append(_pack(target.start))
                        value = self._aliased(target, item_depth)
                    else:
                        event = target  # a scalar is built again where the alias is, at its anchor's position
                elif live and event.anchor is not None:
                    anchors.register(event)
                if event.__class__ is ScalarEvent:
                    text = event.value
                    tag = scalar_tag(event) if live else replayed_tags.get(event) or self._replayed_tag(event)
                    mark = event.start_mark
                    values.append(((mark.line + 1) << _BITS) | (mark.column + 1))
                    if keys is not None and tag == STR and len(text) <= max_chars:
                        plain += 1
                        value = self._strings.setdefault(text, text) if len(text) <= 24 else text
                    else:
                        value = self._scalar(event, text, tag, item_depth)
                if keys is None:
                    container.append(value)
                else:
                    container[key] = value

            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                cached = None if live else built.get(event)
                if cached is not None:
                    # met again inside a collection being built anew: shared, as through an alias
                    self._skip(get, event, False)
                    values.append(_pack(event))
                    value = self._shared(event, cached, item_depth)
                    if keys is None:
                        container.append(value)
                    else:
                        container[key] = value
                else:
                    if live and event.anchor is not None:
                        anchors.register(event)
                        get = anchors.source
                    if item_depth > max_depth:
                        raise self._too_deep(event)
                    if container is not None:
                        mark = event.start_mark
                        values.append(((mark.line + 1) << _BITS) | (mark.column + 1))
                    stack.append((container, keys, values, key, plain, before, start, item_depth))
                    before = self._expanded
                    self._expanded = before + 1
                    if before >= max_nodes:
                        raise self._too_many(event)
                    tag = event.tag
                    if cls is MappingStartEvent:
                        if tag is not None and tag != "!" and tag != MAP:
                            self._unsupported_tag(event, tag)
                        container, keys = {}, []
                    else:
                        if tag is not None and tag != "!" and tag != SEQ:
                            self._unsupported_tag(event, tag)
                        container, keys = [], None
                    values, plain, start, item_depth = [], 0, event, item_depth + 1

            else:  # the end of the sequence being filled
                tables[id(container)] = (None, tuple(values))
                value = container
                if not live or recordings:
                    self._keep(start, value, before, live)
                    if live:
                        get = anchors.source
                container, keys, values, key, plain, before, start, item_depth = stack.pop()
                if container is None:
                    return value
                if keys is None:
                    container.append(value)
                else:
                    container[key] = value

            # on to the next event that starts a value. In a mapping that is the one
            # after the next accepted key (closing the mapping if it ends first);
            # plain keys already seen and plain scalar values, most of any
            # inventory, are handled right here.
            while keys is not None:
                event = get()
                new_key = None
                if event.__class__ is ScalarEvent and event.tag is None and event.anchor is None:
                    new_key = plain_keys.get(event.value)
                if new_key is not None and new_key not in container:
                    mark = event.start_mark
                    keys.append(((mark.line + 1) << _BITS) | (mark.column + 1))
                elif event.__class__ is MappingEndEvent:
                    self._expanded += plain
                    tables[id(container)] = (tuple(keys), tuple(values))
                    value = container
                    if not live or recordings:
                        self._keep(start, value, before, live)
                        if live:
                            get = anchors.source
                    container, keys, values, key, plain, before, start, item_depth = stack.pop()
                    if container is None:
                        return value
                    if keys is None:
                        container.append(value)
                    else:
                        container[key] = value
                    continue
                else:
                    new_key = self._key(get, event, container, keys, live)
                    if new_key is None:
                        continue
                key = new_key
                event = get()
                if event.__class__ is not ScalarEvent or event.tag is not None or event.anchor is not None:
                    break
                text = event.value
                mark = event.start_mark
                values.append(((mark.line + 1) << _BITS) | (mark.column + 1))
                known = plain_values.get(text)
                if known.__class__ is str:
                    plain += 1
                    container[key] = known
                elif known is not None and event.implicit[0]:
                    if item_depth > max_depth or self._expanded >= max_nodes or len(text) > max_chars:
                        container[key] = self._scalar(event, text, known[1], item_depth)  # reports the limit
                    else:
                        self._expanded += 1
                        container[key] = known[0]
                else:
                    container[key], counted = self._untagged_value(event, text, item_depth)
                    plain += not counted
            else:
                event = get()

    def _keep(self, start: Event, value: Any, before: int, live: bool) -> None:
        """Remember a collection that may be met again (see ``_built``); an anchored one
        of the live document no longer needs its recording."""
        self._built[start] = (value, self._expanded - before)
        if live and start.anchor is not None:
            self.anchors.end_recording()
            self.anchors.by_name[start.anchor].events = None

    # --- keys, scalars, aliases ----------------------------------------------------------

    def _key(self, get: Callable[[], Event], event: Event, container: dict[str, Any], keys: list[int], live: bool) -> str | None:
        """Read the key that starts with ``event`` when it is not a plain key seen before:
        its position is recorded if it is accepted; once a problem is reported instead
        (a refused or repeated key), its value is read without being built."""
        key, key_event = self._key_text(get, event, live)
        if key is not None and key in container:
            first_line = keys[list(container).index(key)] >> _BITS
            self.problems.append(Problem(location(self.path, key_event), f"duplicate key '{key}' (first defined at line {first_line})"))
            key = None
        if key is None:
            self._skip(get, get(), live)
            return None
        mark = key_event.start_mark
        keys.append(((mark.line + 1) << _BITS) | (mark.column + 1))
        return key

    def _key_text(self, get: Callable[[], Event], event: Event, live: bool) -> tuple[str | None, Event]:
        """The string a key stands for, or None once its problem is reported (a collection
        used as a key is read but not built), and the event whose position is the key's."""
        cls = event.__class__
        if cls is AliasEvent:
            target = self.anchors.target(event)
            if target.__class__ is Anchored:
                self.problems.append(Problem(location(self.path, target.start), "mapping keys must be plain strings"))
                return None, event
            event = target
        elif cls is ScalarEvent:
            if live and event.anchor is not None:
                self.anchors.register(event)
        else:
            self.problems.append(Problem(location(self.path, event), "mapping keys must be plain strings"))
            self._skip(get, event, live)
            return None, event
        tag = scalar_tag(event)
        text = event.value
        if tag not in KEY_TAGS:
            self.problems.append(Problem(location(self.path, event), "mapping keys must be plain strings"))
            return None, event
        if tag != STR:
            self.problems.append(Problem(location(self.path, event), f"mapping key {text!r} must be a string (quote it)"))
            return None, event
        if text == "<<" and event.style in (None, ""):  # plain, not quoted
            self.problems.append(Problem(location(self.path, event), "merge keys ('<<') are not supported: repeat the fields instead"))
            return None, event
        key = intern(text)
        if event.tag is None and event.anchor is None and event.implicit[0]:
            self._plain_keys[text] = key  # keys repeat in every entity
        return key, event

    def _aliased(self, target: Any, depth: int) -> Any:
        """What an alias (or an anchored collection met again) stands for at ``depth``."""
        if target.__class__ is ScalarEvent:
            return self._scalar(target, target.value, scalar_tag(target), depth)
        cached = self._built.get(target.start)
        if cached is None:
            replay = iter(target.events).__next__
            return self._build(replay, replay(), depth, False)
        return self._shared(target.start, cached, depth)

    def _skip(self, get: Callable[[], Event], event: Event, live: bool) -> None:
        """Read the node that starts with ``event`` without building it (the value of a
        refused or duplicate key, a collection used as a key). It is part of the
        document all the same: its anchors count, and an alias into it builds the
        anchored node where the alias is."""
        anchors = self.anchors
        open_entries: list[Anchored | None] = []
        while True:
            cls = event.__class__
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                open_entries.append(anchors.register(event) if live and event.anchor is not None else None)
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                if open_entries.pop() is not None:
                    anchors.end_recording()
            elif live:
                if cls is AliasEvent:
                    anchors.target(event)
                elif event.anchor is not None:
                    anchors.register(event)
            if not open_entries:
                return
            event = anchors.source() if live else get()
