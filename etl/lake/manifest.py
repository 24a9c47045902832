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

from etl.dumps.reader import is_dump_name
from etl.lake import assign, schema, stage, storage
from etl.lake.atomic import read_footer, remove_dead_temps_in, remove_dir_atomic, write_parquet_atomic
from etl.lake.lock import file_lock, lake_lock_path
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
    reused: int = 0  # new or changed files a sharded parse had staged already: not parsed again
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


@dataclass
class _Scan:
    """What a refresh starts from: the manifest and its footer, the raw folder's stat walk, the staging."""

    previous: pl.DataFrame
    footer: dict[str, str]
    on_disk: dict[str, tuple[int, int]]
    shards: list[str]

    @property
    def staging_intact(self) -> bool:
        """Every listed file is staged for this parser version (the footer recorded the staging as it is)."""
        return self.footer.get(PARSER_KEY) == stage.parser_version() and self.footer.get(
            SHARDS_KEY
        ) == _names_digest(self.shards)


def refresh_manifest(
    raw_dir: str | Path,
    lake_dir: str | Path,
    partition_start: date,
    partition_end: date,
    progress: Callable[[str], None] | None = None,
    max_new: int | None = None,
) -> ManifestDiff:
    """Bring the manifest (and the staging area) up to date with raw_dir; returns what changed.

    Files staged already with the size and mtime on disk (by the steps of a sharded parse) are not parsed
    again. `max_new` caps how many files one call parses; the rest is left for the next call and counted in
    `ManifestDiff.pending`.
    """
    with file_lock(lock_path(lake_dir)):
        scan = _scan(raw_dir, lake_dir)
        diff = _compare(scan)
        if _up_to_date(scan, diff, partition_start):
            diff.manifest = scan.previous
            return diff  # the usual case: nothing to parse, derive or write
        todo = _files_to_parse(scan, diff, max_new)
        fresh = _read_or_parse(str(raw_dir), lake_dir, todo, scan.on_disk, diff, progress)
        current = _derive(scan.previous, fresh, set(todo) | set(diff.removed), partition_start, partition_end)
        diff.affected_partitions = _changed_keys(
            assign.partition_digests(scan.previous), assign.partition_digests(current)
        )
        diff.written = _save(lake_dir, scan, current, partition_start, whole=diff.pending == 0)
        diff.manifest = current
        return diff


def files_to_parse(raw_dir: str | Path, lake_dir: str | Path, partition_start: date) -> list[str]:
    """The files the next refresh would parse (new, changed, or not staged for this parser version), less
    those staged already with the size and mtime on disk (a sharded parse run again after a failure goes on
    where it stopped), in parse order: what a sharded parse cuts into shards. No lock: the refresh that
    follows decides under it."""
    scan = _scan(raw_dir, lake_dir)
    diff = _compare(scan)
    if _up_to_date(scan, diff, partition_start):
        return []
    todo = _files_to_parse(scan, diff, None)
    staged = set(stage.staged_scans(lake_dir, {p: scan.on_disk[p] for p in todo})["path"].to_list())
    return stage.in_parse_order([p for p in todo if p not in staged])


def _scan(raw_dir: str | Path, lake_dir: str | Path) -> _Scan:
    return _Scan(
        previous=read_manifest(lake_dir),
        footer=read_footer(manifest_path(lake_dir)),
        on_disk=scan_raw(raw_dir),
        shards=stage.shards(lake_dir),
    )


def _compare(scan: _Scan) -> ManifestDiff:
    """Files added, changed (size or mtime) and removed since the manifest."""
    known = {p: (s, m) for p, s, m in scan.previous.select("path", "size", "mtime_ns").iter_rows()}
    on_disk = scan.on_disk
    return ManifestDiff(
        files_seen=len(on_disk),
        added=sorted(p for p in on_disk if p not in known),
        changed=sorted(p for p in on_disk if p in known and known[p] != on_disk[p]),
        removed=sorted(p for p in known if p not in on_disk),
    )


def _up_to_date(scan: _Scan, diff: ManifestDiff, partition_start: date) -> bool:
    unchanged = not (diff.added or diff.changed or diff.removed)
    return (
        unchanged
        and scan.staging_intact
        and not _waits_for_a_day(scan.previous, scan.footer, partition_start)
    )


def _files_to_parse(scan: _Scan, diff: ManifestDiff, max_new: int | None) -> list[str]:
    """Changed, added and restaged files (at most `max_new`); fills diff.restaged and diff.pending."""
    diff.restaged = _restaged(scan, diff)
    todo = diff.changed + diff.added + diff.restaged
    if max_new is None or len(todo) <= max_new:
        return todo
    diff.pending, todo = len(todo) - max_new, todo[:max_new]
    done = set(todo)
    diff.changed, diff.added, diff.restaged = (
        [p for p in lst if p in done] for lst in (diff.changed, diff.added, diff.restaged)
    )
    return todo


def _restaged(scan: _Scan, diff: ManifestDiff) -> list[str]:
    """Unchanged files whose manifest row must come from a parse again: all of them when the manifest's rows
    were made by another parser version (a sharded parse may have staged them already: they are then taken
    from the staging, not parsed), else those whose staged rows are missing. An empty version in the footer
    is a refresh cut short by `max_new`: its rows are this parser's."""
    if scan.footer.get(PARSER_KEY) not in ("", stage.parser_version()):
        skip = set(diff.changed) | set(diff.removed)
        return sorted(p for p in scan.previous["path"].to_list() if p not in skip)
    if scan.staging_intact:
        return []
    return _unstaged(scan.previous, scan.shards, diff.changed, diff.removed)


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


def _read_or_parse(
    raw_dir: str,
    lake_dir: str | Path,
    rels: list[str],
    on_disk: dict[str, tuple[int, int]],
    diff: ManifestDiff,
    progress: Callable[[str], None] | None,
) -> pl.DataFrame:
    """Manifest rows (without the derived columns) of `rels`: taken from the staging where a sharded parse
    staged the bytes on disk already, parsed and staged here otherwise."""
    base = _empty_manifest()
    reused = stage.staged_scans(lake_dir, {p: on_disk[p] for p in rels if p in on_disk})
    diff.reused = reused.height
    taken = set(reused["path"].to_list())
    staged = stage.stage_files(raw_dir, lake_dir, [p for p in rels if p not in taken], progress)
    diff.vanished, diff.parse_cpu_s = staged.vanished, staged.cpu_s
    parsed = pl.from_arrow(staged.rows) if staged.rows is not None else reused.clear()
    diff.drifted = sorted(
        p for p, s, m in parsed.select("path", "size", "mtime_ns").iter_rows() if on_disk.get(p) != (s, m)
    )
    df = pl.concat([reused, parsed], how="diagonal_relaxed")
    return (
        df.with_columns(
            [pl.lit(None, dtype=base.schema[c]).alias(c) for c in base.columns if c not in df.columns]
        )
        .select(base.columns)
        .cast(base.schema)
    )


def _derive(
    previous: pl.DataFrame, fresh: pl.DataFrame, dropped: set[str], partition_start: date, partition_end: date
) -> pl.DataFrame:
    """The new manifest: the previous rows of files not parsed or removed, the fresh rows, statuses and
    partitions derived again over the whole archive (an article's day depends on all its captures)."""
    kept = previous.filter(~pl.col("path").is_in(list(dropped))) if dropped else previous
    return assign.derive(pl.concat([kept, fresh]), partition_start, partition_end)


def _save(
    lake_dir: str | Path, scan: _Scan, current: pl.DataFrame, partition_start: date, whole: bool
) -> bool:
    """Write the manifest when its rows or footer changed (True if written); once every file is staged,
    record the staging in the footer, drop other parser versions' staging and the temp files a killed parse
    left in this version's (every shard of this run is written by then)."""
    shards = stage.shards(lake_dir)
    footer = {
        START_KEY: partition_start.isoformat(),
        PARSER_KEY: stage.parser_version() if whole else "",
        SHARDS_KEY: _names_digest(shards) if whole else "",
    }
    written = False
    if not _same(scan.previous, current) or footer != {k: scan.footer.get(k) for k in footer}:
        write_manifest(current, lake_dir, footer)
        written = True
    if whole:
        for folder in stage.old_versions(lake_dir):
            remove_dir_atomic(folder)
        remove_dead_temps_in(stage.staging_dir(lake_dir))
    return written


def write_manifest(df: pl.DataFrame, lake_dir: str | Path, footer: dict[str, str]) -> None:
    write_parquet_atomic(df.to_arrow().cast(schema.MANIFEST), manifest_path(lake_dir), footer)


def _names_digest(files: list[str]) -> str:
    names = "\n".join(sorted(os.path.basename(f) for f in files))
    return hashlib.sha256(names.encode()).hexdigest()[:16]


def _same(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    return a.height == b.height and a.sort("path").equals(b.sort("path"))


def _changed_keys(old: dict[str, str], new: dict[str, str]) -> list[str]:
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
