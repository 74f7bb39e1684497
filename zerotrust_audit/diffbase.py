"""``scan --diff-base REF``: report only findings that are new since a commit.

The same paths are scanned as they were at ``REF`` and the findings found
there act as a baseline. The commit is exported with ``git archive`` into a
temporary folder, so neither the work tree nor the repository's metadata is
touched, and members are extracted with tarfile's ``data`` filter (no links
out of the folder, no device files).
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zerotrust_audit.errors import InputError, UsageError
from zerotrust_audit.findings import Report


def base_fingerprints(targets: list[Path], ref: str, scan: Callable[[list[Path]], Report]) -> tuple[dict[str, dict[str, Any]], str | None]:
    """Fingerprints of the findings at ``ref`` (as a baseline), and a warning if the base could not be scanned."""
    top = _git_toplevel(targets[0] if targets[0].is_dir() else targets[0].parent)
    archive = _git(top, "archive", "--format=tar", ref)
    with tempfile.TemporaryDirectory(prefix="ztaudit-base-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        base_targets = []
        for target in targets:
            relative = target.resolve().relative_to(top)
            if (Path(tmp) / relative).exists():
                base_targets.append(Path(tmp) / relative)
        if not base_targets:
            return {}, f"none of the scanned paths exist at {ref}: every finding is new"
        try:
            report = scan(base_targets)
        except InputError as exc:
            return {}, f"the inventory at {ref} is invalid ({len(exc.problems)} problems): every finding is new"
    recorded = {f.fingerprint: {"rule_id": f.rule_id, "entity": {"kind": f.entity_kind, "name": f.entity_name}} for f in report.findings}
    return recorded, None


def _git_toplevel(folder: Path) -> Path:
    return Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip()).resolve()


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"--diff-base needs git: {exc}") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(f"--diff-base: git {args[0]} failed: {reason[-1] if reason else 'unknown error'}")
    return done.stdout
