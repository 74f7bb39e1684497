"""Measure a pre-commit run: whole-process time of ``ztaudit hook`` on a small repository.

    python benchmarks/startup_bench.py [--runs 15]

Builds a 10-file policy repository (benchmarks/generate.py at a small size:
60 endpoints, 30 users, 20 resources, 15 rules), then times, as separate processes, ``ztaudit hook`` (the full
zero-trust scan of the repository, reporting on one committed file),
``ztaudit hook --validate-only`` (the format check) and, when it is installed,
``check-jsonschema`` validating the same ten files against the same schema.
Prints the median and best wall time of each. Target: under 0.3 s for the
full hook on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate  # the script folder is on sys.path


def build(root: Path) -> list[Path]:
    generate(root, endpoints=60, users=30, groups=6, resources=20, rules=15, gateways=2)
    (root / "identity" / "teams.yaml").write_text("version: 1\ngroups:\n  - {name: sre-oncall, description: On-call rota}\n")
    return sorted(root.rglob("*.yaml"))


def timed(command: list[str], cwd: Path, runs: int) -> tuple[float, float, int]:
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    ztaudit = shutil.which("ztaudit") or str(bindir / "ztaudit")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        files = build(root)
        schema = Path(tmp) / "inventory.schema.json"   # outside the repository: it is not a policy file
        schema.write_text(subprocess.run([ztaudit, "schema"], capture_output=True, text=True, check=True).stdout)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {len(files)} policy files")
        commands = {
            "ztaudit hook (full scan)": [ztaudit, "hook", "devices/endpoints-001.yaml"],
            "ztaudit hook --validate-only": [ztaudit, "hook", "--validate-only", "devices/endpoints-001.yaml"],
        }
        checker = shutil.which("check-jsonschema") or (str(bindir / "check-jsonschema") if (bindir / "check-jsonschema").exists() else None)
        if checker:
            commands["check-jsonschema (schema only)"] = [checker, "--schemafile", str(schema), *map(str, files)]
        results = {}
        for name, command in commands.items():
            median, best, code = timed(command, root, args.runs)
            results[name] = {"median_s": round(median, 3), "best_s": round(best, 3), "exit": code}
            print(f"{name:<34} median {median:6.3f} s  best {best:6.3f} s  (exit {code})")
        if not checker:
            print("check-jsonschema is not installed (pip install check-jsonschema) - not compared")
        print(json.dumps(results, sort_keys=True))


if __name__ == "__main__":
    main()
