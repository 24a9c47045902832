"""Runs whose process died (SIGKILL, OOM killer, power cut) are marked failed and their pool slots freed.

A killed run never reports its end: Dagster keeps it STARTED for ever, and with it
- its claim on the `duckdb_warehouse` pool slot (limit 1), so every later warehouse build waits for ever;
- a place among the QueuedRunCoordinator's `max_concurrent_runs` (two dead runs stop the daemon's queue);
- "a lake run is in progress" for `warehouse_after_lake_sensor`, which then never requests a build.
Dagster's run monitoring cannot see this with the DefaultRunLauncher (it has no worker health check), so a run
is declared dead here when the process that executes it (the pid in its first engine event: the in-process
executor of `etl run`, or the run worker the daemon launched) no longer exists, or is a zombie, or is a newer
process that reused the pid. Only for an instance whose runs all live on this machine (SQLite storage, the
default launcher); elsewhere Dagster's run monitoring with a launcher that checks worker health does this.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from etl.lake.lock import file_lock

ALIVE_STATUSES = [
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]
# `etl run` tags its runs with its pid: a run killed before its executor logged a pid is still recognised.
PID_TAG = "etl/pid"


def runs_are_local(instance: dg.DagsterInstance) -> bool:
    """Every run of this instance runs on this machine: runs launched as local processes (the default
    launcher) into a local SQLite instance. Dagster exports no SQLite storage class to test against, so the
    storage is told by its class name."""
    sqlite = type(instance.run_storage).__name__.startswith("Sqlite")
    return sqlite and isinstance(instance.run_launcher, dg.DefaultRunLauncher)


def _executor_pid(instance: dg.DagsterInstance, record) -> tuple[int, float] | None:
    """(pid, when it was seen) of the process running the run: its `etl/pid` tag, else its first engine event
    naming a process; None when it has neither (a run waiting to be launched)."""
    run = record.dagster_run
    if PID_TAG in run.tags:
        return int(run.tags[PID_TAG]), record.create_timestamp.timestamp()
    if run.status == dg.DagsterRunStatus.NOT_STARTED:
        return None
    for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        data = entry.dagster_event.engine_event_data if entry.dagster_event else None
        pid = (data.metadata or {}).get("pid") if data else None
        if pid is not None:
            return int(pid.value), entry.timestamp
    return None


def _boot_time() -> float:
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("btime "):
            return float(line.split()[1])
    raise OSError("no btime in /proc/stat")


def process_alive(pid: int, seen_at: float) -> bool:
    """The process `pid` running at `seen_at` still runs (not gone, not a zombie, not a reused pid)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    try:  # Linux: state and start time, to tell a zombie or a reused pid from the original process
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        state, start_ticks = fields[0], int(fields[19])
        started = _boot_time() + start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return True  # no /proc (macOS): existence is all we can tell
    return state not in ("Z", "X") and started <= seen_at + 1.0


def fail_dead_runs(instance: dg.DagsterInstance, log=None) -> list[str]:
    """Mark every unfinished run whose process is gone as failed and free its pool slots; returns ids."""
    if not runs_are_local(instance):
        return []
    reaped = []
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=ALIVE_STATUSES)):
        run = record.dagster_run
        seen = _executor_pid(instance, record)
        if seen is None or process_alive(*seen):
            continue
        message = (
            f"The process running this run (pid {seen[0]}) died without reporting its end (killed, out of "
            "memory, machine restarted); marked failed so its pool slots and queue place are released."
        )
        # Slots first, then the status: a process killed between the two leaves the run unfinished, and the
        # next call frees (again, harmlessly) and fails it; the other order could leave a failed run holding
        # its slot for ever, since ended runs are not looked at again. What the daemon's run monitoring does
        # for an ended run after free_slots_after_run_end_seconds; done at once: `etl run` has no daemon.
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        instance.report_run_failed(run, message)
        reaped.append(run.run_id)
        if log is not None:
            log.warning(f"run {run.run_id}: {message}")
    return reaped


def open_instance(say=None) -> dg.DagsterInstance:
    """DAGSTER_HOME's instance for `etl run`, with the runs of dead processes failed. Two processes creating a
    fresh SQLite instance at once race on its schema (alembic records two version heads and the instance never
    opens again), so opening is serialised by a file lock in DAGSTER_HOME."""
    home = Path(os.environ["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    with file_lock(home / ".etl-instance.lock"):
        instance = dg.DagsterInstance.get()
        reaped = fail_dead_runs(instance)
    for run_id in reaped:
        if say is not None:
            say(f"run {run_id[:8]} died without finishing: marked failed, its pool slots freed")
    return instance


@dg.sensor(
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Marks runs whose process died (killed, out of memory) as failed and frees their "
    "duckdb_warehouse pool slot, so later runs and the warehouse sensor are never blocked by them.",
)
def dead_run_sensor(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    reaped = fail_dead_runs(context.instance, context.log)
    if reaped:
        return dg.SkipReason(f"marked {len(reaped)} dead run(s) failed: {', '.join(r[:8] for r in reaped)}")
    return dg.SkipReason("no dead runs")
