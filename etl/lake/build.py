"""Build lake partitions: assemble the manifest's ok files of each day into `articles` + `article_versions`.

Nothing is parsed here: the manifest refresh staged every file's full parse (etl/lake/stage.py), keyed by
(path, file_hash), and a build joins the day's manifest rows with their staged rows. One row per article
from its latest capture (published_at = the earliest across its captures) and one `article_versions` row
per ok capture. A build writes only its own partition files, so builds of different days can run at once on
different machines that share the lake.

The raw folder may have moved since the manifest was made. A file gone from disk, or whose bytes no longer
hash to the manifest's file_hash (checked when its size or mtime moved), is left out of the build, counted
in `PartitionBuild.left_out` and reported; so is a file with no staged row. The partition's footer then
records the digest of the files actually built, which differs from the manifest's, so the day stays stale
until the next manifest refresh and rebuild settle it.

Layout: lake/<table>/pub_date=YYYY-MM-DD/part-0.parquet (hive: pub_date is in the folder name only), written
atomically, with the partition's file-set digest and the code version in the Parquet footer. A partition with
no articles has no folder (a rebuild removes it), so "stale" is simply: footer digest != current digest.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow as pa

from etl.lake import assign, schema, stage, storage
from etl.lake.atomic import read_footers, remove_dead_temps, remove_dir_atomic, write_parquet_atomic
from etl.lake.storage import Location

# What a partition file holds: every column but pub_date, which the folder name carries (etl/lake/schema.py).
ARTICLES_FILE = schema.stored(schema.ARTICLES)
VERSIONS_FILE = schema.stored(schema.ARTICLE_VERSIONS)
# How a build turns staged rows into partition files (latest capture, earliest time, layout). Bump it when a
# change here alters what a partition holds: every partition is rebuilt (etl/lake/fingerprint.py).
LAKE_BUILD_VERSION = "2"  # 2: hive layout, pub_date in the folder name only
DIGEST_KEY = "etl.files_digest"
CODE_KEY = "etl.code_version"


def partition_dir(lake_dir: Location, table: str, day: str) -> str:
    return storage.join(lake_dir, table, f"pub_date={day}")


def partition_file(lake_dir: Location, table: str, day: str) -> str:
    return storage.join(partition_dir(lake_dir, table, day), "part-0.parquet")


def built_partitions(lake_dir: Location) -> list[str]:
    names = storage.list_names(storage.join(lake_dir, "articles"))
    return sorted(n.removeprefix("pub_date=") for n in names if n.startswith("pub_date="))


def built_states(lake_dir: Location, days: list[str]) -> dict[str, tuple[str, str]]:
    """Day -> (files digest, code version) the partition was last built with, ('', '') when never built:
    one listing, then the footers in one batch (concurrent ranged reads on an object store, where one request
    per day in turn took minutes over years of partitions)."""
    built = set(built_partitions(lake_dir))
    have = [day for day in days if day in built]
    states = dict.fromkeys(days, ("", ""))
    for day, footer in zip(
        have, read_footers([partition_file(lake_dir, "articles", d) for d in have]), strict=True
    ):
        states[day] = (footer.get(DIGEST_KEY, "?"), footer.get(CODE_KEY, "?")) if footer else ("?", "?")
    return states


def stale_partitions(
    manifest: pl.DataFrame, lake_dir: Location, code_version: str | None = None
) -> dict[str, str]:
    """Partitions whose lake files do not match the manifest -> their current file-set digest.

    With `code_version`, a partition built by other parser/registry code is stale too.
    """
    current = assign.partition_digests(manifest)
    days = sorted(current.keys() | set(built_partitions(lake_dir)))
    states = built_states(lake_dir, days)
    stale = {}
    for day in days:
        want = current.get(day, assign.EMPTY_DIGEST)
        digest, code = states[day]
        never_built_and_empty = digest == "" and want == assign.EMPTY_DIGEST
        if never_built_and_empty:
            continue
        if digest != want or (code_version is not None and code != code_version):
            stale[day] = want
    return stale


VANISHED = "vanished_since_scan"
CHANGED = "changed_since_scan"
NOT_STAGED = "not_staged"
LEFT_OUT_DETAIL = {
    VANISHED: "deleted or renamed after the manifest scan; the next refresh drops or re-lists it",
    CHANGED: "the file's bytes changed after the manifest scan; the next refresh parses the new version",
    NOT_STAGED: "no staged parse for this file and parser version; the next manifest refresh parses it",
}
BATCH_FILES = 10_000  # files assembled at once: bounds memory on a whole-archive backfill


@dataclass
class PartitionBuild:
    day: str
    digest: str  # of the files actually built (the manifest's digest unless some were left out)
    articles: pa.Table  # ARTICLES_FILE: the day is `day`, not a column
    versions: pa.Table  # VERSIONS_FILE
    files_read: int = 0  # files the manifest assigns to the day
    left_out: dict[str, str] = field(default_factory=dict)  # path -> VANISHED | CHANGED | NOT_STAGED


def build_partitions(
    manifest: pl.DataFrame,
    lake_dir: str | Path,
    raw_dir: str | Path,
    days: list[str],
    progress: Callable[[str], None] | None = None,
) -> Iterator[PartitionBuild]:
    """Assemble each of `days` (not written), in order, a batch of days at a time."""
    wanted = [date.fromisoformat(d) for d in sorted(days)]
    files = manifest.filter((pl.col("status") == "ok") & pl.col("pub_date").is_in(wanted)).select(
        "path", "file_hash", "size", "mtime", "mtime_ns", "pub_date"
    )
    shards = stage.shards(lake_dir)
    files = files.join(stage.staged_index(shards), on=["path", "file_hash"], how="left")
    left_out = moved_since_scan(raw_dir, files)
    left_out.update({p: NOT_STAGED for p in files.filter(pl.col("shard").is_null())["path"].to_list()})
    usable = files.filter(pl.col("shard").is_not_null() & ~pl.col("path").is_in(list(left_out)))
    assigned = dict(files.group_by("pub_date").len().iter_rows())
    day_of = dict(files.select("path", "pub_date").iter_rows())
    left_out_by_day: dict[date, dict[str, str]] = {}
    for path, reason in left_out.items():
        left_out_by_day.setdefault(day_of[path], {})[path] = reason
    batches = list(_batches(wanted, dict(usable.group_by("pub_date").len().iter_rows())))

    def assemble(batch: list[date]) -> tuple[pl.DataFrame, dict[date, pa.Table], dict[date, pa.Table]]:
        chosen = usable.filter(pl.col("pub_date").is_in(batch))
        versions, articles = _assemble(chosen, _read_staged(shards, chosen))
        # One conversion to Arrow per batch, then zero-copy slices per day (a polars split and an Arrow cast
        # per day and table cost more than the assembly itself).
        return chosen, _day_slices(versions, VERSIONS_FILE), _day_slices(articles, ARTICLES_FILE)

    done = 0
    # The next batch is assembled on a thread (polars and Arrow release the GIL) while the caller handles
    # this one's days: at most two batches in memory.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lake-assembly") as ahead:
        pending = ahead.submit(assemble, batches[0]) if batches else None
        for i, batch in enumerate(batches):
            chosen, by_day_v, by_day_a = pending.result()
            pending = ahead.submit(assemble, batches[i + 1]) if i + 1 < len(batches) else None
            digests = assign.files_digests(chosen)
            for d in batch:
                day = d.isoformat()
                yield PartitionBuild(
                    day=day,
                    digest=digests.get(day, assign.EMPTY_DIGEST),
                    articles=by_day_a.get(d, ARTICLES_FILE.empty_table()),
                    versions=by_day_v.get(d, VERSIONS_FILE.empty_table()),
                    files_read=assigned.get(d, 0),
                    left_out=left_out_by_day.get(d, {}),
                )
            done += chosen.height
            if progress:
                progress(f"{done:,}/{usable.height:,} files assembled into partitions (up to {batch[-1]})")


def moved_since_scan(raw_dir: str | Path, files: pl.DataFrame) -> dict[str, str]:
    """Files whose size or mtime moved since the manifest row: gone, or with bytes of another hash."""
    moved = {}
    root = os.path.join(raw_dir, "")
    columns = (files[c].to_list() for c in ("path", "file_hash", "size", "mtime_ns"))
    for rel, file_hash, size, mtime_ns in zip(*columns, strict=True):
        full = root + rel
        try:
            st = os.stat(full)
        except (FileNotFoundError, NotADirectoryError):
            moved[rel] = VANISHED
            continue
        if st.st_size == size and st.st_mtime_ns == mtime_ns:
            continue
        try:
            with open(full, "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()
        except FileNotFoundError:
            moved[rel] = VANISHED
            continue
        if digest != file_hash:
            moved[rel] = CHANGED
    return moved


def _read_staged(shards: list[str], files: pl.DataFrame) -> list[pl.DataFrame]:
    """The staged rows of `files` (manifest rows with the number of the shard to take each from: a file
    staged twice has a row in two shards). Local shards are read in one multi-threaded scan of only the
    columns a build takes; an object store's shard by shard."""
    numbers = files["shard"].unique().sort().to_list()
    if not numbers or storage.is_remote(shards[0]):
        return [stage.read_staged(shards[i], files.filter(pl.col("shard") == i)) for i in numbers]
    number_of = {shards[i]: i for i in numbers}
    scan = pl.scan_parquet(list(number_of), hive_partitioning=False, include_file_paths="_shard_file")
    rows = scan.select(
        "path",
        "file_hash",
        *schema.PARSED_COLUMNS,
        shard=pl.col("_shard_file").replace_strict(number_of, return_dtype=pl.Int32),
    )
    keys = files.lazy().select("path", "file_hash", "shard")
    return [rows.join(keys, on=["path", "file_hash", "shard"], how="semi").drop("shard").collect()]


def _batches(days: list[date], files_per_day: dict[date, int]) -> Iterator[list[date]]:
    batch, n = [], 0
    for d in days:
        if batch and n + files_per_day.get(d, 0) > BATCH_FILES:
            yield batch
            batch, n = [], 0
        batch.append(d)
        n += files_per_day.get(d, 0)
    if batch:
        yield batch


def _assemble(files: pl.DataFrame, staged: list[pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(versions, articles) of `files` (manifest rows) from their staged rows."""
    if not staged:
        return pl.DataFrame(), pl.DataFrame()
    parsed = pl.concat([df.select("path", "file_hash", *schema.PARSED_COLUMNS) for df in staged])
    # The latest of the captures built (one left out of the build cannot be it), then captures in order.
    v = (
        assign.mark_latest(files.join(parsed, on=["path", "file_hash"]))
        .sort(["article_id", *assign.CAPTURE_ORDER], nulls_last=False)
        .with_columns(
            captures=pl.len().over("article_id").cast(pl.Int32),
            earliest=pl.col("published_at").min().over("article_id"),
        )
    )
    versions = v.select(
        pl.col(schema.VERSION_SOURCES.get(name, name)).alias(name) for name in schema.ARTICLE_VERSIONS.names
    )
    articles = v.filter("is_latest").with_columns(published_at="earliest", source_path="path")
    return versions, articles.select(schema.ARTICLES.names)


def _day_slices(df: pl.DataFrame, target: pa.Schema) -> dict[date, pa.Table]:
    """Rows of `df` per pub_date as `target`-typed Arrow tables (without pub_date: the folder says it), each
    day's rows in their order in `df`."""
    if df.height == 0:
        return {}
    df = df.sort("pub_date", maintain_order=True)
    table = df.select(target.names).to_arrow().cast(target)
    slices, offset = {}, 0
    for day, n in df.group_by("pub_date", maintain_order=True).len().iter_rows():
        slices[day] = table.slice(offset, n)
        offset += n
    return slices


def write_partition(lake_dir: str | Path, build: PartitionBuild, code_version: str) -> None:
    """Replace the day's files exactly; a day without articles loses its folders."""
    footer = {DIGEST_KEY: build.digest, CODE_KEY: code_version}
    if build.articles.num_rows == 0:
        # versions first: `articles` carries the footer that says "built", so it goes last.
        remove_dir_atomic(partition_dir(lake_dir, "article_versions", build.day))
        remove_dir_atomic(partition_dir(lake_dir, "articles", build.day))
        return
    for table, rows in (("article_versions", build.versions), ("articles", build.articles)):
        target = partition_file(lake_dir, table, build.day)
        remove_dead_temps(target)
        write_parquet_atomic(rows, target, footer)


class PartitionWriter:
    """`write_partition` on background threads: Parquet encoding and compression release the GIL, so writes
    overlap the caller's next assembly and events (and an object store's round trips overlap each other).

    A build is written only once submitted: a caller that records an event before submitting keeps "event
    before write". At most `pending` builds wait (memory stays bounded); a failed write is raised at the next
    submit or on leaving the `with` block, which waits for every write (and cancels the waiting ones when the
    block is left by an exception).
    """

    def __init__(self, lake_dir: Location, code_version: str, threads: int = 2, pending: int = 32):
        self.lake_dir, self.code_version, self.pending = lake_dir, code_version, pending
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="lake-writer")
        self._futures: deque[Future] = deque()

    def submit(self, build: PartitionBuild) -> None:
        while self._futures and (self._futures[0].done() or len(self._futures) >= self.pending):
            self._futures.popleft().result()
        self._futures.append(self._pool.submit(write_partition, self.lake_dir, build, self.code_version))

    def __enter__(self) -> PartitionWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                while self._futures:
                    self._futures.popleft().result()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=exc_type is not None)
