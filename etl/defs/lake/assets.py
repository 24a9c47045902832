"""`lake/articles`: daily partitions of parsed articles, built from the manifest. Each partition is one day's
files of both lake tables, `articles` and `article_versions`.

One asset for the two tables, not one each: they are written together from the same staged rows, one is
never built without the other, and Dagster records two events per asset and partition of a backfill (planned,
materialized), each a commit of its own in the instance's SQLite databases. With one asset a 365-day backfill
records 730 of them instead of 1,460 (~15 of the lake phase's ~20 s at 100,000 articles were these commits).
The asset's column table is `articles`'; `article_versions`' columns are shown beside it in the asset's
metadata (`article_versions_column_schema`), and each partition's event counts the rows of both.
"""

import dagster as dg
from pydantic import Field

from etl.defs.deployment import lake_backfill_policy
from etl.defs.ingest.raw_files import RAW_FILES
from etl.defs.lake.columns import column_schema
from etl.defs.partitions import pub_date_partitions
from etl.defs.resources import PathsResource
from etl.lake import build, checks, plan, preview
from etl.lake.fingerprint import lake_code_version
from etl.lake.manifest import read_manifest

ARTICLES = dg.AssetKey(["lake", "articles"])
LAKE_KEYS = [ARTICLES]  # the one lake asset; its partitions write both lake tables

LAKE_CHECKS = {
    "every_file_accounted_for": "Files assigned to the built days = captures in article_versions + files "
    "left out because the raw folder moved since the manifest scan; one article row per distinct article_id.",
    "unique_article_id": "No article_id appears in more than one row across the whole lake.",
    "pub_date_inside_partition": "Every row sits in its article's partition: the pub_date= folder is the UTC "
    "day of the earliest published_at of the article (both tables, in the partitions the run built).",
}


class LakeBuildConfig(dg.Config):
    """Run config of a lake build (the launchpad shows it)."""

    only_stale: bool = Field(
        default=False,
        description="Build only the run's days whose lake files are stale (etl.lake.plan.stale_days), leave "
        "the others as they are: what `etl run` asks for when its range spans days that are up to date.",
    )


DESCRIPTION = (
    "One day of the lake, both tables: `articles`, one row per article (its latest capture) in the partition "
    "of its earliest publication date (lake/articles/pub_date=YYYY-MM-DD/part-0.parquet), and "
    "`article_versions`, every ok capture of those articles (lake/article_versions/pub_date=YYYY-MM-DD/). "
    "The column table is articles'; article_versions' is the `article_versions_column_schema` metadata."
)


def _lake_spec() -> dg.AssetSpec:
    # A function, not a module-level spec: the defs loader would take one as a second definition of the key.
    return dg.AssetSpec(
        ARTICLES,
        deps=[RAW_FILES],
        group_name="lake",
        kinds={"parquet"},
        description=DESCRIPTION,
        code_version=lake_code_version(),
        skippable=True,  # one materialization event per partition is reported instead of one per run
        metadata={
            "dagster/column_schema": column_schema("articles"),
            "article_versions_column_schema": dg.MetadataValue.table_schema(
                column_schema("article_versions")
            ),
            "tables": dg.MetadataValue.json(["articles", "article_versions"]),
        },
    )


@dg.multi_asset(
    name="lake_partitions",
    specs=[_lake_spec()],
    check_specs=[dg.AssetCheckSpec(name, asset=ARTICLES, description=d) for name, d in LAKE_CHECKS.items()],
    partitions_def=pub_date_partitions,  # the days with articles (etl/defs/partitions.py)
    backfill_policy=lake_backfill_policy(),  # one run for any range, or runs of N days (settings)
)
def lake_partitions(context: dg.AssetExecutionContext, paths: PathsResource, config: LakeBuildConfig):
    days = sorted(context.partition_keys)
    code_version = lake_code_version()
    manifest = read_manifest(paths.lake_dir)
    if config.only_stale:
        stale = plan.stale_days(manifest, paths.lake_dir)
        days = [day for day in days if day in stale]
        context.log.info(f"{len(days)} of the run's {len(context.partition_keys)} partition(s) are stale")
        if not days:
            yield from _check_results(paths, manifest, days, 0)
            return
    context.log.info(f"building {len(days)} partition(s) {days[0]} … {days[-1]}")
    left_out: dict[str, str] = {}
    builds = build.build_partitions(manifest, paths.lake_dir, paths.raw_dir, days, progress=context.log.info)
    with build.PartitionWriter(paths.lake_dir, code_version) as writer:
        for b in builds:
            left_out.update(b.left_out)
            yield from _announce(paths, writer.submit(b))
        yield from _announce(paths, writer.finish())
    if left_out:
        context.log.warning(
            f"{len(left_out):,} file(s) left out: the raw folder changed since the manifest scan "
            f"({_by_reason(left_out.values())}); their partitions stay stale until the next refresh. "
            f"Sample: {sorted(left_out)[:10]}"
        )

    yield from _check_results(paths, manifest, days, len(left_out))


def _announce(paths: PathsResource, written: list[build.PartitionBuild]):
    """One materialization for each day whose files (both tables) are written: an event means the data is
    there. Every requested day is reported, a day without articles any more with 0 rows. A run killed between
    a write and its event leaves a day on disk that no event announced; the warehouse still rebuilds from it,
    since its currency comes from the lake's files (etl.lake.plan.lake_stamp), not from these events."""
    for b in written:
        yield dg.AssetMaterialization(
            asset_key=ARTICLES, partition=b.day, metadata=_partition_metadata(paths, b)
        )


def _partition_metadata(paths: PathsResource, b: build.PartitionBuild):
    # The column schemas are the asset's (definition metadata), not repeated in each of the ~365 events of a
    # year's backfill: serialising them into every event cost more than writing the partition.
    return {
        "dagster/row_count": dg.MetadataValue.int(b.articles.num_rows),
        "article_versions_rows": dg.MetadataValue.int(b.versions.num_rows),
        "files_read": dg.MetadataValue.int(b.files_read),
        "files_left_out": dg.MetadataValue.int(len(b.left_out)),
        "left_out_by_reason": dg.MetadataValue.json(_by_reason(b.left_out.values())),
        "files_digest": b.digest,
        "path": dg.MetadataValue.path(str(build.partition_file(paths.lake_dir, "articles", b.day))),
        "article_versions_path": dg.MetadataValue.path(
            str(build.partition_file(paths.lake_dir, "article_versions", b.day))
        ),
        "preview": dg.MetadataValue.md(preview.markdown_preview(b.articles, [b.day])),
    }


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
