"""Sensors that only look: new raw files -> a manifest refresh run, then runs for their lake partitions; new
lake files -> one warehouse rebuild. Reading, hashing and parsing happen in the runs (logs, retries, run
monitoring), never in a tick."""

import dagster as dg

from etl.defs.automation.jobs import lake_partitions_job, raw_files_job, warehouse_job
from etl.defs.ingest.sharded_parse import SHARDED_PARSE_JOB
from etl.defs.lake.assets import LAKE_KEYS
from etl.defs.partitions import new_days, partition_bounds, pub_date_partitions
from etl.defs.resources import PathsResource
from etl.lake import plan
from etl.lake.build import built_partitions
from etl.lake.fingerprint import lake_code_version
from etl.lake.manifest import read_manifest
from etl.lake.stage import parser_version

# Dagster's run retries (run_retries in dagster.yaml): a run that fails, or that died and was marked failed
# by the dead-run sensor, is launched again by the daemon.
RETRIES = {"dagster/max_retries": "3"}


def partition_run_key(day: str, files_digest: str) -> str:
    """One run per (partition, file set, lake code): a re-requested unchanged partition is deduplicated by
    Dagster, and a parser or registry edit makes every day's key new."""
    return f"{day}:{files_digest}:{lake_code_version()[:12]}"


def refresh_run_key(listing: dict[str, tuple[int, int]]) -> str:
    """One manifest refresh per (raw folder listing, parser version, day): the day lets an article dated in
    the future be placed once its day has come, and a new partition start take effect."""
    start, today = partition_bounds()
    return f"raw-{plan.listing_digest(listing)}:{parser_version()[:12]}:{start}:{today}"


@dg.sensor(
    jobs=[raw_files_job, lake_partitions_job],
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Looks at the raw folder (a stat walk compared with the manifest): when files were added, "
    "changed or removed it requests a raw_files run, which reads, hashes and parses them; once the manifest "
    "is current, it requests a lake run for exactly each day whose files or code differ from what the lake "
    "holds. The tick itself reads no dump.",
)
def raw_folder_sensor(context: dg.SensorEvaluationContext, paths: PathsResource) -> dg.SensorResult:
    start, _ = partition_bounds()
    listing = plan.raw_listing(paths.raw_dir)
    if not plan.manifest_is_current(paths.raw_dir, paths.lake_dir, start, listing):
        if _sharded_parse_in_progress(context.instance):
            # Its last step refreshes the manifest; a raw_files run now would parse the same files again.
            return dg.SensorResult(skip_reason="a sharded parse is running", cursor=f"{len(listing)}:sharded")
        request = dg.RunRequest(
            job_name=raw_files_job.name,
            run_key=refresh_run_key(listing),
            tags={"etl/trigger": "sensor", **RETRIES},
        )
        # Partition assignment needs the whole archive: no lake run until the manifest has caught up.
        return dg.SensorResult(run_requests=[request], cursor=f"{len(listing)}:refresh")
    manifest = read_manifest(paths.lake_dir)
    stale = plan.stale_days(manifest, paths.lake_dir)  # the planner `etl run` uses too
    # Days with articles become partitions here (a stale day without articles any more was one already).
    added = new_days(context.instance, [*plan.days_with_articles(manifest), *stale])
    partition_requests = [pub_date_partitions.build_add_request(added)] if added else []
    # A run that fails or dies is retried by Dagster (RETRIES), not requested again under another key.
    tags = {"etl/trigger": "sensor", **RETRIES}
    requests = [
        dg.RunRequest(
            job_name=lake_partitions_job.name,
            run_key=partition_run_key(day, digest),
            partition_key=day,
            tags=tags,
        )
        for day, digest in sorted(stale.items())
    ]
    cursor = f"{len(listing)}:{len(stale)}"
    if not requests and not added:
        return dg.SensorResult(skip_reason=f"{len(listing):,} files, lake up to date", cursor=cursor)
    return dg.SensorResult(
        run_requests=requests, dynamic_partitions_requests=partition_requests, cursor=cursor
    )


UNFINISHED = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def _sharded_parse_in_progress(instance: dg.DagsterInstance) -> bool:
    runs = instance.get_runs(filters=dg.RunsFilter(job_name=SHARDED_PARSE_JOB, statuses=UNFINISHED), limit=1)
    return bool(runs)


def _lake_run_in_progress(instance: dg.DagsterInstance) -> bool:
    lake = set(LAKE_KEYS)
    runs = instance.get_runs(filters=dg.RunsFilter(statuses=UNFINISHED), limit=50)
    return any(lake & set(run.asset_selection or ()) for run in runs)


@dg.sensor(
    job=warehouse_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="When the lake's files differ from those the last warehouse build read, or the warehouse "
    "code changed (and no lake run is still going), requests ONE warehouse rebuild for all of it; run key = "
    "the lake stamp and the code version. A failed or dead run is retried by Dagster (dagster/max_retries).",
)
def warehouse_after_lake_sensor(context: dg.SensorEvaluationContext, paths: PathsResource) -> dg.SensorResult:
    if not built_partitions(paths.lake_dir):
        return dg.SensorResult(skip_reason="the lake has no partitions yet")
    # Decided from the lake's own files against the warehouse file's build record, not from lake events: a
    # partition written by a run killed before its event was recorded still changes the stamp (and a build
    # outside this sensor counts as well).
    if plan.warehouse_is_current(paths.warehouse_path, paths.lake_dir):
        return dg.SensorResult(skip_reason="the warehouse was built from the lake as it is, by this code")
    if _lake_run_in_progress(context.instance):
        return dg.SensorResult(skip_reason="lake runs still in progress; waiting to coalesce them")
    now = plan.warehouse_source_now(paths.lake_dir)
    run_key = f"lake-{now.lake_stamp}:code-{now.code_version[:12]}"
    tags = {"etl/trigger": "warehouse_sensor", **RETRIES}
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=run_key, tags=tags)], cursor=now.lake_stamp)
