"""libyaml's event parser, and how its syntax errors are worded.

libyaml ships in every PyYAML wheel; PyYAML's pure-Python parser, which
gives the same events, is the fallback for a build without it.
"""

from __future__ import annotations

import yaml

from zerotrust_audit.errors import Location, Problem

try:  # libyaml is present in every PyYAML wheel; the pure parser is a fallback.
    from yaml.cyaml import CParser as EventParser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class EventParser(Reader, Scanner, Parser):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

        def dispose(self) -> None:
            pass


def syntax_problem(path: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    location = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path, 1, 1)
    what = exc.problem or "invalid YAML"
    if exc.context:
        what = f"{exc.context}, {what}"
    return Problem(location, f"YAML syntax error: {what}")
