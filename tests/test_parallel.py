"""Sharing work between processes: same results, in the same order, errors surfaced."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from benchgen import generator
from click.testing import CliRunner

from zerotrust_audit.cli import cli
from zerotrust_audit.forked import can_fork, run_tasks, stream_tasks

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs the fork start method")



def test_results_come_back_in_task_order_whoever_ran_them() -> None:
    results = run_tasks(40, lambda i: (i * i, os.getpid()), jobs=3)
    assert [r[0] for r in results] == [i * i for i in range(40)]
    assert len({pid for _, pid in results}) >= 1


def test_one_job_runs_here_and_reports_each_start() -> None:
    started: list[int] = []
    assert run_tasks(3, lambda i: os.getpid(), jobs=1, on_start=started.append) == [os.getpid()] * 3
    assert started == [0, 1, 2]


def test_a_failing_task_in_a_worker_is_raised_with_its_traceback() -> None:
    parent = os.getpid()

    def task(i: int) -> int:
        if os.getpid() != parent:
            raise ValueError("boom in worker")
        return i

    # whichever process takes a task first, the worker fails on its first one
    # unless this process took them all; both outcomes are well defined
    try:
        results = run_tasks(50, task, jobs=2)
    except RuntimeError as exc:
        assert "ValueError: boom in worker" in str(exc)
    else:
        assert results == list(range(50))


def test_streamed_results_come_in_order_each_from_its_turn() -> None:
    results = list(stream_tasks(11, lambda i: (i * i, os.getpid()), jobs=3))
    assert [r[0] for r in results] == [i * i for i in range(11)]
    pids = [pid for _, pid in results]
    assert pids[0::3] == [os.getpid()] * 4                  # every third task ran here
    assert os.getpid() not in pids[1::3] + pids[2::3]       # the others in the two workers
    assert len(set(pids[1::3])) == 1 and len(set(pids[2::3])) == 1 and pids[1] != pids[2]


def test_a_stream_failing_in_a_worker_raises_with_its_traceback() -> None:
    parent = os.getpid()

    def task(i: int) -> int:
        if os.getpid() != parent and i == 3:
            raise ValueError("boom in worker")
        return i

    stream = stream_tasks(6, task, jobs=2)
    assert [next(stream) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(RuntimeError, match="ValueError: boom in worker"):
        next(stream)


def test_a_stream_left_unfinished_stops_its_workers() -> None:
    stream = stream_tasks(100, lambda i: i, jobs=2)
    assert next(stream) == 0
    stream.close()   # the workers are waiting to send: they are ended, not left behind
    import multiprocessing

    assert multiprocessing.active_children() == []


def _generate(root: Path) -> None:
    module = generator()
    module.generate(root, endpoints=600, users=300, groups=30, resources=1500, rules=200, gateways=2)


def test_scan_with_two_jobs_writes_the_same_report_as_with_one(tmp_path: Path) -> None:
    """Large enough to be shared between processes (users + endpoints + resources >= 2,000)."""
    _generate(tmp_path / "inv")
    runner = CliRunner()
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"report-{jobs}.json"
        result = runner.invoke(cli, ["scan", str(tmp_path / "inv"), "--jobs", jobs, "--format", f"json:{out}", "--fail-on", "never", "--quiet"])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b'"rule_id": "ZT-ACC-' in outputs[0]
