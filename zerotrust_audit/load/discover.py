"""Find the policy files under the paths a user gave, and nothing outside them.

A policy repository is scanned recursively for ``*.yaml``, ``*.yml`` and
``*.json`` files. Hidden folders (``.git``, ``.venv``) are skipped, and a
symlink whose target leaves the scanned root is refused: a pull request must
not be able to make the tool read ``/etc/passwd`` or another repository.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from zerotrust_audit.errors import Problem

POLICY_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Discovery:
    """The scanned root, the files found under it (sorted) and what was refused."""

    root: Path
    files: tuple[Path, ...]
    problems: tuple[Problem, ...]

    def display(self, path: Path) -> str:
        """The path as findings show it: relative to the root, with ``/``."""
        return relative_display(self.root, path)


def relative_display(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def scan_root(paths: list[Path]) -> Path:
    """The folder findings are relative to: the one folder given, or the common parent."""
    resolved = [p.resolve() for p in paths]
    if len(resolved) == 1 and resolved[0].is_dir():
        return resolved[0]
    parents = [p if p.is_dir() else p.parent for p in resolved]
    return Path(os.path.commonpath([str(p) for p in parents]))


def discover(paths: list[Path], root: Path | None = None) -> Discovery:
    """Expand files and folders into the sorted list of policy files to read."""
    root = (root or scan_root(paths)).resolve()
    found: set[Path] = set()
    problems: list[Problem] = []
    for given in paths:
        if not given.exists():
            problems.append(Problem(None, f"{given}: no such file or directory"))
        elif given.is_dir():
            _walk(given, root, found, problems)
        else:
            _add_file(given, root, found, problems)
    return Discovery(root, tuple(sorted(found, key=lambda p: relative_display(root, p))), tuple(problems))


def _walk(folder: Path, root: Path, found: set[Path], problems: list[Problem]) -> None:
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            sub = here / name
            if sub.is_symlink():
                # os.walk does not descend into linked folders; refuse those that leave the root
                if not _inside(sub.resolve(), root):
                    problems.append(Problem(None, f"{relative_display(root, sub)}: symlink leaves the scanned repository; refused"))
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.lower().endswith(POLICY_SUFFIXES) and not name.startswith("."):
                _add_file(here / name, root, found, problems)


def _add_file(path: Path, root: Path, found: set[Path], problems: list[Problem]) -> None:
    resolved = path.resolve()
    if not _inside(resolved, root):
        problems.append(Problem(None, f"{relative_display(root, path.absolute())}: path leaves the scanned repository; refused"))
        return
    if not resolved.is_file():
        problems.append(Problem(None, f"{relative_display(root, path.absolute())}: not a regular file"))
        return
    found.add(path.absolute() if not path.is_symlink() else resolved)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
