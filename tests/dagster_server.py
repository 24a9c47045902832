"""Start and stop a Dagster server process (`dagster dev`, `dagster-webserver`) for end-to-end tests: one
place for the free port, the wait for `/server_info` and the stop of the whole process group."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from etl.settings import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dagster_server(
    command: list[str], env: dict[str, str], log: Path, timeout_s: float = 180
) -> Iterator[int]:
    """Run `command -p PORT` from the project folder, yield PORT once `/server_info` answers, then stop it.

    The process gets its own process group (a `dagster dev` started from a non-interactive shell ignores
    SIGTERM otherwise, and its daemon and code server are children): SIGTERM to the group, SIGKILL after
    30 s. The test fails with the end of the log when the server exits or does not answer in `timeout_s`."""
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*command, "-p", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for(proc, port, log, timeout_s)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def _wait_for(proc: subprocess.Popen, port: int, log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{' '.join(proc.args[:2])} did not come up on port {port}: {log.read_text()[-3000:]}")
