"""A build killed with SIGKILL midway leaves the previous warehouse whole, identical and queryable."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import handmade_lake

from etl.warehouse.build import build_warehouse

# The child builds for real; once every table is written to its temp file (before CHECKPOINT and the swap) it
# signals and waits, so the kill lands mid-build every time instead of racing a fast build.
CHILD = """
import sys, time
from pathlib import Path
from etl.warehouse import build, checks

def stall(con):
    Path(sys.argv[4]).write_text("tables written")
    time.sleep(60)

checks.run_checks = stall
build.build_warehouse(sys.argv[1], sys.argv[2], sys.argv[3])
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sigkill_mid_build_leaves_the_previous_warehouse(tmp_path, registries_dir, sample_rows):
    lake = handmade_lake.write_lake(tmp_path / "lake", sample_rows)
    target = tmp_path / "warehouse.duckdb"
    build_warehouse(lake, target, registries_dir)
    before = digest(target)

    handmade_lake.write_partition(lake, sample_rows[-1]["pub_date"], [])  # the lake moved on: an emptied day
    marker = tmp_path / "stalled"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(lake), str(target), str(registries_dir), str(marker)]
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert child.poll() is None, "the build exited before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL

    leftover = target.with_name(f"{target.name}.building-{child.pid}")
    assert leftover.exists()  # the kill really happened mid-build
    assert digest(target) == before
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(sample_rows)
    con.close()

    result = build_warehouse(lake, target, registries_dir)  # the next build cleans up and succeeds
    assert not leftover.exists()
    assert result.row_counts["articles"] < len(sample_rows)


def test_two_builds_at_once_serialise_on_the_file_lock(tmp_path, registries_dir, sample_rows):
    # Without the lock the second build would delete the first one's temp file as a crash leftover.
    lake = handmade_lake.write_lake(tmp_path / "lake", sample_rows)
    target = tmp_path / "warehouse.duckdb"
    code = "import sys; from etl.warehouse.build import build_warehouse; build_warehouse(*sys.argv[1:])"
    builds = [
        subprocess.Popen([sys.executable, "-c", code, str(lake), str(target), str(registries_dir)])
        for _ in range(2)
    ]
    assert [b.wait(timeout=120) for b in builds] == [0, 0]
    assert not list(tmp_path.glob("warehouse.duckdb.building-*"))
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(sample_rows)
    con.close()
