"""What the Dagster daemon does with this code location's sensors, in one process: tick
`raw_folder_sensor` and `warehouse_after_lake_sensor` against the instance (DAGSTER_HOME)
and execute every run they request (deduped by run key, as the daemon does), until the stop file
exists and a tick requests nothing. Like the daemon's run monitoring (dagster.yaml), it frees pool
slots still held by runs that ended more than `free_slots_after_run_end_seconds` ago, in its own thread.

It cannot hang: a watchdog thread fails the loop with a message (and every thread's stack) when a pool step
waits unassigned beside a free slot (see stranded_pool_steps), or when the loop has not ended
STOP_DEADLINE_S after the stop file.

Usage: python sensor_loop.py <stop-file>. Prints one line per run; exits non-zero if a run failed, 3 when the
watchdog stopped it."""

from __future__ import annotations

import faulthandler
import os
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


# The test waits 240 s for this process after the stop file (pipeline_procs.RUN_TIMEOUT_S); fail before that.
STOP_DEADLINE_S = 180
# A pool step left unassigned beside a free slot this long is stranded (a claim takes milliseconds).
STRANDED_AFTER_S = 30
DOING = {"now": "starting"}  # what the main loop is doing, for the watchdog's message


def stranded_pool_steps(instance: dg.DagsterInstance) -> list[str]:
    """Pool steps that wait unassigned while their pool has a slot no step is assigned to. Dagster's claim
    (claim_concurrency_slot) first checks for an unassigned slot, then inserts the step's pending row; a
    slot freed between the two is assigned to nobody (the freeing run finds no pending row yet), and every
    later retry only re-reads the row: the step waits for ever. Two warehouse runs (pool duckdb_warehouse,
    limit 1) meeting at that moment is the likely cause of the hang CI saw once after all 8 lake runs."""
    storage = instance.event_log_storage
    stranded = []
    for key in storage.get_concurrency_keys():
        info = storage.get_concurrency_info(key)
        free = info.slot_count - info.assigned_step_count
        waiting = [p for p in info.pending_steps if p.assigned_timestamp is None]
        if free > 0:
            stranded += [
                f"pool {key}: step {p.step_key} of run {p.run_id[:8]} waits beside a free slot"
                for p in waiting
            ]
    return stranded


def fail(message: str) -> None:
    print(f"sensor loop stopped by its watchdog: {message}", flush=True)
    faulthandler.dump_traceback(all_threads=True)
    sys.stderr.flush()
    os._exit(3)


def watchdog(stop: Path) -> None:
    """Run monitoring's slot freeing, and the bounds that turn a hang into a failure with a message."""
    instance = dg.DagsterInstance.get()  # its own instance: this thread's storage calls stay its own
    stranded_since: dict[str, float] = {}
    stop_seen = None
    while True:
        time.sleep(2)
        now = time.monotonic()
        try:
            free_slots_of_ended_runs(instance)
            stranded = stranded_pool_steps(instance)
        except Exception as exc:  # a busy database: look again next time
            print(f"watchdog: {exc!r}", flush=True)
            continue
        stranded_since = {step: stranded_since.get(step, now) for step in stranded}
        stuck = [step for step, since in stranded_since.items() if now - since > STRANDED_AFTER_S]
        if stuck:
            fail(f"{stuck} for over {STRANDED_AFTER_S} s while {DOING['now']}; no claim retry assigns it")
        if stop_seen is None and stop.exists():
            stop_seen = now
        if stop_seen is not None and now - stop_seen > STOP_DEADLINE_S:
            fail(f"not done {STOP_DEADLINE_S} s after the stop file, while {DOING['now']}")


def main(stop: Path) -> int:
    instance = dg.DagsterInstance.get()
    resources = {"paths": PathsResource()}
    cursors: dict[str, str | None] = {}
    done_keys: set[str] = set()
    failed = 0
    threading.Thread(target=watchdog, args=(stop,), daemon=True).start()
    while True:
        requested = 0
        DOING["now"] = "ticking the sensors"
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
                DOING["now"] = f"running {job.name} {request.partition_key or ''} for {sensor.name}"
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
