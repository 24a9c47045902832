"""The sketch pass on worker processes: what each finder keeps of an article (the reprint sketch, the event
term counts) is computed a chunk of articles at a time, side by side.

Threads cannot do it: segmentation (rjieba) and the polars word steps hold the GIL (two threads counting the
words of two halves took 1.78 s against 1.69 s one after the other). Processes can: every article is
sketched on its own, so chunks go to a helper process and come back as compact arrays (224 bytes of sketch
and ~50 term counts an article), in order; the parent sketches the chunks the helper has no room for, so
two cores work with one extra process (each costs ~0.3 GB of RSS: imports, rjieba's dictionary, a chunk's
working set). The parent hands each chunk over as an Arrow array.

Workers are spawned (not forked: the parent holds a DuckDB connection and polars' thread pool, which a fork
would copy mid-flight) and pinned to one thread each, so two workers use two cores and no more. A small
archive is sketched in the parent: spawning costs ~1-2 s of imports, more than a few thousand articles take.
This module imports nothing heavy at the top, so a worker sets its thread limits before polars loads.
Measured (`bench/events.py --articles 100000`, quiet machine, two runs each): 13.1-14.9 s wall with the
helper against 17.1-22.5 s in the parent alone, for +0.17 GB of peak RSS (0.96 against 0.79 GB).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager

WORKERS = 2  # the step's target machine has 2 cores: the parent and HELPERS processes
HELPERS = WORKERS - 1
PROCESS_MIN_ARTICLES = 20_000  # fewer are sketched in the parent
IN_FLIGHT = 2  # chunks submitted ahead per helper: enough to keep it busy, few bodies held at once
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

    # The Arrow arrays go to polars as they are: no Python string is made per body.
    return sketch(bodies, scripts, cfg.reprints), count_terms(titles, bodies, eligible, cfg.events)


@contextmanager
def sketch_executor(articles: int, processes: bool | None = None) -> Iterator[Executor | None]:
    """A pool of HELPERS spawned processes for an archive of at least PROCESS_MIN_ARTICLES (or when
    `processes` is True), else None (the caller sketches alone). The processes exit when the block ends, so
    their memory is given back before the events are grouped."""
    if processes is None:
        processes = articles >= PROCESS_MIN_ARTICLES
    if not processes:
        yield None
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        HELPERS, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
    ) as pool:
        for _ in range(HELPERS):  # start them now: their imports overlap the parent's own work
            pool.submit(int)
        yield pool


def in_order(pool: Executor | None, tasks: Iterable[tuple]) -> Iterator[tuple]:
    """(key, result) of each task (key, fn, *args), in the order given. Each task goes to the pool while
    fewer than IN_FLIGHT of the pool's are running, and is otherwise run by the caller, which would only
    wait: the caller is one of the workers, so a pool of one process keeps two cores busy. At most
    IN_FLIGHT + 1 results wait to be collected (bounds the chunks in memory)."""
    pending: deque[tuple[object, Future | None, object]] = deque()

    def at_pool() -> int:
        return sum(1 for _, future, _ in pending if future is not None and not future.done())

    for key, fn, *args in tasks:
        if pool is not None and at_pool() < IN_FLIGHT * HELPERS:
            pending.append((key, pool.submit(fn, *args), None))
        else:
            pending.append((key, None, fn(*args)))
        while pending and (pending[0][1] is None or pending[0][1].done() or len(pending) > IN_FLIGHT + 1):
            done_key, future, result = pending.popleft()
            yield done_key, (future.result() if future is not None else result)
    while pending:
        done_key, future, result = pending.popleft()
        yield done_key, (future.result() if future is not None else result)
