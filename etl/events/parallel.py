"""The sketch pass on worker processes: what each finder keeps of an article (the reprint sketch, the event
term counts) is computed a chunk of articles at a time, side by side.

Threads cannot do it: segmentation (rjieba) and the polars word steps hold the GIL (two threads counting the
words of two halves took 1.78 s against 1.69 s one after the other). Processes can: every article is
sketched on its own, so chunks go to WORKERS processes and come back as compact arrays (224 bytes of sketch
and ~100 term counts an article), in order. The parent never makes Python strings of the bodies: it hands
each chunk over as an Arrow array.

Workers are spawned (not forked: the parent holds a DuckDB connection and polars' thread pool, which a fork
would copy mid-flight) and pinned to one thread each, so two workers use two cores and no more. A small
archive is sketched in the parent: spawning costs ~1-2 s of imports, more than a few thousand articles take.
This module imports nothing heavy at the top, so a worker sets its thread limits before polars loads.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager

WORKERS = 2  # the step's target machine has 2 cores
PROCESS_MIN_ARTICLES = 20_000  # fewer are sketched in the parent
IN_FLIGHT = 2  # chunks submitted ahead per worker: enough to keep them busy, few bodies held at once
# One thread per worker: polars, rayon (rensa, rjieba) and BLAS would otherwise each start a thread per core.
WORKER_ENV = {"POLARS_MAX_THREADS": "1", "RAYON_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def _start_worker(parent: int) -> None:
    os.environ.update(WORKER_ENV)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    from etl.events import reprints, terms  # noqa: F401  (imported once, before the first chunk)


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent died (a killed build) exits: blocked on a result nobody reads, it would
    otherwise live on."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def sketch_chunk(bodies, titles, scripts: list, eligible, cfg) -> tuple:
    """((band keys, 8-bit signatures, long enough), term counts) of one chunk of articles; `bodies` and
    `titles` are Arrow string arrays, `eligible` a boolean array (digests get no terms)."""
    from etl.events.reprints import sketch
    from etl.events.terms import count_terms

    body_texts, title_texts = bodies.to_pylist(), titles.to_pylist()
    sketched = sketch(body_texts, scripts, cfg.reprints)
    return sketched, count_terms(title_texts, body_texts, eligible, cfg.events)


class _InProcess(Executor):
    """Runs each call at submit, in the caller's thread (a small archive: no process is worth spawning)."""

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future
            future.set_exception(exc)
        return future


@contextmanager
def sketch_executor(articles: int, processes: bool | None = None) -> Iterator[Executor]:
    """WORKERS spawned processes for an archive of at least PROCESS_MIN_ARTICLES (or when `processes` is
    True), else the caller's own thread. The processes exit when the block ends, so their memory is given
    back before the events are grouped."""
    if processes is None:
        processes = articles >= PROCESS_MIN_ARTICLES
    if not processes:
        yield _InProcess()
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        WORKERS, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
    ) as pool:
        for _ in range(WORKERS):  # start both now: their imports overlap the parent's own work
            pool.submit(int)
        yield pool


def in_order(pool: Executor, tasks: Iterable[tuple], ahead: int) -> Iterator[tuple]:
    """(key, result) of each task (key, fn, *args), in the order given, with at most `ahead` tasks
    submitted and not yet collected (bounds the chunks in memory)."""
    pending: deque[tuple[object, Future]] = deque()
    for key, fn, *args in tasks:
        pending.append((key, pool.submit(fn, *args)))
        if len(pending) >= ahead:
            done_key, future = pending.popleft()
            yield done_key, future.result()
    while pending:
        done_key, future = pending.popleft()
        yield done_key, future.result()
