"""Kept-open SQLite connections for the event log of `etl run`'s in-process runs.

Dagster's SQLite event log builds a new engine and opens a new connection for every event it stores (and a
second one for the cross-run index of asset events). A year's lake backfill stores ~730 materialization
events: on this machine that cost ~7 cpu-s and far more wall time (each close of the last connection to a
WAL database checkpoints it) than the partitions themselves. Keeping one engine per database file, whose pool
keeps the connection open, stores the same events with the same statements, each in its own committed
transaction as before (a run killed at any point leaves exactly the events Dagster's own code would have
left): ~2 cpu-s for the same 730 events.

Each run also gets its own database file, created on its first event: ~20 DDL statements, each synced to
disk (0.1-0.7 s of waiting, almost no CPU). Files for runs about to start can be created ahead, in a thread,
while this process does other work; a file no run ended up using is removed on leaving.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import sqlalchemy as db
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS


@contextmanager
def kept_event_connections(instance: dg.DagsterInstance, prepare_runs: Sequence[str] = ()) -> Iterator[None]:
    """While inside, the instance's SQLite event log reuses one open connection per database file, and the
    files of the runs `prepare_runs` (run ids) are created in a background thread; on leaving, connections
    are closed and prepared files no run used are removed. Any other event log storage is left alone."""
    storage = instance.event_log_storage
    if type(storage) is not SqliteEventLogStorage:
        yield
        return
    engines: dict[str, db.Engine] = {}
    shard_locks: dict[str, threading.Lock] = {}

    @contextmanager
    def connect(shard: str) -> Iterator[db.Connection]:
        # Dagster's own _connect, but for the engine (kept per shard instead of built and disposed each call)
        # and the lock: one per database file, so that preparing one run's file never holds up another's.
        with storage._db_lock:
            lock = shard_locks.setdefault(shard, threading.Lock())
        with lock:
            engine = engines.get(shard)
            if engine is None:
                engine = engines[shard] = db.create_engine(
                    storage.conn_string_for_shard(shard),
                    pool_size=1,
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
                )
                if shard not in storage._initialized_dbs:
                    storage._initdb(engine)
                    storage._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def prepare() -> None:
        for run_id in prepare_runs:
            with connect(run_id):
                pass

    storage._connect = connect
    preparing = threading.Thread(target=prepare, name="etl-run-event-files", daemon=True)
    preparing.start()
    try:
        yield
    finally:
        preparing.join()
        del storage._connect  # back to the class's method
        for engine in engines.values():
            engine.dispose()
        for run_id in prepare_runs:
            if not instance.has_run(run_id):
                for suffix in ("", "-wal", "-shm"):
                    Path(storage.path_for_shard(run_id) + suffix).unlink(missing_ok=True)
