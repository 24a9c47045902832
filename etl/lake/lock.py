"""An exclusive inter-process lock (fcntl), so a sensor tick, a schedule and a run never interleave writes.

The lock file is always on local disk: inside a local lake, or for a lake on an object store under
DAGSTER_HOME keyed by the lake's URI (`lake_lock_path`). There it keeps one writer per machine; across
machines (a Kubernetes deployment) Dagster's run queue, concurrency pools and sensor run keys are what keep
a single writer per manifest and partition, since object stores have no lock to take.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from etl.lake import storage


class LockTimeout(RuntimeError):
    pass


def lake_lock_path(lake_dir: storage.Location, name: str) -> Path:
    """The local lock file guarding `name` (e.g. 'manifest/.lock') of the lake at `lake_dir`."""
    if not storage.is_remote(lake_dir):
        return storage.local_path(lake_dir) / name
    key = hashlib.sha256(storage.display(lake_dir).rstrip("/").encode()).hexdigest()[:16]
    base = Path(os.environ.get("DAGSTER_HOME") or tempfile.gettempdir())
    return base / "lake-locks" / key / name.replace("/", "_")


@contextmanager
def file_lock(path: Path, timeout_s: float = 900.0) -> Iterator[None]:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeout(
                        f"{path} is held by another process for over {timeout_s:.0f} s"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the flock
