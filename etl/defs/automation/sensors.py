"""Sensors: new raw files -> their lake partitions; new lake partitions -> one warehouse rebuild."""

import dagster as dg

from etl.defs.automation.jobs import lake_partitions_job, warehouse_job
from etl.defs.ingest.raw_files import RAW_FILES, check_evaluations, manifest_metadata, refresh
from etl.defs.lake.assets import LAKE_KEYS
from etl.defs.partitions import new_days, pub_date_partitions
from etl.defs.resources import PathsResource
from etl.defs.warehouse.assets import warehouse_built_from
from etl.lake import plan
from etl.lake.build import built_partitions
from etl.lake.fingerprint import lake_code_version

# A tick reads, hashes and parses at most this many new files (~6 s on 2 cores at ~1,700 files/s), far below
# the sensor evaluation timeout (60 s); a whole archive landing at once is taken in over several ticks.
MAX_NEW_FILES_PER_TICK = 10_000


# Dagster's run retries (run_retries in dagster.yaml): a run that fails, or that died and was marked failed
# by the dead-run sensor, is launched again by the daemon.
RETRIES = {"dagster/max_retries": "3"}


def partition_run_key(day: str, files_digest: str) -> str:
    """One run per (partition, file set, lake code): a re-requested unchanged partition is deduplicated by
    Dagster, and a parser or registry edit makes every day's key new."""
    return f"{day}:{files_digest}:{lake_code_version()[:12]}"


@dg.sensor(
    job=lake_partitions_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Rescans the raw folder (stat walk; only new or changed files are read, hashed and parsed), "
    "records the manifest and requests a run for exactly each partition whose file set differs from what the "
    "lake holds.",
)
def raw_folder_sensor(context: dg.SensorEvaluationContext, paths: PathsResource) -> dg.SensorResult:
    diff, manifest = refresh(paths, context.log, max_new=MAX_NEW_FILES_PER_TICK)
    events = []
    if diff.written:
        events.append(
            dg.AssetMaterialization(
                asset_key=RAW_FILES,
                metadata=manifest_metadata(diff, manifest, paths.lake_dir),
                tags={"etl/trigger": "raw_folder_sensor"},
            )
        )
        events.extend(check_evaluations(manifest, diff.files_seen))
    if diff.pending:
        # Partition assignment needs the whole archive: request nothing until the manifest has caught up.
        return dg.SensorResult(
            skip_reason=f"manifest catching up: {diff.pending:,} new files left for the next tick",
            asset_events=events,
            cursor=f"{diff.files_seen}:pending",
        )
    stale = plan.stale_days(manifest, paths.lake_dir)  # the planner `etl run` uses too
    # Days with articles become partitions here (a stale day without articles any more was one already).
    added = new_days(context.instance, [*plan.days_with_articles(manifest), *stale])
    partition_requests = [pub_date_partitions.build_add_request(added)] if added else []
    # A run that fails or dies is retried by Dagster (RETRIES), not requested again under another key.
    tags = {"etl/trigger": "sensor", **RETRIES}
    requests = [
        dg.RunRequest(run_key=partition_run_key(day, digest), partition_key=day, tags=tags)
        for day, digest in sorted(stale.items())
    ]
    cursor = f"{diff.files_seen}:{len(stale)}"
    if not requests and not events and not added:
        return dg.SensorResult(skip_reason=f"{diff.files_seen:,} files, lake up to date", cursor=cursor)
    return dg.SensorResult(
        run_requests=requests,
        asset_events=events,
        dynamic_partitions_requests=partition_requests,
        cursor=cursor,
    )


UNFINISHED = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


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
    # Decided from the lake's own files, not from lake events: a partition written by a run killed before
    # its event was recorded still changes the stamp (and a build outside this sensor counts as well).
    built = warehouse_built_from(context.instance)
    if plan.warehouse_is_current(paths.warehouse_path, paths.lake_dir, built):
        return dg.SensorResult(skip_reason="the warehouse was built from the lake as it is, by this code")
    if _lake_run_in_progress(context.instance):
        return dg.SensorResult(skip_reason="lake runs still in progress; waiting to coalesce them")
    now = plan.warehouse_source_now(paths.lake_dir)
    run_key = f"lake-{now.lake_stamp}:code-{now.code_version[:12]}"
    tags = {"etl/trigger": "warehouse_sensor", **RETRIES}
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=run_key, tags=tags)], cursor=now.lake_stamp)
