"""What `etl run` has to do: is the manifest current, which partitions are stale, in which ranges to build."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from etl.lake import schema, storage
from etl.lake.assign import AFTER_END
from etl.lake.atomic import read_footer, write_bytes_atomic
from etl.lake.build import built_partitions
from etl.lake.manifest import PARSER_KEY, START_KEY, manifest_path, scan_raw
from etl.lake.stage import parser_version


def manifest_is_current(raw_dir: str | Path, lake_dir: str | Path, partition_start: date) -> bool:
    """The manifest lists exactly the files on disk, same size and mtime (no lock, no hashing), its statuses
    were derived with this partition start, every file is staged for this parser version, and no article
    waits for its day's partition to exist."""
    footer = read_footer(manifest_path(lake_dir))
    if footer.get(START_KEY) != partition_start.isoformat() or footer.get(PARSER_KEY) != parser_version():
        return False
    manifest = storage.read_polars(manifest_path(lake_dir), ["path", "size", "mtime_ns", "reason"])
    if manifest.filter(pl.col("reason") == AFTER_END).height:
        return False
    on_disk = scan_raw(raw_dir)
    known = manifest.select("path", "size", "mtime_ns")
    return known.height == len(on_disk) and all(on_disk.get(p) == (s, m) for p, s, m in known.iter_rows())


# A range run records an event for every day in it, empty ones too (~25 ms each on SQLite), while each extra
# run costs ~1.5 s: absorbing up to this many empty days between two stale ones pays off.
MAX_EMPTY_GAP = 30


def build_ranges(stale: list[str], lake_dir: str | Path, manifest: pl.DataFrame) -> list[tuple[str, str]]:
    """Group stale days into few contiguous ranges, never rebuilding a day that is up to date and holds data;
    short runs of days without any data in between are absorbed."""
    if not stale:
        return []
    holding = set(built_partitions(lake_dir)) | {
        d.isoformat() for d in manifest.filter(pl.col("status") == "ok")["pub_date"].unique().to_list()
    }
    stale_set = set(stale)
    ranges: list[tuple[str, str]] = []
    days = sorted(stale)
    start = prev = days[0]
    for day in days[1:]:
        gap = _days_between(prev, day)
        if len(gap) > MAX_EMPTY_GAP or any(g in holding and g not in stale_set for g in gap):
            ranges.append((start, prev))
            start = day
        prev = day
    ranges.append((start, prev))
    return ranges


def _days_between(a: str, b: str) -> list[str]:
    first, last = date.fromisoformat(a), date.fromisoformat(b)
    return [(first + timedelta(days=i)).isoformat() for i in range(1, (last - first).days)]


# `etl run` with nothing new must answer in well under 2 s, less than loading Dagster and the definitions
# takes. After a run that left everything up to date it records what it saw (the manifest file, every lake
# partition file, the code versions, the warehouse file); the next run compares that without Dagster. Any
# write since (a sensor run, a UI materialization, a rebuilt warehouse) changes one of them, and the run
# takes the full path.
STATE_FILE = "etl_run_state.json"


def run_state(raw_dir, lake_dir, warehouse_path: str | None, partition_start: date, code: dict[str, str]):
    """What `etl run` would find to do nothing about, or None when something is to be done. A lake at a URI
    is told from one listing per table (ETags and times: a write from another machine shows too)."""
    if not manifest_is_current(raw_dir, lake_dir, partition_start):
        return None
    state = {"manifest": storage.stamp(manifest_path(lake_dir)), "lake": _lake_files_digest(lake_dir), **code}
    return state if warehouse_path is None else with_warehouse(state, warehouse_path)


def with_warehouse(state: dict, warehouse_path: str) -> dict:
    """`state` with the warehouse file's stamp (taken after a warehouse build the rest was taken before)."""
    return {**state, "warehouse": storage.stamp(warehouse_path)}


def recorded_state(dagster_home: str) -> dict | None:
    try:
        return json.loads((Path(dagster_home) / STATE_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return None


def record_state(dagster_home: str, state: dict | None) -> None:
    """Keep `state` for the next run (None forgets it); written atomically."""
    target = Path(dagster_home) / STATE_FILE
    if state is None:
        target.unlink(missing_ok=True)
        return
    write_bytes_atomic(target, json.dumps(state, sort_keys=True).encode())


def _lake_files_digest(lake_dir) -> str:
    digest = hashlib.sha256()
    for table in schema.TABLES:
        for f, stamp in storage.stamps(storage.join(lake_dir, table), "pub_date=*").items():
            digest.update(f"{f}\0{stamp}\n".encode())
    return digest.hexdigest()[:16]
