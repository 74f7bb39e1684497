"""The pre-commit hooks, run through the real pre-commit framework (try-repo)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from test_baseline import LAPTOP, ORG, USERS

REPO = Path(__file__).resolve().parents[1]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)


def try_repo(cwd: Path, hook: str) -> subprocess.CompletedProcess[str]:
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    env = {**os.environ, "PRE_COMMIT_HOME": str(cwd.parent / "pre-commit-home"), "NO_COLOR": "1"}
    return subprocess.run([pre_commit, "try-repo", str(REPO), hook], cwd=cwd, capture_output=True, text=True, env=env, timeout=900)


def test_hooks_refuse_a_bad_commit_and_pass_a_good_one(tmp_path: Path) -> None:
    repo = tmp_path / "policies"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "config", "user.name", "test")
    (repo / ".ztaudit.yaml").write_text("select: [ZT-DEV-001]\n")
    (repo / "org.yaml").write_text(ORG)
    (repo / "users.yaml").write_text(USERS)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")

    # a good commit: an encrypted laptop (its owner is defined in another file)
    (repo / "devices.yaml").write_text("version: 1\nendpoints:\n" + LAPTOP.format(name="lt-1", encrypted="true"))
    git(repo, "add", "devices.yaml")
    good = try_repo(repo, "ztaudit")
    assert good.returncode == 0, good.stdout + good.stderr
    assert try_repo(repo, "ztaudit-validate").returncode == 0
    git(repo, "commit", "-qm", "good")

    # a bad commit: the laptop loses its encryption
    (repo / "devices.yaml").write_text("version: 1\nendpoints:\n" + LAPTOP.format(name="lt-1", encrypted="false"))
    git(repo, "add", "devices.yaml")
    bad = try_repo(repo, "ztaudit")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "devices.yaml:9:22  HIGH      ZT-DEV-001" in bad.stdout

    # a broken file is refused by the format check too
    (repo / "devices.yaml").write_text("version: 1\nendpoints:\n  - {name: lt-1, owner: nobody}\n")
    git(repo, "add", "devices.yaml")
    broken = try_repo(repo, "ztaudit-validate")
    assert broken.returncode != 0 and "devices.yaml:3:5" in broken.stdout
