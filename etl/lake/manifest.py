"""The manifest of raw files: an incremental scan of raw_dir into lake/manifest/manifest.parquet.

A refresh stats every file (os.scandir) and reuses the previous row while (size, mtime_ns) hold. New or
changed files, and files not staged for the current parser version, are read once, hashed and fully parsed
in a pool (etl/lake/stage.py): the manifest takes their header fields and verdict, the staging area keeps
their parsed rows for the partition builds. Deleted files drop out. Partition assignment is then re-derived
for the whole archive (etl/lake/assign.py). The whole refresh holds an exclusive lock on the manifest.

Files that change under a refresh are never half-counted: a file gone when its worker opens it is left out
(`ManifestDiff.vanished`; the next refresh does not list it either), and a file rewritten between the stat
walk and the read is recorded with the size, mtime and hash of the bytes actually parsed
(`ManifestDiff.drifted`), so the next refresh sees whether it moved again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow as pa

from etl.dumps.reader import is_dump_name
from etl.lake import assign, schema, stage, storage
from etl.lake.atomic import read_footer, remove_dir_atomic, write_parquet_atomic
from etl.lake.lock import file_lock, lake_lock_path
from etl.lake.pool import chunked, map_chunks
from etl.lake.storage import Location

# Dumps are markdown files (FORMAT.md), some archives save them as .txt; other files (.tsv, images) are not
# articles and are not listed. Hidden files and folders (.git, editor temp files) are skipped too.
START_KEY = "etl.partition_start"
PARSER_KEY = "etl.parser_version"  # every row is staged under this parser version
SHARDS_KEY = "etl.staged_shards"  # digest of the staging shard names, to notice a damaged staging area


def manifest_path(lake_dir: Location) -> str:
    return storage.join(lake_dir, "manifest", "manifest.parquet")


def lock_path(lake_dir: Location) -> Path:
    return lake_lock_path(lake_dir, "manifest/.lock")


@dataclass
class ManifestDiff:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    restaged: list[str] = field(default_factory=list)  # unchanged files parsed again (new parser version)
    vanished: list[str] = field(default_factory=list)  # listed by the stat walk, gone when read: left out
    drifted: list[str] = field(default_factory=list)  # rewritten between the stat walk and the read
    affected_partitions: list[str] = field(default_factory=list)  # partitions whose file set changed
    files_seen: int = 0
    parse_cpu_s: float = 0.0  # CPU the pool workers spent reading, hashing, parsing and staging
    pending: int = 0  # files left for the next refresh (see max_new)
    written: bool = False  # False when the manifest on disk already said all this
    manifest: pl.DataFrame | None = field(default=None, repr=False)  # the manifest after the refresh

    @property
    def hashed(self) -> int:
        return len(self.added) + len(self.changed) + len(self.restaged)


def scan_raw(raw_dir: str | Path) -> dict[str, tuple[int, int]]:
    """Every dump under raw_dir -> (size, mtime_ns), keyed by POSIX path relative to raw_dir."""
    return dict(_walk(str(raw_dir)))


def has_dumps(raw_dir: str | Path) -> bool:
    return next(_walk(str(raw_dir)), None) is not None


def _walk(root: str) -> Iterator[tuple[str, tuple[int, int]]]:
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            entries = os.scandir(os.path.join(root, rel_dir) if rel_dir else root)
        except FileNotFoundError:
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append(rel)
                elif is_dump_name(entry.name) and entry.is_file():
                    try:
                        st = entry.stat()
                    except FileNotFoundError:  # deleted since the listing
                        continue
                    yield rel, (st.st_size, st.st_mtime_ns)


def read_manifest(lake_dir: str | Path) -> pl.DataFrame:
    path = manifest_path(lake_dir)
    if not storage.exists(path):
        return _empty_manifest()
    # Its own columns: a manifest written by an older version may hold others (build_reason, build_detail).
    return storage.read_polars(path).select(schema.MANIFEST.names)


def _empty_manifest() -> pl.DataFrame:
    return pl.from_arrow(schema.MANIFEST.empty_table())


def refresh_manifest(
    raw_dir: str | Path,
    lake_dir: str | Path,
    partition_start: date,
    partition_end: date,
    progress: Callable[[str], None] | None = None,
    max_new: int | None = None,
) -> ManifestDiff:
    """Bring the manifest (and the staging area) up to date with raw_dir; returns what changed.

    `max_new` caps how many files one call parses (a sensor tick must stay short when a whole archive lands
    at once); the rest is left for the next call and counted in `ManifestDiff.pending`.
    """
    with file_lock(lock_path(lake_dir)):
        previous = read_manifest(lake_dir)
        footer = read_footer(manifest_path(lake_dir))
        on_disk = scan_raw(raw_dir)
        known = {p: (s, m) for p, s, m in previous.select("path", "size", "mtime_ns").iter_rows()}
        diff = ManifestDiff(files_seen=len(on_disk))
        diff.added = sorted(p for p in on_disk if p not in known)
        diff.changed = sorted(p for p in on_disk if p in known and known[p] != on_disk[p])
        diff.removed = sorted(p for p in known if p not in on_disk)
        shards = stage.shards(lake_dir)
        staging_intact = footer.get(PARSER_KEY) == stage.parser_version() and footer.get(
            SHARDS_KEY
        ) == _names_digest(shards)
        unchanged = not (diff.added or diff.changed or diff.removed)
        if unchanged and staging_intact and not _waits_for_a_day(previous, footer, partition_start):
            diff.manifest = previous
            return diff  # the usual sensor tick: nothing to parse, derive or write

        diff.restaged = [] if staging_intact else _unstaged(previous, shards, diff.changed, diff.removed)
        todo = diff.changed + diff.added + diff.restaged
        if max_new is not None and len(todo) > max_new:
            diff.pending, todo = len(todo) - max_new, todo[:max_new]
            done = set(todo)
            diff.changed, diff.added, diff.restaged = (
                [p for p in lst if p in done] for lst in (diff.changed, diff.added, diff.restaged)
            )
        fresh = _stage(str(raw_dir), lake_dir, todo, on_disk, diff, progress)
        dropped = set(todo) | set(diff.removed)
        kept = previous.filter(~pl.col("path").is_in(list(dropped))) if dropped else previous
        current = assign.derive(pl.concat([kept, fresh]), partition_start, partition_end)
        diff.affected_partitions = _changed_keys(
            assign.partition_digests(previous), assign.partition_digests(current)
        )
        shards = stage.shards(lake_dir)
        whole = diff.pending == 0
        new_footer = {
            START_KEY: partition_start.isoformat(),
            PARSER_KEY: stage.parser_version() if whole else "",
            SHARDS_KEY: _names_digest(shards) if whole else "",
        }
        if not _same(previous, current) or new_footer != {k: footer.get(k) for k in new_footer}:
            write_manifest(current, lake_dir, new_footer)
            diff.written = True
        if whole:
            for folder in stage.old_versions(lake_dir):
                remove_dir_atomic(folder)
        diff.manifest = current
        return diff


def _waits_for_a_day(manifest: pl.DataFrame, footer: dict[str, str], partition_start: date) -> bool:
    """Statuses must be derived again: another partition start, or an article dated after the last partition
    (today) whose day may have come."""
    if footer.get(START_KEY) != partition_start.isoformat():
        return True
    return manifest.filter(pl.col("reason") == assign.AFTER_END).height > 0


def _unstaged(previous: pl.DataFrame, shards: list[str], changed: list[str], removed: list[str]) -> list[str]:
    """Files the manifest lists, unchanged on disk, whose (path, hash) has no staged row for this parser."""
    skip = set(changed) | set(removed)
    listed = previous.select("path", "file_hash").filter(~pl.col("path").is_in(list(skip)))
    missing = listed.join(stage.staged_index(shards), on=["path", "file_hash"], how="anti")
    return sorted(missing["path"].to_list())


def _stage(
    raw_dir: str,
    lake_dir: str | Path,
    rels: list[str],
    on_disk: dict[str, tuple[int, int]],
    diff: ManifestDiff,
    progress: Callable[[str], None] | None,
) -> pl.DataFrame:
    """Parse and stage `rels`; their manifest rows (without the derived columns)."""
    base = _empty_manifest()
    # Date-named files (Jekyll's YYYY-MM-DD-title.md) sorted by name keep each shard to a few days, so a
    # partition build reads few shards.
    ordered = sorted(rels, key=lambda p: (p.rsplit("/", 1)[-1], p))
    out_dir = stage.staging_dir(lake_dir)
    jobs = [(raw_dir, chunk, out_dir) for chunk in chunked(ordered)]
    tables = []
    parsed = map_chunks(stage.stage_chunk, jobs, len(rels), progress, "read and parsed", stage.PRELOAD)
    for table, vanished, cpu_s in parsed:
        diff.vanished.extend(vanished)
        diff.parse_cpu_s += cpu_s
        if table.num_rows:
            tables.append(table)
    diff.vanished.sort()
    if not tables:
        return base
    df = pl.from_arrow(pa.concat_tables(tables))
    diff.drifted = sorted(
        p for p, s, m in df.select("path", "size", "mtime_ns").iter_rows() if on_disk.get(p) != (s, m)
    )
    return (
        df.with_columns(
            [pl.lit(None, dtype=base.schema[c]).alias(c) for c in base.columns if c not in df.columns]
        )
        .select(base.columns)
        .cast(base.schema)
    )


def write_manifest(df: pl.DataFrame, lake_dir: str | Path, footer: dict[str, str]) -> None:
    write_parquet_atomic(df.to_arrow().cast(schema.MANIFEST), manifest_path(lake_dir), footer)


def _names_digest(files: list[str]) -> str:
    names = "\n".join(sorted(os.path.basename(f) for f in files))
    return hashlib.sha256(names.encode()).hexdigest()[:16]


def _same(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    return a.height == b.height and a.sort("path").equals(b.sort("path"))


def _changed_keys(old: dict[str, str], new: dict[str, str]) -> list[str]:
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
