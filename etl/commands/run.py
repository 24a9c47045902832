"""`etl run`: make the sample if there is no data, then materialize everything that changed THROUGH Dagster
(DAGSTER_HOME, so the runs show in the UI's history) and print a summary.

Nothing new -> nothing runs: the manifest is current, every lake partition's footer digest matches its file
set and code version, and the warehouse is newer than the last lake materialization.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import resource
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path

from etl.settings import PROJECT_ROOT, Settings

QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-sample", action="store_true", help="do not generate a sample when raw_dir is empty"
    )
    parser.add_argument("--skip-warehouse", action="store_true", help="stop after the lake")


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

    from etl.lake import plan
    from etl.lake.summary import query_line

    warehouse = None if args.skip_warehouse else settings.warehouse_path
    summary = _unchanged_since_last_run(settings, warehouse)
    if summary is not None:
        _say("nothing changed since the last `etl run` (raw files, lake, warehouse and code)")
        _say(f"done in {time.perf_counter() - began:.1f} s\n")
        print("\n".join([*summary, query_line(_duckdb_command(settings.warehouse_path))]))
        return 0

    manifest_current = plan.manifest_is_current(
        settings.raw_dir, settings.lake_dir, date.fromisoformat(settings.partition_start)
    )
    if not manifest_current:
        _start_parse_server()
    from etl.defs.automation.dead_runs import open_instance

    instance = open_instance(_say)  # fails runs of killed processes: they would hold the warehouse pool slot
    _say(f"Dagster instance {os.environ['DAGSTER_HOME']} (runs show in `make ui`)")
    # New raw files: all three runs will most likely follow; their event files are created while Dagster's
    # definitions load (a file no run used is removed at the end).
    run_ids = {} if manifest_current else {job: str(uuid.uuid4()) for job in _Pipeline.JOBS}
    pipeline = _Pipeline(instance, run_ids)
    # Dagster and the definitions are hundreds of thousands of objects that live until the end: out of
    # the collector's sight, its full passes during the runs (~1 cpu-s on 20k articles) and at exit
    # (~1-2 s, the interpreter collects everything once more before it ends) have far less to walk.
    gc.freeze()
    closing = _materialize_what_changed(pipeline, settings, manifest_current, warehouse)
    summary, state = closing.result()

    _say(f"done in {time.perf_counter() - began:.1f} s\n")
    plan.record_state(os.environ["DAGSTER_HOME"], state and {**state, "summary": summary})
    print("\n".join([*summary, query_line(_duckdb_command(settings.warehouse_path))]))
    gc.freeze()
    return 0


def _start_parse_server() -> None:
    """Start the server the parse workers fork from (etl.lake.pool) now: it imports the parser on the other
    core while this process loads Dagster, instead of holding up the raw_files run later."""
    import multiprocessing
    from multiprocessing import forkserver

    from etl.lake.pool import workers
    from etl.lake.stage import PRELOAD

    if workers() > 1:
        multiprocessing.get_context("forkserver").set_forkserver_preload(list(PRELOAD))
        forkserver.ensure_running()


def _materialize_what_changed(
    pipeline: _Pipeline, settings: Settings, manifest_current: bool, warehouse: str | None
) -> _Closing:
    from etl.lake import build, plan
    from etl.lake.fingerprint import lake_code_version
    from etl.lake.manifest import read_manifest

    if manifest_current:
        _say("raw files unchanged since the last manifest")
    else:
        pipeline.materialize_raw_files()
    manifest = read_manifest(settings.lake_dir)

    stale = build.stale_partitions(manifest, settings.lake_dir, lake_code_version())
    ranges = plan.build_ranges(sorted(stale), settings.lake_dir, manifest)
    if not stale:
        _say("lake partitions up to date")
    for first, last in ranges:
        n = sum(1 for d in stale if first <= d <= last)
        _say(f"building lake partitions {first} … {last} ({n} changed) in one run")
        pipeline.materialize_lake(first, last)

    closing = _Closing(settings, warehouse)  # from here on only the warehouse changes
    if warehouse is None:
        pass
    elif pipeline.warehouse_is_current(warehouse):
        _say("warehouse up to date")
    else:
        _say("rebuilding the warehouse from the lake")
        pipeline.materialize_warehouse()
    return closing


class _Closing:
    """The closing summary and the state recorded for the next run's shortcut, worked out in a thread while
    the warehouse builds: they read the raw folder, manifest and lake, which the warehouse run leaves alone.
    The state is recorded only when nothing is left to do: a file that moved under this run leaves its
    partition stale, and then the next run must take the full path."""

    def __init__(self, settings: Settings, warehouse: str | None):
        self._settings, self._warehouse = settings, warehouse
        self._outcome: tuple | BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="etl-run-closing", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        from etl.lake import build, plan
        from etl.lake.fingerprint import lake_code_version
        from etl.lake.manifest import read_manifest
        from etl.lake.summary import summary_lines

        try:
            s = self._settings
            manifest = read_manifest(s.lake_dir)
            summary = summary_lines(manifest, s.lake_dir, "")[:-1]  # the query line comes at the end
            start = date.fromisoformat(s.partition_start)
            state = plan.run_state(s.raw_dir, s.lake_dir, None, start, _code_versions())
            if state is not None and build.stale_partitions(manifest, s.lake_dir, lake_code_version()):
                state = None
            self._outcome = (summary, state)
        except BaseException as exc:  # raised again in the main thread
            self._outcome = exc

    def result(self) -> tuple[list[str], dict | None]:
        """(summary lines, state to record or None), once the warehouse is done."""
        from etl.lake import plan

        self._thread.join()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        summary, state = self._outcome
        if state is not None and self._warehouse is not None:
            state = plan.with_warehouse(state, self._warehouse)
        return summary, state


def _return_free_memory() -> None:
    """Hand the memory a phase freed back to the system before the next needs its own (the warehouse
    build's is DuckDB's): Arrow's allocator and glibc keep freed pages for reuse: twice in the peak."""
    import ctypes

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _code_versions() -> dict[str, str]:
    from etl.lake.fingerprint import lake_code_version
    from etl.lake.stage import parser_version
    from etl.warehouse.build import code_version

    return {"lake_code": lake_code_version(), "parser": parser_version(), "warehouse_code": code_version()}


def _unchanged_since_last_run(settings: Settings, warehouse: str | None) -> list[str] | None:
    """The summary of the last run that left everything up to date, if its recorded state still holds (told
    without Dagster); None otherwise."""
    from etl.lake import plan

    recorded = plan.recorded_state(os.environ["DAGSTER_HOME"])
    if recorded is None:
        return None
    summary = recorded.pop("summary", None)
    start = date.fromisoformat(settings.partition_start)
    now = plan.run_state(settings.raw_dir, settings.lake_dir, warehouse, start, _code_versions())
    return summary if summary is not None and now is not None and now == recorded else None


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the parse workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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


class _Pipeline:
    """Materializations through Dagster, recorded in the instance like runs launched from the UI."""

    JOBS = ("raw_files_job", "lake_partitions_job", "warehouse_job")

    def __init__(self, instance, run_ids: dict[str, str]):
        from etl.definitions import defs

        self.instance = instance
        self.defs = defs
        self.resources = dict(defs.resources or {})
        self._run_ids = dict(run_ids)  # the first run of each job takes its id from here (files prepared)

    def _execute(self, job_name: str, tags: dict | None = None) -> None:
        """Run one of the code location's named jobs in this process, recorded in the instance."""
        t, cpu = time.perf_counter(), _cpu_seconds()
        result = self.defs.resolve_job_def(job_name).execute_in_process(
            instance=self.instance,
            run_id=self._run_ids.pop(job_name, None),
            # etl/pid: lets dead_runs.fail_dead_runs tell a run whose process was killed
            tags={"etl/trigger": "etl run", "etl/pid": str(os.getpid()), **(tags or {})},
            run_config=QUIET_LOGS,
            raise_on_error=False,
        )
        if not result.success:
            raise SystemExit(f"etl run: run {result.run_id} failed; open `make ui` → Runs for the error")
        # Pool workers fork from a forkserver, not from this process: they report their CPU in metadata.
        workers = sum(
            e.materialization.metadata["parse_cpu_seconds"].value
            for e in result.get_asset_materialization_events()
            if "parse_cpu_seconds" in e.materialization.metadata
        )
        _say(
            f"  {job_name} run {result.run_id[:8]} succeeded in {time.perf_counter() - t:.1f} s "
            f"({_cpu_seconds() - cpu + workers:.1f} cpu-s, {workers:.1f} of them in parse workers)"
        )

    def materialize_raw_files(self) -> None:
        _say("refreshing the manifest of raw files")
        self._execute("raw_files_job")
        _return_free_memory()

    def materialize_lake(self, first: str, last: str) -> None:
        self._execute(
            "lake_partitions_job",
            tags={"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last},
        )
        _return_free_memory()

    def materialize_warehouse(self) -> None:
        self._execute("warehouse_job")

    def warehouse_is_current(self, warehouse_path: str) -> bool:
        """The warehouse file exists and its last materialization is newer than the last lake one."""
        from etl.defs.automation.jobs import DOWNSTREAM_OF_LAKE
        from etl.defs.automation.sensors import warehouse_built_from
        from etl.lake.plan import lake_stamp
        from etl.settings import Settings

        if not Path(warehouse_path).exists():
            return False
        if warehouse_built_from(self.instance) != lake_stamp(Settings.from_env().lake_dir):
            return False  # built from other lake files
        graph = self.defs.resolve_asset_graph()
        for key in DOWNSTREAM_OF_LAKE.resolve(graph):
            _, code_version = self._latest(key)
            wanted = graph.get(key).code_version
            if wanted is not None and code_version != wanted:
                return False  # its SQL / registries changed since
        return True

    def _latest(self, key) -> tuple[int, str | None]:
        """(storage id, code version) of the asset's last materialization; (0, None) if never."""
        records = self.instance.fetch_materializations(key, limit=1).records
        if not records:
            return 0, None
        return records[0].storage_id, (records[0].asset_materialization.tags or {}).get(
            "dagster/code_version"
        )
