"""What `etl run` has to do: is the manifest current, which partitions are stale, in which ranges to build."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl

from etl.lake.assign import AFTER_END
from etl.lake.atomic import read_footer
from etl.lake.build import built_partitions
from etl.lake.manifest import PARSER_KEY, START_KEY, manifest_path, read_manifest, scan_raw
from etl.lake.stage import parser_version


def manifest_is_current(raw_dir: str | Path, lake_dir: str | Path, partition_start: date) -> bool:
    """The manifest lists exactly the files on disk, same size and mtime (no lock, no hashing), its statuses
    were derived with this partition start, every file is staged for this parser version, and no article
    waits for its day's partition to exist."""
    footer = read_footer(manifest_path(lake_dir))
    if footer.get(START_KEY) != partition_start.isoformat() or footer.get(PARSER_KEY) != parser_version():
        return False
    manifest = read_manifest(lake_dir)
    if manifest.filter(pl.col("reason") == AFTER_END).height:
        return False
    on_disk = scan_raw(raw_dir)
    known = manifest.select("path", "size", "mtime_ns")
    return known.height == len(on_disk) and all(on_disk.get(p) == (s, m) for p, s, m in known.iter_rows())


# Dagster logs a "planned" event per partition and asset when it creates a range run (~25 ms each on SQLite),
# while each extra run costs ~1.5 s: absorbing up to this many empty days between two stale ones pays off.
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
