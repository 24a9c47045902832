"""A sensor-requested run that dies (or fails) is requested again under a new run key: Dagster would drop a
request repeating any earlier run's key, and the partition or the warehouse would stay stale for ever."""

from __future__ import annotations

import dagster as dg

from etl.definitions import defs
from etl.defs.automation.sensors import (
    LAKE_EVENT_TAG,
    MAX_ATTEMPTS,
    attempt_run_key,
    warehouse_after_lake_sensor,
)
from etl.defs.lake.assets import ARTICLES


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


def test_warehouse_sensor_requests_again_after_its_run_died():
    with dg.instance_for_test() as instance:
        instance.report_runless_asset_event(dg.AssetMaterialization(ARTICLES, partition="2024-03-01"))
        first = warehouse_after_lake_sensor(dg.build_sensor_context(instance=instance))
        (request,) = first.run_requests
        latest = first.cursor
        assert request.run_key == f"lake-{latest}" and request.tags[LAKE_EVENT_TAG] == latest

        def tick():
            return warehouse_after_lake_sensor(dg.build_sensor_context(instance=instance, cursor=latest))

        assert tick().run_requests == []  # requested, its run not created yet
        run = make_run(instance, "warehouse_job", dg.DagsterRunStatus.STARTED, request.tags)
        assert tick().run_requests == []  # running
        instance.report_run_failed(run)  # died (reaped by the dead-run sensor) or failed
        (again,) = tick().run_requests
        assert again.run_key == f"lake-{latest}:attempt-2"
