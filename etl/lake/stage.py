"""Staging: every raw file is read, hashed and FULLY parsed once, by the manifest refresh, into compact rows.

A pool worker takes a chunk of files, writes the chunk's parsed rows as one Parquet shard under
lake/staging/code=<parser version>/ (a new file with a content-derived name: never a read-modify-write of a
shared file) and returns only the small manifest columns. Partition builds then assemble the lake from staged
rows, keyed by (path, file_hash), without parsing anything again.

The parser version covers PARSER_VERSION (etl/dumps/__init__.py), the registries' content and the staged
columns, so a parser change that bumps it, a registry edit or a new lake column re-stages every file on the
next refresh.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache

import polars as pl
import pyarrow as pa

from etl.dumps import PARSER_VERSION
from etl.fingerprint import combine, registries_fingerprint
from etl.lake import storage
from etl.lake.atomic import write_parquet_atomic
from etl.lake.schema import ARTICLES, SCANNED, STAGED, TS
from etl.lake.storage import Location

PRELOAD = ("etl.lake.stage", "etl.dumps.parse")  # what a pool worker needs, imported before it forks

# What the manifest keeps of each file (returned by the workers), and a staged row: that plus the rest of the
# parse an articles row takes, typed as the articles table types it (both derived in etl/lake/schema.py).
MANIFEST_COLUMNS = SCANNED
TOPIC_HIT_FIELDS = [f.name for f in ARTICLES.field("topic_hits").type.value_type]
_TIMES = ("feed_published_at", "published_at", "outlet_published_at")


@cache
def parser_version() -> str:
    """The staged rows' version: the parser's, the registries' content and the staged columns (a column added
    to the lake schema is staged for every file)."""
    return combine(PARSER_VERSION, registries_fingerprint(), str(STAGED))


def staging_dir(lake_dir: Location, version: str | None = None) -> str:
    return storage.join(lake_dir, "staging", f"code={version or parser_version()}")


def in_parse_order(rels: list[str]) -> list[str]:
    """Date-named files (Jekyll's YYYY-MM-DD-title.md) sorted by name: each staging shard then holds a few
    days, so a partition build reads few shards."""
    return sorted(rels, key=lambda p: (p.rsplit("/", 1)[-1], p))


def split_into_shards(rels: list[str], shards: int) -> list[list[str]]:
    """`rels` in parse order, cut into at most `shards` consecutive parts of nearly equal size (none empty):
    the parse steps of a sharded re-parse, each a few neighbouring days."""
    ordered = in_parse_order(rels)
    count = max(1, min(shards, len(ordered)))
    size, extra = divmod(len(ordered), count)
    parts, begin = [], 0
    for i in range(count):
        end = begin + size + (1 if i < extra else 0)
        parts.append(ordered[begin:end])
        begin = end
    return [part for part in parts if part]


@dataclass
class StagedFiles:
    """What staging a list of files did: their manifest columns (None when none could be read), the files that
    had vanished, and the CPU the parse workers spent."""

    rows: pa.Table | None
    vanished: list[str] = dataclass_field(default_factory=list)
    cpu_s: float = 0.0


def stage_files(
    raw_dir: str, lake_dir: Location, rels: list[str], progress: Callable[[str], None] | None = None
) -> StagedFiles:
    """Read, hash and parse `rels` in a pool of workers (a chunk per task), staging their rows: what the
    manifest refresh does with the files it has to parse, and what each step of a sharded parse does."""
    from etl.lake.pool import chunked, map_chunks  # not at module level: the planner imports this module

    out_dir = staging_dir(lake_dir)
    jobs = [(raw_dir, chunk, out_dir) for chunk in chunked(in_parse_order(rels))]
    done = StagedFiles(rows=None)
    tables = []
    for table, vanished, cpu_s in map_chunks(
        stage_chunk, jobs, len(rels), progress, "read and parsed", PRELOAD
    ):
        done.vanished.extend(vanished)
        done.cpu_s += cpu_s
        if table.num_rows:
            tables.append(table)
    done.vanished.sort()
    done.rows = pa.concat_tables(tables) if tables else None
    return done


def stage_chunk(raw_dir: str, rels: list[str], out_dir: str) -> tuple[pa.Table, list[str], float]:
    """Read, hash and full-parse `rels`; write their rows as one shard in `out_dir`.

    Returns (manifest columns of the files read, paths that had vanished, CPU seconds spent). Size and mtime
    come from the open file (fstat), so they always describe the bytes that were hashed and parsed.
    """
    from etl.dumps.parse import parse_many  # imported here: workers pay the import once

    began = time.process_time()
    read, vanished = _read_files(raw_dir, rels)
    # The whole chunk in one call: the parser runs each of its steps over every file in turn (cheaper).
    records = parse_many([(data, rel) for rel, _, data in read], full=True)
    cols = _staged_columns(read, records)
    table = _to_table(cols)
    if table.num_rows:
        _write_shard(table, cols, out_dir)
    return table.select(MANIFEST_COLUMNS.names), vanished, time.process_time() - began


_Read = tuple[str, os.stat_result, bytes]  # (path relative to the raw folder, fstat, bytes)


def _read_files(raw_dir: str, rels: list[str]) -> tuple[list[_Read], list[str]]:
    """(the files read, the paths that had vanished)."""
    read: list[_Read] = []
    vanished = []
    for rel in rels:
        try:
            with open(os.path.join(raw_dir, rel), "rb") as fh:
                st = os.fstat(fh.fileno())
                read.append((rel, st, fh.read()))
        except (FileNotFoundError, NotADirectoryError):
            vanished.append(rel)
    return read, vanished


def _staged_columns(read: list[_Read], records: list) -> dict[str, list]:
    """The staged columns, column by column: one list comprehension per column, no per-row dict."""
    cols: dict[str, list] = {
        "path": [rel for rel, _, _ in read],
        "size": [len(data) for _, _, data in read],
        "mtime": [st.st_mtime_ns // 1000 for _, st, _ in read],
        "mtime_ns": [st.st_mtime_ns for _, st, _ in read],
        "file_hash": [hashlib.sha256(data).hexdigest() for _, _, data in read],
        "parse_status": [rec.status for rec in records],
        "parse_reason": [rec.reason for rec in records],
        "parse_detail": [rec.detail for rec in records],
        "topic_hits": [_topic_hit_dicts(rec) for rec in records],
    }
    for name in STAGED.names:
        if name not in cols:  # the rest are the record fields of the same name
            cols[name] = [getattr(rec, name) for rec in records]
    return cols


def _topic_hit_dicts(record) -> list[dict]:
    return [{name: getattr(h, name) for name in TOPIC_HIT_FIELDS} for h in record.topic_hits]


def _write_shard(table: pa.Table, cols: dict[str, list], out_dir: str) -> None:
    """One shard, named after its (path, file hash) keys: the same rows always make the same file."""
    keys = "\n".join(f"{p}\0{h}" for p, h in zip(cols["path"], cols["file_hash"], strict=True))
    name = hashlib.sha256(keys.encode()).hexdigest()[:24]
    write_parquet_atomic(table, storage.join(out_dir, f"{name}.parquet"))


def _to_table(cols: dict[str, list]) -> pa.Table:
    arrays = []
    for field in STAGED:
        values = cols[field.name]
        if field.name in _TIMES:
            arrays.append(pa.array(values, pa.string()).cast(TS))  # ISO 8601 'YYYY-MM-DDTHH:MM:SSZ'
        elif field.name == "mtime":
            arrays.append(pa.array(values, pa.int64()).cast(TS))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.Table.from_arrays(arrays, schema=STAGED)


def shards(lake_dir: Location, version: str | None = None) -> list[str]:
    return storage.parquet_files(storage.join(lake_dir, "staging"), f"code={version or parser_version()}")


def listing_frame(listing: dict[str, tuple[int, int]]) -> pl.DataFrame:
    """A raw listing (path -> size, mtime_ns, as `etl.lake.manifest.scan_raw` makes it) as columns path, size,
    mtime_ns: what the planner, the refresh and the audit join manifests against."""
    return pl.DataFrame(
        {
            "path": list(listing),
            "size": [size for size, _ in listing.values()],
            "mtime_ns": [mtime_ns for _, mtime_ns in listing.values()],
        },
        schema={"path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64},
    )


def staged_scans(lake_dir: Location, wanted: dict[str, tuple[int, int]]) -> pl.DataFrame:
    """Manifest columns of the files of `wanted` (path -> size, mtime_ns as on disk) that are staged for this
    parser version with that very size and mtime: a sharded parse staged them, so the refresh need not parse
    them again. A path staged twice with those stamps but different bytes is left out (it is parsed again)."""
    files = shards(lake_dir)
    if not wanted or not files:
        return pl.from_arrow(MANIFEST_COLUMNS.empty_table())
    keys = listing_frame(wanted)
    # The stamps of every staged row first (small columns), the rest only from the shards that match.
    stamps = ["path", "size", "mtime_ns", "file_hash"]
    index = pl.concat(
        df.with_columns(shard=pl.lit(i, pl.Int32)) for i, df in enumerate(storage.read_each(files, stamps))
    )
    matched = index.join(keys, on=["path", "size", "mtime_ns"], how="semi")
    one_version = pl.col("file_hash").n_unique().over("path") == 1
    unambiguous = matched.filter(one_version).unique("path", keep="first")
    if unambiguous.height == 0:
        return pl.from_arrow(MANIFEST_COLUMNS.empty_table())
    rows = [
        storage.read_polars(files[i], MANIFEST_COLUMNS.names).join(
            unambiguous.filter(pl.col("shard") == i).select("path", "file_hash"), on=["path", "file_hash"]
        )
        for i in unambiguous["shard"].unique().sort().to_list()
    ]
    return pl.concat(rows).unique("path", keep="first").sort("path")


def staged_index(files: list[str]) -> pl.DataFrame:
    """(path, file_hash, shard number) of every staged row in `files` (the shard list from `shards`)."""
    frames = [
        df.with_columns(shard=pl.lit(i, pl.Int32))
        for i, df in enumerate(storage.read_each(files, ["path", "file_hash"]))
    ]
    if not frames:
        return pl.DataFrame(schema={"path": pl.String, "file_hash": pl.String, "shard": pl.Int32})
    return pl.concat(frames).unique(["path", "file_hash"], keep="first")


def read_staged(shard: str, keys: pl.DataFrame) -> pl.DataFrame:
    """The rows of one shard whose (path, file_hash) is in `keys`."""
    return storage.read_polars(shard).join(
        keys.select("path", "file_hash"), on=["path", "file_hash"], how="semi"
    )


def old_versions(lake_dir: Location) -> list[str]:
    """Staging folders of other parser versions (removed once the current one is complete)."""
    current = f"code={parser_version()}"
    names = storage.list_names(storage.join(lake_dir, "staging"))
    return [storage.join(lake_dir, "staging", n) for n in names if n.startswith("code=") and n != current]
