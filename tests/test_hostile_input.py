"""Hostile input: bounded cost, a clear exit-2 message, and every other file still checked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_cli import GOOD, ztaudit


def billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefghijklmnop", "bcdefghijklmnopq"[: levels - 1]):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "version: 1\n" + "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_in_under_a_second_and_100_mb(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(billion_laughs())
    (tmp_path / "ok.yaml").write_text(GOOD)
    # a fresh parent process, so its children's peak memory is this run's alone
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        f"r = subprocess.run([sys.executable, '-m', 'zerotrust_audit', 'validate', {str(tmp_path)!r}], capture_output=True, text=True)\n"
        "print(r.returncode, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
        "sys.stderr.write(r.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    code, elapsed, peak_mb = result.stdout.split()
    elapsed, peak_mb = float(elapsed), float(peak_mb)
    assert code == "2"
    assert "bomb.yaml:" in result.stderr and "through aliases" in result.stderr
    assert elapsed < 1.0 + 1.5, f"{elapsed:.2f} s"   # the second and a half covers interpreter start-up on a busy machine
    assert peak_mb < 100, f"{peak_mb:.0f} MB"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"- a\n- b\n", "bad.yaml:1:1: a document must be a mapping with 'version: 1', got a list"),
        (b"version: 1\n1: x\n", "bad.yaml:2:1: mapping key '1' must be a string"),
        ("version: 1\n".encode("utf-16"), "bad.yaml:1:1: file is UTF-16 encoded"),
        (b"version: 1\nname: \xff\n", "bad.yaml:2:7: invalid UTF-8 byte 0xff"),
        (b"", "bad.yaml:1:1: file is empty"),
        (b"version: 1\nx: !!python/name:os.system\n", "bad.yaml:2:4: tag '!!python/name:os.system' is not allowed"),
        (b"version: 1\nx: " + b"[" * 80 + b"]" * 80 + b"\n", "bad.yaml:2:"),
    ],
)
def test_malformed_files_are_exit_2_with_positions(tmp_path: Path, content: bytes, expected: str) -> None:
    (tmp_path / "bad.yaml").write_bytes(content)
    (tmp_path / "other.yaml").write_text("version: 1\ngroups:\n  - {name: ok, colour: red}\n")
    result = ztaudit("validate", tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert expected in result.stderr, result.stderr
    assert "other.yaml:3:16: groups[0].colour: unknown field 'colour'" in result.stderr   # the other file is still checked


def test_limits_can_be_raised_or_lowered(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(GOOD + "# " + "x" * 5000 + "\n")
    assert ztaudit("validate", tmp_path).returncode == 0
    small = ztaudit("validate", tmp_path, "--max-file-size", "1000")
    assert small.returncode == 2 and "more than the limit of 1000" in small.stderr
    (tmp_path / "p.yaml").write_text(GOOD.replace("name: Tiny", "name: " + "T" * 300))
    short = ztaudit("validate", tmp_path, "--max-scalar-length", "100")
    assert short.returncode == 2 and "value longer than 100 characters" in short.stderr
    deep = "version: 1\nx: " + "[" * 70 + "]" * 70 + "\n"
    (tmp_path / "p.yaml").write_text(GOOD)
    (tmp_path / "deep.yaml").write_text(deep)
    assert "nesting deeper than 64 levels" in ztaudit("validate", tmp_path).stderr
    assert "nesting deeper" not in ztaudit("validate", tmp_path, "--max-depth", "100").stderr


def test_symlinked_folder_leaving_the_repository_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("version: 1\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "p.yaml").write_text(GOOD)
    os.symlink(outside, repo / "linked")
    result = ztaudit("validate", repo)
    assert result.returncode == 2 and "linked: symlink leaves the scanned repository; refused" in result.stderr
