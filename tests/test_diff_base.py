"""scan --diff-base: only findings new since a commit, the work tree untouched."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from test_baseline import write_repo
from test_cli import ztaudit


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_only_new_findings_since_the_base_commit(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_repo(repo / "policies", {"lt-1": False, "lt-2": True})
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "t")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    write_repo(repo / "policies", {"lt-1": False, "lt-2": False}, padding=3)   # lt-2 regresses, lines move
    before = git(repo, "status", "--porcelain")

    result = ztaudit("scan", repo / "policies", "--select", "ZT-DEV-001", "--diff-base", "HEAD", "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert [f["entity"]["name"] for f in report["findings"]] == ["lt-2"]
    assert [s["finding"]["entity"]["name"] for s in report["suppressed"]] == ["lt-1"]
    assert git(repo, "status", "--porcelain") == before          # work tree untouched
    assert git(repo, "worktree", "list").count("\n") == 1          # no extra worktree left behind


def test_unknown_ref_is_a_usage_error(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_repo(repo, {"lt-1": False})
    git(repo, "init", "-q")
    result = ztaudit("scan", repo, "--diff-base", "no-such-ref")
    assert result.returncode == 2 and "--diff-base: git archive failed" in result.stderr
