"""Share a list of independent tasks between this process and forked children.

Rule evaluation reads one large, already-built inventory and its derived
facts. Forked children see them without copying or pickling; only each
task's result travels back (pickled, through a pipe). Tasks are handed out
one at a time from a shared counter, so a slow task does not leave the other
process idle, and results come back in task order whatever ran where.

For work consumed in order as it is produced (a large report written block
by block), :func:`stream_tasks` deals tasks out in turn instead and yields
each result as soon as it is its turn.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


# Beyond this, workers mostly repeat each other's cached work.
MAX_DEFAULT_JOBS = 4


def default_jobs() -> int:
    """One worker per CPU this process may use, up to MAX_DEFAULT_JOBS."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_JOBS))


def run_tasks(count: int, task: Callable[[int], T], jobs: int, on_start: Callable[[int], None] | None = None) -> list[T]:
    """``[task(0), ..., task(count - 1)]``, computed by up to ``jobs`` processes.

    ``on_start(i)`` is called in this process for the tasks it runs (a
    progress line). A task failing in a child is raised here as a
    RuntimeError carrying the child's traceback.
    """
    if jobs <= 1 or count < 2 or not can_fork():
        results = []
        for i in range(count):
            if on_start is not None:
                on_start(i)
            results.append(task(i))
        return results
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    children = []
    for _ in range(min(jobs, count) - 1):
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(task, count, counter, send), daemon=True)
        child.start()
        send.close()
        children.append((child, receive))
    done: dict[int, Any] = {}
    _work(task, count, counter, done, on_start)
    for child, receive in children:
        try:
            status, payload = receive.recv()
        except EOFError:
            status, payload = "error", f"worker process ended with exit code {child.exitcode}"
        child.join()
        if status == "error":
            raise RuntimeError(f"a worker process failed:\n{payload}")
        done.update(payload)
    return [done[i] for i in range(count)]


def _next(counter: Any) -> int:
    with counter.get_lock():
        index = int(counter.value)
        counter.value = index + 1
    return index


def _work(task: Callable[[int], Any], count: int, counter: Any, done: dict[int, Any], on_start: Callable[[int], None] | None) -> None:
    while (index := _next(counter)) < count:
        if on_start is not None:
            on_start(index)
        done[index] = task(index)


def _child(task: Callable[[int], Any], count: int, counter: Any, send: Connection) -> None:
    done: dict[int, Any] = {}
    try:
        _work(task, count, counter, done, None)
        send.send(("ok", done))
    except BaseException:  # report everything: the parent decides
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()


def stream_tasks(count: int, task: Callable[[int], T], jobs: int) -> Iterator[T]:
    """``task(0), ..., task(count - 1)``, yielded in order as they are ready.

    Task ``i`` runs in process ``i % jobs`` (0 is this one); each forked
    child computes its tasks in order and sends each result as soon as it is
    done, so children work ahead while this process computes its own share
    and the caller consumes the results. One fork per child for the whole
    stream: forking a large process costs tens of milliseconds.
    """
    jobs = min(jobs, count)
    if jobs <= 1 or not can_fork():
        yield from map(task, range(count))
        return
    context = multiprocessing.get_context("fork")
    children = []
    for worker in range(1, jobs):
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_stream_child, args=(task, range(worker, count, jobs), send), daemon=True)
        child.start()
        send.close()
        children.append((child, receive))
    try:
        for i in range(count):
            worker = i % jobs
            if worker == 0:
                yield task(i)
                continue
            child, receive = children[worker - 1]
            try:
                status, payload = receive.recv()
            except EOFError:
                status, payload = "error", f"worker process ended with exit code {child.exitcode}"
            if status == "error":
                raise RuntimeError(f"a worker process failed:\n{payload}")
            yield payload
    finally:
        for child, receive in children:
            receive.close()
            if child.is_alive():
                child.terminate()
            child.join()


def _stream_child(task: Callable[[int], Any], indexes: range, send: Connection) -> None:
    try:
        for i in indexes:
            send.send(("ok", task(i)))
    except BaseException:  # report everything: the parent decides
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()
