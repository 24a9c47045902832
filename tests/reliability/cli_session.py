"""A user at the DuckDB CLI while runs happen: `duckdb <warehouse>` (read-write, the CLI default, which takes
DuckDB's file lock) kept open and queried, and reopened on every new build as soon as it is swapped in, so the
session holds the lock on the very file that readers after a build (report, checks, audit) open."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

from pipeline_procs import DUCKDB_CLI

QUERY = "SELECT count(*) FROM duckdb_tables();\n"
ARTICLES = "SELECT 'articles', count(*) FROM articles;\n"


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


class CliSession:
    def __init__(self, warehouse: Path, log_dir: Path):
        self.warehouse = warehouse
        self.log_dir = log_dir
        self.sessions = 0
        self.queries = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._proc: subprocess.Popen | None = None

    def __enter__(self) -> CliSession:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self._close()

    def _open(self) -> None:
        self.sessions += 1
        log = open(self.log_dir / f"duckdb-cli-{self.sessions}.log", "w")  # noqa: SIM115 - the CLI owns it
        self._proc = subprocess.Popen(
            [DUCKDB_CLI, str(self.warehouse)], stdin=subprocess.PIPE, stdout=log, stderr=log, text=True
        )

    def _send(self, sql: str) -> None:
        self._proc.stdin.write(sql)
        self._proc.stdin.flush()
        self.queries += 1

    def _close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.stdin.write(".quit\n")
            self._proc.stdin.close()
            self._proc.wait(timeout=30)

    def _loop(self) -> None:
        seen = None
        while not self._stop.is_set():
            current = _inode(self.warehouse)
            if current is not None and current != seen:  # a new build was swapped in: reopen on it at once
                self._close()
                self._open()
                seen = current
                self._send(ARTICLES)
            if self._proc is not None:
                self._send(QUERY)
            time.sleep(0.05)

    def errors(self) -> list[str]:
        lines = []
        for log in sorted(self.log_dir.glob("duckdb-cli-*.log")):
            lines += [f"{log.name}: {line}" for line in log.read_text().splitlines() if "Error" in line]
        return lines
