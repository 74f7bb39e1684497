"""Reading a policy repository: discovery, safe decoding and parsing, positions.

The result keeps every document's data and its position map, the SHA-256 of
each input file (reports list them) and every problem found in any file: one
broken file never stops the others from being read.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from zerotrust_audit.errors import Location, Problem
from zerotrust_audit.load.comments import InlineSuppression, find_suppressions
from zerotrust_audit.load.discover import discover
from zerotrust_audit.load.limits import Limits
from zerotrust_audit.load.yaml_reader import Document, read_text
from zerotrust_audit.progress import SILENT, Progress

__all__ = ["Document", "InputFile", "LoadResult", "Limits", "load_paths"]

_FOREIGN_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


@dataclass(frozen=True)
class InputFile:
    """A file that was read, as reports list it."""

    path: str
    sha256: str
    documents: int


@dataclass
class LoadResult:
    root: Path
    documents: list[Document]
    files: list[InputFile]
    problems: list[Problem]
    suppressions: list[InlineSuppression] = field(default_factory=list)


def load_paths(paths: list[Path], limits: Limits = Limits(), root: Path | None = None, progress: Progress = SILENT) -> LoadResult:
    """Discover and parse every policy file under ``paths``."""
    found = discover(paths, root)
    result = LoadResult(found.root, [], [], list(found.problems))
    for number, path in enumerate(found.files, start=1):
        progress.update("reading files", number, len(found.files))
        display = found.display(path)
        raw = _read_bytes(path, display, limits, result.problems)
        if raw is None:
            continue
        text = _decode(raw, display, result.problems)
        documents: list[Document] = []
        if text is not None:
            if not text.strip():
                result.problems.append(Problem(Location(display, 1, 1), "file is empty: expected a document with 'version: 1'"))
            else:
                documents, problems = read_text(text, display, limits)
                result.documents.extend(documents)
                result.problems.extend(problems)
                result.suppressions.extend(find_suppressions(text, display))
        result.files.append(InputFile(display, hashlib.sha256(raw).hexdigest(), len(documents)))
    return result


def _read_bytes(path: Path, display: str, limits: Limits, problems: list[Problem]) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            problems.append(Problem(Location(display, 1, 1), f"file is {size} bytes, more than the limit of {limits.max_file_bytes}"))
            return None
        return path.read_bytes()
    except OSError as exc:
        problems.append(Problem(Location(display, 1, 1), f"cannot read file: {exc.strerror or exc}"))
        return None


def _decode(raw: bytes, display: str, problems: list[Problem]) -> str | None:
    """Policy files are UTF-8 (a UTF-8 byte-order mark is tolerated)."""
    for bom, name in _FOREIGN_BOMS:
        if raw.startswith(bom):
            problems.append(Problem(Location(display, 1, 1), f"file is {name} encoded: save it as UTF-8"))
            return None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        problems.append(Problem(Location(display, line, column), f"invalid UTF-8 byte 0x{raw[exc.start]:02x}: save the file as UTF-8"))
        return None
