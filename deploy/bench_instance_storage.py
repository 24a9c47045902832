"""Concurrent writers on a Dagster instance: PROCS processes each create 10 runs and write 100 engine events
to each (what run workers do), then read the run's logs back (what the UI does). Prints events/s and errors.

    .venv/bin/python deploy/bench_instance_storage.py DAGSTER_HOME PROCS

DAGSTER_HOME holds the dagster.yaml to measure: `storage: sqlite` (as dagster_home/) or the `storage:
postgres` block of deploy/dagster.yaml pointed at a server. Run both in the same session to compare.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import time
import uuid

import dagster as dg

RUNS, EVENTS = 10, 100


@dg.op
def noop() -> None:
    pass


@dg.job
def bench_job() -> None:
    noop()


def worker(home: str, results: mp.Queue) -> None:
    errors = 0
    with dg.DagsterInstance.from_config(home) as instance:
        start = time.perf_counter()
        for _ in range(RUNS):
            run = instance.create_run_for_job(job_def=bench_job, run_id=str(uuid.uuid4()))
            for i in range(EVENTS):
                try:
                    instance.report_engine_event(f"event {i}", run)
                except Exception:  # a locked database: counted, the point of the benchmark
                    errors += 1
            instance.all_logs(run.run_id)
        results.put((time.perf_counter() - start, errors))


def main() -> int:
    home, procs = sys.argv[1], int(sys.argv[2])
    # Create the storage once, before the writers: processes creating a fresh SQLite instance at once race
    # on its schema (one of them fails with "table ... already exists").
    dg.DagsterInstance.from_config(home).dispose()
    results: mp.Queue = mp.Queue()
    workers = [mp.Process(target=worker, args=(home, results)) for _ in range(procs)]
    for w in workers:
        w.start()
    outcomes = [results.get() for _ in workers]
    for w in workers:
        w.join()
    slowest = max(seconds for seconds, _ in outcomes)
    total = procs * RUNS * EVENTS
    print(
        f"{home}: {procs} writers, {total:,} events in {slowest:.1f} s = {total / slowest:,.0f} events/s, "
        f"{sum(e for _, e in outcomes)} errors"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
