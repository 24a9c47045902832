"""Raw folder vs manifest: the files on disk now against the rows of the last scan (polars anti-joins)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from etl.audit.report import RAW, RUN_ETL, Finding, finding
from etl.lake.manifest import scan_raw
from etl.lake.stage import listing_frame

HASH_THREADS = 4  # hashlib releases the GIL on large buffers; reading is I/O bound


def files_on_disk(raw_dir: str | Path) -> pl.DataFrame:
    """path, size, mtime_ns of every dump under raw_dir (the manifest scan's own stat walk)."""
    return listing_frame(scan_raw(raw_dir))


def raw_findings(
    disk: pl.DataFrame,
    manifest: pl.DataFrame,
    raw_dir: str | Path,
    verify_hashes: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[Finding]:
    listed = manifest.select("path", "size", "mtime_ns", "file_hash")
    new = disk.join(listed, on="path", how="anti").sort("path")["path"].to_list()
    gone = listed.join(disk, on="path", how="anti").sort("path")["path"].to_list()
    both = disk.join(listed, on="path", suffix="_scanned")
    changed = both.filter(
        (pl.col("size") != pl.col("size_scanned")) | (pl.col("mtime_ns") != pl.col("mtime_ns_scanned"))
    ).sort("path")
    findings = [
        finding(
            RAW,
            "raw_files_not_in_manifest",
            new,
            f"every dump on disk is in the manifest ({disk.height:,} files)",
            "{n} file(s) on disk not in the manifest (added since the last scan, or their row was lost)",
            RUN_ETL,
        ),
        finding(
            RAW,
            "manifest_files_missing_on_disk",
            gone,
            "every manifest row's file is still on disk",
            "{n} file(s) in the manifest no longer on disk (deleted or renamed since the last scan)",
            RUN_ETL,
        ),
        finding(
            RAW,
            "raw_files_changed",
            [
                f"{p}  size {s0:,} -> {s1:,}, mtime {'changed' if m0 != m1 else 'same'}"
                for p, s1, m1, s0, m0 in changed.select(
                    "path", "size", "mtime_ns", "size_scanned", "mtime_ns_scanned"
                ).iter_rows()
            ],
            "no file changed size or mtime since the scan",
            "{n} file(s) changed size or mtime since the scan",
            RUN_ETL,
        ),
    ]
    if verify_hashes:
        unchanged = both.join(changed.select("path"), on="path", how="anti").sort("path")
        findings.append(_hash_finding(unchanged, str(raw_dir), progress))
    return findings


def _sha256(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None  # vanished since the stat walk


def _hash_finding(rows: pl.DataFrame, raw_dir: str, progress: Callable[[str], None] | None) -> Finding:
    paths = rows["path"].to_list()
    if progress:
        progress(f"re-hashing {len(paths):,} files")
    with ThreadPoolExecutor(max_workers=HASH_THREADS) as pool:
        hashes = list(pool.map(_sha256, (os.path.join(raw_dir, p) for p in paths), chunksize=256))
    rehashed = rows.select("path", "file_hash").with_columns(now=pl.Series(hashes, dtype=pl.String))
    differ = rehashed.filter(pl.col("now").is_null() | (pl.col("now") != pl.col("file_hash")))
    return finding(
        RAW,
        "raw_content_changed",
        differ["path"].to_list(),
        f"{len(paths):,} files re-hashed: content matches the manifest",
        "{n} file(s) whose content changed with the same size and mtime (sha256 differs from the manifest)",
        "touch the listed files (so their mtime changes), then run `etl run` to re-parse them",
    )
