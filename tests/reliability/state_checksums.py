"""Checksum every lake and warehouse table: row count + an order-independent content hash per table.

Two pipeline states are "the same" when `pipeline_state(...)` returns equal dicts. Everything is read from the
files alone (black box: no project code), so the comparison holds whatever writes them.

- Lake: the manifest, and `articles` / `article_versions` over every visible partition file (hidden temp files
  are not part of the lake), each row hashed together with the partition folder it sits in.
- Warehouse: every table and view of the main schema, read from a copy of the database file (a user's session
  may hold the file's lock; a copy is one whole build because builds replace the file atomically).
  `build_info` loses the rows that differ between two builds of the same lake (time, absolute paths, and the
  lake stamp: inodes and mtimes of the lake files, which every rewrite of the same rows changes).
- Leftovers: temp files of writes or builds that died (`.tmp`, `.building-*`, `.removing`), listed separately.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb

Checksum = tuple[int, int]  # (rows, sum of row hashes mod 2**64)
# build_info rows that legitimately differ between two builds of the same lake.
VOLATILE_BUILD_INFO = ("built_at", "lake_dir", "registries_dir", "lake_stamp")


def _checksum(con: duckdb.DuckDBPyConnection, relation: str) -> Checksum:
    # hash(t) hashes the whole row as a struct; summing (not xor-ing) keeps duplicate rows visible.
    rows, total = con.execute(
        f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) % 18446744073709551616 FROM ({relation}) t"
    ).fetchone()
    return int(rows), int(total)


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def lake_checksums(lake_dir: str | Path) -> dict[str, Checksum]:
    lake = Path(lake_dir)
    con = duckdb.connect()
    try:
        sums = {}
        manifest = lake / "manifest" / "manifest.parquet"
        sums["lake.manifest"] = (
            _checksum(con, f"SELECT * FROM read_parquet({_sql_str(str(manifest))})")
            if manifest.exists()
            else (0, 0)
        )
        for table in ("articles", "article_versions"):
            files = sorted(str(p) for p in (lake / table).glob("pub_date=*/*.parquet"))
            if not files:
                sums[f"lake.{table}"] = (0, 0)
                continue
            listing = "[" + ", ".join(_sql_str(f) for f in files) + "]"
            sums[f"lake.{table}"] = _checksum(
                con,
                f"SELECT * EXCLUDE (filename), regexp_extract(filename, 'pub_date=([0-9-]+)', 1) AS folder "
                f"FROM read_parquet({listing}, hive_partitioning = false, filename = true)",
            )
        return sums
    finally:
        con.close()


def warehouse_checksums(warehouse_path: str | Path) -> dict[str, Checksum]:
    source = Path(warehouse_path)
    if not source.exists():
        return {}
    with tempfile.TemporaryDirectory(prefix="wh-checksum-") as tmp:
        copy = Path(tmp) / source.name
        shutil.copyfile(source, copy)
        con = duckdb.connect(str(copy), read_only=True)
        try:
            names = [
                name
                for (name,) in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                    "ORDER BY table_name"
                ).fetchall()
            ]
            sums = {}
            for name in names:
                relation = f'SELECT * FROM main."{name}"'
                if name == "build_info":
                    keys = ", ".join(_sql_str(k) for k in VOLATILE_BUILD_INFO)
                    relation += f" WHERE key NOT IN ({keys})"
                sums[f"warehouse.{name}"] = _checksum(con, relation)
            return sums
        finally:
            con.close()


LEFTOVER_PATTERNS = ("*.tmp", "*.building-*", "*.removing", "*.wal.orphaned-*")


def leftovers(*roots: str | Path) -> list[str]:
    """Temp files and folders of interrupted writes under the given folders."""
    found = set()
    for root in roots:
        for pattern in LEFTOVER_PATTERNS:
            found.update(str(p) for p in Path(root).rglob(pattern))
    return sorted(found)


def pipeline_state(lake_dir: str | Path, warehouse_path: str | Path) -> dict[str, Checksum]:
    return {**lake_checksums(lake_dir), **warehouse_checksums(warehouse_path)}


def total_rows(state: dict[str, Checksum]) -> int:
    return sum(rows for rows, _ in state.values())


def differences(got: dict[str, Checksum], want: dict[str, Checksum]) -> dict[str, tuple]:
    """Tables whose checksum differs: name -> (got, want); rows lost = want rows - got rows."""
    names = sorted(got.keys() | want.keys())
    return {k: (got.get(k), want.get(k)) for k in names if got.get(k) != want.get(k)}
