"""`warehouse/<table>`: the DuckDB warehouse, rebuilt whole from the lake and registries (etl/warehouse)."""

from typing import TYPE_CHECKING

import dagster as dg

from etl.defs.lake.columns import described
from etl.defs.resources import PathsResource, WarehouseBuildConfig
from etl.lake.plan import LAKE_STAMP_KEY, lake_stamp
from etl.warehouse import checks
from etl.warehouse.tables import TABLES
from etl.warehouse.version import code_version

if TYPE_CHECKING:
    from etl.warehouse.build import BuildResult

LAKE_DEPS = [dg.AssetKey(["lake", "articles"]), dg.AssetKey("raw_files")]  # lake/articles: both lake tables
# Warehouse tables built from a lake table (or the manifest): their columns of the same name carry its
# descriptions (etl/lake/schema.py) in the UI's column tables.
LAKE_SOURCE = {"articles": "articles", "article_versions": "article_versions", "raw_files": "manifest"}
# Metadata of warehouse/articles, for the UI: the stamp of the lake files the build read
# (etl.lake.plan.lake_stamp) and the warehouse code version. The planner reads both from the file's own
# build_info table, not from these events.
LAKE_STAMP, CODE_VERSION = "lake_stamp", "warehouse_code_version"
# Tables whose materialization also carries the "this week" markdown preview.
PREVIEW_TABLES = {"articles", "topic_timeline", "agency_share_monthly"}
# ... and the latest week's top primary topics (what the news was mainly about).
PRIMARY_TOPIC_TABLES = {"articles", "topic_counts_daily"}


def warehouse_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["warehouse", table])


def _spec(table: str, description: str, code_version: str) -> dg.AssetSpec:
    return dg.AssetSpec(
        warehouse_key(table),
        deps=LAKE_DEPS,
        group_name="warehouse",
        kinds={"duckdb"},
        description=description,
        code_version=code_version,
    )


def _events_markdown(events: list[dict]) -> str:
    """The latest week's largest events as a markdown table (the UI renders it)."""
    if not events:
        return "No event in the latest week."
    lines = ["| first day | first outlet | articles | outlets | hours | label |", "|---|---|---|---|---|---|"]
    for e in events:
        label = str(e["label"] or "").replace("|", "/")
        lines.append(
            f"| {e['first_day']} | {e['first_outlet']} | {e['articles']} | {e['outlets']} "
            f"| {e['hours_covered']} | {label} |"
        )
    return "\n".join(lines)


def _materializations(result: "BuildResult", stamp: str):
    for table in TABLES:
        metadata = {
            "dagster/row_count": dg.MetadataValue.int(result.row_counts[table]),
            "dagster/column_schema": described(result.columns.get(table, []), LAKE_SOURCE.get(table)),
            "warehouse": dg.MetadataValue.path(str(result.path)),
            "query": dg.MetadataValue.md(
                f"```\n.venv/bin/duckdb {result.path} -c 'FROM {table} LIMIT 10'\n```"
            ),
        }
        if table in PREVIEW_TABLES:
            metadata["preview"] = dg.MetadataValue.md(result.preview_md)
        if table in PRIMARY_TOPIC_TABLES:
            metadata["top_primary_topics_week"] = dg.MetadataValue.json(result.top_primary_topics)
        if table == "events":
            metadata["largest_events_week"] = dg.MetadataValue.md(
                _events_markdown(result.largest_events_week)
            )
            metadata["reprints"] = dg.MetadataValue.int(result.row_counts.get("reprints", 0))
            metadata["articles_in_events"] = dg.MetadataValue.int(result.row_counts.get("event_articles", 0))
            if result.events_cache:  # what the build took from the events cache (etl/events/cache.py)
                from etl.warehouse.build import events_cache_summary  # imported by the build already

                metadata["events_cache"] = dg.MetadataValue.text(events_cache_summary(result.events_cache))
                metadata["articles_sketched"] = dg.MetadataValue.int(result.events_cache["articles_sketched"])
        if table == "articles":
            metadata["build_seconds"] = dg.MetadataValue.float(round(result.seconds, 2))
            metadata["lake_files"] = dg.MetadataValue.json(result.lake_files)
            metadata[LAKE_STAMP] = stamp
            metadata[CODE_VERSION] = result.code_version
            if result.orphaned_wal:
                metadata["orphaned_wal"] = dg.MetadataValue.path(str(result.orphaned_wal))
        yield dg.MaterializeResult(asset_key=warehouse_key(table), metadata=metadata)


def _check_results(result: "BuildResult"):
    for outcome in result.checks:
        yield dg.AssetCheckResult(
            asset_key=warehouse_key(outcome.table),
            check_name=outcome.name,
            passed=outcome.passed,
            metadata={"detail": outcome.detail},
        )


_CODE_VERSION = code_version()


@dg.multi_asset(
    name="warehouse",
    specs=[_spec(table, description, _CODE_VERSION) for table, description in TABLES.items()],
    check_specs=[
        dg.AssetCheckSpec(c.name, asset=warehouse_key(c.table), description=c.description)
        for c in checks.CHECKS
    ],
    can_subset=False,
    pool="duckdb_warehouse",
    description="Rebuild the whole DuckDB warehouse from the lake into a new file, then swap it in.",
)
def warehouse(context: dg.AssetExecutionContext, paths: PathsResource, config: WarehouseBuildConfig):
    # Imported here, not with the definitions: the build imports the events step (rjieba, scipy, opencc),
    # which every process loading the code location (sensors, the UI, each step of a run) would pay for.
    from etl.warehouse import build

    stamp = lake_stamp(paths.lake_dir)  # before reading the lake: a write during the build shows later
    result = build.build_warehouse(
        paths.lake_dir,
        paths.warehouse_path,
        memory_limit=config.memory_limit,
        build_info={LAKE_STAMP_KEY: stamp},  # what etl.lake.plan.warehouse_is_current compares
    )
    context.log.info(
        f"built {result.path} in {result.seconds:.2f}s (code version {result.code_version}): "
        + ", ".join(f"{t}={n}" for t, n in result.row_counts.items())
    )
    if result.orphaned_wal:
        context.log.warning(f"moved a stale WAL of the previous warehouse to {result.orphaned_wal}")
    yield from _materializations(result, stamp)
    yield from _check_results(result)
