"""Where the lake lives: a local folder or any fsspec URI (`s3://bucket/prefix`, `gs://…`, `file://…`).

A location is a string (or a Path for local folders). `resolve` turns it into an fsspec filesystem and the
path inside it (`fsspec.core.url_to_fs`, with ETL_LAKE_STORAGE_OPTIONS for a URI; s3fs also reads the standard
AWS_* variables such as AWS_ENDPOINT_URL). Every other function here takes a location, so callers never
branch on local versus remote.

Object-store listings are never served from fsspec's cache: another process (a Dagster run, the sensor) may
have written since, and a stale listing would make a built partition look missing.
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import fsspec
import polars as pl
import pyarrow as pa
import pyarrow.fs
import pyarrow.parquet as pq
from fsspec.implementations.local import LocalFileSystem

from etl.settings import Settings

Location = str | Path
REMOTE_READERS = 16
HIDDEN = (".", "_")  # temp files, folders being removed, _SUCCESS markers: never part of the lake


def protocol(location: Location) -> str:
    """'file' for a local path or file:// URI, otherwise the URI scheme ('s3', 'gs', 'memory', ...)."""
    text = os.fspath(location)
    scheme, _ = fsspec.core.split_protocol(text)
    return "file" if scheme in (None, "file", "local") else scheme


def is_remote(location: Location) -> bool:
    return protocol(location) != "file"


def local_path(location: Location) -> Path:
    """A local location as a Path (a file:// URI loses its scheme)."""
    if is_remote(location):
        raise ValueError(f"{location} is not on the local disk")
    return Path(fsspec.core.split_protocol(os.fspath(location))[1])


def resolve(location: Location) -> tuple[fsspec.AbstractFileSystem, str]:
    """(filesystem, path inside it). Filesystems are cached by fsspec per storage options."""
    if not is_remote(location):
        return LocalFileSystem(), str(local_path(location))
    fs, path = fsspec.core.url_to_fs(os.fspath(location), **Settings.from_env().lake_storage_options)
    fs.invalidate_cache()
    return fs, path


def join(location: Location, *parts: str) -> str:
    """`location/part/part`, keeping a URI's scheme (pathlib would turn s3:// into s3:/)."""
    text = os.fspath(location)
    if is_remote(text):
        return posixpath.join(text.rstrip("/"), *parts)
    return str(local_path(text).joinpath(*parts))


def display(location: Location) -> str:
    """How a location is shown to users: an absolute path, or the URI as given."""
    return os.fspath(location) if is_remote(location) else str(local_path(location).resolve())


def exists(location: Location) -> bool:
    fs, path = resolve(location)
    return fs.exists(path)


def list_names(location: Location) -> list[str]:
    """Names of the entries directly under a folder (or prefix), sorted; hidden ones skipped; [] if absent."""
    if is_remote(location):
        fs, path = resolve(location)
        try:
            entries = fs.ls(path, detail=False)
        except FileNotFoundError:
            return []
        names = [posixpath.basename(e.rstrip("/")) for e in entries]
    else:
        try:
            with os.scandir(local_path(location)) as it:
                names = [e.name for e in it]
        except (FileNotFoundError, NotADirectoryError):
            return []
    return sorted(n for n in names if n and not n.startswith(HIDDEN))


def parquet_files(location: Location, folders: str = "*") -> list[str]:
    """`location/<folder>/<file>.parquet` for every non-hidden folder matching the `folders` glob and file
    (one partition level), sorted, as locations (URIs stay URIs). One listing on an object store; a local
    folder is walked with os.scandir (fsspec's local glob takes 3x as long over thousands of partitions)."""
    if is_remote(location):
        return list(stamps(location, folders))
    root = str(local_path(location))
    found = []
    for folder in list_names(root):
        if fnmatch.fnmatchcase(folder, folders):
            try:
                with os.scandir(os.path.join(root, folder)) as it:
                    names = [e.name for e in it if e.name.endswith(".parquet")]
            except (FileNotFoundError, NotADirectoryError):  # removed meanwhile, or a stray file
                continue
            found += [os.path.join(root, folder, n) for n in names if not n.startswith(HIDDEN)]
    return sorted(found)


def stamp(location: Location) -> list | None:
    """What changes whenever a file is rewritten: [inode, size, mtime_ns] locally, [ETag, modified, size] on
    an object store (one HEAD); None when absent."""
    if not is_remote(location):
        try:
            st = os.stat(local_path(location))
        except FileNotFoundError:
            return None
        return [st.st_ino, st.st_size, st.st_mtime_ns]
    fs, path = resolve(location)
    try:
        return _remote_stamp(fs.info(path))
    except FileNotFoundError:
        return None


def stamps(location: Location, folders: str = "*") -> dict[str, list]:
    """`stamp` of every file `parquet_files(location, folders)` lists; one listing on an object store."""
    if not is_remote(location):
        return {f: stamp(f) for f in parquet_files(location, folders)}
    fs, path = resolve(location)
    root = path.rstrip("/") + "/"
    # One recursive listing (pages of 1,000 keys); a glob would list each partition folder on its own.
    try:
        found = fs.find(path, detail=True)
    except FileNotFoundError:
        found = {}
    out = {}
    for key, info in found.items():
        parts = key.removeprefix(root).split("/")
        if (
            len(parts) == 2
            and fnmatch.fnmatchcase(parts[0], folders)
            and parts[1].endswith(".parquet")
            and not _hidden(key.removeprefix(root))
        ):
            out[join(location, *parts)] = _remote_stamp(info)
    return dict(sorted(out.items()))


def _remote_stamp(info: dict) -> list:
    """ETag (or whatever the store calls its version), modification time and size, as JSON values."""
    version = info.get("ETag") or info.get("etag") or info.get("generation") or ""
    modified = info.get("LastModified") or info.get("mtime") or info.get("updated") or ""
    return [str(version), str(modified), info.get("size")]


def read_arrow(location: Location, columns: list[str] | None = None) -> pa.Table:
    fs, path = resolve(location)
    # One file: ParquetFile, not read_table, whose dataset layer imports pandas (0.3 s of every `etl run`).
    return pq.ParquetFile(path, filesystem=_arrow_fs(fs)).read(columns=columns)


def read_polars(location: Location, columns: list[str] | None = None) -> pl.DataFrame:
    return _frame(read_arrow(location, columns))


def read_schema(location: Location) -> pa.Schema:
    """The schema with its footer key/value metadata (two small ranged reads on an object store)."""
    fs, path = resolve(location)
    return pq.read_schema(path, filesystem=_arrow_fs(fs))


def dataset(files: list[str]):
    """A pyarrow dataset over files from `parquet_files` (all on one filesystem)."""
    import pyarrow.dataset as ds  # here: it imports pandas (0.3 s), which a nothing-new `etl run` never needs

    fs, _ = resolve(files[0])
    paths = [resolve(f)[1] for f in files]
    return ds.dataset(paths, format="parquet", filesystem=_arrow_fs(fs))


def read_each(files: list[str], columns: list[str]) -> list[pl.DataFrame]:
    """The `columns` of each file, in order; an object store is read by several threads at once (each file
    costs round trips, not bandwidth)."""
    if not files or not is_remote(files[0]):
        return [read_polars(f, columns) for f in files]
    with ThreadPoolExecutor(max_workers=REMOTE_READERS) as pool:
        return list(pool.map(lambda f: read_polars(f, columns), files))


def read_files_polars(files: list[str], columns: list[str]) -> pl.DataFrame:
    """The `columns` of many Parquet files as one frame (empty frame when there are none)."""
    if not files:
        return pl.DataFrame()
    if not is_remote(files[0]):
        return pl.read_parquet(files, columns=columns, hive_partitioning=False)
    return _frame(dataset(files).to_table(columns=columns))


def download_tree(location: Location, dest: Path) -> int:
    """Copy every non-hidden file under `location` into the local folder `dest`, keeping relative paths;
    concurrent GETs on an object store. Returns the number of files."""
    fs, path = resolve(location)
    root = path.rstrip("/") + "/"
    keys = [k for k in (fs.find(path) if fs.exists(path) else []) if not _hidden(k.removeprefix(root))]
    targets = [str(dest / k.removeprefix(root)) for k in keys]
    for folder in {os.path.dirname(t) for t in targets}:
        os.makedirs(folder, exist_ok=True)
    if keys:
        fs.get(keys, targets)
    return len(keys)


def remove_tree(location: Location) -> None:
    """Delete a folder (prefix) and everything under it; nothing when absent."""
    fs, path = resolve(location)
    if fs.exists(path):
        fs.rm(path, recursive=True)


def _hidden(relative: str) -> bool:
    return any(part.startswith(HIDDEN) for part in relative.split("/"))


def _arrow_fs(fs: fsspec.AbstractFileSystem):
    """pyarrow's own local filesystem when local (memory-mapped, no Python in the read path)."""
    if isinstance(fs, LocalFileSystem):
        return None
    return pa.fs.PyFileSystem(pa.fs.FSSpecHandler(fs))


def _frame(table: pa.Table) -> pl.DataFrame:
    data = pl.from_arrow(table)
    return data if isinstance(data, pl.DataFrame) else data.to_frame()
