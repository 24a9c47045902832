"""`etl run` marks its runs in flight by a file named after its pid: a marker left by a killed `etl run` makes
the next one open the instance (to fail the killed runs) even when nothing is stale."""

from __future__ import annotations

import os
import subprocess

from etl.commands import run as etl_run


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_a_marker_of_a_dead_process_is_found_and_forgotten(tmp_path):
    dead = etl_run._in_flight_marker(tmp_path, _dead_pid())
    alive = etl_run._in_flight_marker(tmp_path, os.getpid())
    dead.touch()
    alive.touch()
    assert etl_run._dead_markers(tmp_path) == [dead]
    etl_run._forget_dead_markers(tmp_path)
    assert not dead.exists() and alive.exists()
    assert etl_run._dead_markers(tmp_path) == []


def test_no_marker_no_dagster_needed(tmp_path):
    assert etl_run._dead_markers(tmp_path) == []
