"""Read the warehouse without ever conflicting with a user's session.

A read-only open still needs DuckDB's file lock, so a `duckdb data/warehouse.duckdb` session left open
read-write would block it, and a foreign WAL beside the file would make it fail. Readers (charts, checks)
therefore copy the database file alone, never its WAL, into a temp folder and open the copy read-only. Builds
replace the file atomically, so the copy is always one whole build.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


@contextmanager
def open_snapshot(warehouse_path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    source = Path(warehouse_path)
    if not source.exists():
        raise FileNotFoundError(f"no warehouse at {source}: materialize the warehouse assets first")
    with tempfile.TemporaryDirectory(prefix="warehouse-snapshot-") as tmp:
        copy = Path(tmp) / source.name
        with (
            source.open("rb") as src,
            copy.open("wb") as dst,
        ):  # one open fd: a concurrent replace can't tear it
            shutil.copyfileobj(src, dst, 1 << 20)
        con = duckdb.connect(str(copy), read_only=True)
        try:
            yield con
        finally:
            con.close()
