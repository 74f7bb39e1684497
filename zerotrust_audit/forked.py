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
import pickle
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
    children = [_fork(context, _worked(task, count, counter)) for _ in range(min(jobs, count) - 1)]
    done: dict[int, Any] = {}
    _work(task, count, counter, done, on_start)
    for child, receive in children:
        # bytes pickled by our own forked worker (as every pipe message is), never input data
        done.update((index, pickle.loads(packed)) for index, packed in _received(child, receive).items())
        child.join()
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


def _worked(task: Callable[[int], Any], count: int, counter: Any) -> Iterator[dict[int, bytes]]:
    """A child's one result: every task it took from the counter, by index,
    each pickled as soon as it is done. Packing is then part of the work the
    counter shares out, instead of a wait at the end while the child packs
    everything at once (about 0.4 s at 100k endpoints)."""
    done: dict[int, bytes] = {}
    while (index := _next(counter)) < count:
        done[index] = pickle.dumps(task(index), protocol=pickle.HIGHEST_PROTOCOL)
    yield done


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
    children = [_fork(context, map(task, range(worker, count, jobs))) for worker in range(1, jobs)]
    try:
        for i in range(count):
            yield task(i) if i % jobs == 0 else _received(*children[i % jobs - 1])
    finally:
        for child, receive in children:
            receive.close()
            if child.is_alive():
                child.terminate()
            child.join()


def _fork(context: Any, results: Iterator[Any]) -> tuple[Any, Connection]:
    """A child sending each of ``results`` as it is computed (the iterator is
    only run in the child), and the end of the pipe to read them from."""
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_send_all, args=(results, send), daemon=True)
    child.start()
    send.close()
    return child, receive


def _send_all(results: Iterator[Any], send: Connection) -> None:
    try:
        for result in results:
            send.send(("ok", result))
    except BaseException:  # report everything: the parent decides
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()


def _received(child: Any, receive: Connection) -> Any:
    """The next result from ``child``; its failure, or its end, raised here."""
    try:
        status, payload = receive.recv()
    except EOFError:
        child.join()
        status, payload = "error", f"worker process ended with exit code {child.exitcode}"
    if status == "error":
        child.join()
        raise RuntimeError(f"a worker process failed:\n{payload}")
    return payload
