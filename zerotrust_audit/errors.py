"""The few exception types of the tool and the exit codes they map to.

Exit codes are part of the command-line contract (documented in ``--help``):

* 0: no finding at or above the ``--fail-on`` threshold;
* 1: findings at or above the threshold;
* 2: invalid input or usage (every problem of the run is reported);
* 3: internal error (a bug in the tool).
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2
EXIT_INTERNAL = 3


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based line and column in a file, the path relative to the scanned root."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, pinned to where a user fixes it.

    ``location`` is ``None`` only when no file is involved (a path given on
    the command line that does not exist, say).
    """

    location: Location | None
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class ZtauditError(Exception):
    """Base of the errors the tool raises on purpose."""

    exit_code = EXIT_INTERNAL


class InputError(ZtauditError):
    """The input is invalid; carries every problem found, not just the first."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=_problem_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(ZtauditError):
    """The command was called wrongly (unknown rule id, bad option value)."""

    exit_code = EXIT_INVALID


def _problem_sort_key(problem: Problem) -> tuple[str, int, int, str]:
    loc = problem.location
    if loc is None:
        return ("", 0, 0, problem.message)
    return (loc.path, loc.line, loc.column, problem.message)
