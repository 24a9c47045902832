"""What the Dagster daemon does with this code location's sensors, in one process: tick
`raw_folder_sensor` and `warehouse_after_lake_sensor` against the instance (DAGSTER_HOME)
and execute every run they request (deduped by run key, as the daemon does), until the stop file
exists and a tick requests nothing.

Usage: python sensor_loop.py <stop-file>. Prints one line per run; exits non-zero if a run failed."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import dagster as dg

from etl.definitions import defs
from etl.defs.automation.sensors import raw_folder_sensor, warehouse_after_lake_sensor
from etl.defs.resources import PathsResource

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def main(stop: Path) -> int:
    instance = dg.DagsterInstance.get()
    resources = {"paths": PathsResource()}
    cursors: dict[str, str | None] = {}
    done_keys: set[str] = set()
    failed = 0
    while True:
        requested = 0
        for sensor in (raw_folder_sensor, warehouse_after_lake_sensor):
            context = dg.build_sensor_context(
                instance=instance, cursor=cursors.get(sensor.name), resources=resources
            )
            result = sensor(context)
            cursors[sensor.name] = result.cursor or cursors.get(sensor.name)
            for request in result.run_requests or []:
                if request.run_key in done_keys:
                    continue
                done_keys.add(request.run_key)
                requested += 1
                job = defs.resolve_job_def(sensor.job_name)
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
