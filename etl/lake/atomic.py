"""Atomic file writes: a temp file in the target folder, then os.replace, so readers never see half a file."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def write_parquet_atomic(table: pa.Table, path: Path, metadata: dict[str, str] | None = None) -> None:
    """Write `table` to `path`; `metadata` goes into the Parquet footer (read back with `read_footer`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if metadata:
        merged = dict(table.schema.metadata or {})
        merged.update({k.encode(): v.encode() for k, v in metadata.items()})
        table = table.replace_schema_metadata(merged)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_dir_atomic(path: Path) -> None:
    """Remove a partition folder: rename it aside first so readers see it whole or not at all."""
    if not path.exists():
        return
    doomed = path.with_name(f".{path.name}.removing")
    shutil.rmtree(doomed, ignore_errors=True)
    os.replace(path, doomed)
    shutil.rmtree(doomed, ignore_errors=True)


def read_footer(path: Path) -> dict[str, str]:
    """The key/value metadata written by `write_parquet_atomic`; {} when the file is absent."""
    try:
        raw = pq.read_schema(path).metadata or {}
    except FileNotFoundError:
        return {}
    return {k.decode(): v.decode() for k, v in raw.items() if not k.startswith(b"ARROW")}
