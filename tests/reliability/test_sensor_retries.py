"""A sensor-requested run that dies (or fails) is requested again under a new run key: Dagster would drop a
request repeating any earlier run's key, and the partition or the warehouse would stay stale for ever."""

from __future__ import annotations

import dagster as dg

from etl.definitions import defs
from etl.defs.automation.sensors import MAX_ATTEMPTS, attempt_run_key


def make_run(instance, job: str, status: dg.DagsterRunStatus, tags: dict) -> dg.DagsterRun:
    return instance.create_run_for_job(job_def=defs.resolve_job_def(job), status=status, tags=tags)


def test_lake_partition_run_key_per_attempt():
    with dg.instance_for_test() as instance:
        base = "2024-03-01:abc"
        tags = {"etl/files_key": base, "dagster/run_key": base}
        assert attempt_run_key(base, []) == base
        in_flight = make_run(instance, "lake_partitions_job", dg.DagsterRunStatus.STARTED, tags)
        assert attempt_run_key(base, [in_flight]) == base  # deduplicated by Dagster while it runs
        died = instance.get_run_by_id(in_flight.run_id)
        instance.report_run_failed(died)
        died = instance.get_run_by_id(in_flight.run_id)
        assert attempt_run_key(base, [died]) == f"{base}:attempt-2"
        assert attempt_run_key(base, [died] * MAX_ATTEMPTS) is None  # a run that always fails: give up
