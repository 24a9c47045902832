"""`etl run`: make the sample if there is no data, then launch runs of the code location's jobs for whatever
is stale, through the Dagster instance (DAGSTER_HOME: the runs show in the UI's history), wait for each, and
print a summary. No daemon is needed: `etl run` executes each run itself (`dg.execute_job`), in this process
but for the parse, whose step runs in a process of its own (IN_PROCESSES below says why).

What is stale is decided by the same functions the sensors use (`etl.lake.plan`): the manifest against the
raw folder, each lake partition's footer (file-set digest, code version) against the manifest, and the
warehouse file's build record against the lake's files (`etl.lake.plan.lake_stamp`) and the warehouse code.
Nothing stale -> no run at all, decided before Dagster is imported (the usual `make run` costs a stat walk).

With `--parse-shards N`, files to parse are parsed by `sharded_parse_job` (N parse steps, each in its own
process) instead of `raw_files_job`; everything after it is the same.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

from etl.settings import PROJECT_ROOT, Settings

# Runs of `etl run` execute in this process (`in_process`): no process per step to start (each would load
# the code location again), and the warehouse run's steps (build, report, audit) share their imports. The
# same jobs launched by the sensors, the schedule or the UI use the executor of the code location (a process
# per step, or a pod per step on Kubernetes).
IN_THIS_PROCESS = {"execution": {"config": {"in_process": {}}}}
# ... but the parse runs in a step process of its own, which exits when the parse ends, taking with it the
# parse pool's forkserver (0.12 GB) and what the parse's allocators keep of its results' freed memory. Run
# in this process, the parse left `etl run` at 0.82 GB (process tree) when the lake run ended, and the
# warehouse run (its events step, then the audit check) stacked on that: 1.45-1.53 GB at 100,154 synthetic
# articles, over the 1.5 GB bar; 0.54 GB and 1.21 GB with the parse in its own process (README, Speed). The
# step process costs ~2-3 CPU-s (it loads the code location). A sharded parse runs its parse steps side by
# side: a process each. Killing `etl run`'s process group kills them too.
IN_PROCESSES = {"execution": {"config": {"multiprocess": {}}}}
# Progress: the assets' own log lines (files parsed, partitions built), not Dagster's event stream.
PROGRESS_LOGS = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-sample", action="store_true", help="do not generate a sample when raw_dir is empty"
    )
    parser.add_argument("--skip-warehouse", action="store_true", help="stop after the lake")
    parser.add_argument(
        "--parse-shards",
        type=int,
        default=0,
        metavar="N",
        help="parse new or changed files in N parallel steps (sharded_parse_job, a process each) instead of "
        "one (raw_files_job); 0 or 1: one",
    )


def _say(msg: str) -> None:
    print(f"etl run: {msg}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / "dagster_home"))
    settings = Settings.from_env()
    began = time.perf_counter()
    from etl.lake.manifest import has_dumps

    if not has_dumps(settings.raw_dir):
        if args.no_sample:
            _say(f"no dump files (*.md, *.txt) under {settings.raw_dir}; set ETL_RAW_DIR or drop --no-sample")
            return 2
        _make_sample(settings.raw_dir)

    manifest = _manifest_if_nothing_stale(settings, warehouse=not args.skip_warehouse)
    if manifest is not None:
        for line in ("raw files unchanged since the last manifest", "lake partitions up to date"):
            _say(line)
        if not args.skip_warehouse:
            _say("warehouse up to date")
    else:
        from etl.defs.automation.dead_runs import open_instance

        home = Path(os.environ["DAGSTER_HOME"])
        instance = open_instance(_say)  # fails runs of killed processes: they would hold the warehouse slot
        _forget_dead_markers(home)
        _say(f"Dagster instance {home} (runs show in `make ui`)")
        marker = _in_flight_marker(home, os.getpid())
        marker.touch()
        try:
            _materialize_what_is_stale(instance, settings, not args.skip_warehouse, args.parse_shards)
        finally:
            marker.unlink(missing_ok=True)

        from etl.lake.manifest import read_manifest

        manifest = read_manifest(settings.lake_dir)
    from etl.lake.summary import summary_lines

    _say(f"done in {time.perf_counter() - began:.1f} s\n")
    print("\n".join(summary_lines(manifest, settings.lake_dir, _duckdb_command(settings.warehouse_path))))
    return 0


def _manifest_if_nothing_stale(settings: Settings, warehouse: bool):
    """The manifest (the planner's columns) when the planner says nothing is stale (no Dagster import, no
    instance) and the instance has recorded something before; else None. A DAGSTER_HOME holding only its
    dagster.yaml takes the full path, which makes the lake's days its partitions."""
    from datetime import date

    from etl.lake import plan

    home = Path(os.environ["DAGSTER_HOME"])
    if not home.is_dir() or all(p.name == "dagster.yaml" for p in home.iterdir()):
        return None
    if _dead_markers(home):  # an `etl run` killed mid-way: its runs may be open; the full path fails them
        return None
    start = date.fromisoformat(settings.partition_start)
    where = settings.warehouse_path if warehouse else None
    staleness = plan.what_is_stale(settings.raw_dir, settings.lake_dir, start, where)
    return staleness.manifest if staleness.nothing_stale else None


# An `etl run` that launches runs marks it by a file named after its pid, removed when its runs have ended
# (succeeded or failed). A marker left behind by a dead process means a run killed mid-way may still be open
# (STARTED, holding the warehouse's pool slot) even when its output was complete and nothing is stale: the
# next `etl run` then opens the instance to fail it. Without markers the nothing-new path needs no Dagster.
IN_FLIGHT_PREFIX, IN_FLIGHT_SUFFIX = ".etl-run-", ".in-flight"


def _in_flight_marker(home: Path, pid: int) -> Path:
    return home / f"{IN_FLIGHT_PREFIX}{pid}{IN_FLIGHT_SUFFIX}"


def _dead_markers(home: Path) -> list[Path]:
    markers = list(home.glob(f"{IN_FLIGHT_PREFIX}*{IN_FLIGHT_SUFFIX}"))
    if not markers:
        return []
    from etl.defs.automation.dead_runs import process_alive

    def pid(marker: Path) -> int:
        return int(marker.name.removeprefix(IN_FLIGHT_PREFIX).removesuffix(IN_FLIGHT_SUFFIX))

    return [m for m in markers if not process_alive(pid(m), m.stat().st_mtime)]


def _forget_dead_markers(home: Path) -> None:
    """Called once open_instance has failed the dead processes' runs."""
    for marker in _dead_markers(home):
        marker.unlink(missing_ok=True)


def _materialize_what_is_stale(instance, settings: Settings, warehouse: bool, parse_shards: int) -> None:
    from datetime import date

    from etl.lake import plan

    start = date.fromisoformat(settings.partition_start)
    if plan.manifest_is_current(settings.raw_dir, settings.lake_dir, start):
        _say("raw files unchanged since the last manifest")
    elif parse_shards > 1:
        _say(f"refreshing the manifest of raw files, parsing in {parse_shards} parallel steps")
        _launch(instance, "sharded_parse_job", run_config={**IN_PROCESSES, **_shards_config(parse_shards)})
    else:
        _say("refreshing the manifest of raw files")
        _launch(instance, "raw_files_job", run_config=IN_PROCESSES)
    stale = _stale_days(instance, settings.lake_dir)
    if stale:
        first, last = _span(instance, stale)
        _say(f"building {len(stale)} stale lake partition(s) of {first} … {last} in one run")
        _launch(instance, "lake_partitions_job", {RANGE_START: first, RANGE_END: last}, ONLY_STALE)
    else:
        _say("lake partitions up to date")

    if not warehouse:
        return
    if plan.warehouse_is_current(settings.warehouse_path, settings.lake_dir):
        _say("warehouse up to date")
    else:
        _say("rebuilding the warehouse from the lake")
        _launch(instance, "warehouse_job")


def _stale_days(instance, lake_dir: str) -> dict[str, str]:
    """The lake days to build, by the planner the raw folder sensor uses too; every day with articles is
    registered as a partition first. The manifest is read here and let go before the runs start."""
    from etl.defs.partitions import register_days
    from etl.lake import plan
    from etl.lake.manifest import read_manifest

    manifest = read_manifest(lake_dir)
    stale = plan.stale_days(manifest, lake_dir)
    # Usually added by the raw_files run already; not when a new DAGSTER_HOME meets an existing lake.
    register_days(instance, [*plan.days_with_articles(manifest), *stale])
    return stale


def _shards_config(shards: int) -> dict:
    return {"ops": {"plan_parse_shards": {"config": {"shards": shards}}}}


ONLY_STALE = {"ops": {"lake_partitions": {"config": {"only_stale": True}}}}


def _span(instance, days) -> tuple[str, str]:
    """First and last of `days` in the partitions' order (the order days were added): a range run over them
    covers every one."""
    from etl.defs.partitions import PUB_DATE

    position = {day: i for i, day in enumerate(instance.get_dynamic_partitions(PUB_DATE))}
    ordered = sorted(days, key=position.__getitem__)
    return ordered[0], ordered[-1]


def _launch(instance, job_name: str, tags: dict | None = None, run_config: dict | None = None) -> None:
    """Run one of the code location's jobs through the instance, in this process, and wait for it."""
    import dagster as dg

    began, cpu = time.perf_counter(), _cpu_seconds()
    result = dg.execute_job(
        dg.reconstructable(JOBS[job_name]),
        instance=instance,
        # etl/pid: lets dead_runs.fail_dead_runs tell a run whose process was killed
        tags={"etl/trigger": "etl run", "etl/pid": str(os.getpid()), **(tags or {})},
        run_config={**IN_THIS_PROCESS, **PROGRESS_LOGS, **(run_config or {})},  # run_config may override
    )
    if not result.success:
        raise SystemExit(f"etl run: run {result.run_id} failed; open `make ui` → Runs for the error")
    # Parse workers fork from a forkserver, not from this process: they report their CPU in metadata.
    workers = sum(
        e.materialization.metadata["parse_cpu_seconds"].value
        for e in result.get_asset_materialization_events()
        if "parse_cpu_seconds" in e.materialization.metadata
    )
    _say(
        f"  {job_name} run {result.run_id[:8]} succeeded in {time.perf_counter() - began:.1f} s "
        f"({_cpu_seconds() - cpu + workers:.1f} cpu-s, {workers:.1f} of them in parse workers)"
    )


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# The jobs `etl run` launches, as module-level functions: `reconstructable` needs a pointer it can load again.
def _job(name: str):
    from etl.definitions import defs

    return defs.resolve_job_def(name)


def raw_files_job():
    return _job("raw_files_job")


def lake_partitions_job():
    return _job("lake_partitions_job")


def warehouse_job():
    return _job("warehouse_job")


def sharded_parse_job():
    return _job("sharded_parse_job")


JOBS = {
    "raw_files_job": raw_files_job,
    "sharded_parse_job": sharded_parse_job,
    "lake_partitions_job": lake_partitions_job,
    "warehouse_job": warehouse_job,
}


def _make_sample(raw_dir: str) -> None:
    from etl.synth import generate

    _say(f"no dumps under {raw_dir}: writing the synthetic sample there (etl synth)")
    summary = generate(raw_dir, keep_truth=False)
    _say(summary.line())


def _duckdb_command(warehouse_path: str) -> str:
    """Relative paths when run from the project folder (`make run`), absolute otherwise."""
    duckdb, db = PROJECT_ROOT / ".venv" / "bin" / "duckdb", Path(warehouse_path).resolve()
    if Path.cwd().resolve() == PROJECT_ROOT:
        duckdb, db = (
            duckdb.relative_to(PROJECT_ROOT),
            db.relative_to(PROJECT_ROOT) if db.is_relative_to(PROJECT_ROOT) else db,
        )
    return f"{duckdb} {db}"
