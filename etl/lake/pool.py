"""Spread per-file work over the cores: a process pool for big batches, in-process for small ones."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from etl.settings import Settings

POOL_THRESHOLD = 200  # files; below this, starting workers costs more than it saves
CHUNK_FILES = 500  # files per task: big enough that a task's result and shard amortise their overhead


def workers() -> int:
    return max(1, min(Settings.from_env().workers or (os.cpu_count() or 1), 8))


def chunked(items: Sequence[str], size: int = CHUNK_FILES) -> list[list[str]]:
    """`items` in consecutive chunks, sized so that every worker gets several (load balance at the end)."""
    per_worker = -(-len(items) // (workers() * 4)) if items else 1
    size = max(1, min(size, per_worker))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def map_chunks(
    fn: Callable[..., Any],
    jobs: Sequence[tuple],
    files: int,
    progress: Callable[[str], None] | None = None,
    label: str = "done",
    preload: Sequence[str] = (),
) -> Iterator[Any]:
    """fn(*job) for each job, yielded in order. Each job's second argument is its list of files; `files`,
    the total over all jobs, decides whether a pool is worth starting. `fn` must be module-level (pickled);
    `preload` names the modules workers need (imported once, before the workers fork). As with spawn, a
    worker imports the main script again: scripts that use a pool need an `if __name__ == "__main__"`."""
    if files < POOL_THRESHOLD or workers() == 1:
        yield from (fn(*job) for job in jobs)
        return
    # Workers fork from a lean server process that imported only `preload` (the parser), not from this
    # process: forked from a Dagster run (~300 MB resident), each worker would count that memory again.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(preload))
    step, done, next_report = max(files // 10, 1000), 0, 0
    with ProcessPoolExecutor(max_workers=workers(), mp_context=ctx) as pool:
        for job, result in zip(jobs, pool.map(_call, [(fn, job) for job in jobs]), strict=True):
            yield result
            done += len(job[1])
            if progress and (done >= next_report or done == files):
                progress(f"{done:,}/{files:,} files {label}")
                next_report = done + step


def _call(task: tuple[Callable[..., Any], tuple]) -> Any:
    fn, args = task
    return fn(*args)
