"""Measure ``ztaudit scan`` on generated inventories of 1k, 10k and 100k endpoints.

    python benchmarks/scan_bench.py [--sizes 1000 10000 100000] [--formats yaml json] [--jobs N] [--workdir DIR]

For each size and format: the whole-process wall time and peak memory of
``ztaudit scan`` (a separate process, JSON report written to a file), then
the time of each stage measured in-process with the library: read/parse,
schema validation, model (merge and references), derived facts and access
analysis, rules, report (in one process; the whole-process figure uses
``--jobs``, default one process per CPU). Targets (2-core machine): 1k YAML 0.6 s / JSON
0.5 s / 150 MB; 10k 1.5 s / 1.0 s / 300 MB; 100k 10 s / 5 s / 1.5 GB.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from generate import generate  # the script folder is on sys.path


def whole_process(command: list[str]) -> tuple[float, float, int]:
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        f"code = subprocess.run({command!r}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, code)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def stages(inventory: Path) -> dict[str, float]:
    """In-process timing of each stage, with the library's own functions."""
    from zerotrust_audit.analysis.facts import Facts
    from zerotrust_audit.engine import evaluate
    from zerotrust_audit.gcpause import gc_paused
    from zerotrust_audit.load import load_paths
    from zerotrust_audit.model.inventory import merge_documents
    from zerotrust_audit.model.references import check_references
    from zerotrust_audit.report.json_report import render
    from zerotrust_audit.rules import ALL_RULES, RULES_BY_ID
    from zerotrust_audit.rules.thresholds import effective_thresholds
    from zerotrust_audit.schema import validate_document

    times: dict[str, float] = {}
    with gc_paused():
        t = time.perf_counter()
        loaded = load_paths([inventory], jobs=1)
        times["read/parse"] = time.perf_counter() - t
        t = time.perf_counter()
        invalid = [validate_document(d).invalid for d in loaded.documents]
        times["schema"] = time.perf_counter() - t
        t = time.perf_counter()
        inventory_model, _ = merge_documents(loaded.documents, loaded.root, invalid)
        check_references(inventory_model, RULES_BY_ID.__contains__)
        times["model"] = time.perf_counter() - t
        t = time.perf_counter()
        facts = Facts(inventory_model, inventory_model.organization.audit_date, effective_thresholds(inventory_model))
        facts.prepare_shared()
        times["facts+access"] = time.perf_counter() - t
        t = time.perf_counter()
        findings, suppressed = evaluate(facts, ALL_RULES, RULES_BY_ID, jobs=1)
        times["rules"] = time.perf_counter() - t
        from zerotrust_audit import __version__
        from zerotrust_audit.findings import Report

        t = time.perf_counter()
        render(Report(__version__, facts.today, findings, suppressed, list(ALL_RULES), loaded.files))
        times["report"] = time.perf_counter() - t
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--formats", nargs="+", choices=["yaml", "json"], default=["yaml", "json"])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ztaudit-bench"))
    parser.add_argument("--no-stages", action="store_true", help="Only whole-process figures.")
    parser.add_argument("--jobs", type=int, default=0, help="ztaudit scan --jobs (0: one process per CPU).")
    parser.add_argument("--runs", type=int, default=1, help="Whole-process runs per inventory (the best is printed).")
    args = parser.parse_args()
    ztaudit = shutil.which("ztaudit") or str(Path(sys.executable).with_name("ztaudit"))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for size in args.sizes:
        for fmt in args.formats:
            inventory = args.workdir / f"{size}-{fmt}"
            if not inventory.is_dir():
                generate(inventory, size, fmt=fmt)
            megabytes = sum(p.stat().st_size for p in inventory.rglob("*") if p.is_file()) / 1e6
            command = [ztaudit, "scan", str(inventory), "--format", f"json:{args.workdir / 'scan.json'}", "--fail-on", "never", "--jobs", str(args.jobs)]
            wall, peak, code = min(whole_process(command) for _ in range(args.runs))
            line = f"{size:>7,} endpoints {fmt:<4} {megabytes:6.1f} MB  scan {wall:6.2f} s  peak {peak:6.0f} MB  exit {code}"
            if not args.no_stages:
                line += "  | " + ", ".join(f"{k} {v:.2f}" for k, v in stages(inventory).items())
            print(line, flush=True)


if __name__ == "__main__":
    main()
