"""Measure ``ztaudit access`` (and ``ztaudit scan``) on a large synthetic inventory.

    python benchmarks/access_bench.py [--endpoints 100000] [--format yaml|json] [--workdir DIR]

Generates the inventory with benchmarks/generate.py (N endpoints, N/2 users in
200 groups, 2,000 resources, 1,000 rules, 4 gateways) unless it is already
there, then runs each command as a separate process and prints its
whole-process wall time and peak resident memory. Targets for 100,000
endpoints on a 2-core machine: ``access`` under 30 s and 1.5 GB.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from generate import generate  # the script folder is on sys.path


def run(command: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False).returncode
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoints", type=int, default=100_000)
    parser.add_argument("--format", choices=["yaml", "json"], default="yaml")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ztaudit-bench"))
    args = parser.parse_args()

    inventory = args.workdir / f"{args.endpoints}-{args.format}"
    if not inventory.is_dir():
        counts = generate(inventory, args.endpoints, fmt=args.format)
        print(f"generated {inventory}: {counts['bytes'] / 1e6:.1f} MB")
    ztaudit = shutil.which("ztaudit") or str(Path(sys.executable).with_name("ztaudit"))
    out = args.workdir / "out"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"inventory: {args.endpoints:,} endpoints, {args.endpoints // 2:,} users, 2,000 resources, 1,000 rules ({args.format})")
    for name, command in (
        ("access (text)", [ztaudit, "access", str(inventory), "--output", str(out)]),
        ("access (json)", [ztaudit, "access", str(inventory), "--format", "json", "--output", str(out)]),
    ):
        wall, peak, code = run(command)
        lines = sum(1 for _ in out.open(encoding="utf-8")) if out.exists() else 0
        print(f"{name:<14} {wall:7.1f} s  peak {peak:7.0f} MB  exit {code}  ({lines:,} lines)")


if __name__ == "__main__":
    main()
