"""What the Dagster daemon does with this code location's sensors, in one process: tick
`raw_folder_sensor` and `warehouse_after_lake_sensor` against the instance (DAGSTER_HOME)
and execute every run they request (deduped by run key, as the daemon does), until the stop file
exists and a tick requests nothing. Like the daemon's run monitoring (dagster.yaml), it frees pool
slots still held by runs that ended more than `free_slots_after_run_end_seconds` ago.

Usage: python sensor_loop.py <stop-file>. Prints one line per run; exits non-zero if a run failed."""

from __future__ import annotations

import faulthandler
import sys
import threading
import time
from pathlib import Path

import dagster as dg

from etl.definitions import defs
from etl.defs.automation.sensors import raw_folder_sensor, warehouse_after_lake_sensor
from etl.defs.resources import PathsResource

FINISHED_STATUSES = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def free_slots_of_ended_runs(instance: dg.DagsterInstance) -> None:
    """What the daemon's run monitoring does every iteration (dagster/_daemon/monitoring/concurrency.py)."""
    timeout = instance.run_monitoring_settings.get("free_slots_after_run_end_seconds")
    storage = instance.event_log_storage
    run_ids = storage.get_concurrency_run_ids() if timeout else set()
    if not run_ids:
        return
    ended = instance.get_run_records(
        filters=dg.RunsFilter(run_ids=list(run_ids), statuses=list(FINISHED_STATUSES))
    )
    for record in ended:
        if record.end_time and record.end_time + timeout < time.time():
            run_id = record.dagster_run.run_id
            storage.free_concurrency_slots_for_run(run_id)
            print(f"run monitoring: freed the pool slots of ended run {run_id[:8]}", flush=True)


def dump_stacks_if_hung(stop: Path) -> None:
    """Once the stop file exists the loop must end within the test's timeout (240 s): if it hangs, every
    thread's stack goes to the log first, to show where."""
    while not stop.exists():
        time.sleep(0.2)
    faulthandler.dump_traceback_later(200, exit=True)


def main(stop: Path) -> int:
    instance = dg.DagsterInstance.get()
    resources = {"paths": PathsResource()}
    cursors: dict[str, str | None] = {}
    done_keys: set[str] = set()
    failed = 0
    threading.Thread(target=dump_stacks_if_hung, args=(stop,), daemon=True).start()
    while True:
        requested = 0
        free_slots_of_ended_runs(instance)
        for sensor in (raw_folder_sensor, warehouse_after_lake_sensor):
            context = dg.build_sensor_context(
                instance=instance, cursor=cursors.get(sensor.name), resources=resources
            )
            result = sensor(context)
            for partitions in result.dynamic_partitions_requests or []:  # new days, added by the daemon
                instance.add_dynamic_partitions(partitions.partitions_def_name, partitions.partition_keys)
            cursors[sensor.name] = result.cursor or cursors.get(sensor.name)
            for request in result.run_requests or []:
                if request.run_key in done_keys:
                    continue
                done_keys.add(request.run_key)
                requested += 1
                job = defs.resolve_job_def(request.job_name or sensor.job_name)
                run = job.execute_in_process(
                    instance=instance,
                    partition_key=request.partition_key,
                    tags={**request.tags, "dagster/sensor_name": sensor.name},
                    run_config=QUIET,
                    raise_on_error=False,
                )
                failed += not run.success
                print(
                    f"{sensor.name}: {job.name} {request.partition_key or ''} success={run.success}",
                    flush=True,
                )
        if requested == 0:
            if stop.exists():
                return 1 if failed else 0
            time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
