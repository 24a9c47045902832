"""Sensors: new raw files -> their lake partitions; new lake partitions -> one warehouse rebuild."""

import dagster as dg

from etl.defs.automation.jobs import lake_partitions_job, warehouse_job
from etl.defs.ingest.raw_files import RAW_FILES, check_evaluations, manifest_metadata, refresh
from etl.defs.lake.assets import ARTICLES, LAKE_KEYS
from etl.defs.partitions import daily_partitions
from etl.defs.resources import PathsResource
from etl.lake.build import stale_partitions

# A tick hashes at most this many new files (~5 s on 2 cores), far below the sensor evaluation timeout;
# a whole archive landing at once is taken in over several ticks.
MAX_NEW_FILES_PER_TICK = 20_000


def partition_run_key(day: str, files_digest: str) -> str:
    """One run per (partition, file set): a re-requested unchanged partition is deduplicated by Dagster."""
    return f"{day}:{files_digest}"


@dg.sensor(
    job=lake_partitions_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Rescans the raw folder (stat walk, hashing only new or changed files), records the manifest "
    "and requests a run for exactly each partition whose file set differs from what the lake holds.",
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
    valid = set(daily_partitions.get_partition_keys())
    stale = {day: d for day, d in stale_partitions(manifest, paths.lake_dir).items() if day in valid}
    requests = [
        dg.RunRequest(
            run_key=partition_run_key(day, digest), partition_key=day, tags={"etl/trigger": "sensor"}
        )
        for day, digest in sorted(stale.items())
    ]
    cursor = f"{diff.files_seen}:{len(stale)}"
    if not requests and not events:
        return dg.SensorResult(skip_reason=f"{diff.files_seen:,} files, lake up to date", cursor=cursor)
    return dg.SensorResult(run_requests=requests, asset_events=events, cursor=cursor)


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


WAREHOUSE_ARTICLES = dg.AssetKey(["warehouse", "articles"])


def _lake_event_read_by_warehouse(instance: dg.DagsterInstance) -> int:
    """Storage id of the lake materialization the latest warehouse build started from (0: none yet)."""
    records = instance.fetch_materializations(WAREHOUSE_ARTICLES, limit=1).records
    if not records:
        return 0
    tags = records[0].asset_materialization.tags or {}
    return int(tags.get("dagster/input_event_pointer/lake/articles", 0))


@dg.sensor(
    job=warehouse_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After lake partitions land (and no lake run is still going), requests ONE warehouse rebuild "
    "for all of them; run key = the latest lake materialization's storage id.",
)
def warehouse_after_lake_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    records = context.instance.fetch_materializations(ARTICLES, limit=1).records
    latest = records[0].storage_id if records else 0
    # A build outside this sensor (`etl run`, the UI) that already read the latest lake event counts as seen.
    seen = max(int(context.cursor or 0), _lake_event_read_by_warehouse(context.instance))
    if latest <= seen:
        return dg.SensorResult(skip_reason="no lake materialization since the last warehouse request")
    if _lake_run_in_progress(context.instance):
        return dg.SensorResult(skip_reason="lake runs still in progress; waiting to coalesce them")
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=f"lake-{latest}", tags={"etl/trigger": "warehouse_sensor"})],
        cursor=str(latest),
    )
