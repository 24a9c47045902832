"""Data-quality checks over the manifest and the lake, as plain functions (Dagster wraps them as checks)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

import polars as pl

from etl.lake import assign, storage
from etl.lake.build import partition_file
from etl.lake.storage import Location


@dataclass
class Outcome:
    passed: bool
    description: str
    metadata: dict = field(default_factory=dict)


def manifest_counts(manifest: pl.DataFrame) -> dict[str, int]:
    ok = manifest.filter(pl.col("status") == "ok")
    return {
        "files_seen": manifest.height,
        "articles": int(ok["is_latest"].sum()),
        "duplicate_captures": int((~ok["is_latest"]).sum()),
        "rejected": manifest.height - ok.height,
    }


def rejects_by_reason(manifest: pl.DataFrame) -> dict[str, int]:
    rej = manifest.filter(pl.col("status") == "rejected")
    return dict(rej.group_by("reason").len().sort(["len", "reason"], descending=[True, False]).iter_rows())


def every_file_accounted(manifest: pl.DataFrame, files_on_disk: int) -> Outcome:
    """ok articles + duplicate captures + rejected = files seen = files on disk; one latest per article."""
    c = manifest_counts(manifest)
    ok = manifest.filter(pl.col("status") == "ok")
    latest_per_article = (
        ok.group_by("article_id").agg(pl.col("is_latest").sum()).filter(pl.col("is_latest") != 1)
    )
    unexplained = manifest.filter((pl.col("status") == "rejected") & pl.col("reason").is_null()).height
    passed = (
        c["articles"] + c["duplicate_captures"] + c["rejected"] == c["files_seen"] == files_on_disk
        and latest_per_article.height == 0
        and unexplained == 0
    )
    return Outcome(
        passed,
        f"{c['articles']:,} articles + {c['duplicate_captures']:,} duplicate captures + {c['rejected']:,} "
        f"rejected = {c['files_seen']:,} in the manifest; {files_on_disk:,} dump files on disk",
        {
            **c,
            "files_on_disk": files_on_disk,
            "rejects_without_reason": unexplained,
            "articles_without_one_latest": latest_per_article.height,
        },
    )


def reject_rate(manifest: pl.DataFrame, threshold: float) -> Outcome:
    n = manifest.height
    rejected = manifest.filter(pl.col("status") == "rejected").height
    rate = rejected / n if n else 0.0
    return Outcome(
        rate <= threshold,
        f"{rejected:,} of {n:,} files rejected ({rate:.2%}); "
        f"warn above {threshold:.2%} (ETL_REJECT_RATE_WARN)",
        {
            "reject_rate": rate,
            "threshold": threshold,
            "rejected": rejected,
            "by_reason": rejects_by_reason(manifest),
        },
    )


def before_partition_start(manifest: pl.DataFrame) -> Outcome:
    early = manifest.filter(pl.col("reason") == assign.BEFORE_START)
    sample = early.select("path").head(10)["path"].to_list()
    return Outcome(
        early.height == 0,
        f"{early.height:,} files hold articles published before the first partition (kept in the manifest as "
        "rejected, reason before_partition_start)",
        {"files": early.height, "sample": sample},
    )


def _files(lake_dir: Location, table: str) -> list[str]:
    return storage.parquet_files(storage.join(lake_dir, table), "pub_date=*")


def _read(lake_dir: Location, table: str, columns: list[str]) -> pl.DataFrame:
    return storage.read_files_polars(_files(lake_dir, table), columns)


def unique_article_ids(lake_dir: Location) -> Outcome:
    ids = _read(lake_dir, "articles", ["article_id"])
    dupes = ids.group_by("article_id").len().filter(pl.col("len") > 1) if ids.height else ids
    return Outcome(
        dupes.height == 0,
        f"{ids.height:,} article rows across the lake, {dupes.height:,} article_id(s) in more than one row",
        {
            "rows": ids.height,
            "duplicated_ids": dupes.height,
            "sample": dupes.head(10)["article_id"].to_list() if dupes.height else [],
        },
    )


def pub_dates_inside_partitions(lake_dir: Location) -> Outcome:
    bad, rows = {}, 0
    for table in ("articles", "article_versions"):
        files = _files(lake_dir, table)
        for file, data in zip(files, storage.read_each(files, ["pub_date"]), strict=True):
            day = posixpath.basename(posixpath.dirname(file)).removeprefix("pub_date=")
            rows += data.height
            outside = data.filter(pl.col("pub_date").cast(pl.String) != day).height
            if outside:
                bad[f"{table}/{day}"] = outside
    return Outcome(
        not bad,
        f"{rows:,} rows checked; {sum(bad.values()):,} rows outside their partition",
        {"rows": rows, "outside": bad},
    )


def partitions_accounted(
    manifest_before: pl.DataFrame, lake_dir: Location, days: list[str], build_rejects: int
) -> Outcome:
    """For the days just built: files assigned = article_versions rows + full-parse rejects, and articles =
    distinct article_ids of the versions, read back from the files written."""
    assigned = manifest_before.filter(
        (pl.col("status") == "ok") & pl.col("pub_date").cast(pl.String).is_in(days)
    ).height
    versions = articles = distinct = 0
    for table in ("article_versions", "articles"):
        wanted = {str(partition_file(lake_dir, table, day)) for day in days}
        files = [f for f in _files(lake_dir, table) if f in wanted]
        for data in storage.read_each(files, ["article_id"]):
            if table == "articles":
                articles += data.height
            else:
                versions += data.height
                distinct += data["article_id"].n_unique()
    passed = assigned == versions + build_rejects and articles == distinct
    return Outcome(
        passed,
        f"{assigned:,} files assigned to {len(days)} partition(s) = {versions:,} captures in "
        "article_versions "
        f"+ {build_rejects:,} rejected by the full parse; {articles:,} articles",
        {
            "files_assigned": assigned,
            "captures": versions,
            "full_parse_rejects": build_rejects,
            "articles": articles,
            "partitions": len(days),
        },
    )
