"""`lake/articles` + `lake/article_versions`: daily partitions of parsed articles, built from the manifest."""

import dagster as dg
import pyarrow as pa

from etl.defs.ingest.raw_files import RAW_FILES
from etl.defs.lake.columns import column_schema
from etl.defs.partitions import daily_partitions, partition_bounds
from etl.defs.resources import PathsResource
from etl.lake import build, checks, preview, schema
from etl.lake.fingerprint import lake_code_version
from etl.lake.manifest import read_manifest, record_build_rejects

ARTICLES = dg.AssetKey(["lake", "articles"])
VERSIONS = dg.AssetKey(["lake", "article_versions"])
LAKE_KEYS = [ARTICLES, VERSIONS]
TABLE_OF = {ARTICLES: "articles", VERSIONS: "article_versions"}

LAKE_CHECKS = {
    "every_file_accounted_for": "Files assigned to the built days = captures in article_versions + files the "
    "full parse rejected (written back to the manifest); one article row per distinct article_id.",
    "unique_article_id": "No article_id appears in more than one row across the whole lake.",
    "pub_date_inside_partition": "Every row's pub_date equals the partition folder it is stored in.",
}


def _spec(key: dg.AssetKey, description: str) -> dg.AssetSpec:
    return dg.AssetSpec(
        key,
        deps=[RAW_FILES],
        group_name="lake",
        kinds={"parquet"},
        description=description,
        code_version=lake_code_version(),
        skippable=True,  # one materialization event per partition is reported instead of one per run
        metadata={"dagster/column_schema": column_schema(TABLE_OF[key], schema.TABLES[TABLE_OF[key]])},
    )


@dg.multi_asset(
    name="lake_partitions",
    specs=[
        _spec(
            ARTICLES,
            "One row per article (its latest capture), in the partition of its earliest "
            "publication date: lake/articles/pub_date=YYYY-MM-DD/part-0.parquet.",
        ),
        _spec(VERSIONS, "Every ok capture of every article: lake/article_versions/pub_date=YYYY-MM-DD/."),
    ],
    check_specs=[dg.AssetCheckSpec(name, asset=ARTICLES, description=d) for name, d in LAKE_CHECKS.items()],
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def lake_partitions(context: dg.AssetExecutionContext, paths: PathsResource):
    days = sorted(context.partition_keys)
    code_version = lake_code_version()
    manifest = read_manifest(paths.lake_dir)
    context.log.info(f"building {len(days)} partition(s) {days[0]} … {days[-1]}")
    builds = build.build_partitions(manifest, paths.raw_dir, days, progress=context.log.info)

    rejects = {p: v for b in builds for p, v in b.rejects.items()}
    if rejects:
        start, end = partition_bounds()
        moved = record_build_rejects(paths.lake_dir, rejects, start, end)
        build.settle_digests(builds, read_manifest(paths.lake_dir))
        context.log.warning(
            f"{len(rejects)} file(s) passed the header parse but not the full parse; recorded as rejects in "
            f"the manifest. Partitions whose file set moved (rebuilt on the next sensor tick): {moved}"
        )

    for b in builds:
        build.write_partition(paths.lake_dir, b, code_version)
        # Every requested day is reported, empty ones with 0 rows: a backfill over a gap in the archive
        # must not show its empty days as failed.
        for key, table in ((ARTICLES, b.articles), (VERSIONS, b.versions)):
            yield dg.AssetMaterialization(
                asset_key=key, partition=b.day, metadata=_partition_metadata(paths, b, key, table)
            )

    yield from _check_results(paths, manifest, days, len(rejects))


def _partition_metadata(paths: PathsResource, b: build.PartitionBuild, key: dg.AssetKey, table: pa.Table):
    by_reason: dict[str, int] = {}
    for _, reason, _ in b.rejects.values():
        by_reason[reason] = by_reason.get(reason, 0) + 1
    meta = {
        "dagster/row_count": dg.MetadataValue.int(table.num_rows),
        "dagster/column_schema": column_schema(TABLE_OF[key], table.schema),
        "files_read": dg.MetadataValue.int(b.files_read),
        "full_parse_rejects_by_reason": dg.MetadataValue.json(by_reason),
        "files_digest": b.digest,
        "path": dg.MetadataValue.path(str(build.partition_file(paths.lake_dir, TABLE_OF[key], b.day))),
    }
    if key == ARTICLES:
        meta["preview"] = dg.MetadataValue.md(preview.markdown_preview(b.articles, [b.day]))
    return meta


def _check_results(paths: PathsResource, manifest, days: list[str], n_rejects: int):
    outcomes = {
        "every_file_accounted_for": checks.partitions_accounted(manifest, paths.lake_dir, days, n_rejects),
        "unique_article_id": checks.unique_article_ids(paths.lake_dir),
        "pub_date_inside_partition": checks.pub_dates_inside_partitions(paths.lake_dir),
    }
    for name, o in outcomes.items():
        yield dg.AssetCheckResult(
            asset_key=ARTICLES,
            check_name=name,
            passed=o.passed,
            metadata=o.metadata,
            description=o.description,
        )
