"""Sensors and the schedule, evaluated with their contexts against a temp instance."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime

import dagster as dg
import polars as pl

from etl.defs.automation.schedules import daily_lake_schedule
from etl.defs.automation.sensors import raw_folder_sensor, warehouse_after_lake_sensor
from etl.defs.ingest.raw_files import RAW_FILES
from etl.defs.lake.assets import lake_partitions
from etl.defs.partitions import PUB_DATE, register_days
from etl.lake.manifest import read_manifest
from etl.lake.plan import lake_stamp


def tick(paths, instance, cursor=None) -> dg.SensorResult:
    ctx = dg.build_sensor_context(instance=instance, cursor=cursor, resources={"paths": paths})
    return raw_folder_sensor(ctx)


def build(paths, instance, day):
    register_days(instance, [day])  # as the sensor does when a day's first article arrives
    result = dg.materialize(
        [lake_partitions], instance=instance, resources={"paths": paths}, partition_key=day
    )
    assert result.success


def test_raw_folder_sensor_requests_exactly_the_changed_partitions(synth_paths, instance):
    first = tick(synth_paths, instance)
    days = sorted({d.isoformat() for d in read_manifest(synth_paths.lake_dir)["pub_date"].drop_nulls()})
    assert sorted(r.partition_key for r in first.run_requests) == days
    # The days with articles become partitions, in date order, in the same tick as their runs.
    (added,) = first.dynamic_partitions_requests
    assert (added.partitions_def_name, list(added.partition_keys)) == (PUB_DATE, days)
    instance.add_dynamic_partitions(PUB_DATE, days)  # what the daemon does with the request
    assert len({r.run_key for r in first.run_requests}) == len(days)
    # The sensor recorded the manifest materialization and its checks as events.
    assert [e.asset_key for e in first.asset_events if isinstance(e, dg.AssetMaterialization)] == [RAW_FILES]
    assert {e.check_name for e in first.asset_events if isinstance(e, dg.AssetCheckEvaluation)} == {
        "every_file_accounted_for",
        "reject_rate_below_threshold",
        "files_before_partition_start",
    }

    # Same file set, nothing built yet: the same run keys again (Dagster drops them as duplicates).
    again = tick(synth_paths, instance, first.cursor)
    assert {r.run_key for r in again.run_requests} == {r.run_key for r in first.run_requests}
    assert not again.asset_events  # the manifest did not change

    for day in days:
        build(synth_paths, instance, day)
    quiet = tick(synth_paths, instance, again.cursor)
    assert not quiet.run_requests and quiet.skip_reason is not None

    # A new capture of an existing article: only that article's partition is requested.
    manifest = read_manifest(synth_paths.lake_dir)
    row = manifest.filter(pl.col("status") == "ok").row(0, named=True)
    src = f"{synth_paths.raw_dir}/{row['path']}"
    shutil.copy(src, f"{synth_paths.raw_dir}/zz_recapture.md")
    new = tick(synth_paths, instance, quiet.cursor)
    assert [r.partition_key for r in new.run_requests] == [row["pub_date"].isoformat()]
    old_key = next(r.run_key for r in first.run_requests if r.partition_key == row["pub_date"].isoformat())
    assert new.run_requests[0].run_key != old_key  # a new file set, a new run key


def test_daily_schedule_targets_the_previous_day(instance):
    when = datetime(2024, 3, 10, 0, 30, tzinfo=UTC)
    ctx = dg.build_schedule_context(instance=instance, scheduled_execution_time=when)
    assert isinstance(daily_lake_schedule(ctx), dg.SkipReason)  # no article of that day: no partition
    register_days(instance, ["2024-03-09"])
    request = daily_lake_schedule(ctx)
    assert (request.partition_key, request.run_key) == ("2024-03-09", "daily-2024-03-09")


def wh_tick(paths, instance) -> dg.SensorResult:
    return warehouse_after_lake_sensor(dg.build_sensor_context(instance=instance, resources={"paths": paths}))


def test_warehouse_sensor_coalesces_lake_materializations(synth_paths, instance):
    assert wh_tick(synth_paths, instance).run_requests == []  # no lake yet
    tick(synth_paths, instance)
    build(synth_paths, instance, "2024-03-01")
    build(synth_paths, instance, "2024-03-02")
    (request,) = wh_tick(synth_paths, instance).run_requests
    assert request.run_key.startswith(f"lake-{lake_stamp(synth_paths.lake_dir)}:code-")
    assert request.tags["dagster/max_retries"] == "3"  # a failed or dead run is retried by Dagster
    # The same lake: the same request, which Dagster deduplicates by its run key.
    assert [r.run_key for r in wh_tick(synth_paths, instance).run_requests] == [request.run_key]


def test_warehouse_currency_comes_from_the_lake_files_not_events(synth_paths, instance):
    tick(synth_paths, instance)
    build(synth_paths, instance, "2024-03-01")
    assert len(wh_tick(synth_paths, instance).run_requests) == 1
    # A partition written by a run killed before it could record its event: no event, still a new lake.
    from etl.lake.build import partition_file

    part = partition_file(synth_paths.lake_dir, "articles", "2024-03-01")
    before = wh_tick(synth_paths, instance).run_requests[0].run_key
    shutil.copy(part, part + ".tmp")
    os.replace(part + ".tmp", part)
    assert wh_tick(synth_paths, instance).run_requests[0].run_key != before


def test_warehouse_sensor_waits_while_lake_runs_are_going(synth_paths, instance):
    from etl.definitions import defs
    from etl.defs.lake.assets import LAKE_KEYS

    tick(synth_paths, instance)
    build(synth_paths, instance, "2024-03-01")
    job = defs.resolve_job_def("lake_partitions_job")
    instance.create_run_for_job(
        job_def=job,
        status=dg.DagsterRunStatus.STARTED,
        asset_selection=frozenset(LAKE_KEYS),
        tags={"dagster/partition": "2024-03-02"},
    )
    waiting = wh_tick(synth_paths, instance)
    assert waiting.run_requests == [] and "in progress" in waiting.skip_reason.skip_message


def test_raw_folder_sensor_waits_for_the_whole_manifest(synth_paths, instance, monkeypatch):
    import etl.defs.automation.sensors as sensors

    monkeypatch.setattr(sensors, "MAX_NEW_FILES_PER_TICK", 50)
    first = tick(synth_paths, instance)
    assert first.run_requests == [] and "catching up" in first.skip_reason.skip_message
    assert any(isinstance(e, dg.AssetMaterialization) for e in first.asset_events)
    results = [tick(synth_paths, instance) for _ in range(10)]
    done = next(r for r in results if r.run_requests)
    days = {d.isoformat() for d in read_manifest(synth_paths.lake_dir)["pub_date"].drop_nulls()}
    assert {r.partition_key for r in done.run_requests} == days


def test_warehouse_sensor_skips_a_lake_a_build_already_read(synth_paths, instance):
    from etl.definitions import defs

    tick(synth_paths, instance)
    build(synth_paths, instance, "2024-03-01")
    # A warehouse build outside the sensor (`etl run`, the UI) reads the latest lake materialization.
    assert (
        defs.resolve_job_def("warehouse_job")
        .execute_in_process(instance=instance, resources={"paths": synth_paths})
        .success
    )
    assert wh_tick(synth_paths, instance).run_requests == []
    # A later lake partition is new to the warehouse: one request.
    build(synth_paths, instance, "2024-03-02")
    assert len(wh_tick(synth_paths, instance).run_requests) == 1
