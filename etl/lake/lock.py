"""Where the lake's inter-process locks live; the locking itself is the `filelock` package.

The lock file is always on local disk: inside a local lake, or for a lake on an object store under
DAGSTER_HOME keyed by the lake's URI (`lake_lock_path`). There it keeps one writer per machine; across
machines (a Kubernetes deployment) Dagster's run queue, concurrency pools and sensor run keys are what keep
a single writer per manifest and partition, since object stores have no lock to take.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from filelock import FileLock, Timeout

from etl.lake import storage

LockTimeout = Timeout


def lake_lock_path(lake_dir: storage.Location, name: str) -> Path:
    """The local lock file guarding `name` (e.g. 'manifest/.lock') of the lake at `lake_dir`."""
    if not storage.is_remote(lake_dir):
        return storage.local_path(lake_dir) / name
    key = hashlib.sha256(storage.display(lake_dir).rstrip("/").encode()).hexdigest()[:16]
    base = Path(os.environ.get("DAGSTER_HOME") or tempfile.gettempdir())
    return base / "lake-locks" / key / name.replace("/", "_")


def file_lock(path: Path, timeout_s: float = 900.0) -> FileLock:
    """An exclusive lock on `path` across processes (and threads), as a context manager; raises LockTimeout
    after `timeout_s`. The lock file is kept: removing it on release would let a process that opened the old
    file and one that creates a new one both hold "the" lock."""
    return FileLock(path, timeout=timeout_s, preserve_lock_file=True)
