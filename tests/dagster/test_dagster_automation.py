"""Sensors and the schedule, evaluated with their contexts against a temp instance."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime

import dagster as dg
import polars as pl
import pytest

from etl.defs.automation.schedules import daily_lake_schedule
from etl.defs.automation.sensors import raw_folder_sensor, warehouse_after_lake_sensor
from etl.defs.ingest.raw_files import raw_files
from etl.defs.lake.assets import lake_partitions
from etl.defs.partitions import PUB_DATE, register_days
from etl.lake.manifest import manifest_path, read_manifest
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


def refresh_manifest_run(paths, instance):
    """The raw_files run the sensor requests (materialized here as the daemon would launch it)."""
    assert dg.materialize([raw_files], instance=instance, resources={"paths": paths}).success


def test_raw_folder_sensor_only_looks_then_requests_exactly_the_changed_partitions(synth_paths, instance):
    # New files: the tick reads none of them; it requests the run that reads, hashes and parses them.
    first = tick(synth_paths, instance)
    (refresh,) = first.run_requests
    assert refresh.job_name == "raw_files_job" and refresh.tags["dagster/max_retries"] == "3"
    assert not os.path.exists(manifest_path(synth_paths.lake_dir))  # no manifest written by the tick
    assert [r.run_key for r in tick(synth_paths, instance).run_requests] == [refresh.run_key]  # deduped

    refresh_manifest_run(synth_paths, instance)
    lake = tick(synth_paths, instance)
    days = sorted({d.isoformat() for d in read_manifest(synth_paths.lake_dir)["pub_date"].drop_nulls()})
    assert sorted(r.partition_key for r in lake.run_requests) == days
    assert {r.job_name for r in lake.run_requests} == {"lake_partitions_job"}
    assert len({r.run_key for r in lake.run_requests}) == len(days)
    assert list(instance.get_dynamic_partitions(PUB_DATE)) == days  # the raw_files run added them

    # Same file set, nothing built yet: the same run keys again (Dagster drops them as duplicates).
    again = tick(synth_paths, instance, lake.cursor)
    assert {r.run_key for r in again.run_requests} == {r.run_key for r in lake.run_requests}

    for day in days:
        build(synth_paths, instance, day)
    quiet = tick(synth_paths, instance, again.cursor)
    assert not quiet.run_requests and quiet.skip_reason is not None

    # A new capture of an existing article: a refresh, then only that article's partition is requested.
    manifest = read_manifest(synth_paths.lake_dir)
    row = manifest.filter(pl.col("status") == "ok").row(0, named=True)
    src = f"{synth_paths.raw_dir}/{row['path']}"
    shutil.copy(src, f"{synth_paths.raw_dir}/zz_recapture.md")
    (second_refresh,) = tick(synth_paths, instance, quiet.cursor).run_requests
    assert second_refresh.job_name == "raw_files_job" and second_refresh.run_key != refresh.run_key
    refresh_manifest_run(synth_paths, instance)
    new = tick(synth_paths, instance, quiet.cursor)
    assert [r.partition_key for r in new.run_requests] == [row["pub_date"].isoformat()]
    old_key = next(r.run_key for r in lake.run_requests if r.partition_key == row["pub_date"].isoformat())
    assert new.run_requests[0].run_key != old_key  # a new file set, a new run key


def test_days_become_partitions_in_the_sensor_tick_when_no_run_added_them(synth_paths, instance):
    # A manifest refreshed outside this instance's runs (e.g. another instance): the tick adds the days.
    from etl.defs.ingest.raw_files import refresh

    refresh(synth_paths)
    result = tick(synth_paths, instance)
    days = sorted({r.partition_key for r in result.run_requests})
    (added,) = result.dynamic_partitions_requests
    assert (added.partitions_def_name, list(added.partition_keys)) == (PUB_DATE, days)


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
    refresh_manifest_run(synth_paths, instance)
    build(synth_paths, instance, "2024-03-01")
    build(synth_paths, instance, "2024-03-02")
    (request,) = wh_tick(synth_paths, instance).run_requests
    assert request.run_key.startswith(f"lake-{lake_stamp(synth_paths.lake_dir)}:code-")
    assert request.tags["dagster/max_retries"] == "3"  # a failed or dead run is retried by Dagster
    # The same lake: the same request, which Dagster deduplicates by its run key.
    assert [r.run_key for r in wh_tick(synth_paths, instance).run_requests] == [request.run_key]


def test_warehouse_currency_comes_from_the_lake_files_not_events(synth_paths, instance):
    refresh_manifest_run(synth_paths, instance)
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

    refresh_manifest_run(synth_paths, instance)
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


def test_warehouse_sensor_skips_a_lake_a_build_already_read(synth_paths, instance):
    from etl.definitions import defs

    refresh_manifest_run(synth_paths, instance)
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


def test_registering_days_another_process_just_registered(monkeypatch):
    """Two processes registering the same new days at once (two `etl run`s, a run and a sensor tick): the
    storage refuses the second write of a day (SQLite: UNIQUE constraint failed). Days the other process
    added are no error; a write that failed and left days unregistered still is."""
    with dg.instance_for_test() as instance:
        days = ["2024-03-09", "2024-03-10"]
        real_add = instance.add_dynamic_partitions

        def the_other_process_wrote_first(name, keys):
            real_add(name, keys)
            raise RuntimeError("UNIQUE constraint failed: dynamic_partitions.partition")

        monkeypatch.setattr(instance, "add_dynamic_partitions", the_other_process_wrote_first)
        assert register_days(instance, days) == days
        assert sorted(instance.get_dynamic_partitions(PUB_DATE)) == days

        def refused(name, keys):
            raise RuntimeError("disk I/O error")

        monkeypatch.setattr(instance, "add_dynamic_partitions", refused)
        with pytest.raises(RuntimeError, match="disk I/O"):
            register_days(instance, ["2024-03-11"])
