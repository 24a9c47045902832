"""A run whose process died is marked failed and its pool slot freed; a live run is left alone."""

from __future__ import annotations

import os
import subprocess

import dagster as dg

from etl.definitions import defs
from etl.defs.automation.dead_runs import dead_run_sensor, fail_dead_runs, process_alive


def started_run(instance: dg.DagsterInstance, pid: int) -> dg.DagsterRun:
    """A run in progress in process `pid` (tagged with it, as `etl run` tags its runs)."""
    return instance.create_run_for_job(
        job_def=defs.resolve_job_def("warehouse_job"),
        status=dg.DagsterRunStatus.STARTED,
        tags={"etl/pid": str(pid)},
    )


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_dead_run_is_failed_and_its_pool_slot_freed():
    with dg.instance_for_test() as instance:
        dead = started_run(instance, dead_pid())
        live = started_run(instance, os.getpid())
        storage = instance.event_log_storage
        storage.set_concurrency_slots("duckdb_warehouse", 1)
        assert storage.claim_concurrency_slot("duckdb_warehouse", dead.run_id, "warehouse").is_claimed
        assert not storage.claim_concurrency_slot("duckdb_warehouse", live.run_id, "warehouse").is_claimed

        assert fail_dead_runs(instance) == [dead.run_id]

        assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(live.run_id).status == dg.DagsterRunStatus.STARTED
        assert storage.get_concurrency_info("duckdb_warehouse").claimed_slots == []
        assert storage.claim_concurrency_slot("duckdb_warehouse", live.run_id, "warehouse").is_claimed
        assert fail_dead_runs(instance) == []  # nothing twice
        skip = dead_run_sensor(dg.build_sensor_context(instance=instance))
        assert skip.skip_message == "no dead runs"


def test_an_etl_run_killed_before_its_executor_started():
    # `etl run` tags its runs with its pid; a run waiting for a daemon to launch it has no pid and stays.
    with dg.instance_for_test() as instance:
        job = defs.resolve_job_def("lake_partitions_job")
        killed = instance.create_run_for_job(
            job_def=job, status=dg.DagsterRunStatus.NOT_STARTED, tags={"etl/pid": str(dead_pid())}
        )
        waiting = instance.create_run_for_job(job_def=job, status=dg.DagsterRunStatus.NOT_STARTED)
        assert fail_dead_runs(instance) == [killed.run_id]
        assert instance.get_run_by_id(waiting.run_id).status == dg.DagsterRunStatus.NOT_STARTED


def test_a_reused_pid_is_not_the_run_process():
    # This process started before the timestamp of a run "seen" long ago: its pid was reused since.
    assert process_alive(os.getpid(), seen_at=1e12)
    assert not process_alive(os.getpid(), seen_at=0.0)
    assert not process_alive(dead_pid(), seen_at=1e12)
