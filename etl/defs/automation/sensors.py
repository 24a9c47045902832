"""Sensors: new raw files -> their lake partitions; new lake partitions -> one warehouse rebuild."""

import dagster as dg

from etl.defs.automation.jobs import lake_partitions_job, warehouse_job
from etl.defs.ingest.raw_files import RAW_FILES, check_evaluations, manifest_metadata, refresh
from etl.defs.lake.assets import ARTICLES, LAKE_KEYS
from etl.defs.partitions import daily_partitions
from etl.defs.resources import PathsResource
from etl.lake.build import stale_partitions

# A tick reads, hashes and parses at most this many new files (~6 s on 2 cores at ~1,700 files/s), far below
# the sensor evaluation timeout (60 s); a whole archive landing at once is taken in over several ticks.
MAX_NEW_FILES_PER_TICK = 10_000


# Attempts per (partition, file set): the first, then retries after a run died, failed or was overwritten.
MAX_ATTEMPTS = 4
FILES_KEY_TAG = "etl/files_key"


def partition_run_key(day: str, files_digest: str) -> str:
    """One run per (partition, file set): a re-requested unchanged partition is deduplicated by Dagster."""
    return f"{day}:{files_digest}"


def _attempts(instance: dg.DagsterInstance, base: str) -> list[dg.DagsterRun]:
    """This sensor's runs for one (partition, file set), newest first."""
    return list(instance.get_runs(filters=dg.RunsFilter(tags={FILES_KEY_TAG: base}), limit=MAX_ATTEMPTS))


def attempt_run_key(base: str, attempts: list[dg.DagsterRun]) -> str | None:
    """The run key for a partition that is stale now. Dagster drops a request whose run key any earlier run
    had, whatever its status, so a run that was killed (or failed, or whose output another writer replaced)
    would leave its partition stale for ever: once the newest attempt has ended and the partition is still
    stale, the next attempt gets a new key. None after MAX_ATTEMPTS (the run log says why)."""
    if not attempts or not attempts[0].is_finished:
        return attempts[0].tags.get("dagster/run_key", base) if attempts else base
    if len(attempts) >= MAX_ATTEMPTS:
        return None
    return f"{base}:attempt-{len(attempts) + 1}"


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
    valid = set(daily_partitions.get_partition_keys())
    stale = {day: d for day, d in stale_partitions(manifest, paths.lake_dir).items() if day in valid}
    requests, given_up = [], []
    for day, digest in sorted(stale.items()):
        base = partition_run_key(day, digest)
        key = attempt_run_key(base, _attempts(context.instance, base))
        if key is None:
            given_up.append(day)
            continue
        tags = {"etl/trigger": "sensor", FILES_KEY_TAG: base}
        requests.append(dg.RunRequest(run_key=key, partition_key=day, tags=tags))
    if given_up:
        context.log.warning(
            f"{len(given_up)} partition(s) still stale after {MAX_ATTEMPTS} runs: {given_up[:20]}"
        )
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
LAKE_EVENT_TAG = "etl/lake_event"  # the lake materialization a warehouse run was requested for


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
    "for all of them; run key = the latest lake materialization's storage id. A requested run that died or "
    "failed without building is requested again (up to 4 attempts).",
)
def warehouse_after_lake_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    records = context.instance.fetch_materializations(ARTICLES, limit=1).records
    latest = records[0].storage_id if records else 0
    # A build outside this sensor (`etl run`, the UI) that already read the latest lake event counts as seen.
    if latest <= _lake_event_read_by_warehouse(context.instance):
        return dg.SensorResult(skip_reason="no lake materialization since the last warehouse build")
    requested = int(context.cursor or 0)
    run_key = f"lake-{latest}"
    if latest <= requested:
        # Requested already. Its run may have died or failed without building: then request it again.
        runs = context.instance.get_runs(
            filters=dg.RunsFilter(tags={LAKE_EVENT_TAG: str(requested)}), limit=MAX_ATTEMPTS
        )
        if not runs or not runs[0].is_finished:
            return dg.SensorResult(
                skip_reason="the warehouse rebuild requested for the latest lake event is due"
            )
        if len(runs) >= MAX_ATTEMPTS:
            return dg.SensorResult(
                skip_reason=f"{MAX_ATTEMPTS} warehouse runs for lake event {latest} failed"
            )
        run_key = f"lake-{latest}:attempt-{len(runs) + 1}"
    if _lake_run_in_progress(context.instance):
        return dg.SensorResult(skip_reason="lake runs still in progress; waiting to coalesce them")
    tags = {"etl/trigger": "warehouse_sensor", LAKE_EVENT_TAG: str(latest)}
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=run_key, tags=tags)], cursor=str(latest))
