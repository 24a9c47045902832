"""Data-quality checks over the manifest and the lake, as plain functions (Dagster wraps them as checks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow.dataset as ds

from etl.lake import assign
from etl.lake.build import partition_dir


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


def _read(lake_dir: str | Path, table: str, columns: list[str]) -> pl.DataFrame:
    root = Path(lake_dir) / table
    if not root.is_dir() or not any(root.glob("pub_date=*/*.parquet")):
        return pl.DataFrame()
    dataset = ds.dataset(root, format="parquet", exclude_invalid_files=True)
    data = pl.from_arrow(dataset.to_table(columns=columns))
    return data if isinstance(data, pl.DataFrame) else data.to_frame()


def unique_article_ids(lake_dir: str | Path) -> Outcome:
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


def pub_dates_inside_partitions(lake_dir: str | Path) -> Outcome:
    bad, rows = {}, 0
    for table in ("articles", "article_versions"):
        for folder in sorted((Path(lake_dir) / table).glob("pub_date=*")):
            day = folder.name.removeprefix("pub_date=")
            data = pl.read_parquet(folder / "part-0.parquet", columns=["pub_date"])
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
    manifest_before: pl.DataFrame, lake_dir: str | Path, days: list[str], build_rejects: int
) -> Outcome:
    """For the days just built: files assigned = article_versions rows + full-parse rejects, and articles =
    distinct article_ids of the versions, read back from the files written."""
    assigned = manifest_before.filter(
        (pl.col("status") == "ok") & pl.col("pub_date").cast(pl.String).is_in(days)
    ).height
    versions = articles = distinct = 0
    for day in days:
        vfile = partition_dir(lake_dir, "article_versions", day) / "part-0.parquet"
        afile = partition_dir(lake_dir, "articles", day) / "part-0.parquet"
        if vfile.exists():
            v = pl.read_parquet(vfile, columns=["article_id"])
            versions += v.height
            distinct += v["article_id"].n_unique()
        if afile.exists():
            articles += pl.read_parquet(afile, columns=["article_id"]).height
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
