"""Kept-open SQLite connections for the event log of `etl run`'s in-process runs.

Dagster's SQLite event log builds a new engine and opens a new connection for every event it stores (and a
second one for the cross-run index of asset events). A year's lake backfill stores ~730 materialization
events: on this machine that cost ~7 cpu-s and far more wall time (each close of the last connection to a
WAL database checkpoints it) than the partitions themselves. Keeping one engine per database file, whose pool
keeps the connection open, stores the same events with the same statements, each in its own committed
transaction as before (a run killed at any point leaves exactly the events Dagster's own code would have
left): ~2 cpu-s for the same 730 events.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import sqlalchemy as db
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS


@contextmanager
def kept_event_connections(instance: dg.DagsterInstance) -> Iterator[None]:
    """While inside, the instance's SQLite event log reuses one open connection per database file; closed on
    leaving. Any other event log storage is left alone."""
    storage = instance.event_log_storage
    if type(storage) is not SqliteEventLogStorage:
        yield
        return
    engines: dict[str, db.Engine] = {}

    @contextmanager
    def connect(shard: str) -> Iterator[db.Connection]:
        # Dagster's own _connect, but for the engine: kept per shard instead of built and disposed each call.
        with storage._db_lock:
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

    storage._connect = connect
    try:
        yield
    finally:
        del storage._connect  # back to the class's method
        for engine in engines.values():
            engine.dispose()
