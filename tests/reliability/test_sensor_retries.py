"""A sensor-requested run that fails or dies is retried by Dagster's run retries (the `dagster/max_retries`
tag, `run_retries` in dagster.yaml), not requested again under a new run key: the sensors keep requesting the
same key while the same work is stale, and Dagster deduplicates it."""

from __future__ import annotations

import shutil

import dagster as dg

from etl.definitions import defs
from etl.defs.automation.sensors import raw_folder_sensor
from etl.defs.ingest.raw_files import raw_files
from etl.defs.resources import PathsResource
from etl.settings import PROJECT_ROOT
from etl.synth import generate


def test_the_instance_retries_failed_runs(tmp_path, monkeypatch):
    shutil.copy(PROJECT_ROOT / "dagster_home" / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert instance.run_retries_enabled
        assert instance.run_retries_max_retries == 0  # only runs that ask for it (the sensors') are retried


def test_lake_requests_ask_for_retries_and_keep_their_key_after_a_failure(tmp_path):
    generate(tmp_path / "raw", articles=30, days=2, start="2024-03-01", seed=4, keep_truth=False)
    paths = PathsResource(
        raw_dir=str(tmp_path / "raw"),
        lake_dir=str(tmp_path / "lake"),
        warehouse_path=str(tmp_path / "warehouse.duckdb"),
        reports_dir=str(tmp_path / "reports"),
    )
    with dg.instance_for_test() as instance:

        def tick() -> dg.SensorResult:
            return raw_folder_sensor(dg.build_sensor_context(instance=instance, resources={"paths": paths}))

        (refresh,) = tick().run_requests  # the raw_files run the tick asks for
        assert refresh.tags["dagster/max_retries"] == "3"
        assert dg.materialize([raw_files], instance=instance, resources={"paths": paths}).success
        first = tick()
        assert first.run_requests and all(r.tags["dagster/max_retries"] == "3" for r in first.run_requests)
        request = first.run_requests[0]
        run = instance.create_run_for_job(
            job_def=defs.resolve_job_def("lake_partitions_job"),
            status=dg.DagsterRunStatus.STARTED,
            tags={**request.tags, "dagster/partition": request.partition_key},
        )
        instance.report_run_failed(run)  # died (marked by the dead-run sensor) or failed
        again = {r.partition_key: r.run_key for r in tick().run_requests}
        assert again[request.partition_key] == request.run_key  # Dagster's retries take it from here
