"""Spread per-file work over the cores: a process pool for big batches, in-process for small ones."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from etl.settings import Settings

POOL_THRESHOLD = 200  # below this, starting workers costs more than it saves
CHUNK = 32


def workers() -> int:
    return max(1, min(Settings.from_env().workers or (os.cpu_count() or 1), 8))


def _call(job: tuple[Callable[..., Any], tuple]) -> Any:
    fn, args = job
    return fn(*args)


def map_in_pool(
    fn: Callable[..., Any],
    args: Sequence[tuple],
    progress: Callable[[str], None] | None = None,
    label: str = "done",
) -> list[Any]:
    """[fn(*a) for a in args], in order. `fn` must be a module-level function (it is pickled)."""
    n = len(args)
    if n < POOL_THRESHOLD or workers() == 1:
        return [fn(*a) for a in args]
    # fork: workers start at once with the parser already imported, and never re-import the caller's
    # __main__ (spawn and forkserver do, which re-runs unguarded scripts). Workers only parse files.
    ctx = multiprocessing.get_context("fork")
    results: list[Any] = []
    step = max(n // 10, 1000)
    with ProcessPoolExecutor(max_workers=workers(), mp_context=ctx) as pool:
        for i, result in enumerate(pool.map(_call, [(fn, a) for a in args], chunksize=CHUNK), 1):
            results.append(result)
            if progress and (i % step == 0 or i == n):
                progress(f"{i:,}/{n:,} files {label}")
    return results
