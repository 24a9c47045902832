"""SIGKILL `etl run` (the whole process group: run and parser pool) mid-work, rerun, and end in exactly the
lake and warehouse of a clean run: row counts and content checksums of every table (state_checksums.py)."""

from __future__ import annotations

import fcntl
import os
import random
import time
from pathlib import Path

import dagster as dg
import pipeline_procs as procs
import pytest
import state_checksums as sc

pytestmark = pytest.mark.e2e

# Faults at spread-out times on top of the deterministic ones; RELIABILITY_KILLS raises it for a soak run.
TIMED_KILLS = int(os.environ.get("RELIABILITY_KILLS", "3"))


def lock_held(path: Path) -> bool:
    """Another process holds the flock on `path` (probing takes and drops it at once when free)."""
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def manifest_lock(site: procs.Site) -> Path:
    return site.lake / "manifest" / ".lock"


def stage_of(site: procs.Site, partitions: int) -> str:
    """Where a run is, seen from its files (for the report of where the kills landed)."""
    if procs.warehouse_building(site):
        return "warehouse build"
    if not (site.lake / "manifest" / "manifest.parquet").exists():
        return "manifest refresh"
    if procs.partitions_written(site) < partitions:
        return "lake partitions"
    return "between lake and warehouse" if not site.warehouse.exists() else "after the warehouse swap"


def kill(proc) -> int:
    landed = procs.kill_group(proc)
    assert procs.group_gone(proc.pid), "a pool worker outlived its run"
    return int(landed)


def dagster_runs(site: procs.Site) -> list[dg.DagsterRun]:
    with procs.dagster_instance(site) as instance:
        runs = instance.get_runs()
        info = instance.event_log_storage.get_concurrency_info("duckdb_warehouse")
    assert not info.claimed_slots and not info.pending_steps, f"pool slot still held: {info}"
    return runs


def assert_recovered(site, reference, ledger, name: str, landed: int, missed: int = 0, where=()) -> None:
    state = sc.pipeline_state(site.lake, site.warehouse)
    lost = ledger(name, landed, missed, state, reference["state"], list(where))
    assert state == reference["state"], sc.differences(state, reference["state"])
    assert lost == 0
    assert sc.leftovers(site.lake, site.root) == reference["leftovers"]


def test_sigkill_in_manifest_lake_and_warehouse_then_rerun(site, reference, ledger):
    # 1. While the manifest refresh holds its lock: the flock must die with the process.
    proc = procs.start(site)
    assert procs.wait_until(proc, lambda: lock_held(manifest_lock(site))), procs.read_log(site)
    landed = kill(proc)
    assert not lock_held(manifest_lock(site)), "the dead process's manifest lock is still held"

    # 2. Mid lake build: some day partitions written, not all.
    proc = procs.start(site)
    total = reference["partitions"]
    assert procs.wait_until(proc, lambda: 0 < procs.partitions_written(site) < total), procs.read_log(site)
    landed += kill(proc)
    assert 0 < procs.partitions_written(site) < total
    half = sc.lake_checksums(site.lake)  # every visible Parquet file reads whole: none is half-written
    assert 0 < half["lake.articles"][0] < reference["state"]["lake.articles"][0]

    # 3. Mid warehouse build: its temp file exists, the target does not yet.
    proc = procs.start(site)
    assert procs.wait_until(proc, lambda: procs.warehouse_building(site)), procs.read_log(site)
    landed += kill(proc)
    assert landed == 3
    assert procs.warehouse_building(site) and not site.warehouse.exists()

    # Dagster itself keeps a killed run in progress for ever (each `etl run` above failed the one before it):
    # the killed warehouse run still claims the pool slot every warehouse build waits for.
    with procs.dagster_instance(site) as instance:
        unfinished = [r for r in instance.get_runs() if not r.is_finished]
        slots = instance.event_log_storage.get_concurrency_info("duckdb_warehouse").claimed_slots
    assert [r.job_name for r in unfinished] == ["warehouse_job"] and len(slots) == 1

    # The rerun is blocked by nothing the dead runs held (lock files, pool slot, STARTED runs) and finishes.
    procs.run(site)
    log = (site.root / "etl-run.log").read_text()
    assert log.count("died without finishing: marked failed") == 3, log
    stages = ["manifest refresh", "lake partitions", "warehouse build"]
    assert_recovered(site, reference, ledger, "stages", landed, 0, stages)
    statuses = sorted(r.status.value for r in dagster_runs(site))
    assert statuses.count("FAILURE") == 3 and set(statuses) == {"FAILURE", "SUCCESS"}, statuses


def test_sigkill_at_spread_out_times_then_rerun(site, reference, ledger):
    rng = random.Random(TIMED_KILLS)
    clean = reference["seconds"]
    landed = missed = 0
    where: list[str] = []
    for i in range(TIMED_KILLS):
        delay = clean * (i + rng.random()) / TIMED_KILLS  # one kill in each slice of a clean run's time
        proc = procs.start(site)
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        stage = stage_of(site, reference["partitions"])
        hit = kill(proc)
        landed, missed = landed + hit, missed + (1 - hit)
        where.append(stage if hit else "after the run ended")
        # Whatever the kill interrupted, nothing visible is half-written.
        sc.lake_checksums(site.lake)
        sc.warehouse_checksums(site.warehouse)
    procs.run(site)
    assert_recovered(site, reference, ledger, "timed", landed, missed, where)
    assert all(r.status.value in ("SUCCESS", "FAILURE") for r in dagster_runs(site))
    assert landed >= 1


# `etl run`, with the lake's partition writer killing the whole run just BEFORE it writes the given day (the
# days before it are written).
KILL_BEFORE_WRITE = """
import os, signal, sys, time
from etl.lake import build

real = build.write_partition

def die_before(lake_dir, b, code_version):
    if b.day == sys.argv[1]:
        time.sleep(3)  # the run announces what was written before (or would announce this day, if it could)
        os.killpg(os.getpgrp(), signal.SIGKILL)
    real(lake_dir, b, code_version)

build.write_partition = die_before
from etl.cli import main
sys.exit(main(["run", "--no-sample"]))
"""


def test_an_event_means_the_partition_is_on_disk(tmp_path, raw_archive, reference, shared_root, ledger):
    """Each lake materialization is recorded only after its day's files are written: a run killed at any
    write leaves no event for a day that is not on disk (and the rerun still ends as a clean run; the other
    order, a write no event announced, is test_kill_after_write's)."""
    days = sorted(
        p.name.removeprefix("pub_date=") for p in (shared_root / "clean" / "lake" / "articles").iterdir()
    )
    victim = days[-1]
    site = procs.make_site(tmp_path / "site", raw_archive)
    killed = procs.start(site, *procs.python(KILL_BEFORE_WRITE, victim))
    assert killed.wait(timeout=procs.RUN_TIMEOUT_S) == -9, procs.read_log(site)

    with procs.dagster_instance(site) as instance:
        announced = set()
        for table in ("articles", "article_versions"):
            key = dg.AssetKey(["lake", table])
            for day in instance.get_materialized_partitions(key):
                announced.add(day)
                assert (site.lake / table / f"pub_date={day}" / "part-0.parquet").exists(), (table, day)
    assert victim not in announced and announced, announced  # some days announced, the killed one not

    procs.run(site)
    assert_recovered(site, reference, ledger, "kill before a write", 1, where=["before a partition write"])
