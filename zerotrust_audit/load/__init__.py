"""Reading a policy repository: discovery, safe decoding and parsing, positions.

The result keeps every document's data and its position map, the SHA-256 of
each input file (reports list them) and every problem found in any file: one
broken file never stops the others from being read.
"""

from __future__ import annotations

import codecs
import hashlib
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zerotrust_audit.errors import Location, Problem
from zerotrust_audit.load.comments import InlineSuppression, find_suppressions
from zerotrust_audit.load.discover import discover
from zerotrust_audit.load.json_reader import JsonPositionMap, read_json_text
from zerotrust_audit.load.limits import Limits
from zerotrust_audit.gcpause import gc_paused
from zerotrust_audit.load.document import Document, portable_document, restore_document
from zerotrust_audit.load.yaml_reader import read_text
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


# Large repositories are read by two processes (one forked child) when the
# machine has a second core: parsing is most of a large scan's time. JSON
# bytes count for a twentieth, as the JSON reader is about that much quicker:
# sending its data back from a child would cost about as much as reading it.
PARALLEL_MIN_BYTES = 16 * 1024 * 1024
_JSON_WEIGHT = 20
# The child's documents also have to be packed, sent and unpacked (about a
# seventh more than reading them), so the child gets a little less to read.
_CHILD_WEIGHT = 1.15


@dataclass
class _FileResult:
    documents: list[Document]
    problems: list[Problem]
    suppressions: list[InlineSuppression]
    input_file: InputFile | None


def load_paths(
    paths: list[Path], limits: Limits = Limits(), root: Path | None = None, progress: Progress = SILENT, jobs: int = 2
) -> LoadResult:
    """Discover and parse every policy file under ``paths`` (large repositories
    on two processes unless ``jobs`` is 1)."""
    found = discover(paths, root)
    result = LoadResult(found.root, [], [], list(found.problems))
    files = [(path, found.display(path)) for path in found.files]
    results = _read_in_parallel(files, limits, progress) if jobs > 1 and _worth_parallel(files) else {}
    for number, (path, display) in enumerate(files, start=1):
        progress.update("reading files", number, len(files))
        one = results.get(display) or _read_file(path, display, limits)
        result.documents.extend(one.documents)
        result.problems.extend(one.problems)
        result.suppressions.extend(one.suppressions)
        if one.input_file is not None:
            result.files.append(one.input_file)
    return result


def _read_file(path: Path, display: str, limits: Limits) -> _FileResult:
    problems: list[Problem] = []
    raw = _read_bytes(path, display, limits, problems)
    if raw is None:
        return _FileResult([], problems, [], None)
    text = _decode(raw, display, problems)
    documents: list[Document] = []
    suppressions: list[InlineSuppression] = []
    if text is not None:
        if not text.strip():
            problems.append(Problem(Location(display, 1, 1), "file is empty: expected a document with 'version: 1'"))
        else:
            parsed = read_json_text(text, display, limits) if path.name.endswith(".json") else None
            documents, parse_problems = parsed if parsed is not None else read_text(text, display, limits)
            problems.extend(parse_problems)
            suppressions = find_suppressions(text, display)
    return _FileResult(documents, problems, suppressions, InputFile(display, hashlib.sha256(raw).hexdigest(), len(documents)))


def _worth_parallel(files: list[tuple[Path, str]]) -> bool:
    if len(files) < 2 or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    return sum(_cost(path) for path, _ in files) >= PARALLEL_MIN_BYTES


def _cost(path: Path) -> int:
    size = _size(path)
    return size // _JSON_WEIGHT if path.name.endswith(".json") else size


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_in_parallel(files: list[tuple[Path, str]], limits: Limits, progress: Progress) -> dict[str, _FileResult]:
    """About half of the parsing work (largest files first, greedily balanced)
    goes to a forked child; its documents come back pickled with their position tables
    in traversal order (JSON documents with their text), and are re-keyed here.
    (The executor is imported here: only large repositories need it.)"""
    from concurrent.futures import ProcessPoolExecutor

    halves: tuple[list[tuple[Path, str]], list[tuple[Path, str]]] = ([], [])
    loads = [0.0, 0.0]
    for item in sorted(files, key=lambda f: -_cost(f[0])):
        side = 0 if loads[0] <= loads[1] else 1
        halves[side].append(item)
        loads[side] += _cost(item[0]) * (_CHILD_WEIGHT if side else 1)
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        remote = pool.submit(_read_portable, halves[1], limits)
        results = {display: _read_file(path, display, limits) for path, display in halves[0]}
        for display, portable in remote.result().items():
            results[display] = _restore(portable)
    return results


def _read_portable(files: list[tuple[Path, str]], limits: Limits) -> dict[str, tuple[Any, ...]]:
    with gc_paused():
        out = {}
        for path, display in files:
            one = _read_file(path, display, limits)
            out[display] = ([_portable(d) for d in one.documents], one.problems, one.suppressions, one.input_file)
        return out


def _restore(portable: tuple[Any, ...]) -> _FileResult:
    documents, problems, suppressions, input_file = portable
    return _FileResult([_restored(d) for d in documents], problems, suppressions, input_file)


def _portable(document: Document) -> Any:
    """JSON documents pickle as they are: their positions are found in the
    text they carry, not in tables keyed by container identity."""
    return document if isinstance(document.positions, JsonPositionMap) else portable_document(document)


def _restored(portable: Any) -> Document:
    return portable if isinstance(portable, Document) else restore_document(portable)


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
