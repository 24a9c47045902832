"""`raw_files`: the manifest of every dump under raw_dir (unpartitioned, incremental), with its checks."""

import dagster as dg
import polars as pl

from etl.defs.lake.columns import column_schema
from etl.defs.partitions import partition_bounds
from etl.defs.resources import PathsResource
from etl.lake import checks
from etl.lake.manifest import ManifestDiff, manifest_path, refresh_manifest
from etl.settings import Settings

RAW_FILES = dg.AssetKey("raw_files")
CHECK_DESCRIPTIONS = {
    "every_file_accounted_for": "ok articles + duplicate captures + rejected = files seen = dumps on disk.",
    "reject_rate_below_threshold": "Share of rejected files stays under ETL_REJECT_RATE_WARN (warning).",
    "files_before_partition_start": "Lists files whose article predates ETL_PARTITION_START (warning).",
}
CHECK_SEVERITY = {
    "every_file_accounted_for": dg.AssetCheckSeverity.ERROR,
    "reject_rate_below_threshold": dg.AssetCheckSeverity.WARN,
    "files_before_partition_start": dg.AssetCheckSeverity.WARN,
}


def refresh(paths: PathsResource, log=None, max_new: int | None = None) -> tuple[ManifestDiff, pl.DataFrame]:
    start, end = partition_bounds()
    progress = (lambda msg: log.info(msg)) if log else None
    diff = refresh_manifest(paths.raw_dir, paths.lake_dir, start, end, progress=progress, max_new=max_new)
    return diff, diff.manifest


def manifest_metadata(diff: ManifestDiff, manifest: pl.DataFrame, lake_dir: str) -> dict:
    counts = checks.manifest_counts(manifest)
    ok = manifest.filter(pl.col("status") == "ok")
    days = ok["pub_date"].drop_nulls()
    return {
        "dagster/row_count": manifest.height,
        **{k: dg.MetadataValue.int(v) for k, v in counts.items()},
        "files_added": len(diff.added),
        "files_changed": len(diff.changed),
        "files_removed": len(diff.removed),
        "files_restaged": len(diff.restaged),
        # The raw folder moving under the scan: never half-counted, always reported.
        "files_vanished_during_scan": len(diff.vanished),
        "files_changed_during_scan": len(diff.drifted),
        "moved_during_scan_sample": dg.MetadataValue.json((diff.vanished + diff.drifted)[:50]),
        "files_pending": diff.pending,
        "parse_cpu_seconds": dg.MetadataValue.float(round(diff.parse_cpu_s, 2)),
        "partitions_affected": dg.MetadataValue.int(len(diff.affected_partitions)),
        "affected_sample": dg.MetadataValue.json(diff.affected_partitions[:50]),
        "rejects_by_reason": dg.MetadataValue.json(checks.rejects_by_reason(manifest)),
        "first_day": str(days.min()) if days.len() else "",
        "last_day": str(days.max()) if days.len() else "",
        "path": dg.MetadataValue.path(str(manifest_path(lake_dir))),
    }


def check_outcomes(manifest: pl.DataFrame, files_on_disk: int) -> dict[str, checks.Outcome]:
    return {
        "every_file_accounted_for": checks.every_file_accounted(manifest, files_on_disk),
        "reject_rate_below_threshold": checks.reject_rate(manifest, Settings.from_env().reject_rate_warn),
        "files_before_partition_start": checks.before_partition_start(manifest),
    }


def check_evaluations(manifest: pl.DataFrame, files_on_disk: int) -> list[dg.AssetCheckEvaluation]:
    """The same checks as events, for a sensor that refreshed the manifest outside a run."""
    return [
        dg.AssetCheckEvaluation(
            asset_key=RAW_FILES,
            check_name=name,
            passed=o.passed,
            metadata=o.metadata,
            severity=CHECK_SEVERITY[name],
            description=o.description,
        )
        for name, o in check_outcomes(manifest, files_on_disk).items()
    ]


@dg.asset(
    key=RAW_FILES,
    group_name="ingest",
    kinds={"parquet"},
    description="Manifest of every raw dump file: size, mtime, hash, header fields, status/reason and the "
    "partition its article belongs to. Incremental: only new or changed files are read, hashed and fully "
    "parsed (once: their parsed rows are staged for the lake partitions).",
    check_specs=[
        dg.AssetCheckSpec(name, asset=RAW_FILES, description=d) for name, d in CHECK_DESCRIPTIONS.items()
    ],
    metadata={"dagster/column_schema": column_schema("manifest")},
)
def raw_files(context: dg.AssetExecutionContext, paths: PathsResource) -> dg.MaterializeResult:
    diff, manifest = refresh(paths, context.log)
    context.log.info(
        f"{diff.files_seen:,} files: {len(diff.added):,} new, {len(diff.changed):,} changed, "
        f"{len(diff.removed):,} removed, {len(diff.restaged):,} parsed again for a new parser version; "
        f"{len(diff.affected_partitions):,} partitions affected"
    )
    if diff.vanished or diff.drifted:
        context.log.warning(
            f"the raw folder moved during the scan: {len(diff.vanished):,} file(s) deleted before they could "
            f"be read (left out; sample {diff.vanished[:5]}), {len(diff.drifted):,} rewritten after the stat "
            f"walk (recorded as read; sample {diff.drifted[:5]})"
        )
    return dg.MaterializeResult(
        metadata=manifest_metadata(diff, manifest, paths.lake_dir),
        check_results=[
            dg.AssetCheckResult(
                check_name=name,
                passed=o.passed,
                metadata=o.metadata,
                severity=CHECK_SEVERITY[name],
                description=o.description,
            )
            for name, o in check_outcomes(manifest, diff.files_seen).items()
        ],
    )
