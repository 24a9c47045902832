"""Atomic writes, the project's only way to replace a file: readers see the old file or the new, never half.

Locally: a temp file in the target folder, then os.replace (`replacing`, `publish`). On an object store: the
file is serialised in memory and sent as one PUT, which the store makes visible whole or not at all (no temp
objects to clean). Lake partitions, the manifest, staging shards, reports and the warehouse file all go
through here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from etl.lake import storage
from etl.lake.storage import Location


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A hidden temp path beside local `target` (.<name>.<random>.tmp) for the caller to write; it replaces
    `target` when the block exits normally and is removed when it raises."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=_TEMP_SUFFIX, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        publish(Path(tmp), target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def publish(tmp: Path, target: Path, durable: bool = False) -> None:
    """Rename a finished local file onto `target` in one step. `durable` also fsyncs the folder, so the rename
    survives a power cut (worth it for the warehouse file, one per build; not for each of thousands of
    partitions, which a rebuild recreates from the manifest anyway)."""
    os.replace(tmp, target)
    if durable:
        dir_fd = os.open(Path(target).parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_bytes_atomic(path: Location, data: bytes) -> None:
    """Replace the file at `path` (local or an object store) with `data`."""
    if storage.is_remote(path):
        fs, key = storage.resolve(path)
        fs.pipe_file(key, data)  # one PUT below 100 MB, else a multipart upload
        return
    with replacing(storage.local_path(path)) as tmp:
        tmp.write_bytes(data)


def write_parquet_atomic(table: pa.Table, path: Location, metadata: dict[str, str] | None = None) -> None:
    """Write `table` to `path`; `metadata` goes into the Parquet footer (read back with `read_footer`)."""
    if metadata:
        merged = dict(table.schema.metadata or {})
        merged.update({k.encode(): v.encode() for k, v in metadata.items()})
        table = table.replace_schema_metadata(merged)
    if storage.is_remote(path):
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        write_bytes_atomic(path, sink.getvalue().to_pybytes())
        return
    with replacing(storage.local_path(path)) as tmp:
        pq.write_table(table, tmp, compression="zstd")


_TEMP_SUFFIX = ".tmp"  # a local write's temp file: .<name>.<random>.tmp beside its target
_STARTED = time.time()


def remove_dead_temps(path: Location) -> None:
    """Temp files of writes of `path` that a killed process left (hidden, never read as lake data, but
    litter): those older than this process. A live write, of this process or of a concurrent run, began
    moments ago."""
    if storage.is_remote(path):
        return  # an object store write is one PUT: nothing is left half-written
    target = storage.local_path(path)
    _remove_dead(target.parent.glob(f".{target.name}.*{_TEMP_SUFFIX}"))


def remove_dead_temps_in(folder: Location) -> None:
    """Temp files of any write into `folder` that a killed process left, as remove_dead_temps: for folders
    whose files have content-derived names (the staging shards), which a rerun need not write again."""
    if storage.is_remote(folder):
        return
    _remove_dead(storage.local_path(folder).glob(f".*{_TEMP_SUFFIX}"))


def _remove_dead(temps: Iterator[Path]) -> None:
    for tmp in temps:
        try:
            if tmp.stat().st_mtime < _STARTED:
                tmp.unlink()
        except FileNotFoundError:
            pass


def remove_dir_atomic(path: Location) -> None:
    """Remove a partition folder. Locally it is renamed aside first so readers see it whole or not at all; on
    an object store each object is deleted on its own (a partition folder holds one file)."""
    if storage.is_remote(path):
        storage.remove_tree(path)
        return
    folder = storage.local_path(path)
    if not folder.exists():
        return
    doomed = folder.with_name(f".{folder.name}.removing")
    shutil.rmtree(doomed, ignore_errors=True)
    os.replace(folder, doomed)
    shutil.rmtree(doomed, ignore_errors=True)


def read_footer(path: Location) -> dict[str, str]:
    """The key/value metadata written by `write_parquet_atomic`; {} when the file is absent."""
    return read_footers([path])[0]


def read_footers(paths: list[Location]) -> list[dict[str, str]]:
    """`read_footer` of many files. On an object store each footer is one ranged GET of the file's tail, all
    of them concurrently, so checking thousands of partitions costs a few round trips, not thousands."""
    if not paths:
        return []
    if not storage.is_remote(paths[0]):
        return [_local_footer(path) for path in paths]
    fs, _ = storage.resolve(paths[0])
    keys = [storage.resolve(p)[1] for p in paths]
    tails = fs.cat_ranges(keys, [-FOOTER_TAIL] * len(keys), [None] * len(keys), on_error="return")
    footers = []
    for path, tail in zip(paths, tails, strict=True):
        try:
            schema = _schema_from_tail(path, tail)
        except FileNotFoundError:
            footers.append({})
            continue
        footers.append(_ours({k.decode(): v.decode() for k, v in (schema.metadata or {}).items()}))
    return footers


def _local_footer(path: Location) -> dict[str, str]:
    """A local file's footer metadata, read by polars: the planner reads one per lake partition on every
    `etl run`, and polars took 17 ms for 365 footers where pyarrow's read_schema (which also rebuilds the
    Arrow schema) took 117 ms."""
    try:
        return _ours(pl.read_parquet_metadata(storage.local_path(path)))
    except FileNotFoundError:
        return {}
    except pl.exceptions.PolarsError:
        storage.read_schema(path)  # not a Parquet file: raise what pyarrow says about it, as before
        raise


def _ours(metadata: dict[str, str]) -> dict[str, str]:
    """The footer's key/value pairs without Arrow's own (its serialised schema)."""
    return {k: v for k, v in metadata.items() if not k.startswith("ARROW")}


FOOTER_TAIL = 64 * 1024  # our footers are a few KB (schema + one row group); longer ones are read in full


def _schema_from_tail(path: Location, tail: bytes | BaseException) -> pa.Schema:
    """The schema from the last bytes of a Parquet file (the footer: metadata, length, b'PAR1')."""
    if isinstance(tail, BaseException):
        raise tail
    footer_len = int.from_bytes(tail[-8:-4], "little") if len(tail) >= 8 else len(tail)
    if tail[-4:] != b"PAR1" or footer_len + 8 > len(tail):
        return storage.read_schema(path)
    return pq.read_schema(pa.BufferReader(tail))
