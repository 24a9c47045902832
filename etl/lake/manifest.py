"""The manifest of raw files: an incremental scan of raw_dir into lake/manifest/manifest.parquet.

A refresh stats every file (os.scandir), reuses the previous row while (size, mtime_ns) hold, and hashes and
header-parses only new or changed files. Deleted files drop out. Partition assignment is then re-derived for
the whole archive (etl/lake/assign.py). The whole refresh holds an exclusive lock on the manifest.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from etl.dumps.reader import is_dump_name
from etl.lake import assign, schema
from etl.lake.atomic import read_footer, write_parquet_atomic
from etl.lake.lock import file_lock
from etl.lake.pool import map_in_pool

# Dumps are markdown files (FORMAT.md), some archives save them as .txt; other files (.tsv, images) are not
# articles and are not listed. Hidden files and folders (.git, editor temp files) are skipped too.
START_KEY = "etl.partition_start"


def manifest_path(lake_dir: str | Path) -> Path:
    return Path(lake_dir) / "manifest" / "manifest.parquet"


def lock_path(lake_dir: str | Path) -> Path:
    return Path(lake_dir) / "manifest" / ".lock"


@dataclass
class ManifestDiff:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    affected_partitions: list[str] = field(default_factory=list)  # partitions whose file set changed
    files_seen: int = 0
    pending: int = 0  # new or changed files left for the next refresh (see max_new)
    written: bool = False  # False when the manifest on disk already said all this

    @property
    def hashed(self) -> int:
        return len(self.added) + len(self.changed)


def scan_raw(raw_dir: str | Path) -> dict[str, tuple[int, int]]:
    """Every dump under raw_dir -> (size, mtime_ns), keyed by POSIX path relative to raw_dir."""
    root = str(raw_dir)
    found: dict[str, tuple[int, int]] = {}
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
                    st = entry.stat()
                    found[rel] = (st.st_size, st.st_mtime_ns)
    return found


def has_dumps(raw_dir: str | Path) -> bool:
    return bool(scan_raw(raw_dir))


def read_manifest(lake_dir: str | Path) -> pl.DataFrame:
    path = manifest_path(lake_dir)
    if not path.exists():
        return _empty_manifest()
    return pl.read_parquet(path)


def _empty_manifest() -> pl.DataFrame:
    return pl.from_arrow(schema.MANIFEST.empty_table())


def header_row(raw_dir: str, rel: str) -> dict:
    """Hash and header-parse one file (runs in pool workers)."""
    from etl.dumps.parse import parse_bytes  # imported here: workers pay the import once

    full = os.path.join(raw_dir, rel)
    st = os.stat(full)
    with open(full, "rb") as fh:
        data = fh.read()
    rec = parse_bytes(data, rel, full=False)
    return {
        "path": rel,
        "size": st.st_size,
        "mtime": schema.ns_to_ts(st.st_mtime_ns),
        "mtime_ns": st.st_mtime_ns,
        "file_hash": hashlib.sha256(data).hexdigest(),
        "article_id": rec.article_id,
        "url": rec.url,
        "outlet": rec.outlet,
        "title": rec.title,
        "feed_published_at": schema.parse_ts(rec.feed_published_at),
        "published_at": schema.parse_ts(rec.published_at),
        "parse_status": rec.status,
        "parse_reason": rec.reason,
        "parse_detail": rec.detail,
        "build_reason": None,
        "build_detail": None,
    }


def _header_rows(raw_dir: str, rels: list[str], progress: Callable[[str], None] | None) -> pl.DataFrame:
    rows = map_in_pool(header_row, [(raw_dir, rel) for rel in rels], progress=progress, label="header-parsed")
    base = _empty_manifest()
    if not rows:
        return base
    df = pl.DataFrame(rows, schema={k: v for k, v in base.schema.items() if k in rows[0]})
    return df.with_columns(
        [pl.lit(None, dtype=base.schema[c]).alias(c) for c in base.columns if c not in df.columns]
    ).select(base.columns)


def refresh_manifest(
    raw_dir: str | Path,
    lake_dir: str | Path,
    partition_start: date,
    partition_end: date,
    progress: Callable[[str], None] | None = None,
    max_new: int | None = None,
) -> ManifestDiff:
    """Bring the manifest up to date with raw_dir; returns what changed.

    `max_new` caps how many new or changed files one call hashes (a sensor tick must stay short when a whole
    archive lands at once); the rest is left for the next call and counted in `ManifestDiff.pending`.
    """
    with file_lock(lock_path(lake_dir)):
        previous = read_manifest(lake_dir)
        on_disk = scan_raw(raw_dir)
        known = {p: (s, m) for p, s, m in previous.select("path", "size", "mtime_ns").iter_rows()}
        added = sorted(p for p in on_disk if p not in known)
        changed = sorted(p for p in on_disk if p in known and known[p] != on_disk[p])
        removed = sorted(p for p in known if p not in on_disk)
        pending = 0
        if max_new is not None and len(added) + len(changed) > max_new:
            pending = len(added) + len(changed) - max_new
            changed = changed[:max_new]
            added = added[: max_new - len(changed)]
        stale = set(changed) | set(removed)
        kept = previous.filter(~pl.col("path").is_in(list(stale))) if stale else previous
        fresh = _header_rows(str(raw_dir), added + changed, progress)
        current = assign.derive(pl.concat([kept, fresh]), partition_start, partition_end)
        diff = ManifestDiff(
            added=added, changed=changed, removed=removed, files_seen=len(on_disk), pending=pending
        )
        diff.affected_partitions = _changed_keys(
            assign.partition_digests(previous), assign.partition_digests(current)
        )
        if not _same(previous, current) or manifest_window(lake_dir) != partition_start.isoformat():
            write_manifest(current, lake_dir, partition_start)
            diff.written = True
        return diff


def record_build_rejects(
    lake_dir: str | Path,
    rejects: dict[str, tuple[str, str, str]],
    partition_start: date,
    partition_end: date,
) -> list[str]:
    """Write full-parse rejects back into the manifest ({path: (file_hash, reason, detail)}).

    The verdict sticks to the file's content (cleared when the file changes). Returns the partitions whose
    file set moved because of it (an article whose earliest capture was rejected moves to a later day).
    """
    if not rejects:
        return []
    with file_lock(lock_path(lake_dir)):
        previous = read_manifest(lake_dir)
        verdicts = pl.DataFrame(
            [(p, h, r, d) for p, (h, r, d) in rejects.items()],
            schema={"path": pl.String, "file_hash": pl.String, "_r": pl.String, "_d": pl.String},
            orient="row",
        )
        merged = previous.join(verdicts, on=["path", "file_hash"], how="left").with_columns(
            build_reason=pl.coalesce("_r", "build_reason"), build_detail=pl.coalesce("_d", "build_detail")
        )
        current = assign.derive(merged.drop("_r", "_d"), partition_start, partition_end)
        if not _same(previous, current):
            write_manifest(current, lake_dir, partition_start)
        return _changed_keys(assign.partition_digests(previous), assign.partition_digests(current))


def write_manifest(df: pl.DataFrame, lake_dir: str | Path, partition_start: date) -> None:
    footer = {START_KEY: partition_start.isoformat()}
    write_parquet_atomic(df.to_arrow().cast(schema.MANIFEST), manifest_path(lake_dir), footer)


def manifest_window(lake_dir: str | Path) -> str | None:
    """The partition start the manifest's statuses were derived with."""
    return read_footer(manifest_path(lake_dir)).get(START_KEY)


def _same(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    return a.height == b.height and a.sort("path").equals(b.sort("path"))


def _changed_keys(old: dict[str, str], new: dict[str, str]) -> list[str]:
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
