"""`lake/articles` + `lake/article_versions`: daily partitions of parsed articles, built from the manifest."""

import dagster as dg
import pyarrow as pa

from etl.defs.deployment import lake_backfill_policy
from etl.defs.ingest.raw_files import RAW_FILES
from etl.defs.lake.columns import column_schema
from etl.defs.partitions import daily_partitions
from etl.defs.resources import PathsResource
from etl.lake import build, checks, preview
from etl.lake.fingerprint import lake_code_version
from etl.lake.manifest import read_manifest

ARTICLES = dg.AssetKey(["lake", "articles"])
VERSIONS = dg.AssetKey(["lake", "article_versions"])
LAKE_KEYS = [ARTICLES, VERSIONS]
TABLE_OF = {ARTICLES: "articles", VERSIONS: "article_versions"}

LAKE_CHECKS = {
    "every_file_accounted_for": "Files assigned to the built days = captures in article_versions + files "
    "left out because the raw folder moved since the manifest scan; one article row per distinct article_id.",
    "unique_article_id": "No article_id appears in more than one row across the whole lake.",
    "pub_date_inside_partition": "Every row sits in its article's partition: the pub_date= folder is the UTC "
    "day of the earliest published_at of the article (both tables, in the partitions the run built).",
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
        metadata={"dagster/column_schema": column_schema(TABLE_OF[key])},
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
    backfill_policy=lake_backfill_policy(),  # one run for any range, or runs of N days (settings)
)
def lake_partitions(context: dg.AssetExecutionContext, paths: PathsResource):
    days = sorted(context.partition_keys)
    code_version = lake_code_version()
    manifest = read_manifest(paths.lake_dir)
    context.log.info(f"building {len(days)} partition(s) {days[0]} … {days[-1]}")
    left_out: dict[str, str] = {}
    builds = build.build_partitions(manifest, paths.lake_dir, paths.raw_dir, days, progress=context.log.info)
    with build.PartitionWriter(paths.lake_dir, code_version) as writer:
        for b in builds:
            left_out.update(b.left_out)
            # Every requested day is reported, empty ones with 0 rows: a backfill over a gap in the archive
            # must not show its empty days as failed. The event is recorded BEFORE the write is submitted: a
            # run killed between the two leaves a stale partition (rebuilt next time), never a written one no
            # event announced (the warehouse would be called current and miss it for ever).
            for key, table in ((ARTICLES, b.articles), (VERSIONS, b.versions)):
                yield dg.AssetMaterialization(
                    asset_key=key, partition=b.day, metadata=_partition_metadata(paths, b, key, table)
                )
            writer.submit(b)
    if left_out:
        context.log.warning(
            f"{len(left_out):,} file(s) left out: the raw folder changed since the manifest scan "
            f"({_by_reason(left_out.values())}); their partitions stay stale until the next refresh. "
            f"Sample: {sorted(left_out)[:10]}"
        )

    yield from _check_results(paths, manifest, days, len(left_out))


def _partition_metadata(paths: PathsResource, b: build.PartitionBuild, key: dg.AssetKey, table: pa.Table):
    # The column schema is the asset's (definition metadata), not repeated in each of the ~730 events of a
    # year's backfill: serialising it into every event cost more than writing the partition.
    meta = {
        "dagster/row_count": dg.MetadataValue.int(table.num_rows),
        "files_read": dg.MetadataValue.int(b.files_read),
        "files_left_out": dg.MetadataValue.int(len(b.left_out)),
        "left_out_by_reason": dg.MetadataValue.json(_by_reason(b.left_out.values())),
        "files_digest": b.digest,
        "path": dg.MetadataValue.path(str(build.partition_file(paths.lake_dir, TABLE_OF[key], b.day))),
    }
    if key == ARTICLES:
        meta["preview"] = dg.MetadataValue.md(preview.markdown_preview(b.articles, [b.day]))
    return meta


def _by_reason(reasons) -> dict[str, int]:
    counts: dict[str, int] = {}
    for reason in reasons:
        counts[reason] = counts.get(reason, 0) + 1
    return dict(sorted(counts.items()))


def _check_results(paths: PathsResource, manifest, days: list[str], n_left_out: int):
    for name, o in checks.build_checks(manifest, paths.lake_dir, days, n_left_out).items():
        yield dg.AssetCheckResult(
            asset_key=ARTICLES,
            check_name=name,
            passed=o.passed,
            metadata=o.metadata,
            description=o.description,
        )
